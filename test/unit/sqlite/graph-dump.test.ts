/** The SQLite GraphDump: every row in write order across pages, undescribed ends, one snapshot. */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DumpPages } from '../../../graph/graph-dump.ts';
import { openSqliteGraphDump, sqliteGraphDump } from '../../../graph/sqlite/sqlite-graph-dump.ts';
import { SqliteGraphStore } from '../../../graph/sqlite/sqlite-graph-store.ts';
import { FileUnreadableError } from '../../../schema/errors.ts';
import { batch, chunk, event, fact, mention, node, participant, T0 } from '../../contract/graph-fixtures.ts';
import { useTempFiles } from '../../fixtures/temp-files.ts';

async function collect<T>(pages: DumpPages<T>): Promise<{ rows: T[]; sizes: number[] }> {
  const rows: T[] = [];
  const sizes: number[] = [];
  for await (const page of pages) {
    rows.push(...page);
    sizes.push(page.length);
  }
  return { rows, sizes };
}

describe('sqliteGraphDump', () => {
  const tmp = useTempFiles('mkg-dump-');

  async function filled(path: string): Promise<SqliteGraphStore> {
    const store = SqliteGraphStore.open(path);
    await store.writeBatch(batch({
      nodes: [node('c', { namePriority: 2, aliases: ['C'] }), node('a'), node('b', { kind: 'Token' })],
      events: [event('evt:1'), event('evt:2', { type: 'Incident' })],
      chunks: [chunk('chunk:1', 'text', { sourceId: 'src:never' }), chunk('chunk:2', 'more')],
      facts: [
        participant('evt:1', 'from', 'a'), participant('evt:1', 'to', 'ghost:1'), fact('ghost:2', 'HOLDS', 'b'),
        fact('ghost:1', 'RELATED_TO', 'ghost:0'), mention('a', 'chunk:1'), fact('b', 'HOLDS', 'evt:missing'),
      ],
    }));
    await store.upsertSource({ id: 'src:test:a', uri: 'file:///a', kind: 'k', contentHash: 'h', version: 'v', recordedAt: T0, records: 1, rejected: 0 });
    await store.addRejects([
      { sourceId: null, file: 'f', line: 2, code: 'X', reason: 'r2', raw: null, severity: 'error', recordedAt: T0 + 5 },
      { sourceId: null, file: 'f', line: 1, code: 'X', reason: 'r1', raw: null, severity: 'warning', recordedAt: T0 },
    ]);
    await store.retract(['b', 'evt:2', 'chunk:2', participant('evt:1', 'from', 'a').id], T0 + 10);
    return store;
  }

  it('reads every row, retracted or not, in write order and pages of the given size', async () => {
    const store = await filled(tmp.path('all.db'));
    const dump = sqliteGraphDump(store, { pageSize: 2 });
    try {
      const nodes = await collect(dump.nodes());
      expect(nodes.rows.map((n) => n.id)).toEqual(['c', 'a', 'b']);
      expect(nodes.sizes).toEqual([2, 1]);
      expect(nodes.rows[0]).toMatchObject({ namePriority: 2, aliases: ['C'], sourceId: 'src:test:a', retractedAt: null });
      expect(nodes.rows[2]).toMatchObject({ kind: 'Token', retractedAt: T0 + 10 });
      const events = (await collect(dump.events())).rows;
      expect(events.map((e) => [e.id, e.retractedAt])).toEqual([['evt:1', null], ['evt:2', T0 + 10]]);
      expect(events[0]).not.toHaveProperty('participants');
      expect((await collect(dump.chunks())).rows.map((c) => [c.id, c.retractedAt])).toEqual([['chunk:1', null], ['chunk:2', T0 + 10]]);
      const facts = (await collect(dump.facts())).rows;
      expect(facts.map((f) => [f.subject, f.object])).toEqual([
        ['evt:1', 'a'], ['evt:1', 'ghost:1'], ['ghost:2', 'b'], ['ghost:1', 'ghost:0'], ['a', 'chunk:1'], ['b', 'evt:missing'],
      ]);
      expect(facts[0]!.retractedAt).toBe(T0 + 10);
      expect((await collect(dump.sources())).rows.map((s) => s.id)).toEqual(['src:test:a']);
      expect((await collect(dump.rejects())).rows.map((r) => r.reason)).toEqual(['r2', 'r1']);
      expect(dump.description).toBe(`SQLite file ${tmp.path('all.db')}`);
    } finally {
      await dump.close();
      await store.close();
    }
  });

  it('names each fact end that no row describes once, and each chunk source without a record', async () => {
    const store = await filled(tmp.path('ends.db'));
    const dump = sqliteGraphDump(store, { pageSize: 1 });
    try {
      // ghost:1 is an object and a subject; subjects come first, then the objects that are no subject.
      expect((await collect(dump.undescribedFactEnds())).rows).toEqual(['ghost:1', 'ghost:2', 'evt:missing', 'ghost:0']);
      expect((await collect(dump.undescribedChunkSources())).rows).toEqual(['src:never']);
    } finally {
      await dump.close();
      await store.close();
    }
  });

  it('reads one snapshot: rows another connection writes meanwhile are not in it', async () => {
    const path = tmp.path('snapshot.db');
    const store = await filled(path);
    const other = SqliteGraphStore.open(path);
    const dump = sqliteGraphDump(store, { pageSize: 1 });
    try {
      const pages = dump.nodes()[Symbol.asyncIterator]();
      expect((await pages.next()).value).toHaveLength(1);
      await other.writeBatch(batch({ nodes: [node('late')], facts: [fact('late', 'HOLDS', 'a')] }));
      const rest = [];
      for (let r = await pages.next(); !r.done; r = await pages.next()) rest.push(...r.value);
      expect(rest.map((n) => n.id)).toEqual(['a', 'b']);
      expect((await collect(dump.facts())).rows).toHaveLength(6);
    } finally {
      await dump.close();
    }
    // The snapshot ended with close(): the store's own connection writes and sees again.
    await store.writeBatch(batch({ nodes: [node('after')] }));
    expect((await store.stats()).entities).toBe(4); // c, a, late, after (b is retracted)
    await other.close();
    await store.close();
  });

  it('refuses a file that does not exist instead of creating an empty store', () => {
    const missing = tmp.path('missing.db');
    expect(() => openSqliteGraphDump(missing)).toThrow(FileUnreadableError);
    expect(existsSync(missing)).toBe(false);
  });
});
