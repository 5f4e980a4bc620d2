/**
 * The adapter's transaction code against a fake driver transaction: a tiny in-memory stand-in that
 * gives each registered statement its intended effect (it executes no Cypher; the linter checks
 * the Cypher, the contract suite checks both against a real server). What this pins: which
 * statements a write sends in which order, lock order, chunking by batchSize, integer parameters,
 * exact counts across repeated writes, and the bounded breadth-first neighbourhood.
 */
import neo4j from 'neo4j-driver';
import { describe, expect, it } from 'vitest';
import { ALL_CYPHER } from '../../../graph/neo4j/cypher/index.ts';
import { NEIGHBORHOOD_HOP, START_VISIBLE } from '../../../graph/neo4j/cypher/fact-reads.ts';
import { EVENTS_BY_IDS, PARTICIPANTS } from '../../../graph/neo4j/cypher/event-reads.ts';
import { NODES_BY_IDS } from '../../../graph/neo4j/cypher/node-reads.ts';
import {
  ENSURE_THINGS, LOCK_AND_READ, WRITE_CHUNKS, WRITE_EVENTS, WRITE_FACTS, WRITE_NODES,
} from '../../../graph/neo4j/cypher/writes.ts';
import { neighborhood } from '../../../graph/neo4j/fact-reads.ts';
import { bind, chunks, type Row, type Scope } from '../../../graph/neo4j/runner.ts';
import { prepareBatch, WriteClock } from '../../../graph/neo4j/write-plan.ts';
import { rejectId, writePrepared } from '../../../graph/neo4j/writes.ts';
import { statement } from '../../../graph/neo4j/cypher/statement.ts';
import type { ChunkInput, GraphBatch } from '../../../schema/graph.ts';
import { batch, fact, HOUR, merged, node, SRC, T0, transfer } from '../../contract/graph-fixtures.ts';

interface Thing { labels: Set<string>; props: Row }
interface Rel { type: string; subject: string; object: string; props: Row }

/** Rows as the driver returns them, plus the one counter the writer reads. */
function result(records: Row[], relationshipsCreated = 0) {
  return {
    records: records.map((r) => ({ toObject: () => r })),
    summary: { counters: { updates: () => ({ nodesCreated: 0, relationshipsCreated, propertiesSet: 0 }) } },
  };
}

class FakeGraph {
  readonly things = new Map<string, Thing>();
  readonly rels = new Map<string, Rel>();
  readonly calls: { name: string; params: Row }[] = [];

  scope(): Scope {
    const run = async (cypher: string, params: Row) => this.#run(cypher, params);
    return { tx: { run } as unknown as Scope['tx'], ns: 'test' };
  }

  #thing(id: string): Thing {
    let t = this.things.get(id);
    if (!t) this.things.set(id, (t = { labels: new Set(['Thing']), props: { id, name: id } }));
    return t;
  }

  #run(cypher: string, params: Row) {
    const s = ALL_CYPHER.find((x) => x.cypher === cypher);
    if (!s) throw new Error(`unregistered Cypher: ${cypher.slice(0, 60)}`);
    expect(params.ns).toBe('test');
    this.calls.push({ name: s.name, params });
    const rows = (params.rows ?? []) as Row[];
    const ids = (params.ids ?? []) as string[];
    switch (s) {
      case LOCK_AND_READ:
        return result(ids.map((id) => {
          const t = this.#thing(id);
          return { id, node: t.labels.has('Entity') ? t.props : null, eventAttrs: t.labels.has('Event') ? t.props.attrs : null };
        }));
      case ENSURE_THINGS:
        ids.forEach((id) => this.#thing(id));
        return result([]);
      case WRITE_NODES:
      case WRITE_EVENTS:
        for (const row of rows) {
          const t = this.things.get(row.id as string)!;
          t.labels.add(s === WRITE_NODES ? 'Entity' : 'Event');
          Object.assign(t.props, row.props);
        }
        return result([]);
      case WRITE_CHUNKS: {
        // Only ids that are not a chunk yet become one (first write wins); the count is returned.
        const fresh = rows.filter((row) => !this.#thing(row.id as string).labels.has('Chunk'));
        for (const row of fresh) {
          const t = this.things.get(row.id as string)!;
          t.labels.add('Chunk');
          Object.assign(t.props, row.props);
        }
        return result([{ added: fresh.length }]);
      }
      case WRITE_FACTS: {
        let created = 0;
        for (const row of rows) {
          expect(this.things.has(row.subject as string) && this.things.has(row.object as string)).toBe(true);
          if (this.rels.has(row.id as string)) continue;
          this.rels.set(row.id as string, { type: row.type as string, subject: row.subject as string, object: row.object as string, props: row.props as Row });
          created++;
        }
        return result([], created);
      }
      case START_VISIBLE:
        return result([{ visible: this.things.get(params.id as string)?.labels.has('Entity') ?? false }]);
      case NEIGHBORHOOD_HOP: {
        const frontier = params.frontier as string[];
        const out = frontier.flatMap((id, i) => [...this.rels.entries()]
          .filter(([, r]) => r.subject === id || r.object === id)
          .sort(([a, x], [b, y]) => Number(y.props.recordedAt) - Number(x.props.recordedAt) || (a < b ? -1 : 1))
          .map(([factId, r]) => ({ i, fact: { ...r.props, factId, type: r.type, subject: r.subject, object: r.object } })));
        return result(out.slice(0, Number(params.limit)));
      }
      case NODES_BY_IDS:
        return result(ids.filter((id) => this.things.get(id)?.labels.has('Entity')).map((id) => ({ node: this.things.get(id)!.props })));
      case EVENTS_BY_IDS:
      case PARTICIPANTS:
        return result([]);
      default:
        throw new Error(`the fake does not simulate "${s.name}"`);
    }
  }

  write(b: GraphBatch, batchSize = 2000) {
    return writePrepared(this.scope(), prepareBatch(b), batchSize, new WriteClock());
  }
}

const counts = (added: number, updated: number, unchanged: number) => ({ added, updated, unchanged });

describe('writePrepared', () => {
  it('locks, writes nodes and events, ensures fact ends, then merges facts — and counts exactly', async () => {
    const graph = new FakeGraph();
    const b = merged(transfer(1, 'acct:a', 'acct:b', 'tok:x', T0), batch({ facts: [fact('acct:a', 'HOLDS', 'tok:later')] }));
    expect(await graph.write(b)).toEqual({
      nodes: counts(3, 0, 0), events: counts(1, 0, 0), facts: counts(4, 0, 0), chunks: counts(0, 0, 0),
    });
    expect(graph.calls.map((c) => c.name)).toEqual([
      'lock and read batch nodes', 'write nodes', 'write events', 'ensure fact ends exist', 'write facts',
    ]);
    expect(graph.calls[3]!.params.ids).toEqual(['tok:later']);
    graph.calls.length = 0;
    expect(await graph.write(b)).toEqual({
      nodes: counts(0, 0, 3), events: counts(0, 0, 1), facts: counts(0, 0, 4), chunks: counts(0, 0, 0),
    });
    // Nothing changed, so nothing but the lock, the ends and the fact MERGE is sent.
    expect(graph.calls.map((c) => c.name)).toEqual(['lock and read batch nodes', 'ensure fact ends exist', 'write facts']);
    expect((await graph.write(batch({ nodes: [node('acct:a', { kind: 'Token' })] }))).nodes).toEqual(counts(0, 1, 0));
    expect((await graph.write(batch({ nodes: [node('tok:later', { kind: 'Token' })] }))).nodes).toEqual(counts(1, 0, 0));
  });

  it('writes chunks before facts, so a MENTIONED_IN end needs no placeholder, and counts them exactly', async () => {
    const graph = new FakeGraph();
    const chunk = (id: string, over: Partial<ChunkInput> = {}): ChunkInput => ({
      id, sourceId: SRC, documentId: 'doc:1', index: 0, text: `text of ${id}`, span: { start: 0, end: 10 }, tokens: 3,
      publishedAt: null, recordedAt: T0, ...over,
    });
    const b = batch({
      nodes: [node('acct:a')],
      facts: [fact('acct:a', 'MENTIONED_IN', 'chunk:2'), fact('acct:a', 'MENTIONED_IN', 'chunk:1')],
      chunks: [chunk('chunk:2'), chunk('chunk:1'), chunk('chunk:2', { documentId: 'doc:other' })],
    });
    expect((await graph.write(b, 1)).chunks).toEqual(counts(2, 0, 1));
    expect(graph.calls.map((c) => c.name)).toEqual([
      'lock and read batch nodes', 'write nodes', 'write chunks', 'write chunks', 'write facts', 'write facts',
    ]);
    const sent = graph.calls.filter((c) => c.name === 'write chunks').flatMap((c) => c.params.rows as Row[]);
    expect(sent.map((r) => r.id)).toEqual(['chunk:1', 'chunk:2']);
    expect(sent[1]!.props).toMatchObject({ documentId: 'doc:1', name: 'doc:1#0' });
    expect(neo4j.isInt((sent[0]!.props as Row).spanEnd)).toBe(true);
    graph.calls.length = 0;
    expect((await graph.write(b)).chunks).toEqual(counts(0, 0, 3));
  });

  it('sends sorted ids and rows in statements of at most batchSize rows, times as integers', async () => {
    const graph = new FakeGraph();
    const b = merged(...[5, 3, 1, 4, 2].map((n) => transfer(n, `acct:${n}`, `acct:${n + 1}`, 'tok:x', T0 + n * HOUR)));
    const result = await graph.write(b, 2);
    expect(result.facts).toEqual(counts(15, 0, 0));
    const locks = graph.calls.filter((c) => c.name === 'lock and read batch nodes').flatMap((c) => c.params.ids as string[]);
    expect(locks).toEqual([...locks].sort());
    expect(graph.calls.every((c) => ((c.params.rows ?? c.params.ids) as unknown[]).length <= 2)).toBe(true);
    const factRows = graph.calls.filter((c) => c.name === 'write facts').flatMap((c) => c.params.rows as Row[]);
    const ends = factRows.map((r) => `${r.subject as string} ${r.object as string}`);
    expect(ends).toEqual([...ends].sort());
    const eventRow = graph.calls.find((c) => c.name === 'write events')!.params.rows as Row[];
    expect(neo4j.isInt((eventRow[0]!.props as Row).occurredAt)).toBe(true);
    expect(neo4j.isInt((factRows[0]!.props as Row).recordedAt)).toBe(true);
  });
});

describe('neighborhood', () => {
  it('expands breadth-first, asks each hop for no more rows than it can use, and reports truncation', async () => {
    const graph = new FakeGraph();
    await graph.write(batch({
      nodes: ['a', 'b', 'c', 'd'].map((id) => node(id)),
      facts: [fact('a', 'HOLDS', 'b', { recordedAt: T0 + 1 }), fact('b', 'HOLDS', 'c', { recordedAt: T0 + 2 }), fact('c', 'HOLDS', 'd')],
    }));
    graph.calls.length = 0;
    const all = await neighborhood(graph.scope(), 'a', { depth: 5, limit: 10 }, null);
    expect(all.truncated).toBe(false);
    expect(all.nodes.map((n) => n.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(all.facts.map((f) => `${f.subject}>${f.object}`)).toEqual(['a>b', 'b>c', 'c>d']);
    const hopLimits = graph.calls.filter((c) => c.name === 'neighbourhood hop').map((c) => Number(c.params.limit));
    expect(hopLimits).toEqual([22, 22, 22, 22]);
    const cut = await neighborhood(graph.scope(), 'a', { depth: 5, limit: 2 }, null);
    expect(cut.truncated).toBe(true);
    expect(cut.facts).toHaveLength(2);
    expect(cut.nodes.map((n) => n.id)).toEqual(['a', 'b', 'c']);
    expect(await neighborhood(graph.scope(), 'nobody', { depth: 2, limit: 5 }, null)).toEqual({ nodes: [], events: [], facts: [], truncated: false });
  });
});

describe('bind', () => {
  it('binds $ns and refuses unregistered statements, missing and undeclared parameters', () => {
    expect(bind(ENSURE_THINGS, 'ns1', { ids: [] })).toEqual({ ids: [], ns: 'ns1' });
    expect(() => bind(statement('rogue', 'MATCH (n) DETACH DELETE n'), '', {})).toThrow(/not in ALL_CYPHER/);
    expect(() => bind(ENSURE_THINGS, '', {})).toThrow(/missing \$ids/);
    expect(() => bind(ENSURE_THINGS, '', { ids: [], asOf: null })).toThrow(/undeclared \$asOf/);
  });

  it('cuts lists into chunks', () => {
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunks([], 3)).toEqual([]);
  });
});

describe('rejectId', () => {
  it('is the same for the same record failing the same way, and differs otherwise', () => {
    const r = { sourceId: 'src:a', file: 'f.csv', line: 3, code: 'BAD', reason: 'bad', raw: null, severity: 'error' as const, recordedAt: T0 };
    expect(rejectId({ ...r, recordedAt: T0 + HOUR, raw: 'x' })).toBe(rejectId(r));
    expect(rejectId({ ...r, reason: 'worse' })).not.toBe(rejectId(r));
    expect(rejectId({ ...r, sourceId: null })).toBe(rejectId({ ...r, sourceId: '' }));
    expect(rejectId({ ...r, line: null })).not.toBe(rejectId(r));
  });
});
