/** Fact reads: the facts around one id, and the bounded breadth-first neighbourhood. */
import type { FactQuery, Subgraph } from '../graph-store.ts';
import { expandNeighborhood } from '../neighborhood.ts';
import { InvalidArgumentError } from '../../schema/errors.ts';
import type { FactRecord } from '../../schema/graph.ts';
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
