/**
 * Against a real Neo4j 5 (NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE as in neo4j.test.ts;
 * skipped with one line without NEO4J_URI): the benchmark ceiling `plainInsert`
 * (graph/neo4j/plain-insert.ts) stores what `writeBatch` stores for final, distinct rows, as
 * sqlite.test.ts checks for the SQLite ceiling. Each store gets a fresh namespace, deleted after.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { Driver } from 'neo4j-driver';
import { createDriver } from '../../graph/neo4j/connect.ts';
import { Neo4jGraphStore } from '../../graph/neo4j/neo4j-graph-store.ts';
import { plainInsert } from '../../graph/neo4j/plain-insert.ts';
import { batch, HOUR, merged, node, T0, transfer } from './graph-fixtures.ts';

const uri = process.env.NEO4J_URI;

if (uri === undefined || uri === '') {
  console.info('Neo4j plainInsert check skipped: NEO4J_URI is not set');
  describe.skip('Neo4j plainInsert (needs NEO4J_URI)', () => {
    it('writes the same rows writeBatch does', () => undefined);
  });
} else {
  const settings = {
    uri,
    user: process.env.NEO4J_USER || 'neo4j',
    password: process.env.NEO4J_PASSWORD || 'neo4j',
    database: process.env.NEO4J_DATABASE || 'neo4j',
  };
  let driver: Driver | undefined;
  const shared = (): Driver => (driver ??= createDriver(settings));
  afterAll(async () => {
    await driver?.close();
  });

  describe('Neo4j plainInsert', () => {
    it('writes the same rows writeBatch does for final, distinct rows', async () => {
      const input = merged(
        transfer(1, 'acct:a', 'acct:b', 'tok:x', T0),
        transfer(2, 'acct:c', 'acct:d', 'tok:y', T0 + HOUR),
        batch({ nodes: [node('ent:z', { name: 'Zürich', aliases: ['Zurich', 'Zürich'] })] }),
      );
      // Small statements, so both sides also cross statement boundaries.
      const open = (namespace: string) => Neo4jGraphStore.connect({ ...settings, namespace, batchSize: 4, driver: shared() });
      const plainNs = `test-plain-${randomUUID()}`;
      const viaWrite = await open(`test-write-${randomUUID()}`);
      const viaPlain = await open(plainNs);
      try {
        await viaWrite.migrate();
        await viaWrite.writeBatch(input);
        await plainInsert({ driver: shared(), database: settings.database, namespace: plainNs, batchSize: 4 }, input);
        const ids = input.nodes.map((n) => n.id);
        const eventIds = input.events.map((e) => e.id);
        const snapshot = async (s: Neo4jGraphStore) => ({
          stats: await s.stats(),
          nodes: await s.findNodes({}, { first: 50 }),
          events: await s.findEvents({}, { first: 50 }),
          byId: await Promise.all(ids.map((id) => s.getNode(id))),
          byEventId: await Promise.all(eventIds.map((id) => s.getEvent(id))),
          facts: await Promise.all([...ids, ...eventIds].map((id) => s.factsOf(id))),
          hits: await s.search('zurich', { first: 10 }),
          transferHits: await s.search('transfer', { first: 10 }),
        });
        const written = await snapshot(viaWrite);
        expect(written.stats).toMatchObject({ entities: 7, events: 2, facts: 6 });
        expect(written.byEventId.map((e) => e?.participants.length)).toEqual([3, 3]);
        expect(written.hits.map((h) => h.id)).toEqual(['ent:z']);
        expect(await snapshot(viaPlain)).toEqual(written);
        // Both are stores writeBatch can go on with: the same input again changes nothing.
        for (const s of [viaWrite, viaPlain]) {
          const again = await s.writeBatch(input);
          expect([again.nodes.unchanged, again.events.unchanged, again.facts.unchanged]).toEqual([7, 2, 6]);
        }
      } finally {
        for (const s of [viaWrite, viaPlain]) {
          await s.deleteNamespace();
          await s.close();
        }
      }
    });
  });
}
