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
import {
  EXISTING_IDS, FIND_NODES_BY_IDS_COUNT, FIND_NODES_BY_IDS_PAGE, FIND_NODES_COUNT, FIND_NODES_PAGE, NODES_BY_IDS,
} from './cypher/node-reads.ts';
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


/** Visible entities matching every given filter, ordered by id. */
export async function findNodes(scope: Scope, filter: NodeFilter, page: PageArgs, asOf: AsOfParam): Promise<Page<NodeRecord>> {
  const first = pageSize(page);
  const after = cursorKey(page.after, ['string'] as const);
  const params: Record<string, unknown> = {
    asOf,
    // Empty strings mean "no filter", as in the SQLite store.
    kind: filter.kind || null,
    needle: filter.nameContains === null || filter.nameContains === undefined ? null : filter.nameContains.toLowerCase(),
    label: filter.label === null || filter.label === undefined ? null : labelConceptId(filter.label),
  };
  const byIds = filter.ids !== null && filter.ids !== undefined;
  if (byIds) params.ids = filter.ids;
  const [count, pageStatement] = byIds ? [FIND_NODES_BY_IDS_COUNT, FIND_NODES_BY_IDS_PAGE] : [FIND_NODES_COUNT, FIND_NODES_PAGE];
  const [total] = await query(scope, count, params);
  // '' sorts before every id, so the first page is the same range seek as the others.
  const rows = await query(scope, pageStatement, { ...params, afterId: after?.[0] ?? '', limit: int(first + 1) });
  return toPage(rows.map((row) => toNodeRecord(row.node as Row)), first, toNumber(total?.total ?? 0), (n) => [n.id]);
}

/**
 * Visible events matching every given filter, newest `occurredAt` first, then by id. `role` only
 * narrows a `participant` filter and is ignored without one.
 */
export async function findEvents(scope: Scope, filter: EventFilter, page: PageArgs, asOf: AsOfParam): Promise<Page<EventRecord>> {
  const first = pageSize(page);
  const after = cursorKey(page.after, ['number', 'string'] as const);
  const params: Record<string, unknown> = {
    asOf,
    type: filter.type || null,
    from: intOrNull(filter.from),
    to: intOrNull(filter.to),
    sourceId: filter.sourceId ?? null,
  };
  const byParticipant = filter.participant !== null && filter.participant !== undefined;
  if (byParticipant) Object.assign(params, { participant: filter.participant, role: filter.role || null });
  const [count, pageStatement] = byParticipant
    ? [FIND_EVENTS_BY_PARTICIPANT_COUNT, FIND_EVENTS_BY_PARTICIPANT_PAGE]
    : [FIND_EVENTS_COUNT, FIND_EVENTS_PAGE];
  const [total] = await query(scope, count, params);
  const rows = await query(scope, pageStatement, {
    ...params, afterAt: intOrNull(after?.[0]), afterId: after?.[1] ?? null, limit: int(first + 1),
  });
  // Participants are loaded for the kept page only; the probe row just says there is more.
  const events = await withParticipants(scope, rows.slice(0, first), asOf);
  const probe = rows.slice(first).map((row) => toEventRecord(row.event as Row, []));
  return toPage([...events, ...probe], first, toNumber(total?.total ?? 0), (e) => [e.occurredAt, e.id]);
}

/** Visible entities and events matching `text`, best match first. */
export async function search(scope: Scope, text: string, first: number, asOf: AsOfParam): Promise<SearchHit[]> {
  const limit = checkFirst(first);
  const lucene = luceneQuery(text);
  if (lucene === null || limit === 0) return [];
  const rows = await query(scope, SEARCH, { query: lucene, limit: int(limit), asOf });
  return rows.map((row) => ({
    id: row.id as string,
    target: row.target as SearchHit['target'],
    label: row.label as string,
    name: row.name as string,
    score: toNumber(row.score),
  }));
}

/** The visible chunks among `ids`; unknown and invisible ids are left out. */
export async function chunksByIds(scope: Scope, ids: readonly string[], asOf: AsOfParam): Promise<ChunkRecord[]> {
  if (ids.length === 0) return [];
  const rows = await query(scope, CHUNKS_BY_IDS, { ids: [...new Set(ids)], asOf });
  return rows.map((row) => toChunkRecord(row.chunk as Row));
}

/** Visible chunks matching `text` (every word, the last also as a prefix), best match first. */
export async function searchChunks(scope: Scope, text: string, first: number, asOf: AsOfParam): Promise<ChunkHit[]> {
  const limit = checkFirst(first);
  const lucene = luceneQuery(text);
  if (lucene === null || limit === 0) return [];
  const rows = await query(scope, SEARCH_CHUNKS, { query: lucene, limit: int(limit), asOf });
  return rows.map((row) => ({ chunk: toChunkRecord(row.chunk as Row), score: toNumber(row.score) }));
}
