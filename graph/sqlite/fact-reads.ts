/**
 * Fact reads: the facts around one id, the bounded breadth-first neighbourhood, and the counts
 * the schema view needs (predicates in use, facts into given objects).
 */
import type { FactQuery, PredicateCount, Subgraph } from '../graph-store.ts';
import { expandNeighborhood } from '../neighborhood.ts';
import { InvalidArgumentError } from '../../schema/errors.ts';
import type { FactRecord } from '../../schema/graph.ts';
import { isRelType, type RelType } from '../../schema/ontology.ts';
import { checkFirst, type Page, type PageArgs } from '../../schema/pagination.ts';
import { cursorKey, pageSize, toPage } from '../paging.ts';
import { FACT_COLUMNS, toFactRecord, type StatementCache } from './graph-rows.ts';
import { eventsByIds } from './event-reads.ts';
import { nodesByIds } from './node-reads.ts';
import { endVisible, factVisible } from './sql-visibility.ts';

/** @default 100 */
const DEFAULT_FACT_LIMIT = 100;

type Direction = 'out' | 'in' | 'both';

function nonNegativeInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new InvalidArgumentError(name, 'must be a non-negative integer');
  return value;
}

/**
 * SQL for the visible facts touching `:id`, newest `recordedAt` first (then by id, for a stable
 * order). A self-loop is returned once. `LIMIT :limit`, where -1 means no limit.
 */
function factsAroundSql(direction: Direction, withTypes: boolean, withAsOf: boolean): string {
  const types = withTypes ? ' AND f.type IN (SELECT value FROM json_each(:types))' : '';
  const out = `SELECT ${FACT_COLUMNS} FROM facts f
    WHERE f.subject = :id${types} AND ${factVisible('f', withAsOf)}`;
  const inSelf = direction === 'both' ? ' AND f.subject <> :id' : '';
  const inbound = `SELECT ${FACT_COLUMNS} FROM facts f
    WHERE f.object = :id${inSelf}${types} AND ${factVisible('f', withAsOf)}`;
  const body = direction === 'out' ? out : direction === 'in' ? inbound : `${out} UNION ALL ${inbound}`;
  return `SELECT * FROM (${body}) ORDER BY recorded_at DESC, id LIMIT :limit`;
}

/** Visible facts whose subject or object is `id`, newest `recordedAt` first. */
export function factsOf(sql: StatementCache, id: string, query: FactQuery, asOf: number | null): FactRecord[] {
  const direction = query.direction ?? 'both';
  if (direction !== 'out' && direction !== 'in' && direction !== 'both') {
    throw new InvalidArgumentError('direction', 'must be out, in or both');
  }
  const limit = nonNegativeInt('limit', query.limit ?? DEFAULT_FACT_LIMIT);
  const types = query.types ?? null;
  if (limit === 0 || (types !== null && types.length === 0)) return [];
  return sql
    .get(factsAroundSql(direction, types !== null, asOf !== null))
    .all({ id, asOf, limit, types: types === null ? null : JSON.stringify(types) })
    .map(toFactRecord);
}

/**
 * Breadth-first expansion from a visible node or event over visible facts (both directions), at
 * most `depth` hops and `limit` facts. Within a hop, newer facts are taken first; `truncated`
 * says a further fact was within reach when the limit was hit. An invisible or unknown start
 * yields an empty subgraph.
 */
export async function neighborhood(
  sql: StatementCache,
  start: string,
  opts: { depth: number; limit: number },
  asOf: number | null,
): Promise<Subgraph> {
  const depth = nonNegativeInt('depth', opts.depth);
  const limit = nonNegativeInt('limit', opts.limit);
  const withAsOf = asOf !== null;
  const startVisible = sql
    .get(`SELECT ${endVisible(':id', withAsOf, 'start')} AS visible`)
    .get({ id: start, asOf }) as { visible: number };
  if (!startVisible.visible) return { nodes: [], events: [], facts: [], truncated: false };

  const around = sql.get(factsAroundSql('both', false, withAsOf));
  // Lazy: rows are read one frontier id at a time, so a supernode stops being read at the limit.
  const { reached, facts, truncated } = await expandNeighborhood(start, depth, limit, function* (frontier) {
    for (const id of frontier) {
      for (const row of around.iterate({ id, asOf, limit: -1 })) yield { from: id, fact: toFactRecord(row) };
    }
  });
  return {
    nodes: nodesByIds(sql, reached, asOf),
    events: eventsByIds(sql, reached, asOf),
    facts,
    truncated,
  };
}

/**
 * Visible facts grouped by (type, verbatim predicate), most used first, then by type and predicate,
 * at most `first` groups. `types` (when given) restricts the canonical types counted.
 */
export function predicateCounts(
  sql: StatementCache,
  opts: { types?: readonly RelType[] | null; first: number },
  asOf: number | null,
): PredicateCount[] {
  const limit = checkFirst(opts.first);
  const types = opts.types ?? null;
  if (limit === 0 || (types !== null && types.length === 0)) return [];
  const byType = types === null ? '' : 'f.type IN (SELECT value FROM json_each(:types)) AND ';
  return sql
    .get(
      `SELECT f.type, f.predicate, count(*) AS count FROM facts f
        WHERE ${byType}${factVisible('f', asOf !== null)}
        GROUP BY f.type, f.predicate
        ORDER BY count DESC, f.type, f.predicate
        LIMIT :limit`,
    )
    .all({ asOf, limit, types: types === null ? null : JSON.stringify(types) })
    .map((row) => ({ type: row.type as RelType, predicate: row.predicate as string, count: row.count as number }));
}

/**
 * Per id in `objectIds`, the number of visible facts of `type` whose object it is; ids with none
 * are absent. Starts from each object (facts_by_object), so a concept's instances are counted
 * without scanning other facts.
 * @throws InvalidArgumentError for a type outside the ontology
 */
export function countFactsInto(
  sql: StatementCache,
  objectIds: readonly string[],
  type: RelType,
  asOf: number | null,
): Map<string, number> {
  if (!isRelType(type)) throw new InvalidArgumentError('type', `unknown relationship type "${String(type)}"`);
  const out = new Map<string, number>();
  if (objectIds.length === 0) return out;
  const rows = sql
    .get(
      `SELECT f.object AS id, count(*) AS count FROM facts f
        WHERE f.object IN (SELECT value FROM json_each(:ids)) AND f.type = :type AND ${factVisible('f', asOf !== null)}
        GROUP BY f.object`,
    )
    .all({ ids: JSON.stringify([...new Set(objectIds)]), type, asOf });
  for (const row of rows) out.set(row.id as string, row.count as number);
  return out;
}

/**
 * The source's facts that are not retracted (no other visibility rule), in insertion (`rid`) order,
 * seeking through `facts_by_source (source_id)`, whose entries end in the rowid. `totalCount` is
 * counted on the first page and carried in the cursor, so paging through millions of facts does not
 * recount them on every page (it is the count as of the first page).
 */
export function factsOfSource(sql: StatementCache, sourceId: string, page: PageArgs): Page<FactRecord> {
  return pageOfSource(sql, sourceId, page, FACT_COLUMNS, toFactRecord);
}

/** The ids of `factsOfSource`, same order and cursors, reading the index and the id column only. */
export function factIdsOfSource(sql: StatementCache, sourceId: string, page: PageArgs): Page<string> {
  return pageOfSource(sql, sourceId, page, 'f.id', (row) => row.id as string);
}

function pageOfSource<T>(sql: StatementCache, sourceId: string, page: PageArgs, columns: string, toNode: (row: Record<string, unknown>) => T): Page<T> {
  const first = pageSize(page);
  const after = cursorKey(page.after, ['number', 'number'] as const);
  const total = after?.[1] ?? (sql
    .get('SELECT count(*) AS total FROM facts f WHERE f.source_id = :sourceId AND f.retracted_at IS NULL')
    .get({ sourceId }) as { total: number }).total;
  const rows = sql
    .get(`SELECT f.rid, ${columns} FROM facts f
           WHERE f.source_id = :sourceId AND f.retracted_at IS NULL AND f.rid > :afterRid
           ORDER BY f.rid LIMIT :limit`)
    .all({ sourceId, afterRid: after?.[0] ?? 0, limit: first + 1 })
    .map((row) => ({ rid: row.rid as number, node: toNode(row) }));
  const built = toPage(rows, first, total, (r) => [r.rid, total]);
  return { ...built, edges: built.edges.map((edge) => ({ node: edge.node.node, cursor: edge.cursor })) };
}

/** The fact ids among `ids` whose rows are retracted (GraphStore.retractedFactIds); one primary-key lookup each. */
export function retractedFactIds(sql: StatementCache, ids: readonly string[]): Set<string> {
  if (ids.length === 0) return new Set();
  const rows = sql
    .get(`SELECT f.id FROM facts f
           WHERE f.id IN (SELECT value FROM json_each(:ids)) AND f.retracted_at IS NOT NULL`)
    .all({ ids: JSON.stringify([...new Set(ids)]) });
  return new Set(rows.map((row) => row.id as string));
}
