/** The pure half of a Neo4j batch write: validation, merging, counting and the rows sent. */
import neo4j from 'neo4j-driver';
import { describe, expect, it } from 'vitest';
import {
  endIds, isEmptyBatch, lockIds, nodeProps, planChunks, planEvents, planFacts, planNodes, prepareBatch, storedNodeState,
  WriteClock,
} from '../../../graph/neo4j/write-plan.ts';
import { nodeStateOf } from '../../../graph/node-merge.ts';
import { InvalidArgumentError } from '../../../schema/errors.ts';
import { NamePriority, type WriteCounts } from '../../../schema/graph.ts';
import { batch, event, fact, node, participant, T0 } from '../../contract/graph-fixtures.ts';

const zero = (): WriteCounts => ({ added: 0, updated: 0, unchanged: 0 });

describe('prepareBatch', () => {
  it('merges nodes with one id in first-seen order', () => {
    const prepared = prepareBatch(batch({
      nodes: [node('b'), node('a', { name: 'x' }), node('b', { kind: 'Token', aliases: ['B'] })],
    }));
    expect([...prepared.nodes.keys()]).toEqual(['b', 'a']);
    expect(prepared.nodes.get('b')).toMatchObject({ kind: 'Token', aliases: ['B'] });
  });

  it('refuses kinds, types and roles outside the ontology, and misplaced evt: ids', () => {
    expect(() => prepareBatch(batch({ nodes: [node('a', { kind: 'Planet' as never })] }))).toThrow(InvalidArgumentError);
    expect(() => prepareBatch(batch({ events: [event('evt:1', { type: 'Party' as never })] }))).toThrow(/unknown type/);
    expect(() => prepareBatch(batch({ facts: [fact('a', 'LIKES' as never, 'b')] }))).toThrow(/unknown type "LIKES"/);
    expect(() => prepareBatch(batch({ facts: [fact('a', 'HOLDS', 'b', { role: 'boss' as never })] }))).toThrow(/unknown role/);
    expect(() => prepareBatch(batch({ events: [event('e1')] }))).toThrow(/event ids start with "evt:"/);
    expect(() => prepareBatch(batch({ nodes: [node('evt:x')] }))).toThrow(/reserved for event ids/);
  });

  it('refuses chunk ids without the chunk: prefix and node ids with it', () => {
    const chunk = { sourceId: 's', documentId: 'd', index: 0, text: 't', span: { start: 0, end: 1 }, tokens: 1, publishedAt: null, recordedAt: T0 };
    expect(() => prepareBatch(batch({ chunks: [{ id: 'c1', ...chunk }] }))).toThrow(/chunk ids start with "chunk:"/);
    expect(() => prepareBatch(batch({ nodes: [node('chunk:x')] }))).toThrow(/reserved for chunk ids/);
    const prepared = prepareBatch(batch({ chunks: [{ id: 'chunk:b', ...chunk }] }));
    expect(isEmptyBatch(prepared)).toBe(false);
    expect(isEmptyBatch(prepareBatch(batch({})))).toBe(true);
  });

  it('keeps the first of repeated chunk ids, sorted by id, with integer properties', () => {
    const chunk = (id: string, documentId: string) => ({
      id, sourceId: 's', documentId, index: 2, text: 't', span: { start: 5, end: 9 }, tokens: 1, publishedAt: null, recordedAt: T0,
    });
    const { rows, repeated } = planChunks([chunk('chunk:b', 'd1'), chunk('chunk:a', 'd1'), chunk('chunk:b', 'd2')]);
    expect(rows.map((r) => [r.id, r.props.documentId])).toEqual([['chunk:a', 'd1'], ['chunk:b', 'd1']]);
    expect(repeated).toBe(1);
    expect(neo4j.isInt(rows[0]!.props.index)).toBe(true);
    expect(rows[0]!.props).toMatchObject({ name: 'd1#2', publishedAt: null });
  });
});

describe('lock order and fact ends', () => {
  it('locks described ids sorted and leaves only the other fact ends to ensure', () => {
    const prepared = prepareBatch(batch({
      nodes: [node('n:b'), node('n:a')],
      events: [event('evt:2'), event('evt:1'), event('evt:2')],
      facts: [participant('evt:1', 'from', 'n:z'), fact('n:a', 'HOLDS', 'n:c'), fact('n:y', 'HOLDS', 'n:a')],
    }));
    const locked = lockIds(prepared);
    expect(locked).toEqual(['evt:1', 'evt:2', 'n:a', 'n:b']);
    expect(endIds(prepared, new Set(locked))).toEqual(['n:c', 'n:y', 'n:z']);
  });
});

describe('planNodes', () => {
  it('adds new nodes, updates changed ones and skips unchanged ones', () => {
    const stored = new Map([
      ['same', nodeStateOf(node('same', { name: 'Same' }))],
      ['renamed', nodeStateOf(node('renamed', { name: '0xabc' }))],
    ]);
    const incoming = prepareBatch(batch({
      nodes: [
        node('same', { name: 'Other name, same priority' }),
        node('renamed', { name: 'Tornado Cash', namePriority: NamePriority.curated }),
        node('new'),
      ],
    })).nodes;
    const counts = zero();
    const rows = planNodes(incoming, stored, counts);
    expect(counts).toEqual({ added: 1, updated: 1, unchanged: 1 });
    expect(rows.map((r) => r.id)).toEqual(['renamed', 'new']);
    expect(rows[0]!.props).toMatchObject({ name: 'Tornado Cash', aliases: ['0xabc'], nameTerms: 'tornado cash', aliasTerms: '0xabc', searchKey: 'tornado cash\n0xabc' });
  });

  it('stores times and priorities as integers, attrs as JSON text, and reads them back', () => {
    const state = nodeStateOf(node('a', { validFrom: T0, attrs: { k: [1] }, aliases: ['x'] }));
    const props = nodeProps(state);
    expect(neo4j.isInt(props.recordedAt)).toBe(true);
    expect(neo4j.isInt(props.namePriority)).toBe(true);
    expect(props.attrs).toBe('{"k":[1]}');
    expect(storedNodeState('a', props)).toEqual(state);
    expect(nodeProps({ ...state, validFrom: null }).validFrom).toBeNull();
  });
});

describe('planEvents', () => {
  it('writes a new event in full and a stored one only when its attrs change, never with another type', () => {
    const counts = zero();
    const rows = planEvents(
      [
        event('evt:new', { summary: 'S', attrs: { a: 1 } }), event('evt:old', { attrs: { a: 1 } }),
        event('evt:grows', { type: 'Swap', attrs: { b: 2 } }),
      ],
      new Map([['evt:old', '{"a":1}'], ['evt:grows', '{"a":1}']]),
      counts,
    );
    expect(counts).toEqual({ added: 1, updated: 1, unchanged: 1 });
    expect(rows).toEqual([
      expect.objectContaining({ id: 'evt:new', type: 'Transfer', props: expect.objectContaining({ name: 'S', summary: 'S', attrs: '{"a":1}' }) }),
      { id: 'evt:grows', type: null, props: { attrs: '{"a":1,"b":2}' } },
    ]);
  });

  it('counts a repeated row as unchanged, or updated when it brings new attrs', () => {
    const counts = zero();
    const rows = planEvents([event('evt:1'), event('evt:1'), event('evt:1', { attrs: { x: 1 } })], new Map(), counts);
    expect(counts).toEqual({ added: 1, updated: 1, unchanged: 1 });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.props.attrs).toBe('{"x":1}');
  });
});

describe('planFacts', () => {
  it('keeps the first of each fact id, numbers them in input order and sorts them by ends', () => {
    const f1 = fact('b', 'HOLDS', 'a', { confidence: 0.5 });
    const f2 = fact('a', 'HOLDS', 'c');
    const f3 = fact('a', 'HOLDS', 'b');
    const { rows, repeated } = planFacts([f1, f2, { ...f1, confidence: 0.9 }, f3], 1000);
    expect(repeated).toBe(1);
    expect(rows.map((r) => [r.subject, r.object])).toEqual([['a', 'b'], ['a', 'c'], ['b', 'a']]);
    expect(rows.find((r) => r.id === f1.id)?.props).toMatchObject({ confidence: 0.5 });
    const seq = (id: string) => Number(rows.find((r) => r.id === id)!.props.seq);
    expect([seq(f1.id), seq(f2.id), seq(f3.id)]).toEqual([1000, 1001, 1002]);
  });
});

describe('WriteClock', () => {
  it('never hands out a number twice, even within one millisecond', () => {
    const clock = new WriteClock();
    const a = clock.take(3);
    const b = clock.take(0);
    const c = clock.take(2);
    expect(b).toBeGreaterThanOrEqual(a + 3);
    expect(c).toBeGreaterThan(b);
    expect(Number.isSafeInteger(c)).toBe(true);
    expect(a).toBeGreaterThanOrEqual(T0 * 1000);
  });
});
