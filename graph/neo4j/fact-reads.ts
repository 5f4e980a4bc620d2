/**
 * Fact reads: the facts around one id, the bounded breadth-first neighbourhood, and the counts the
 * schema view needs (predicates in use, facts into given objects).
 */
import type { FactQuery, PredicateCount, Subgraph } from '../graph-store.ts';
import { expandNeighborhood } from '../neighborhood.ts';
import { InvalidArgumentError } from '../../schema/errors.ts';
import type { FactRecord } from '../../schema/graph.ts';
import { isRelType, type RelType } from '../../schema/ontology.ts';
import { checkFirst, type Page, type PageArgs } from '../../schema/pagination.ts';
import { cursorKey, pageSize, toPage } from '../paging.ts';
import {
  COUNT_FACTS_INTO, COUNT_FACTS_OF_SOURCE, FACT_IDS_OF_SOURCE, FACTS_AROUND, FACTS_OF_SOURCE, NEIGHBORHOOD_HOP, PREDICATE_COUNTS,
  RETRACTED_FACT_IDS, START_VISIBLE, factsAroundEachStatement, typedFactsAround, typedPredicateCounts,
} from './cypher/fact-reads.ts';
import { eventsByIds, nodesByIds } from './reads.ts';
import { int, intOrNull, toFactRecord, toNumber } from './records.ts';
import { query, type Row, type Scope } from './runner.ts';

type AsOfParam = ReturnType<typeof intOrNull>;

/** @default 100 */
const DEFAULT_FACT_LIMIT = 100;

function nonNegativeInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new InvalidArgumentError(name, 'must be a non-negative integer');
  return value;
}

/** Visible facts whose subject or object is `id`, newest `recordedAt` first. */
export async function factsOf(scope: Scope, id: string, q: FactQuery, asOf: AsOfParam): Promise<FactRecord[]> {
  const direction = q.direction ?? 'both';
  if (direction !== 'out' && direction !== 'in' && direction !== 'both') {
    throw new InvalidArgumentError('direction', 'must be out, in or both');
  }
  const limit = nonNegativeInt('limit', q.limit ?? DEFAULT_FACT_LIMIT);
  const types = q.types === null || q.types === undefined ? null : [...new Set(q.types)];
  if (limit === 0 || (types !== null && types.length === 0)) return [];
  const params = { id, limit: int(limit), asOf };
  for (const type of types ?? []) {
    if (!isRelType(type)) throw new InvalidArgumentError('types', `unknown relationship type "${String(type)}"`);
  }
  const statement = types === null ? FACTS_AROUND[direction] : typedFactsAround(direction, types);
  return (await query(scope, statement, params)).map((row) => toFactRecord(row.fact as Row));
}

/** Ids per FACTS_AROUND_EACH statement. */
const IDS_PER_STATEMENT = 500;

/** `factsOf` for each of `ids`, a statement per IDS_PER_STATEMENT ids (GraphStore.factsOfEach). */
export async function factsOfEach(scope: Scope, ids: readonly string[], q: FactQuery, asOf: AsOfParam): Promise<Map<string, FactRecord[]>> {
  const direction = q.direction ?? 'both';
  if (direction !== 'out' && direction !== 'in' && direction !== 'both') {
    throw new InvalidArgumentError('direction', 'must be out, in or both');
  }
  const limit = nonNegativeInt('limit', q.limit ?? DEFAULT_FACT_LIMIT);
  const types = q.types === null || q.types === undefined ? null : [...new Set(q.types)];
  for (const type of types ?? []) {
    if (!isRelType(type)) throw new InvalidArgumentError('types', `unknown relationship type "${String(type)}"`);
  }
  const unique = [...new Set(ids)];
  const out = new Map<string, FactRecord[]>(unique.map((id) => [id, []]));
  if (limit === 0 || (types !== null && types.length === 0)) return out;
  const statement = factsAroundEachStatement(direction, types);
  for (let i = 0; i < unique.length; i += IDS_PER_STATEMENT) {
    const rows = await query(scope, statement, { ids: unique.slice(i, i + IDS_PER_STATEMENT), limit: int(limit), asOf });
    for (const row of rows) out.set(row.id as string, (row.facts as Row[]).map(toFactRecord));
  }
  return out;
}

/**
 * Breadth-first expansion from a visible node or event over visible facts (both directions), at
 * most `depth` hops and `limit` facts, exactly as the SQLite store does it: within a hop, frontier
 * ids in discovery order, each one's newer facts first; `truncated` says a further fact was within
 * reach when the limit was hit. One statement per hop, with a row limit that always leaves room for
 * the facts still needed (`limit - taken + 1`, the one beyond the limit included): every other row
 * repeats a fact already taken, at most twice (once per end), so `2 * (limit + 1)` rows suffice.
 */
export async function neighborhood(
  scope: Scope,
  start: string,
  opts: { depth: number; limit: number },
  asOf: AsOfParam,
): Promise<Subgraph> {
  const depth = nonNegativeInt('depth', opts.depth);
  const limit = nonNegativeInt('limit', opts.limit);
  const [visible] = await query(scope, START_VISIBLE, { id: start, asOf });
  if (visible?.visible !== true) return { nodes: [], events: [], facts: [], truncated: false };

  const { reached, facts, truncated } = await expandNeighborhood(start, depth, limit, async (frontier) => {
    const rows = await query(scope, NEIGHBORHOOD_HOP, { frontier, limit: int(2 * (limit + 1)), asOf });
    return rows.map((row) => ({ from: frontier[toNumber(row.i)]!, fact: toFactRecord(row.fact as Row) }));
  });
  return {
    nodes: await nodesByIds(scope, reached, asOf),
    events: await eventsByIds(scope, reached, asOf),
    facts,
    truncated,
  };
}

/**
 * Visible facts grouped by (type, verbatim predicate), most used first, then by type and predicate,
 * at most `first` groups. `types` (when given) restricts the canonical types counted.
 */
export async function predicateCounts(
  scope: Scope,
  opts: { types?: readonly RelType[] | null; first: number },
  asOf: AsOfParam,
): Promise<PredicateCount[]> {
  const limit = checkFirst(opts.first);
  const types = opts.types === null || opts.types === undefined ? null : [...new Set(opts.types)];
  if (limit === 0 || (types !== null && types.length === 0)) return [];
  for (const type of types ?? []) {
    if (!isRelType(type)) throw new InvalidArgumentError('types', `unknown relationship type "${String(type)}"`);
  }
  const statement = types === null ? PREDICATE_COUNTS : typedPredicateCounts(types);
  const rows = await query(scope, statement, { limit: int(limit), asOf });
  return rows.map((row) => ({ type: row.type as RelType, predicate: row.predicate as string, count: toNumber(row.count) }));
}

/**
 * Per id in `objectIds`, the number of visible facts of `type` whose object it is; ids with none
 * are absent.
 * @throws InvalidArgumentError for a type outside the ontology
 */
export async function countFactsInto(
  scope: Scope,
  objectIds: readonly string[],
  type: RelType,
  asOf: AsOfParam,
): Promise<Map<string, number>> {
  if (!isRelType(type)) throw new InvalidArgumentError('type', `unknown relationship type "${String(type)}"`);
  const out = new Map<string, number>();
  if (objectIds.length === 0) return out;
  for (const row of await query(scope, COUNT_FACTS_INTO[type], { ids: [...new Set(objectIds)], asOf })) {
    out.set(row.id as string, toNumber(row.count));
  }
  return out;
}

/**
 * The source's facts that are not retracted, by fact id. `totalCount` is counted on the first page
 * and carried in the cursor (the count as of the first page), so later pages do not recount.
 */
export async function factsOfSource(scope: Scope, sourceId: string, page: PageArgs): Promise<Page<FactRecord>> {
  const first = pageSize(page);
  const after = cursorKey(page.after, ['string', 'number'] as const);
  const total = after?.[1] ?? toNumber((await query(scope, COUNT_FACTS_OF_SOURCE, { sourceId, after: '' }))[0]?.total ?? 0);
  const rows = await query(scope, FACTS_OF_SOURCE, { sourceId, after: after?.[0] ?? '', limit: int(first + 1) });
  return toPage(rows.map((row) => toFactRecord(row.fact as Row)), first, total, (f) => [f.id, total]);
}

/** The ids of `factsOfSource`, same order and cursors. */
export async function factIdsOfSource(scope: Scope, sourceId: string, page: PageArgs): Promise<Page<string>> {
  const first = pageSize(page);
  const after = cursorKey(page.after, ['string', 'number'] as const);
  const total = after?.[1] ?? toNumber((await query(scope, COUNT_FACTS_OF_SOURCE, { sourceId, after: '' }))[0]?.total ?? 0);
  const rows = await query(scope, FACT_IDS_OF_SOURCE, { sourceId, after: after?.[0] ?? '', limit: int(first + 1) });
  return toPage(rows.map((row) => String(row.id)), first, total, (id) => [id, total]);
}

/** The fact ids among `ids` whose relationships are retracted (GraphStore.retractedFactIds). */
export async function retractedFactIds(scope: Scope, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await query(scope, RETRACTED_FACT_IDS, { ids: [...new Set(ids)] });
  return new Set(rows.map((row) => String(row.id)));
}
