/**
 * Runs the GraphStore contract against a real Neo4j 5 when `NEO4J_URI` is set (with NEO4J_USER,
 * NEO4J_PASSWORD and NEO4J_DATABASE; defaults neo4j/neo4j/neo4j), e.g. the docker-compose service:
 *   NEO4J_URI=bolt://localhost:7687 NEO4J_PASSWORD=marketgraph npx vitest run test/contract/neo4j.test.ts
 * Every store the suite opens gets a fresh namespace in the shared database and deletes it when
 * closed; the schema is migrated once. Without `NEO4J_URI` the suite is skipped with one line.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Driver } from 'neo4j-driver';
import { createDriver } from '../../graph/neo4j/connect.ts';
import { Neo4jGraphStore, type Neo4jOptions } from '../../graph/neo4j/neo4j-graph-store.ts';
import type { GraphStore } from '../../graph/graph-store.ts';
import { StoreAuthError, StoreUnavailableError } from '../../schema/errors.ts';
import { describeWithNeo4j } from '../fixtures/neo4j-env.ts';
import { batch, node } from './graph-fixtures.ts';
import { graphStoreContract } from './graph-store.contract.ts';

describeWithNeo4j('GraphStore contract on a live Neo4j', (settings) => {
  let driver: Driver | undefined;
  const shared = (): Driver => (driver ??= createDriver(settings));
  /** Small batches, so the suite's batches also cross statement boundaries. */
  const options = (namespace: string): Neo4jOptions => ({ ...settings, namespace, batchSize: 7, driver: shared() });

  /** A store in a namespace of its own, which it deletes when closed. */
  async function open(): Promise<GraphStore> {
    const store = await Neo4jGraphStore.connect(options(`test-${randomUUID()}`));
    const close = store.close.bind(store);
    store.close = async () => {
      try {
        await store.deleteNamespace();
      } finally {
        await close();
      }
    };
    return store;
  }

  const asNeo4j = (store: GraphStore) => store as Neo4jGraphStore;

  beforeAll(async () => {
    const admin = await Neo4jGraphStore.connect(options('test-migrate'));
    await admin.migrate();
    await admin.close();
  });
  afterAll(async () => {
    await driver?.close();
  });

  graphStoreContract('neo4j', open, {
    retract: async (store, ids, at) => void (await asNeo4j(store).retract(ids, at)),
    endValidity: async (store, ids, at) => void (await asNeo4j(store).endValidity(ids, at)),
  });

  describe('Neo4jGraphStore specifics', () => {
    it('migrates idempotently and verifies the schema', async () => {
      const store = asNeo4j(await open());
      try {
        await store.migrate();
        expect((await store.verify()).database).toBe(settings.database);
      } finally {
        await store.close();
      }
    });

    it('upgrades a store an earlier version migrated: drops its full-text indexes and gives old nodes search terms', async () => {
      const store = asNeo4j(await open());
      const session = shared().session({ database: settings.database });
      try {
        // As an earlier MarketGraph left a store: the standard-folding index, and nodes without terms.
        await session.run(`CREATE FULLTEXT INDEX mkg_text IF NOT EXISTS FOR (n:Entity) ON EACH [n.name]
                           OPTIONS { indexConfig: { \`fulltext.analyzer\`: 'standard-folding' } }`);
        await session.run(
          `CREATE (:Thing:Entity:Organization {ns: $ns, id: 'ent:orsted', kind: 'Organization', name: 'Ørsted 20241227_Bizness',
             aliases: ['Straße'], aliasText: 'Straße', searchKey: 'ørsted', attrs: '{}', recordedAt: 0, namePriority: 0, sourceId: 's'})
           CREATE (:Thing:Chunk {ns: $ns, id: 'chunk:old', name: 'doc#0', text: "Euler's exploit drained 7,193 ETH", sourceId: 's',
             documentId: 'doc', index: 0, spanStart: 0, spanEnd: 33, tokens: 9, recordedAt: 0})`,
          { ns: store.namespace },
        );
        await store.migrate();
        const indexes = await session.run('SHOW INDEXES YIELD name RETURN collect(name) AS names');
        expect(indexes.records[0]!.get('names')).not.toContain('mkg_text');
        expect((await store.search('orsted bizness', { first: 5 })).map((h) => h.id)).toEqual(['ent:orsted']);
        expect((await store.search('strasse', { first: 5 })).map((h) => h.id)).toEqual(['ent:orsted']);
        expect((await store.searchChunks('7,193 eth', { first: 5 })).map((h) => h.chunk.id)).toEqual(['chunk:old']);
      } finally {
        await session.close();
        await store.close();
      }
    });

    it('keeps namespaces apart and deletes one completely', async () => {
      const a = asNeo4j(await open());
      const b = asNeo4j(await open());
      try {
        await a.writeBatch(batch({ nodes: [node('shared:id', { name: 'in a' })] }));
        await b.writeBatch(batch({ nodes: [node('shared:id', { name: 'in b' })] }));
        expect((await a.getNode('shared:id'))?.name).toBe('in a');
        expect((await b.stats()).entities).toBe(1);
        expect(await a.deleteNamespace()).toBe(1);
        expect(await a.getNode('shared:id')).toBeNull();
        expect((await b.getNode('shared:id'))?.name).toBe('in b');
      } finally {
        await a.close();
        await b.close();
      }
    });

    it('says the credentials were refused', async () => {
      const failure = Neo4jGraphStore.connect({ ...settings, password: `${settings.password}-wrong` });
      await expect(failure).rejects.toBeInstanceOf(StoreAuthError);
    });

    it('says the database does not exist', async () => {
      const missing = { ...settings, database: `missing${Date.now()}`, driver: shared() };
      // A routing driver finds out on connect, a direct one when the store is first used.
      const error = await Neo4jGraphStore.connect(missing).then(
        async (store) => {
          try {
            return await store.verify().then(() => null, (e: unknown) => e);
          } finally {
            await store.close();
          }
        },
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect(String(error)).toMatch(/database "missing\d+" does not exist/);
    });
  });
});
