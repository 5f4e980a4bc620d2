/**
 * Document chunks and the schema counts: chunks are written with their batch (first write of an id
 * wins), are visible from their `recordedAt` until retracted, carry `MENTIONED_IN` facts only while
 * visible, and are found by full-text search of their own; `predicateCounts` and `countFactsInto`
 * count visible facts only.
 */
import { expect, it } from 'vitest';
import { InvalidArgumentError, MarketGraphError } from '../../schema/errors.ts';
import type { ChunkRecord, SourceRecord, WriteCounts } from '../../schema/graph.ts';
import type { RelType } from '../../schema/ontology.ts';
import type { GraphContractContext } from './graph-store.contract.ts';
import { batch, chunk, event, fact, HOUR, mention, node, SRC, SRC_B, T0 } from './graph-fixtures.ts';
import { HOSTILE } from './graph-store-search.contract.ts';

const at = (h: number) => T0 + h * HOUR;
const counts = (added: number, updated: number, unchanged: number): WriteCounts => ({ added, updated, unchanged });
const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const stored = (c: ReturnType<typeof chunk>, retractedAt: number | null = null): ChunkRecord => ({ ...c, retractedAt });

const C1 = chunk('chunk:c1', 'The Euler Finance exploit drained lending pools on March 13.', { index: 0 });
const C2 = chunk('chunk:c2', 'Euler governance later voted on a recovery proposal.', { index: 1, span: { start: 61, end: 113 } });

export function chunksContract(ctx: GraphContractContext): void {
  it('writes chunks with their MENTIONED_IN facts, and a re-write changes nothing', async () => {
    const store = ctx.store();
    const b = batch({
      nodes: [node('proto:euler', { kind: 'Protocol', name: 'Euler Finance' })],
      events: [event('evt:euler-hack', { type: 'Incident', summary: 'Euler Finance exploit' })],
      chunks: [C1, C2],
      facts: [mention('proto:euler', C1.id), mention('evt:euler-hack', C1.id), mention('proto:euler', C2.id)],
    });
    const first = await store.writeBatch(b);
    expect([first.chunks, first.facts]).toEqual([counts(2, 0, 0), counts(3, 0, 0)]);
    const again = await store.writeBatch(b);
    expect([again.chunks, again.facts]).toEqual([counts(0, 0, 2), counts(0, 0, 3)]);
    const got = await store.getChunks([C2.id, C1.id, 'chunk:unknown', 'proto:euler', 'evt:euler-hack']);
    expect(got.sort(byId)).toEqual([stored(C1), stored(C2)]);
    const mentions = await store.factsOf('proto:euler', { types: ['MENTIONED_IN'] });
    expect(mentions.map((f) => f.object).sort()).toEqual([C1.id, C2.id]);
    expect(mentions[0]).toMatchObject({ type: 'MENTIONED_IN', predicate: 'mentioned in' });
    expect((await store.factsOf(C1.id)).map((f) => f.subject).sort()).toEqual(['evt:euler-hack', 'proto:euler']);
    expect(await store.getChunks([])).toEqual([]);
  });

  it('keeps the first write of a chunk id: the same passage in another document changes nothing', async () => {
    const store = ctx.store();
    expect((await store.writeBatch(batch({ chunks: [C1] }))).chunks).toEqual(counts(1, 0, 0));
    const elsewhere = { ...C1, sourceId: SRC_B, documentId: 'doc:b', index: 7, span: { start: 500, end: 560 }, recordedAt: at(3) };
    expect((await store.writeBatch(batch({ chunks: [elsewhere] }))).chunks).toEqual(counts(0, 0, 1));
    // Within one batch too: the first input of an id is written, the others count as unchanged.
    expect((await store.writeBatch(batch({ chunks: [C2, { ...C2, documentId: 'doc:b' }] }))).chunks).toEqual(counts(1, 0, 1));
    expect((await store.getChunks([C1.id, C2.id])).sort(byId)).toEqual([stored(C1), stored(C2)]);
  });

  it('refuses chunk ids without the chunk: prefix and node ids with it, writing nothing', async () => {
    const store = ctx.store();
    const bad = store.writeBatch(batch({ nodes: [node('a')], chunks: [{ ...C1, id: 'c1' }] }));
    await expect(bad).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(store.writeBatch(batch({ nodes: [node('chunk:not-a-node')] }))).rejects.toBeInstanceOf(MarketGraphError);
    expect(await store.getNode('a')).toBeNull();
    expect(await store.exists(['a', 'c1', 'chunk:not-a-node'])).toEqual(new Set());
  });

  it('shows a chunk from its recordedAt on, and its MENTIONED_IN facts only while it is visible', async () => {
    const store = ctx.store();
    const late = { ...C1, recordedAt: at(5) };
    await store.writeBatch(batch({ nodes: [node('a')], chunks: [late], facts: [mention('a', late.id)] }));
    expect(await store.getChunks([late.id], { asOf: at(4) })).toEqual([]);
    expect(await store.getChunks([late.id], { asOf: at(5) })).toEqual([stored(late)]);
    expect(await store.getChunks([late.id])).toEqual([stored(late)]);
    expect(await store.factsOf('a', { asOf: at(4) })).toEqual([]);
    expect((await store.factsOf('a', { asOf: at(5) })).map((f) => f.object)).toEqual([late.id]);
    expect((await store.stats({ asOf: at(4) })).facts).toBe(0);
    expect((await store.stats({ asOf: at(5) })).facts).toBe(1);
    expect((await store.neighborhood('a', { depth: 2, limit: 10, asOf: at(4) })).facts).toEqual([]);
    expect((await store.neighborhood('a', { depth: 2, limit: 10, asOf: at(5) })).facts).toHaveLength(1);
  });

  it('shows a fact written before its chunk once the chunk is written', async () => {
    const store = ctx.store();
    await store.writeBatch(batch({ nodes: [node('a')], facts: [mention('a', C1.id)] }));
    expect(await store.factsOf('a')).toEqual([]);
    expect(await store.exists([C1.id])).toEqual(new Set());
    expect((await store.writeBatch(batch({ chunks: [C1] }))).chunks).toEqual(counts(1, 0, 0));
    expect((await store.factsOf('a')).map((f) => f.object)).toEqual([C1.id]);
    expect(await store.getChunks([C1.id])).toEqual([stored(C1)]);
  });

  it('exists names stored chunks, retracted or not, and nothing a fact merely names', async (t) => {
    const store = ctx.store();
    const f = mention('a', 'chunk:named-only');
    await store.writeBatch(batch({ nodes: [node('a')], chunks: [C1, { ...C2, recordedAt: at(9) }], facts: [f] }));
    const asked = [C1.id, C2.id, 'chunk:named-only', 'chunk:never', f.id, 'a'];
    const all = new Set([C1.id, C2.id, 'a']);
    expect(await store.exists(asked)).toEqual(all);
    const retract = ctx.hooks.retract;
    if (!retract) return t.skip();
    await retract(store, [C1.id], at(1));
    expect(await store.exists(asked)).toEqual(all);
  });

  it('hides a retracted chunk and its mentions from the retraction on', async (t) => {
    const retract = ctx.hooks.retract;
    if (!retract) return t.skip();
    const store = ctx.store();
    await store.writeBatch(batch({ nodes: [node('a')], chunks: [C1], facts: [mention('a', C1.id)] }));
    await retract(store, [C1.id], at(3));
    expect(await store.getChunks([C1.id], { asOf: at(2) })).toEqual([stored(C1, at(3))]);
    expect(await store.getChunks([C1.id], { asOf: at(3) })).toEqual([]);
    expect(await store.getChunks([C1.id])).toEqual([]);
    expect(await store.factsOf('a', { asOf: at(2) })).toHaveLength(1);
    expect(await store.factsOf('a')).toEqual([]);
    expect(await store.searchChunks('euler', { first: 5 })).toEqual([]);
    expect((await store.searchChunks('euler', { first: 5, asOf: at(2) })).map((h) => h.chunk.id)).toEqual([C1.id]);
  });

  it('lists a source a chunk names only once it is upserted', async () => {
    const store = ctx.store();
    await store.writeBatch(batch({ chunks: [{ ...C1, sourceId: 'src:doc:only-chunk' }] }));
    expect(await store.listSources()).toEqual([]);
    expect((await store.stats()).sources).toBe(0);
    const source: SourceRecord = {
      id: 'src:doc:only-chunk', uri: 'file:///docs/euler.md', kind: 'markdown', contentHash: 'sha256:cc', version: 'r1',
      recordedAt: T0, records: 1, rejected: 0, factDigest: null,
    };
    await store.upsertSource(source);
    expect(await store.listSources()).toEqual([source]);
    expect((await store.stats()).sources).toBe(1);
  });

  const seedText = async () => {
    const filler = ['Token prices', 'Bridge volumes', 'Validator rewards', 'Stablecoin supply', 'Gas fees', 'DAO treasury']
      .map((topic, i) => chunk(`chunk:filler${i}`, `${topic} changed little during the quarter.`, { index: 10 + i }));
    await ctx.store().writeBatch(batch({
      nodes: [node('proto:euler', { kind: 'Protocol', name: 'Euler Finance' })],
      chunks: [
        C1, C2, ...filler,
        chunk('chunk:exploits', 'Exploit after exploit: the exploit wave hit lending.', { index: 2 }),
        chunk('chunk:late', 'A later exploit report about Euler.', { index: 3, recordedAt: at(5) }),
        chunk('chunk:zurich', 'Börse Zürich listed the token.', { index: 4 }),
      ],
    }));
  };

  it('searches chunk text: every word required, the last as a prefix, best BM25 match first', async () => {
    await seedText();
    const store = ctx.store();
    const ids = async (text: string, asOf?: number) =>
      (await store.searchChunks(text, asOf === undefined ? { first: 10 } : { first: 10, asOf })).map((h) => h.chunk.id);
    const hits = await store.searchChunks('exploit', { first: 10 });
    expect(hits[0]!.chunk.id).toBe('chunk:exploits');
    expect(new Set(hits.map((h) => h.chunk.id))).toEqual(new Set(['chunk:exploits', C1.id, 'chunk:late']));
    expect(hits[0]!.score).toBeGreaterThan(0);
    for (let i = 1; i < hits.length; i++) expect(hits[i - 1]!.score).toBeGreaterThanOrEqual(hits[i]!.score);
    expect(hits.find((h) => h.chunk.id === C1.id)?.chunk).toEqual(stored(C1));
    expect((await ids('euler exploit')).sort()).toEqual([C1.id, 'chunk:late']);
    expect(await ids('euler exploit', at(4))).toEqual([C1.id]);
    expect(await ids('EULER gov')).toEqual([C2.id]);
    expect(await ids('zurich borse')).toEqual(['chunk:zurich']);
    expect(await ids('recovery proposal', at(0))).toEqual([C2.id]);
    expect(await ids('nothing-like-this')).toEqual([]);
  });

  it('keeps chunk text out of entity search, and entity names out of chunk search', async () => {
    await seedText();
    expect(await ctx.store().search('drained', { first: 5 })).toEqual([]);
    expect((await ctx.store().search('euler', { first: 5 })).map((h) => h.id)).toEqual(['proto:euler']);
    expect(await ctx.store().searchChunks('finance euler', { first: 5 })).toHaveLength(1);
  });

  it('never raises on hostile chunk search text, and honours first', async () => {
    await seedText();
    const store = ctx.store();
    for (const text of HOSTILE) expect(Array.isArray(await store.searchChunks(text, { first: 5 })), text).toBe(true);
    expect(await store.searchChunks('exploit', { first: 1 })).toHaveLength(1);
    expect(await store.searchChunks('exploit', { first: 0 })).toEqual([]);
    await expect(store.searchChunks('exploit', { first: -1 })).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  const seedFacts = async () => {
    await ctx.store().writeBatch(batch({
      nodes: ['a', 'b', 'c', 'd'].map((id) => node(id)).concat(
        node('concept:x', { kind: 'Concept', name: 'x' }),
        node('concept:y', { kind: 'Concept', name: 'y' }),
      ),
      facts: [
        fact('a', 'HOLDS', 'b', { predicate: 'holds' }),
        fact('a', 'HOLDS', 'c', { predicate: 'holds' }),
        fact('d', 'HOLDS', 'b', { predicate: 'holds' }),
        fact('a', 'HOLDS', 'd', { predicate: 'owns' }),
        fact('a', 'RELATED_TO', 'b', { predicate: 'partnered with' }),
        fact('c', 'RELATED_TO', 'd', { predicate: 'partnered with' }),
        fact('b', 'RELATED_TO', 'c', { predicate: 'holds' }),
        // Never visible: its object was never written.
        fact('a', 'HOLDS', 'ghost', { predicate: 'holds' }),
        fact('a', 'INSTANCE_OF', 'concept:x', { predicate: 'is a' }),
        fact('b', 'INSTANCE_OF', 'concept:x', { predicate: 'is a' }),
        fact('ghost', 'INSTANCE_OF', 'concept:x', { predicate: 'is a' }),
        fact('c', 'INSTANCE_OF', 'concept:y', { predicate: 'is a', recordedAt: at(5) }),
        fact('d', 'HOLDS', 'concept:x', { predicate: 'holds' }),
      ],
    }));
  };
  const row = (type: RelType, predicate: string, count: number) => ({ type, predicate, count });

  it('counts visible facts per (type, predicate), most used first, then type and predicate', async () => {
    await seedFacts();
    const store = ctx.store();
    expect(await store.predicateCounts({ first: 10 })).toEqual([
      row('HOLDS', 'holds', 4), row('INSTANCE_OF', 'is a', 3), row('RELATED_TO', 'partnered with', 2),
      row('HOLDS', 'owns', 1), row('RELATED_TO', 'holds', 1),
    ]);
    expect(await store.predicateCounts({ first: 10, asOf: at(4) })).toEqual([
      row('HOLDS', 'holds', 4), row('INSTANCE_OF', 'is a', 2), row('RELATED_TO', 'partnered with', 2),
      row('HOLDS', 'owns', 1), row('RELATED_TO', 'holds', 1),
    ]);
    expect(await store.predicateCounts({ first: 10, types: ['RELATED_TO', 'INSTANCE_OF'], asOf: at(0) })).toEqual([
      row('INSTANCE_OF', 'is a', 2), row('RELATED_TO', 'partnered with', 2), row('RELATED_TO', 'holds', 1),
    ]);
    expect(await store.predicateCounts({ first: 2 })).toEqual([row('HOLDS', 'holds', 4), row('INSTANCE_OF', 'is a', 3)]);
    expect(await store.predicateCounts({ first: 10, types: [] })).toEqual([]);
    expect(await store.predicateCounts({ first: 0 })).toEqual([]);
    expect(await store.predicateCounts({ first: 10, types: null })).toHaveLength(5);
  });

  it('counts visible facts of one type into each object', async () => {
    await seedFacts();
    const store = ctx.store();
    const into = ['concept:x', 'concept:y', 'concept:z', 'concept:x'];
    expect(await store.countFactsInto(into, 'INSTANCE_OF')).toEqual(new Map([['concept:x', 2], ['concept:y', 1]]));
    expect(await store.countFactsInto(into, 'INSTANCE_OF', { asOf: at(4) })).toEqual(new Map([['concept:x', 2]]));
    expect(await store.countFactsInto(['b', 'concept:x'], 'HOLDS')).toEqual(new Map([['b', 2], ['concept:x', 1]]));
    expect(await store.countFactsInto([], 'INSTANCE_OF')).toEqual(new Map());
    await expect(store.countFactsInto(['b'], 'LIKES' as RelType)).rejects.toBeInstanceOf(InvalidArgumentError);
  });
}
