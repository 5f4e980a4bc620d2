/**
 * Entity, event, chunk and search reads. Each runs inside one read transaction (`scope`), so a list's
 * count and its page see the same data; `asOf` arrives already validated (null = "now").
 */
import type { ChunkHit, EventFilter, NodeFilter, SearchHit } from '../graph-store.ts';
import type { ChunkRecord, EventRecord, NodeRecord, Participant } from '../../schema/graph.ts';
import { checkFirst, type Page, type PageArgs } from '../../schema/pagination.ts';
import {
  EVENTS_BY_IDS, FIND_EVENTS_BY_PARTICIPANT_COUNT, FIND_EVENTS_BY_PARTICIPANT_PAGE, FIND_EVENTS_COUNT, FIND_EVENTS_PAGE,
  PARTICIPANTS,
} from './cypher/event-reads.ts';
import type { CypherStatement } from './cypher/statement.ts';
import { EXISTING_IDS, FIND_NODES_COUNT, FIND_NODES_PAGE, NODE_FILTERS, NODES_BY_IDS } from './cypher/node-reads.ts';
import { CHUNKS_BY_IDS, SEARCH_CHUNKS } from './cypher/chunk-reads.ts';
import { SEARCH } from './cypher/search.ts';
import { luceneQuery } from './lucene.ts';
import { cursorKey, pageSize, toPage } from '../paging.ts';
import { int, intOrNull, toChunkRecord, toEventRecord, toNodeRecord, toNumber, toParticipant } from './records.ts';
import { query, type Row, type Scope } from './runner.ts';
import { labelConceptId } from '../label-filter.ts';

type AsOfParam = ReturnType<typeof intOrNull>;


/** The visible entities among `ids`, in the order of `ids`. */
export async function nodesByIds(scope: Scope, ids: readonly string[], asOf: AsOfParam): Promise<NodeRecord[]> {
  if (ids.length === 0) return [];
  const rows = await query(scope, NODES_BY_IDS, { ids, asOf });
  const byId = new Map(rows.map((row) => { const n = toNodeRecord(row.node as Row); return [n.id, n] as const; }));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** The ids among `ids` of stored entities, events and chunks, retracted or not. */
export async function existingIds(scope: Scope, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await query(scope, EXISTING_IDS, { ids: [...new Set(ids)] });
  return new Set(rows.map((row) => row.id as string));
}

/** Visible participants of each given (visible) event, in write order. */
async function participantsOf(scope: Scope, ids: readonly string[], asOf: AsOfParam): Promise<Map<string, Participant[]>> {
  const out = new Map<string, Participant[]>();
  if (ids.length === 0) return out;
  for (const row of await query(scope, PARTICIPANTS, { ids, asOf })) {
    const event = row.event as string;
    const list = out.get(event) ?? [];
    list.push(toParticipant(row));
    out.set(event, list);
  }
  return out;
}

async function withParticipants(scope: Scope, rows: Row[], asOf: AsOfParam): Promise<EventRecord[]> {
  const maps = rows.map((row) => row.event as Row);
  const participants = await participantsOf(scope, maps.map((e) => e.id as string), asOf);
  return maps.map((e) => toEventRecord(e, participants.get(e.id as string) ?? []));
}

/** The visible events among `ids`, in the order of `ids`, with their visible participants. */
export async function eventsByIds(scope: Scope, ids: readonly string[], asOf: AsOfParam): Promise<EventRecord[]> {
  if (ids.length === 0) return [];
  const events = await withParticipants(scope, await query(scope, EVENTS_BY_IDS, { ids, asOf }), asOf);
  const byId = new Map(events.map((e) => [e.id, e] as const));
  return ids.flatMap((id) => byId.get(id) ?? []);
}


/**
 * Visible entities matching every given filter, ordered by id. `totalCount` is counted on the first
 * page and carried in the cursor (the count as of the first page), so paging through a large list
 * costs each page its own size, not a recount.
 */
export async function findNodes(scope: Scope, filter: NodeFilter, page: PageArgs, asOf: AsOfParam): Promise<Page<NodeRecord>> {
  const first = pageSize(page);
  const after = cursorKey(page.after, ['string', 'number'] as const);
  // Empty strings mean "no filter", as in the SQLite store.
  const values = {
    ids: filter.ids ?? null,
    kind: filter.kind || null,
    needle: filter.nameContains === null || filter.nameContains === undefined ? null : filter.nameContains.toLowerCase(),
    label: filter.label === null || filter.label === undefined ? null : labelConceptId(filter.label),
  };
  const on = { ids: values.ids !== null, kind: values.kind !== null, needle: values.needle !== null, label: values.label !== null };
  const params: Record<string, unknown> = { asOf };
  for (const flag of NODE_FILTERS) if (on[flag]) params[flag] = values[flag];
  const total = after?.[1] ?? toNumber((await query(scope, FIND_NODES_COUNT.pick(on), params))[0]?.total ?? 0);
  // '' sorts before every id, so the first page is the same range seek as the others.
  const rows = await query(scope, FIND_NODES_PAGE.pick(on), { ...params, afterId: after?.[0] ?? '', limit: int(first + 1) });
  return toPage(rows.map((row) => toNodeRecord(row.node as Row)), first, total, (n) => [n.id, total]);
}

/** Bounds of an unbounded `occurredAt` range (every epoch-ms time lies between them). */
const EARLIEST = -Number.MAX_SAFE_INTEGER;
const LATEST = Number.MAX_SAFE_INTEGER;

/**
 * Visible events matching every given filter, newest `occurredAt` first, then by id. `role` only
 * narrows a `participant` filter and is ignored without one. `totalCount` is counted on the first
 * page and carried in the cursor, as in findNodes.
 */
export async function findEvents(scope: Scope, filter: EventFilter, page: PageArgs, asOf: AsOfParam): Promise<Page<EventRecord>> {
  const first = pageSize(page);
  const after = cursorKey(page.after, ['number', 'string', 'number'] as const);
  const type = filter.type || null;
  const sourceId = filter.sourceId ?? null;
  const from = filter.from ?? EARLIEST;
  const to = filter.to ?? LATEST;
  const byParticipant = filter.participant !== null && filter.participant !== undefined;
  const params: Record<string, unknown> = { asOf, lower: int(from), upper: int(to) };
  let count: CypherStatement;
  let pageStatement: CypherStatement;
  if (byParticipant) {
    Object.assign(params, { participant: filter.participant, role: filter.role || null, type, sourceId });
    [count, pageStatement] = [FIND_EVENTS_BY_PARTICIPANT_COUNT, FIND_EVENTS_BY_PARTICIPANT_PAGE];
  } else {
    const on = { type: type !== null, sourceId: sourceId !== null };
    if (on.type) params.type = type;
    if (on.sourceId) params.sourceId = sourceId;
    [count, pageStatement] = [FIND_EVENTS_COUNT.pick(on), FIND_EVENTS_PAGE.pick(on)];
  }
  const total = after?.[2] ?? toNumber((await query(scope, count, params))[0]?.total ?? 0);
  const rows = await query(scope, pageStatement, {
    ...params,
    // The cursor narrows the seek's range too; the residual test orders ties at that time by id.
    upper: int(after === null ? to : Math.min(to, after[0])),
    afterAt: intOrNull(after?.[0]), afterId: after?.[1] ?? null, limit: int(first + 1),
  });
  // Participants are loaded for the kept page only; the probe row just says there is more.
  const events = await withParticipants(scope, rows.slice(0, first), asOf);
  const probe = rows.slice(first).map((row) => toEventRecord(row.event as Row, []));
  return toPage([...events, ...probe], first, total, (e) => [e.occurredAt, e.id, total]);
}

/** Index hits asked for at first, per hit wanted; and at most, per search. */
const FETCH_PER_HIT = 4;
const MIN_FETCH = 100;
const MAX_FETCH = 100_000;

/**
 * Runs a full-text statement with a growing index limit until `limit` hits survive its filters,
 * the index has no more, or MAX_FETCH hits were looked at; best score first, then by id.
 */
async function searchIndex<T>(
  scope: Scope,
  statement: CypherStatement,
  params: Record<string, unknown>,
  limit: number,
  toHit: (row: Row) => T & { score: number },
  idOf: (hit: T) => string,
): Promise<T[]> {
  for (let fetch = Math.min(MAX_FETCH, Math.max(MIN_FETCH, limit * FETCH_PER_HIT)); ; fetch = Math.min(MAX_FETCH, fetch * 8)) {
    const [row] = await query(scope, statement, { ...params, fetch: int(fetch) });
    const kept = ((row?.kept as Row[] | undefined) ?? []).map(toHit);
    if (kept.length >= limit || toNumber(row?.fetched ?? 0) < fetch || fetch === MAX_FETCH) {
      const byId = (a: T, b: T) => (idOf(a) < idOf(b) ? -1 : idOf(a) > idOf(b) ? 1 : 0);
      return kept.sort((a, b) => b.score - a.score || byId(a, b)).slice(0, limit);
    }
  }
}

/** Visible entities and events matching `text`, best match first. */
export async function search(scope: Scope, text: string, first: number, asOf: AsOfParam): Promise<SearchHit[]> {
  const limit = checkFirst(first);
  const lucene = luceneQuery(text);
  if (lucene === null || limit === 0) return [];
  return searchIndex(scope, SEARCH, { query: lucene, asOf }, limit, (hit): SearchHit => ({
    id: hit.id as string,
    target: hit.target as SearchHit['target'],
    label: hit.label as string,
    name: hit.name as string,
    score: toNumber(hit.score),
  }), (hit) => hit.id);
}

/** The visible chunks among `ids`; unknown and invisible ids are left out. */
export async function chunksByIds(scope: Scope, ids: readonly string[], asOf: AsOfParam): Promise<ChunkRecord[]> {
  if (ids.length === 0) return [];
  const rows = await query(scope, CHUNKS_BY_IDS, { ids: [...new Set(ids)], asOf });
  return rows.map((row) => toChunkRecord(row.chunk as Row));
}

/** Visible chunks matching `text` (every group, the last term also as a prefix), best match first. */
export async function searchChunks(scope: Scope, text: string, first: number, asOf: AsOfParam): Promise<ChunkHit[]> {
  const limit = checkFirst(first);
  const lucene = luceneQuery(text);
  if (lucene === null || limit === 0) return [];
  return searchIndex(scope, SEARCH_CHUNKS, { query: lucene, asOf }, limit, (hit): ChunkHit => ({
    chunk: toChunkRecord(hit.chunk as Row),
    score: toNumber(hit.score),
  }), (hit) => hit.chunk.id);
}
