/**
 * Bookkeeping reads (statistics, sources, rejects) and adapter-side maintenance: retraction,
 * ending validity and dropping a namespace.
 */
import type { CountByKey, GraphStats, RejectFilter } from '../graph-store.ts';
import type { Millis, RejectRecord, SourceRecord } from '../../schema/graph.ts';
import type { Page, PageArgs } from '../../schema/pagination.ts';
import {
  COUNT_RECORDS, DELETE_NAMESPACE_CHUNK, DELETE_NAMESPACE_RELATIONSHIPS, END_FACT_VALIDITY, END_NODE_VALIDITY,
  ENTITIES_BY_KIND, EVENTS_BY_TYPE,
  FACTS_BY_TYPE, LIST_REJECTS_COUNT, LIST_REJECTS_PAGE, LIST_SOURCES, RETRACT_FACTS, RETRACT_NODES,
} from './cypher/admin.ts';
import type { CypherStatement } from './cypher/statement.ts';
import { cursorKey, pageSize, toPage } from '../paging.ts';
import { int, intOrNull, toNumber, toRejectRecord, toSourceRecord } from './records.ts';
import { query, type Row, type Scope } from './runner.ts';

type AsOfParam = ReturnType<typeof intOrNull>;

async function countsBy(scope: Scope, statement: CypherStatement, asOf: AsOfParam): Promise<CountByKey[]> {
  return (await query(scope, statement, { asOf })).map((row) => ({ key: row.key as string, count: toNumber(row.count) }));
}

const sum = (counts: CountByKey[]): number => counts.reduce((total, c) => total + c.count, 0);

/** Counts of what is visible at `asOf`; sources and rejects count those recorded by then. */
export async function stats(scope: Scope, asOf: AsOfParam): Promise<GraphStats> {
  const entitiesByKind = await countsBy(scope, ENTITIES_BY_KIND, asOf);
  const eventsByType = await countsBy(scope, EVENTS_BY_TYPE, asOf);
  const factsByType = await countsBy(scope, FACTS_BY_TYPE, asOf);
  const [records] = await query(scope, COUNT_RECORDS, { asOf });
  return {
    entities: sum(entitiesByKind),
    events: sum(eventsByType),
    facts: sum(factsByType),
    entitiesByKind,
    eventsByType,
    factsByType,
    sources: toNumber(records?.sources ?? 0),
    rejects: toNumber(records?.rejects ?? 0),
  };
}

/** Every source, ordered by id. */
export async function listSources(scope: Scope): Promise<SourceRecord[]> {
  return (await query(scope, LIST_SOURCES)).map((row) => toSourceRecord(row.source as Row));
}

/**
 * Rejects matching the filter, newest `recordedAt` first (then latest written first). `totalCount`
 * is counted on the first page and carried in the cursor, as in findNodes.
 */
export async function listRejects(scope: Scope, filter: RejectFilter, page: PageArgs): Promise<Page<RejectRecord>> {
  const first = pageSize(page);
  const after = cursorKey(page.after, ['number', 'number', 'number'] as const);
  const on = { sourceId: filter.sourceId !== null && filter.sourceId !== undefined };
  const params: Record<string, unknown> = { severity: filter.severity || null, upper: int(Number.MAX_SAFE_INTEGER) };
  if (on.sourceId) params.sourceId = filter.sourceId;
  const total = after?.[2] ?? toNumber((await query(scope, LIST_REJECTS_COUNT.pick(on), params))[0]?.total ?? 0);
  const rows = await query(scope, LIST_REJECTS_PAGE.pick(on), {
    ...params, upper: int(after?.[0] ?? Number.MAX_SAFE_INTEGER),
    afterAt: intOrNull(after?.[0]), afterSeq: intOrNull(after?.[1]), limit: int(first + 1),
  });
  const items = rows.map((row) => {
    const r = row.reject as Row;
    return { seq: toNumber(r.seq), record: toRejectRecord(r) };
  });
  const built = toPage(items, first, total, (item) => [item.record.recordedAt, item.seq, total]);
  return { ...built, edges: built.edges.map((edge) => ({ node: edge.node.record, cursor: edge.cursor })) };
}

async function changed(scope: Scope, statement: CypherStatement, ids: readonly string[], at: Millis): Promise<number> {
  const rows = await query(scope, statement, { ids, at: int(at) });
  return rows.reduce((total, row) => total + toNumber(row.changed), 0);
}

/** Sets `retractedAt = at` on entities, events, chunks and facts with these ids (where unset); rows changed. */
export async function retract(scope: Scope, ids: readonly string[], at: Millis): Promise<number> {
  return (await changed(scope, RETRACT_NODES, ids, at)) + (await changed(scope, RETRACT_FACTS, ids, at));
}

/** Sets `validTo = at` on entities and facts with these ids (where unset); rows changed. */
export async function endValidity(scope: Scope, ids: readonly string[], at: Millis): Promise<number> {
  return (await changed(scope, END_NODE_VALIDITY, ids, at)) + (await changed(scope, END_FACT_VALIDITY, ids, at));
}

/** Deletes up to `limit` relationships out of the namespace's nodes; how many went. */
export async function deleteNamespaceRelationships(scope: Scope, limit: number): Promise<number> {
  const [row] = await query(scope, DELETE_NAMESPACE_RELATIONSHIPS, { limit: int(limit) });
  return toNumber(row?.deleted ?? 0);
}

/** Deletes up to `limit` nodes of the namespace (with what relationships are left); how many went. */
export async function deleteNamespaceChunk(scope: Scope, limit: number): Promise<number> {
  const [row] = await query(scope, DELETE_NAMESPACE_CHUNK, { limit: int(limit) });
  return toNumber(row?.deleted ?? 0);
}
