/**
 * Configuration picks the store adapters; graph/create-stores.ts turns it into ports and, with
 * `verify`, says exactly what is wrong with a remote store. Remote stores are reached only at the
 * HTTP/Bolt boundary: a closed loopback port (unreachable) and a loopback fake Qdrant.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, parseConfig, withSqliteFile } from '../../schema/config.ts';
import { ConfigError, MarketGraphError, StoreError } from '../../schema/errors.ts';
import {
  createGraphStore, createStores, createVectorStore, describeGraphStore, describeVectorStore,
} from '../../graph/create-stores.ts';
import { SqliteGraphStore } from '../../graph/sqlite/sqlite-graph-store.ts';
import { closedPort, fakeQdrant, type FakeQdrant } from '../fixtures/fake-qdrant.ts';
import { tempDir } from '../fixtures/paths.ts';

const NEO4J = { MKG_GRAPH: 'neo4j', NEO4J_URI: 'bolt://localhost:7687', NEO4J_PASSWORD: 'secret-pw' };

describe('config: store selection', () => {
  it('defaults to the embedded stores, needing no service and reading no NEO4J_/QDRANT_ variable', () => {
    const c = parseConfig({ NEO4J_URI: 'not a uri', QDRANT_URL: 'nor this' });
    expect(c.graph).toEqual({ adapter: 'sqlite' });
    expect(c.vectors).toEqual({ adapter: 'sqlite' });
  });

  it('reads the Neo4j settings with their defaults', () => {
    expect(parseConfig(NEO4J).graph).toEqual({
      adapter: 'neo4j', uri: 'bolt://localhost:7687', user: 'neo4j', password: 'secret-pw', database: 'neo4j', batchSize: 2000,
      namespace: '',
    });
    const custom = parseConfig({
      ...NEO4J, NEO4J_URI: 'neo4j+s://db.example.com', NEO4J_USER: 'mkg', NEO4J_DATABASE: 'market', MKG_NEO4J_BATCH_SIZE: '500',
      MKG_NEO4J_NAMESPACE: 'staging',
    });
    expect(custom.graph).toMatchObject({ uri: 'neo4j+s://db.example.com', user: 'mkg', database: 'market', batchSize: 500, namespace: 'staging' });
  });

  it('names the missing or bad variable of the chosen adapter', () => {
    const fails = (env: Record<string, string>): string => {
      try {
        parseConfig(env);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
      throw new Error('expected a ConfigError');
    };
    expect(fails({ MKG_GRAPH: 'neo4j' })).toBe('Invalid configuration NEO4J_URI: required when MKG_GRAPH=neo4j (e.g. bolt://localhost:7687)');
    expect(fails({ MKG_GRAPH: 'neo4j', NEO4J_URI: 'bolt://localhost:7687' })).toBe('Invalid configuration NEO4J_PASSWORD: required when MKG_GRAPH=neo4j');
    expect(fails({ ...NEO4J, NEO4J_URI: 'http://localhost:7474' })).toMatch(/^Invalid configuration NEO4J_URI: expected neo4j:\/\/, bolt:\/\//);
    expect(fails({ ...NEO4J, MKG_NEO4J_BATCH_SIZE: '0' })).toMatch(/MKG_NEO4J_BATCH_SIZE/);
    expect(fails({ MKG_GRAPH: 'postgres' })).toMatch(/^Invalid configuration MKG_GRAPH: .*"sqlite"\|"neo4j"/);
    expect(fails({ MKG_VECTORS: 'qdrant' })).toBe('Invalid configuration QDRANT_URL: required when MKG_VECTORS=qdrant (e.g. http://localhost:6333)');
    expect(fails({ MKG_VECTORS: 'qdrant', QDRANT_URL: 'localhost:6333' })).toMatch(/^Invalid configuration QDRANT_URL: expected an http\(s\) URL/);
    expect(fails({ MKG_VECTORS: 'qdrant', QDRANT_URL: 'http://q:6333', MKG_QDRANT_COLLECTION: 'my vectors' })).toMatch(/MKG_QDRANT_COLLECTION/);
  });

  it('reads the Qdrant settings with their defaults', () => {
    expect(parseConfig({ MKG_VECTORS: 'qdrant', QDRANT_URL: 'http://localhost:6333' }).vectors).toEqual({
      adapter: 'qdrant', url: 'http://localhost:6333', apiKey: null, collection: 'mkg_vectors',
    });
    const c = parseConfig({ MKG_VECTORS: 'qdrant', QDRANT_URL: 'https://q.example.com', QDRANT_API_KEY: 'k', MKG_QDRANT_COLLECTION: 'mkg_test' });
    expect(c.vectors).toEqual({ adapter: 'qdrant', url: 'https://q.example.com', apiKey: 'k', collection: 'mkg_test' });
  });

  it('lets --db pick a SQLite file over MKG_GRAPH and MKG_DB', () => {
    const c = parseConfig({ ...NEO4J, MKG_DB: 'a.db' });
    expect(withSqliteFile(c, undefined)).toBe(c);
    const overridden = withSqliteFile(c, 'b.db');
    expect(overridden.graph).toEqual({ adapter: 'sqlite' });
    expect(overridden.dbPath).toBe(resolve('b.db'));
    expect(overridden.vectors).toEqual(c.vectors);
  });

  it('documents every variable in .env.example, whose values are the defaults', () => {
    const example = readFileSync(resolve(import.meta.dirname, '../../.env.example'), 'utf8');
    const documented = [...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]);
    expect([...documented].sort()).toEqual([...CONFIG_VARIABLES].sort());
    const active = Object.fromEntries([...example.matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => [m[1], m[2]]));
    expect(parseConfig(active)).toEqual(parseConfig({}));
  });
});

describe('createGraphStore / createVectorStore', () => {
  const tmp = tempDir();
  let qdrant: FakeQdrant;
  beforeAll(async () => {
    qdrant = await fakeQdrant();
  });
  afterAll(async () => {
    await qdrant.close();
    tmp.cleanup();
  });

  it('keeps the older { dbPath } shape working: the embedded SQLite store', async () => {
    const store = await createGraphStore({ dbPath: join(tmp.dir, 'old.db') }, { verify: true });
    expect(store).toBeInstanceOf(SqliteGraphStore);
    expect((await store.stats()).entities).toBe(0);
    await store.close();
  });

  it('opens both embedded stores from the full Config', async () => {
    const config = parseConfig({ MKG_DB: join(tmp.dir, 'full.db'), MKG_VECTOR_DIM: '8' });
    const stores = await createStores(config, { verify: true });
    expect(stores.vectors.dimensions).toBe(8);
    expect(await stores.vectors.count()).toBe(0);
    await stores.close();
    expect(describeGraphStore(config)).toBe(`SQLite file ${config.dbPath}`);
    expect(describeVectorStore(config)).toBe(`SQLite file ${config.dbPath}`);
  });

  it('describes remote stores without their secrets', () => {
    const config = parseConfig({ ...NEO4J, NEO4J_URI: 'bolt://neo4j:secret-pw@localhost:7687', MKG_VECTORS: 'qdrant', QDRANT_URL: 'http://user:pw@q:6333/?k=1', QDRANT_API_KEY: 'key-123' });
    expect(describeGraphStore(config)).toBe("Neo4j at bolt://localhost:7687 (database 'neo4j', user neo4j)");
    expect(describeVectorStore(config)).toBe("Qdrant at http://q:6333 (collection 'mkg_vectors')");
    expect(`${describeGraphStore(config)} ${describeVectorStore(config)}`).not.toMatch(/secret-pw|key-123|pw@/);
  });

  it('says when Qdrant is unreachable', async () => {
    const port = await closedPort();
    const config = parseConfig({ MKG_VECTORS: 'qdrant', QDRANT_URL: `http://127.0.0.1:${port}` });
    const opening = createVectorStore(config, { verify: true });
    await expect(opening).rejects.toBeInstanceOf(StoreError);
    await expect(opening).rejects.toThrow(new RegExp(`cannot reach Qdrant at http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`));
  });

  it('says when Qdrant wants an API key, and when it refuses the one given', async () => {
    qdrant.requireApiKey('right-key');
    try {
      const none = parseConfig({ MKG_VECTORS: 'qdrant', QDRANT_URL: qdrant.url });
      await expect(createVectorStore(none, { verify: true })).rejects.toThrow(/requires an API key \(401 Unauthorized\).*none was configured/);
      const wrong = parseConfig({ MKG_VECTORS: 'qdrant', QDRANT_URL: qdrant.url, QDRANT_API_KEY: 'wrong-key' });
      await expect(createVectorStore(wrong, { verify: true })).rejects.toThrow(/rejected the API key \(401 Unauthorized\)/);
      const right = parseConfig({ MKG_VECTORS: 'qdrant', QDRANT_URL: qdrant.url, QDRANT_API_KEY: 'right-key' });
      const store = await createVectorStore(right, { verify: true });
      expect(store.dimensions).toBe(256);
      await store.close();
    } finally {
      qdrant.requireApiKey(null);
    }
  });

  it('closes the graph store again when the vector store fails', async () => {
    const port = await closedPort();
    const path = join(tmp.dir, 'half.db');
    const config = parseConfig({ MKG_DB: path, MKG_VECTORS: 'qdrant', QDRANT_URL: `http://127.0.0.1:${port}` });
    await expect(createStores(config, { verify: true })).rejects.toBeInstanceOf(MarketGraphError);
    // A leaked connection would hold the WAL open; a fresh open must see a clean, usable file.
    const again = SqliteGraphStore.open(path);
    await again.close();
  });
});
