/**
 * The text and induced-schema fields of the read API end to end: chunks, mentions, concepts,
 * SAME_AS and `schema { concepts predicates }`, through yoga.fetch() against a real SqliteGraphStore
 * on a temp file. The graph is hand-built with a timeline that makes every asOf case tell apart a
 * correct answer from a plausible wrong one.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type Api } from '../../api/index.ts';
import { LIMITS } from '../../api/resolvers-query.ts';
import { SqliteGraphStore } from '../../graph/sqlite/sqlite-graph-store.ts';
import type { FactInput, GraphBatch, SourceRecord } from '../../schema/graph.ts';
import { conceptId, namedEntityId, sourceId } from '../../schema/ids.ts';
import { chunk, event, fact, mention, node } from '../contract/graph-fixtures.ts';
import { tempDir } from '../fixtures/paths.ts';
import { postGraphql, queryData, type GqlResult } from '../fixtures/graphql-client.ts';

// ---------------------------------------------------------------------------------------------
// Timeline.
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const iso = (ms: number) => new Date(ms).toISOString();
const T0 = day('2024-01-01'); // entities and concept nodes
const PUBLISHED_A = day('2024-01-04');
const CHUNK_A_REC = day('2024-01-05'); // chunk A and Uniswap's mention of it
const SRC_REC = day('2024-01-10'); // the notes source itself is recorded after chunk A
const SAME_AS_REC = day('2024-01-15');
const CONCEPTS_REC = day('2024-01-20'); // INSTANCE_OF / BROADER facts
const CURVE_MENTION_A_REC = day('2024-01-25'); // Curve's mention of (already visible) chunk A
const EVENT_REC = day('2024-01-28'); // the text event is known before the chunk B mention
const CHUNK_B_REC = day('2024-02-01'); // chunk B and every mention of it
const RETRACTED_AT = day('2024-02-10'); // the Curve alias SAME_AS is retracted

const SRC_NOTES = sourceId('notes', '/data/notes.jsonl');
const SRC_RESOLVE = 'src:resolve:entities';

const UNISWAP = namedEntityId('Protocol', 'Uniswap');
const UNISWAP_LABS = namedEntityId('Organization', 'Uniswap Labs');
const CURVE = namedEntityId('Protocol', 'Curve');
const CURVE_FINANCE = namedEntityId('Protocol', 'Curve Finance');
const DEX = conceptId('taxonomy', 'dex');
const AMM = conceptId('taxonomy', 'AMM protocol');
const DEFI = conceptId('taxonomy', 'DeFi protocol');
const INCIDENT = conceptId('taxonomy', 'security incident');
const EVT = 'evt:text:curve-drained';

const TEXT_A = 'Uniswap shipped a new AMM version with concentrated liquidity for its pools.';
const TEXT_B = 'Curve pools were drained in an exploit; traders moved volume to Uniswap.';
const chunkIdOf = (text: string) => `chunk:${createHash('sha256').update(text).digest('hex')}`;
const CHUNK_A = chunkIdOf(TEXT_A);
const CHUNK_B = chunkIdOf(TEXT_B);

const notes = { sourceId: SRC_NOTES };
const resolved = { sourceId: SRC_RESOLVE };

const RELATED_A = fact(UNISWAP, 'RELATED_TO', CURVE, { predicate: 'competes with', chunkId: CHUNK_A, recordedAt: CHUNK_A_REC, ...notes });
const RIVALS_A = fact(CURVE, 'RELATED_TO', UNISWAP, { predicate: 'rivals', chunkId: CHUNK_A, recordedAt: CURVE_MENTION_A_REC, ...notes });
const VICTIM_B = fact(EVT, 'PARTICIPANT', CURVE, { role: 'victim', predicate: 'drained', chunkId: CHUNK_B, recordedAt: CHUNK_B_REC, ...notes });
const DUPLICATE_MENTIONS = ['1', '2'].map((v, i) =>
  mention(UNISWAP, CHUNK_B, { extractor: 'llm-extractor', extractorVersion: v, recordedAt: CHUNK_B_REC + (i + 1) * 3_600_000, ...notes }));
const SAME_AS_UNI = fact(UNISWAP_LABS, 'SAME_AS', UNISWAP, {
  predicate: 'same as', confidence: 0.9, recordedAt: SAME_AS_REC, ...resolved,
  attrs: { evidence: { method: 'alias', score: 0.85, names: ['Uniswap Labs', 'Uniswap'] } },
});
const SAME_AS_CURVE = fact(CURVE_FINANCE, 'SAME_AS', CURVE, {
  predicate: 'same as', confidence: 0.85, recordedAt: SAME_AS_REC, ...resolved,
  attrs: { evidence: { method: 'alias', score: 0.85 } },
});

function textBatch(): GraphBatch {
  const at = (recordedAt: number, over: Partial<FactInput> = {}) => ({ recordedAt, ...notes, ...over });
  return {
    nodes: [
      node(UNISWAP, { kind: 'Protocol', name: 'Uniswap', recordedAt: T0, ...notes }),
      node(UNISWAP_LABS, { kind: 'Organization', name: 'Uniswap Labs', recordedAt: T0, ...notes }),
      node(CURVE, { kind: 'Protocol', name: 'Curve', recordedAt: T0, ...notes }),
      node(CURVE_FINANCE, { kind: 'Protocol', name: 'Curve Finance', recordedAt: T0, ...notes }),
      node(DEX, { kind: 'Concept', name: 'DEX', recordedAt: T0, ...notes }),
      node(AMM, { kind: 'Concept', name: 'AMM protocol', recordedAt: T0, ...notes }),
      node(DEFI, { kind: 'Concept', name: 'DeFi protocol', recordedAt: T0, ...notes }),
      node(INCIDENT, { kind: 'Concept', name: 'Security incident', recordedAt: T0, ...notes }),
    ],
    events: [
      event(EVT, {
        type: 'TextEvent', occurredAt: day('2024-01-27'), recordedAt: EVENT_REC, summary: 'Curve pools drained in an exploit', ...notes,
      }),
    ],
    chunks: [
      chunk(CHUNK_A, TEXT_A, {
        ...notes, documentId: 'doc:notes-1', index: 0, span: { start: 0, end: TEXT_A.length }, tokens: 14,
        publishedAt: PUBLISHED_A, recordedAt: CHUNK_A_REC,
      }),
      chunk(CHUNK_B, TEXT_B, {
        ...notes, documentId: 'doc:notes-2', index: 3, span: { start: 120, end: 120 + TEXT_B.length }, tokens: 15,
        publishedAt: null, recordedAt: CHUNK_B_REC,
      }),
    ],
    facts: [
      mention(UNISWAP, CHUNK_A, at(CHUNK_A_REC)),
      mention(CURVE, CHUNK_A, at(CURVE_MENTION_A_REC)),
      mention(UNISWAP, CHUNK_B, at(CHUNK_B_REC)),
      mention(CURVE, CHUNK_B, at(CHUNK_B_REC)),
      mention(EVT, CHUNK_B, at(CHUNK_B_REC)),
      // Two more extractors read chunk B and found Uniswap again: the newest MENTIONED_IN facts of both
      // Uniswap and chunk B are the same (Uniswap, B) pair three times over.
      ...DUPLICATE_MENTIONS,
      RELATED_A,
      RIVALS_A,
      VICTIM_B,
      fact(UNISWAP, 'INSTANCE_OF', DEX, at(CONCEPTS_REC, { predicate: 'instance of' })),
      fact(CURVE, 'INSTANCE_OF', DEX, at(CONCEPTS_REC, { predicate: 'is a' })),
      fact(EVT, 'INSTANCE_OF', INCIDENT, at(CONCEPTS_REC, { predicate: 'instance of' })),
      fact(DEX, 'BROADER', AMM, at(CONCEPTS_REC, { predicate: 'broader' })),
      fact(AMM, 'BROADER', DEFI, at(CONCEPTS_REC, { predicate: 'broader' })),
      SAME_AS_UNI,
      SAME_AS_CURVE,
    ],
  };
}

// ---------------------------------------------------------------------------------------------
let store: SqliteGraphStore;
let yoga: Api;
let cleanup: () => void;

const gql = (query: string, variables?: Record<string, unknown>): Promise<GqlResult> => postGraphql(yoga, query, variables);

const data = (query: string, variables?: Record<string, unknown>): Promise<any> => queryData(yoga, query, variables);

/** A query that must fail with BAD_USER_INPUT (not a masked "Unexpected error."), naming `mentions`. */
async function badInput(query: string, mentions: string, variables?: Record<string, unknown>): Promise<void> {
  const result = await gql(query, variables);
  expect(result.errors?.length, JSON.stringify(result)).toBeGreaterThan(0);
  const e = result.errors![0]!;
  expect(e.extensions?.code, JSON.stringify(e)).toBe('BAD_USER_INPUT');
  expect(e.message).not.toMatch(/Unexpected error/);
  expect(e.message).toContain(mentions);
}

beforeAll(async () => {
  const tmp = tempDir('mkg-text-api-');
  cleanup = tmp.cleanup;
  store = SqliteGraphStore.open(join(tmp.dir, 'graph.db'));
  const source = (id: string, kind: string, recordedAt: number): SourceRecord => ({
    id, uri: `file:///data/${kind}`, kind, contentHash: `hash-${kind}`, version: 'v1', recordedAt, records: 2, rejected: 0,
  });
  await store.upsertSource(source(SRC_NOTES, 'notes', SRC_REC));
  await store.upsertSource(source(SRC_RESOLVE, 'resolve', SAME_AS_REC));
  await store.writeBatch(textBatch());
  expect(await store.retract([SAME_AS_CURVE.id], RETRACTED_AT)).toBe(1);
  yoga = createApi({ graph: store, logger: false });
});

afterAll(async () => {
  await store?.close();
  cleanup?.();
});

const CHUNK_FIELDS = 'id text documentId index span { start end } tokens publishedAt recordedAt source { id recordedAt }';

// ---------------------------------------------------------------------------------------------
describe('chunk lookups', () => {
  it('chunk(id) returns the stored passage with span, tokens, times and source', async () => {
    const d = await data(`query($a: ID!, $b: ID!) { a: chunk(id: $a) { ${CHUNK_FIELDS} } b: chunk(id: $b) { ${CHUNK_FIELDS} } }`,
      { a: ` ${CHUNK_A} `, b: CHUNK_B });
    expect(d.a).toEqual({
      id: CHUNK_A, text: TEXT_A, documentId: 'doc:notes-1', index: 0, span: { start: 0, end: TEXT_A.length }, tokens: 14,
      publishedAt: '2024-01-04T00:00:00.000Z', recordedAt: '2024-01-05T00:00:00.000Z',
      source: { id: SRC_NOTES, recordedAt: iso(SRC_REC) },
    });
    expect(d.b).toMatchObject({ id: CHUNK_B, documentId: 'doc:notes-2', index: 3, span: { start: 120, end: 120 + TEXT_B.length }, tokens: 15, publishedAt: null });
  });

  it('node(id) resolves a chunk id to a Chunk', async () => {
    const d = await data(`query($id: ID!) { node(id: $id) { __typename id ... on Chunk { text index span { start end } } } }`, { id: CHUNK_B });
    expect(d.node).toEqual({ __typename: 'Chunk', id: CHUNK_B, text: TEXT_B, index: 3, span: { start: 120, end: 120 + TEXT_B.length } });
  });

  it('unknown chunk ids are null, and a chunk is hidden before it was recorded', async () => {
    const d = await data(`query($a: ID!, $missing: ID!) {
      missing: chunk(id: $missing) { id } missingNode: node(id: $missing) { id }
      early: chunk(id: $a, asOf: "2024-01-04") { id } earlyNode: node(id: $a, asOf: "2024-01-04") { id }
      onTime: chunk(id: $a, asOf: "2024-01-05") { id }
    }`, { a: CHUNK_A, missing: chunkIdOf('never stored') });
    expect(d).toEqual({ missing: null, missingNode: null, early: null, earlyNode: null, onTime: { id: CHUNK_A } });
  });

  it('the source is null under an asOf before the source was recorded, though the chunk is visible', async () => {
    const d = await data(`query($id: ID!) {
      before: chunk(id: $id, asOf: "2024-01-07") { id source { id } }
      after: chunk(id: $id, asOf: "2024-01-10") { id source { id } }
    }`, { id: CHUNK_A });
    expect(d.before).toEqual({ id: CHUNK_A, source: null });
    expect(d.after).toEqual({ id: CHUNK_A, source: { id: SRC_NOTES } });
  });
});

// ---------------------------------------------------------------------------------------------
describe('Entity.chunks and Event.chunks', () => {
  const chunksOf = (id: string, asOf: string | null, first = 10) =>
    data(`query($id: ID!, $asOf: DateTime, $first: Int) { entity(id: $id, asOf: $asOf) { chunks(first: $first) { id recordedAt } } }`,
      { id, asOf, first });

  it('lists the chunks mentioning an entity, newest mention first', async () => {
    const d = await chunksOf(UNISWAP, null);
    expect(d.entity.chunks).toEqual([{ id: CHUNK_B, recordedAt: iso(CHUNK_B_REC) }, { id: CHUNK_A, recordedAt: iso(CHUNK_A_REC) }]);
    expect((await chunksOf(UNISWAP, null, 1)).entity.chunks.map((c: any) => c.id)).toEqual([CHUNK_B]);
    // Three mentions of B are newer than the one of A: first counts chunks, not mention facts.
    expect((await chunksOf(UNISWAP, null, 2)).entity.chunks.map((c: any) => c.id)).toEqual([CHUNK_B, CHUNK_A]);
    expect((await chunksOf(UNISWAP, null, 0)).entity.chunks).toEqual([]);
    expect((await chunksOf(UNISWAP_LABS, null)).entity.chunks).toEqual([]);
  });

  it('hides chunks recorded after asOf, and mentions recorded after asOf of chunks already known', async () => {
    expect((await chunksOf(UNISWAP, '2024-01-20')).entity.chunks.map((c: any) => c.id)).toEqual([CHUNK_A]);
    expect((await chunksOf(UNISWAP, '2024-01-02')).entity.chunks).toEqual([]);
    // Chunk A is visible on 2024-01-20, but Curve's mention of it was recorded on 2024-01-25.
    expect((await chunksOf(CURVE, '2024-01-20')).entity.chunks).toEqual([]);
    expect((await chunksOf(CURVE, '2024-01-25')).entity.chunks.map((c: any) => c.id)).toEqual([CHUNK_A]);
    expect((await chunksOf(CURVE, null)).entity.chunks.map((c: any) => c.id).sort()).toEqual([CHUNK_A, CHUNK_B].sort());
  });

  it('lists the chunks mentioning an event, hidden while the chunk was not yet recorded', async () => {
    const d = await data(`query($id: ID!) {
      now: event(id: $id) { chunks { id text } }
      before: event(id: $id, asOf: "2024-01-30") { id chunks { id } }
    }`, { id: EVT });
    expect(d.now.chunks).toEqual([{ id: CHUNK_B, text: TEXT_B }]);
    expect(d.before).toEqual({ id: EVT, chunks: [] });
  });

  it('rejects first out of range with BAD_USER_INPUT', async () => {
    // The message states this field's own maximum (100), also for values above the global page size.
    for (const first of [-1, 101, 501]) {
      await badInput(`query($f: Int) { entity(id: "${UNISWAP}") { chunks(first: $f) { id } } }`, 'first: must be an integer from 0 to 100', { f: first });
      await badInput(`query($f: Int) { event(id: "${EVT}") { chunks(first: $f) { id } } }`, 'first: must be an integer from 0 to 100', { f: first });
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe('Chunk.mentions and Chunk.facts', () => {
  it('mentions lists the entities and the event a chunk mentions, each with its own type', async () => {
    const d = await data(`query($id: ID!) { chunk(id: $id) { mentions {
      __typename id ... on Entity { name kind } ... on Event { type summary }
    } } }`, { id: CHUNK_B });
    const byId = Object.fromEntries(d.chunk.mentions.map((m: any) => [m.id, m]));
    expect(Object.keys(byId).sort()).toEqual([CURVE, EVT, UNISWAP].sort());
    expect(byId[UNISWAP]).toEqual({ __typename: 'Entity', id: UNISWAP, name: 'Uniswap', kind: 'Protocol' });
    expect(byId[EVT]).toEqual({ __typename: 'Event', id: EVT, type: 'TextEvent', summary: 'Curve pools drained in an exploit' });
  });

  it('mentions lists each node once, and first counts nodes, not mention facts', async () => {
    const ids = async (first: number) =>
      (await data(`query($id: ID!, $f: Int) { chunk(id: $id) { mentions(first: $f) { id } } }`, { id: CHUNK_B, f: first }))
        .chunk.mentions.map((m: any) => m.id);
    // The two newest mention facts of B are both Uniswap's (DUPLICATE_MENTIONS).
    const two = await ids(2);
    expect(two).toHaveLength(2);
    expect(two[0]).toBe(UNISWAP);
    expect([CURVE, EVT]).toContain(two[1]);
    expect((await ids(50)).sort()).toEqual([CURVE, EVT, UNISWAP].sort());
  });

  it('mentions honour the asOf of the root field', async () => {
    const ids = async (asOf: string | null) =>
      (await data(`query($id: ID!, $asOf: DateTime) { chunk(id: $id, asOf: $asOf) { mentions { id } } }`, { id: CHUNK_A, asOf }))
        .chunk.mentions.map((m: any) => m.id).sort();
    expect(await ids('2024-01-20')).toEqual([UNISWAP]);
    expect(await ids(null)).toEqual([CURVE, UNISWAP].sort());
  });

  it('facts lists the facts read from the chunk, not its MENTIONED_IN facts nor other chunks\' facts', async () => {
    const q = `query($id: ID!, $asOf: DateTime) { chunk(id: $id, asOf: $asOf) { facts { id type predicate chunkId subject { id } object { id } } } }`;
    const a = (await data(q, { id: CHUNK_A })).chunk.facts;
    expect(a.map((f: any) => f.id).sort()).toEqual([RELATED_A.id, RIVALS_A.id].sort());
    for (const f of a) expect(f).toMatchObject({ type: 'RELATED_TO', chunkId: CHUNK_A });
    const b = (await data(q, { id: CHUNK_B })).chunk.facts;
    expect(b).toEqual([{ id: VICTIM_B.id, type: 'PARTICIPANT', predicate: 'drained', chunkId: CHUNK_B, subject: { id: EVT }, object: { id: CURVE } }]);
    // The rivals fact was recorded on 2024-01-25.
    expect((await data(q, { id: CHUNK_A, asOf: '2024-01-20' })).chunk.facts.map((f: any) => f.id)).toEqual([RELATED_A.id]);
  });

  it('rejects first out of range on mentions and facts with BAD_USER_INPUT', async () => {
    for (const first of [-1, 201, 501]) {
      await badInput(`query($f: Int) { chunk(id: "${CHUNK_B}") { mentions(first: $f) { id } } }`, 'first: must be an integer from 0 to 200', { f: first });
    }
    for (const first of [-1, 501]) {
      await badInput(`query($f: Int) { chunk(id: "${CHUNK_B}") { facts(first: $f) { id } } }`, 'first', { f: first });
    }
    expect((await data(`{ chunk(id: "${CHUNK_B}") { mentions(first: 0) { id } facts(first: 0) { id } } }`)).chunk)
      .toEqual({ mentions: [], facts: [] });
  });
});

// ---------------------------------------------------------------------------------------------
describe('Fact.chunk', () => {
  it('resolves the chunk a fact was read from, and is null for facts without one', async () => {
    const d = await data(`query($id: ID!) { entity(id: $id) { facts(first: 50) { id type chunkId chunk { id text } } } }`, { id: UNISWAP });
    const byId = new Map(d.entity.facts.map((f: any) => [f.id, f]));
    expect(byId.get(RELATED_A.id)).toMatchObject({ chunkId: CHUNK_A, chunk: { id: CHUNK_A, text: TEXT_A } });
    expect(byId.get(SAME_AS_UNI.id)).toMatchObject({ chunkId: null, chunk: null });
    for (const f of d.entity.facts as any[]) {
      if (f.type === 'MENTIONED_IN') expect(f.chunk?.id).toBe(f.chunkId);
      if (f.chunkId === null) expect(f.chunk).toBeNull();
    }
  });

  it('a MENTIONED_IN fact points at its chunk as a Chunk node', async () => {
    const d = await data(`query($id: ID!) { entity(id: $id, asOf: "2024-01-20") {
      facts(types: ["MENTIONED_IN"]) { subject { id } object { __typename id ... on Chunk { documentId } } chunk { id } }
    } }`, { id: UNISWAP });
    expect(d.entity.facts).toEqual([
      { subject: { id: UNISWAP }, object: { __typename: 'Chunk', id: CHUNK_A, documentId: 'doc:notes-1' }, chunk: { id: CHUNK_A } },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
describe('Entity.concepts and Event.concepts', () => {
  const concepts = async (id: string, asOf: string | null, root = 'entity') =>
    (await data(`query($id: ID!, $asOf: DateTime) { ${root}(id: $id, asOf: $asOf) { concepts { id name kind } } }`, { id, asOf }))[root].concepts;

  it('lists the concepts from the most specific to the most general', async () => {
    expect((await concepts(UNISWAP, null)).map((c: any) => c.id)).toEqual([DEX, AMM, DEFI]);
    expect(await concepts(CURVE, null)).toEqual([
      { id: DEX, name: 'DEX', kind: 'Concept' },
      { id: AMM, name: 'AMM protocol', kind: 'Concept' },
      { id: DEFI, name: 'DeFi protocol', kind: 'Concept' },
    ]);
    expect(await concepts(UNISWAP_LABS, null)).toEqual([]);
    expect((await concepts(EVT, null, 'event')).map((c: any) => c.id)).toEqual([INCIDENT]);
  });

  it('is empty before the concept facts were recorded', async () => {
    expect(await concepts(UNISWAP, '2024-01-19')).toEqual([]);
    expect((await concepts(UNISWAP, '2024-01-20')).map((c: any) => c.id)).toEqual([DEX, AMM, DEFI]);
  });
});

// ---------------------------------------------------------------------------------------------
describe('Entity.sameAs', () => {
  const sameAs = async (id: string, asOf: string | null = null) =>
    (await data(`query($id: ID!, $asOf: DateTime) { entity(id: $id, asOf: $asOf) {
      sameAs { entity { id name } method confidence fact { id type subject { id } object { id } retractedAt attrs } }
    } }`, { id, asOf })).entity.sameAs;

  it('shows the SAME_AS from both ends with its method and confidence', async () => {
    const fromSubject = await sameAs(UNISWAP_LABS);
    expect(fromSubject).toHaveLength(1);
    expect(fromSubject[0]).toMatchObject({
      entity: { id: UNISWAP, name: 'Uniswap' }, method: 'alias', confidence: 0.9,
      fact: { id: SAME_AS_UNI.id, type: 'SAME_AS', subject: { id: UNISWAP_LABS }, object: { id: UNISWAP }, retractedAt: null },
    });
    expect(fromSubject[0].fact.attrs.evidence).toMatchObject({ method: 'alias', score: 0.85 });
    const fromObject = await sameAs(UNISWAP);
    expect(fromObject).toHaveLength(1);
    expect(fromObject[0]).toMatchObject({ entity: { id: UNISWAP_LABS, name: 'Uniswap Labs' }, method: 'alias', confidence: 0.9, fact: { id: SAME_AS_UNI.id } });
  });

  it('is empty before the SAME_AS fact was recorded', async () => {
    expect(await sameAs(UNISWAP, '2024-01-14')).toEqual([]);
  });

  it('drops a retracted SAME_AS now but shows it as of before the retraction', async () => {
    expect(await sameAs(CURVE)).toEqual([]);
    expect(await sameAs(CURVE_FINANCE)).toEqual([]);
    const before = await sameAs(CURVE, '2024-02-05');
    expect(before).toHaveLength(1);
    expect(before[0]).toMatchObject({ entity: { id: CURVE_FINANCE }, method: 'alias', confidence: 0.85, fact: { id: SAME_AS_CURVE.id, retractedAt: null } });
    expect(await sameAs(CURVE, '2024-02-10')).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
describe('searchChunks', () => {
  const search = async (text: string, opts: { first?: number; asOf?: string } = {}) =>
    (await data(`query($t: String!, $f: Int, $a: DateTime) { searchChunks(text: $t, first: $f, asOf: $a) { score chunk { id recordedAt } } }`,
      { t: text, f: opts.first ?? 10, a: opts.asOf ?? null })).searchChunks;

  it('ranks the matching chunk first', async () => {
    const hits = await search('concentrated liquidity');
    expect(hits.map((h: any) => h.chunk.id)).toEqual([CHUNK_A]);
    const drained = await search('drained exploit');
    expect(drained.map((h: any) => h.chunk.id)).toEqual([CHUNK_B]);
    const both = await search('Uniswap pools');
    expect(both.map((h: any) => h.chunk.id).sort()).toEqual([CHUNK_A, CHUNK_B].sort());
    for (let i = 1; i < both.length; i++) expect(both[i - 1].score).toBeGreaterThanOrEqual(both[i].score);
    expect(await search('nothing matches this')).toEqual([]);
  });

  it('honours first and asOf', async () => {
    expect(await search('Uniswap', { first: 0 })).toEqual([]);
    expect(await search('Uniswap', { first: 1 })).toHaveLength(1);
    expect((await search('Uniswap', { asOf: '2024-01-20' })).map((h: any) => h.chunk.id)).toEqual([CHUNK_A]);
    expect(await search('drained', { asOf: '2024-01-31' })).toEqual([]);
    expect(await search('Uniswap', { asOf: '2024-01-04' })).toEqual([]);
  });

  it('rejects text over the limit and first out of range with BAD_USER_INPUT', async () => {
    await badInput(`query($t: String!) { searchChunks(text: $t) { score } }`, 'text', { t: 'a'.repeat(LIMITS.searchText + 1) });
    await badInput(`{ searchChunks(text: "Uniswap", first: ${LIMITS.searchHits + 1}) { score } }`, 'first');
    await badInput(`{ searchChunks(text: "Uniswap", first: -1) { score } }`, 'first');
  });
});

// ---------------------------------------------------------------------------------------------
describe('schema.concepts', () => {
  const CONCEPTS_Q = `query($asOf: DateTime, $name: String, $first: Int, $after: String) { schema(asOf: $asOf) {
    concepts(nameContains: $name, first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { cursor node { concept { id name } instances broader { id } } }
    } } }`;
  const concepts = async (vars: { asOf?: string; name?: string; first?: number; after?: string | null } = {}) =>
    (await data(CONCEPTS_Q, { asOf: vars.asOf ?? null, name: vars.name ?? null, first: vars.first ?? 20, after: vars.after ?? null })).schema.concepts;

  it('lists every concept with its direct instance count and broader concepts', async () => {
    const c = await concepts();
    expect(c.totalCount).toBe(4);
    expect(c.pageInfo.hasNextPage).toBe(false);
    const byId = Object.fromEntries(c.edges.map((e: any) => [e.node.concept.id, e.node]));
    expect(Object.keys(byId).sort()).toEqual([AMM, DEFI, DEX, INCIDENT].sort());
    expect(byId[DEX]).toEqual({ concept: { id: DEX, name: 'DEX' }, instances: 2, broader: [{ id: AMM }] });
    expect(byId[AMM]).toEqual({ concept: { id: AMM, name: 'AMM protocol' }, instances: 0, broader: [{ id: DEFI }] });
    expect(byId[DEFI]).toEqual({ concept: { id: DEFI, name: 'DeFi protocol' }, instances: 0, broader: [] });
    expect(byId[INCIDENT]).toMatchObject({ instances: 1, broader: [] });
  });

  it('filters by nameContains, case-insensitively', async () => {
    const c = await concepts({ name: 'PROTOCOL' });
    expect(c.totalCount).toBe(2);
    expect(c.edges.map((e: any) => e.node.concept.id).sort()).toEqual([AMM, DEFI].sort());
    expect((await concepts({ name: 'nothing like this' })).totalCount).toBe(0);
  });

  it('pages with after, without gaps or repeats', async () => {
    const p1 = await concepts({ first: 3 });
    expect(p1.edges).toHaveLength(3);
    expect(p1.pageInfo).toEqual({ hasNextPage: true, endCursor: p1.edges[2].cursor });
    const p2 = await concepts({ first: 3, after: p1.pageInfo.endCursor });
    expect(p2.edges).toHaveLength(1);
    expect(p2.pageInfo.hasNextPage).toBe(false);
    expect(p2.totalCount).toBe(4);
    const ids = [...p1.edges, ...p2.edges].map((e: any) => e.node.concept.id);
    expect(new Set(ids).size).toBe(4);
    expect(ids.sort()).toEqual([AMM, DEFI, DEX, INCIDENT].sort());
  });

  it('counts and broader honour asOf', async () => {
    const c = await concepts({ asOf: '2024-01-19' });
    expect(c.totalCount).toBe(4);
    for (const e of c.edges) expect(e.node).toMatchObject({ instances: 0, broader: [] });
  });

  it('rejects a bad cursor and first out of range with BAD_USER_INPUT', async () => {
    await badInput(`{ schema { concepts(after: "not-a-cursor") { totalCount } } }`, 'cursor');
    await badInput(`{ schema { concepts(first: 501) { totalCount } } }`, 'first');
  });
});

// ---------------------------------------------------------------------------------------------
describe('schema.predicates', () => {
  const predicates = async (vars: { type?: string; first?: number; asOf?: string } = {}) =>
    (await data(`query($type: RelType, $first: Int, $asOf: DateTime) { schema(asOf: $asOf) { predicates(type: $type, first: $first) { type predicate count } } }`,
      { type: vars.type ?? null, first: vars.first ?? 50, asOf: vars.asOf ?? null })).schema.predicates;

  it('counts visible facts by (type, verbatim predicate), most used first', async () => {
    const p = await predicates();
    expect(p).toEqual([
      { type: 'MENTIONED_IN', predicate: 'mentioned in', count: 7 },
      { type: 'BROADER', predicate: 'broader', count: 2 },
      { type: 'INSTANCE_OF', predicate: 'instance of', count: 2 },
      { type: 'INSTANCE_OF', predicate: 'is a', count: 1 },
      { type: 'PARTICIPANT', predicate: 'drained', count: 1 },
      { type: 'RELATED_TO', predicate: 'competes with', count: 1 },
      { type: 'RELATED_TO', predicate: 'rivals', count: 1 },
      { type: 'SAME_AS', predicate: 'same as', count: 1 }, // the Curve one is retracted
    ]);
    expect(await predicates({ first: 2 })).toEqual(p.slice(0, 2));
    expect(await predicates({ first: 0 })).toEqual([]);
  });

  it('filters by type', async () => {
    expect(await predicates({ type: 'INSTANCE_OF' })).toEqual([
      { type: 'INSTANCE_OF', predicate: 'instance of', count: 2 },
      { type: 'INSTANCE_OF', predicate: 'is a', count: 1 },
    ]);
    expect(await predicates({ type: 'HOLDS' })).toEqual([]);
  });

  it('honours asOf', async () => {
    // 2024-01-16: chunk A with Uniswap's mention and the competes-with fact, both SAME_AS (not yet retracted).
    expect(await predicates({ asOf: '2024-01-16' })).toEqual([
      { type: 'SAME_AS', predicate: 'same as', count: 2 },
      { type: 'MENTIONED_IN', predicate: 'mentioned in', count: 1 },
      { type: 'RELATED_TO', predicate: 'competes with', count: 1 },
    ]);
    expect(await predicates({ asOf: '2024-01-02' })).toEqual([]);
  });

  it('rejects an unknown type and first above the maximum with BAD_USER_INPUT', async () => {
    // RelType is an enum in the SDL, so graphql-js rejects an unknown value before the resolver runs:
    // a 400 naming the value, not a masked "Unexpected error." (and without extensions.code).
    for (const [q, vars] of [
      [`query($type: RelType) { schema { predicates(type: $type) { count } } }`, { type: 'NOT_A_TYPE' }],
      [`{ schema { predicates(type: NOT_A_TYPE) { count } } }`, undefined],
    ] as const) {
      const bad = await gql(q, vars);
      expect(bad.status).toBe(400);
      expect(bad.data).toBeUndefined();
      expect(bad.errors?.[0]?.message).toMatch(/NOT_A_TYPE.*RelType/);
    }
    await badInput(`{ schema { predicates(first: 501) { count } } }`, 'first');
    await badInput(`{ schema { predicates(first: -1) { count } } }`, 'first');
  });
});
