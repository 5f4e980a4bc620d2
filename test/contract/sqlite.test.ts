/**
 * Runs the GraphStore and VectorStore contracts against the SQLite adapters on temporary files,
 * plus what only the SQLite adapters promise: file handling, migrations, the node cache across
 * connections, and the benchmark ceiling (`plainInsert`) writing the same rows as `writeBatch`.
 * Retraction and node validTo go through the adapter's own methods: the port has none yet.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { plainInsert } from '../../graph/sqlite/plain-insert.ts';
import { SqliteGraphStore } from '../../graph/sqlite/sqlite-graph-store.ts';
import { SqliteVectorStore } from '../../graph/sqlite/sqlite-vector-store.ts';
import { GRAPH_SCHEMA_VERSION, MIGRATIONS } from '../../graph/sqlite/graph-migrations.ts';
import { StoreError } from '../../schema/errors.ts';
import type { GraphBatch } from '../../schema/graph.ts';
import { tempDir } from '../fixtures/paths.ts';
import { batch, chunk, event, HOUR, mention, merged, node, T0, transfer } from './graph-fixtures.ts';
import { graphStoreContract } from './graph-store.contract.ts';
import { vectorStoreContract } from './vector-store.contract.ts';

const tmp = tempDir('mkg-sqlite-');
afterAll(() => tmp.cleanup());
let files = 0;
/** A new database path, in a directory that does not exist yet. */
const freshPath = () => join(tmp.dir, `db-${++files}`, 'nested', 'graph.db');

const asSqlite = (store: unknown) => store as SqliteGraphStore;

graphStoreContract('sqlite', async () => SqliteGraphStore.open(freshPath()), {
  retract: async (store, ids, at) => void (await asSqlite(store).retract(ids, at)),
  endValidity: async (store, ids, at) => void (await asSqlite(store).endValidity(ids, at)),
});

vectorStoreContract('sqlite-vec', async (dimensions) => SqliteVectorStore.open(freshPath(), { dimensions }));

describe('SqliteGraphStore specifics', () => {
  it('creates parent directories, keeps data across reopen and migrates only once', async () => {
    const path = freshPath();
    const first = SqliteGraphStore.open(path);
    expect(existsSync(path)).toBe(true);
    expect(first.db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    expect(first.db.prepare('PRAGMA user_version').get()).toEqual({ user_version: GRAPH_SCHEMA_VERSION });
    await first.writeBatch(transfer(1, 'acct:a', 'acct:b', 'tok:x', T0));
    await first.close();
    const again = SqliteGraphStore.open(path);
    expect((await again.stats()).facts).toBe(3);
    expect((await again.writeBatch(transfer(1, 'acct:a', 'acct:b', 'tok:x', T0))).facts.unchanged).toBe(3);
    await again.close();
    await expect(again.getNode('acct:a')).rejects.toBeInstanceOf(StoreError);
  });

  it('upgrades a version 1 database to the current schema, keeping its rows and its search', async () => {
    // A file as MarketGraph left it before chunks: the V1 schema only, at user_version 1.
    const path = freshPath();
    mkdirSync(dirname(path), { recursive: true });
    const v1 = new DatabaseSync(path);
    v1.exec(MIGRATIONS[0]!);
    v1.exec('PRAGMA user_version = 1');
    v1.close();
    const seedPath = freshPath();
    const seeded = SqliteGraphStore.open(seedPath);
    await seeded.writeBatch(transfer(1, 'acct:a', 'acct:b', 'tok:x', T0));
    await seeded.close();
    // Rows copied over with ATTACH: the tables V1 created are the same in the current schema.
    const old = new DatabaseSync(path);
    old.prepare('ATTACH ? AS src').run(seedPath);
    for (const table of ['nodes', 'events', 'facts']) old.exec(`INSERT INTO main.${table} SELECT * FROM src.${table}`);
    old.exec(`INSERT INTO main.search_fts (rowid, name, aliases) SELECT rid, name, '' FROM main.nodes`);
    old.close();

    const store = SqliteGraphStore.open(path);
    expect(store.db.prepare('PRAGMA user_version').get()).toEqual({ user_version: GRAPH_SCHEMA_VERSION });
    expect(GRAPH_SCHEMA_VERSION).toBe(4);
    expect((await store.stats()).facts).toBe(3);
    expect((await store.search('acct', { first: 5 })).length).toBeGreaterThan(0);
    const c = chunk('chunk:after-upgrade', 'Written after the upgrade.');
    const result = await store.writeBatch(batch({ chunks: [c], facts: [mention('acct:a', c.id)] }));
    expect([result.chunks.added, result.facts.added]).toEqual([1, 1]);
    expect((await store.searchChunks('upgrade', { first: 5 })).map((h) => h.chunk.id)).toEqual([c.id]);
    await store.close();
  });

  it('upgrades a version 2 database: its sources stay, with no fact digest, and take one afterwards', async () => {
    // A file as MarketGraph left it before fact digests: V1 + V2 at user_version 2, one source.
    const path = freshPath();
    mkdirSync(dirname(path), { recursive: true });
    const v2 = new DatabaseSync(path);
    v2.exec(MIGRATIONS[0]!);
    v2.exec(MIGRATIONS[1]!);
    v2.exec('PRAGMA user_version = 2');
    v2.prepare(`INSERT INTO sources (id, uri, kind, content_hash, version, recorded_at, records, rejected)
                VALUES ('src:old', 'file:///data/old.csv', 'ohlcv', 'sha256:aa', 'ohlcv@1/ingest@1', ?, 12, 1)`).run(T0);
    v2.close();

    const store = SqliteGraphStore.open(path);
    expect(store.db.prepare('PRAGMA user_version').get()).toEqual({ user_version: GRAPH_SCHEMA_VERSION });
    const old = {
      id: 'src:old', uri: 'file:///data/old.csv', kind: 'ohlcv', contentHash: 'sha256:aa', version: 'ohlcv@1/ingest@1',
      recordedAt: T0, records: 12, rejected: 1,
    };
    expect(await store.listSources()).toEqual([{ ...old, factDigest: null }]);
    await store.upsertSource({ ...old, factDigest: '12:000000000000abcd' });
    await store.close();
    const again = SqliteGraphStore.open(path);
    expect(await again.listSources()).toEqual([{ ...old, factDigest: '12:000000000000abcd' }]);
    await again.close();
  });

  it('upgrades a version 3 database: both full-text indexes are rebuilt from search terms', async () => {
    // As MarketGraph left a file before search terms: FTS5 over the raw text, which cuts and folds
    // words unlike Lucene (graph/search-terms.ts).
    const path = freshPath();
    mkdirSync(dirname(path), { recursive: true });
    const v3 = new DatabaseSync(path);
    for (const sql of MIGRATIONS.slice(0, 3)) v3.exec(sql);
    v3.exec('PRAGMA user_version = 3');
    v3.close();
    const seedPath = freshPath();
    const seeded = SqliteGraphStore.open(seedPath);
    const c = chunk('chunk:old', "Euler's exploit drained 7,193 ETH.");
    await seeded.writeBatch(batch({ nodes: [node('ent:orsted', { name: 'Ørsted Straße' })], chunks: [c] }));
    await seeded.close();
    const old = new DatabaseSync(path);
    old.prepare('ATTACH ? AS src').run(seedPath);
    for (const table of ['nodes', 'chunks']) old.exec(`INSERT INTO main.${table} SELECT * FROM src.${table}`);
    old.exec(`INSERT INTO main.search_fts (rowid, name, aliases) SELECT rid, name, '' FROM main.nodes`);
    old.exec(`INSERT INTO main.chunk_fts (rowid, text) SELECT rid, text FROM main.chunks`);
    old.close();

    const store = SqliteGraphStore.open(path);
    expect(store.db.prepare('PRAGMA user_version').get()).toEqual({ user_version: GRAPH_SCHEMA_VERSION });
    expect((await store.search('orsted strasse', { first: 5 })).map((h) => h.id)).toEqual(['ent:orsted']);
    expect((await store.searchChunks('7,193 eth', { first: 5 })).map((h) => h.chunk.id)).toEqual([c.id]);
    await store.close();
  });

  it('opens an in-memory store', async () => {
    const store = SqliteGraphStore.open(':memory:');
    await store.writeBatch(batch({ nodes: [node('a')] }));
    expect(await store.getNode('a')).not.toBeNull();
    await store.close();
  });

  it('refuses a database written by a newer schema', async () => {
    const path = freshPath();
    const store = SqliteGraphStore.open(path);
    store.db.exec(`PRAGMA user_version = ${GRAPH_SCHEMA_VERSION + 1}`);
    await store.close();
    expect(() => SqliteGraphStore.open(path)).toThrow(/newer/);
  });

  it('sees nodes another connection changed (the node cache follows data_version)', async () => {
    const path = freshPath();
    const a = SqliteGraphStore.open(path);
    const b = SqliteGraphStore.open(path);
    expect((await a.writeBatch(batch({ nodes: [node('n1')] }))).nodes.added).toBe(1);
    expect((await b.writeBatch(batch({ nodes: [node('n1', { kind: 'Token', aliases: ['from-b'] })] }))).nodes.updated).toBe(1);
    // a cached n1 as a plain Account; without invalidation it would "upgrade" it again.
    expect((await a.writeBatch(batch({ nodes: [node('n1', { kind: 'Token' })] }))).nodes.unchanged).toBe(1);
    expect((await a.writeBatch(batch({ nodes: [node('n1', { aliases: ['from-a'] })] }))).nodes.updated).toBe(1);
    expect((await b.getNode('n1'))?.aliases).toEqual(['from-b', 'from-a']);
    await a.close();
    await b.close();
  });

  it('rolls back a batch that fails inside the transaction, cache included', async () => {
    const store = SqliteGraphStore.open(freshPath());
    const broken: GraphBatch = batch({
      nodes: [node('n1')],
      events: [event('evt:bad', { summary: null as unknown as string })],
    });
    await expect(store.writeBatch(broken)).rejects.toBeInstanceOf(StoreError);
    expect(await store.getNode('n1')).toBeNull();
    expect((await store.writeBatch(batch({ nodes: [node('n1')] }))).nodes.added).toBe(1);
    await store.close();
  });

  it('plainInsert writes the same rows writeBatch does for final, distinct rows', async () => {
    const input = merged(
      transfer(1, 'acct:a', 'acct:b', 'tok:x', T0),
      transfer(2, 'acct:c', 'acct:d', 'tok:y', T0 + HOUR),
      batch({ nodes: [node('ent:z', { name: 'Zürich', aliases: ['Zurich', 'Zürich'] })] }),
    );
    const viaWrite = SqliteGraphStore.open(freshPath());
    const viaPlain = SqliteGraphStore.open(freshPath());
    await viaWrite.writeBatch(input);
    plainInsert(viaPlain, input);
    for (const s of [viaWrite, viaPlain]) {
      expect((await s.writeBatch(input)).facts.unchanged).toBe(6);
    }
    const snapshot = async (s: SqliteGraphStore) => ({
      nodes: await s.findNodes({}, { first: 50 }),
      events: await s.findEvents({}, { first: 50 }),
      hits: await s.search('zurich transfer', { first: 10 }),
      zurich: await s.search('zurich', { first: 10 }),
      stats: await s.stats(),
    });
    expect(await snapshot(viaPlain)).toEqual(await snapshot(viaWrite));
    await viaWrite.close();
    await viaPlain.close();
  });
});

describe('SqliteVectorStore specifics', () => {
  it('shares a file with the graph store and refuses another dimension count', async () => {
    const path = freshPath();
    const graph = SqliteGraphStore.open(path);
    const vectors = SqliteVectorStore.open(path, { dimensions: 3 });
    await vectors.upsert([{ id: 'acct:a', vector: [1, 0, 0], kind: 'Account' }]);
    await graph.writeBatch(batch({ nodes: [node('acct:a')] }));
    await vectors.close();
    expect(() => SqliteVectorStore.open(path, { dimensions: 4 })).toThrow(/3.*4|4.*3/);
    const reopened = SqliteVectorStore.open(path, { dimensions: 3 });
    expect(await reopened.count()).toBe(1);
    expect(graph.db.prepare('PRAGMA user_version').get()).toEqual({ user_version: GRAPH_SCHEMA_VERSION });
    await reopened.close();
    await graph.close();
  });

  it('rejects k beyond what sqlite-vec can return, and zero vectors', async () => {
    const store = SqliteVectorStore.open(freshPath(), { dimensions: 2 });
    await expect(store.search({ vector: [1, 0], k: 5000 })).rejects.toThrow(/k/);
    await expect(store.upsert([{ id: 'z', vector: [0, 0], kind: 'Account' }])).rejects.toThrow(/zero/);
    await store.close();
  });
});
