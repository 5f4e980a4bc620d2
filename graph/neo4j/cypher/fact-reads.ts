/**
 * Fact reads: the facts around one id, and one breadth-first hop of a neighbourhood. Facts come
 * newest `recordedAt` first, then by fact id, as in every store. Also the counts the schema view
 * needs: predicates in use, and facts of one type into given objects.
 */
import { REL_TYPES, type RelType } from '../../../schema/ontology.ts';
import { THING } from '../model.ts';
import { endVisible, factVisible } from '../visibility.ts';
import { factProjection } from './projections.ts';
import { AS_OF, NS, statement, type CypherStatement } from './statement.ts';

export type Direction = 'out' | 'in' | 'both';

/** The relationship pattern around `x` in a direction, untyped or of one type. */
function around(direction: Direction, type: RelType | null): string {
  const rel = type === null ? '[f]' : `[f:${type}]`;
  const x = `(x:${THING} {ns: $ns, id: $id})`;
  if (direction === 'out') return `${x}-${rel}->()`;
  if (direction === 'in') return `${x}<-${rel}-()`;
  // An undirected pattern can meet a self-loop twice; DISTINCT returns it once.
  return `${x}-${rel}-()`;
}

/**
 * The facts around an id. A typed statement reads only that type's relationships of the node (Neo4j
 * groups a dense node's relationships by type), so asking a hub for its labels does not read its
 * transfers; several types run one statement each and the caller merges them.
 */
function factsAround(direction: Direction, type: RelType | null): CypherStatement {
  return statement(
    `facts around an id (${direction}${type === null ? '' : `, ${type}`})`,
    `MATCH ${around(direction, type)}
     WITH DISTINCT f
     WITH f, startNode(f) AS s, endNode(f) AS o
     WHERE ${factVisible('f', 's', 'o')}
     RETURN ${factProjection('f', 's', 'o')} AS fact
     ORDER BY f.recordedAt DESC, f.factId
     LIMIT $limit`,
    { ...NS, ...AS_OF, id: 'STRING', limit: 'INTEGER' },
  );
}

const DIRECTIONS: readonly Direction[] = ['out', 'in', 'both'];

/** Every type's facts around an id, by direction. */
export const FACTS_AROUND: Readonly<Record<Direction, CypherStatement>> = {
  out: factsAround('out', null),
  in: factsAround('in', null),
  both: factsAround('both', null),
};

/** One type's facts around an id, by direction and type. */
export const TYPED_FACTS_AROUND: Readonly<Record<Direction, Readonly<Record<RelType, CypherStatement>>>> = Object.fromEntries(
  DIRECTIONS.map((d) => [d, Object.fromEntries(REL_TYPES.map((type) => [type, factsAround(d, type)]))]),
) as Record<Direction, Record<RelType, CypherStatement>>;

/** Whether a neighbourhood's start is a visible entity or event. */
export const START_VISIBLE = statement(
  'neighbourhood start is visible',
  `OPTIONAL MATCH (x:${THING} {ns: $ns, id: $id})
   RETURN coalesce(${endVisible('x')}, false) AS visible`,
  { ...NS, ...AS_OF, id: 'STRING' },
);

/**
 * One hop: the visible facts around each frontier id, frontier order first, then newest first.
 * `$limit` bounds the rows; the caller sizes it so the facts it still needs always fit.
 */
export const NEIGHBORHOOD_HOP = statement(
  'neighbourhood hop',
  `UNWIND range(0, size($frontier) - 1) AS i
   MATCH (x:${THING} {ns: $ns, id: $frontier[i]})-[f]-()
   WITH DISTINCT i, f
   WITH i, f, startNode(f) AS s, endNode(f) AS o
   WHERE ${factVisible('f', 's', 'o')}
   RETURN i, ${factProjection('f', 's', 'o')} AS fact
   ORDER BY i, f.recordedAt DESC, f.factId
   LIMIT $limit`,
  { ...NS, ...AS_OF, frontier: 'LIST<STRING>', limit: 'INTEGER' },
);

/**
 * Visible facts grouped by (type, verbatim predicate), most used first, then type and predicate.
 * Facts only join `:Thing` nodes, so PART_OF (chunk → source) is never counted. Every fact is read
 * (the counts are as of `$asOf`, which no counter can answer); {@link TYPED_PREDICATE_COUNTS} reads
 * only one type's.
 */
function predicateCounts(type: RelType | null): CypherStatement {
  return statement(
    `count facts by predicate${type === null ? '' : ` (${type})`}`,
    `MATCH (s:${THING})-[f${type === null ? '' : `:${type}`}]->(o:${THING})
     WHERE s.ns = $ns AND ${factVisible('f', 's', 'o')}
     RETURN type(f) AS type, f.predicate AS predicate, count(*) AS count
     ORDER BY count DESC, type, predicate
     LIMIT $limit`,
    { ...NS, ...AS_OF, limit: 'INTEGER' },
  );
}

export const PREDICATE_COUNTS = predicateCounts(null);

export const TYPED_PREDICATE_COUNTS: Readonly<Record<RelType, CypherStatement>> = Object.fromEntries(
  REL_TYPES.map((type) => [type, predicateCounts(type)]),
) as Record<RelType, CypherStatement>;

/**
 * Per object id, the visible facts of one type into it. One statement per type: a typed pattern
 * reads only that type's relationships of a dense node (a concept with many instances).
 */
function countFactsInto(type: RelType): CypherStatement {
  return statement(
    `count ${type} facts into objects`,
    `UNWIND $ids AS id
     MATCH (s:${THING})-[f:${type}]->(o:${THING} {ns: $ns, id: id})
     WHERE ${factVisible('f', 's', 'o')}
     RETURN id, count(f) AS count`,
    { ...NS, ...AS_OF, ids: 'LIST<STRING>' },
  );
}

export const COUNT_FACTS_INTO: Readonly<Record<RelType, CypherStatement>> = Object.fromEntries(
  REL_TYPES.map((type) => [type, countFactsInto(type)]),
) as Record<RelType, CypherStatement>;

/**
 * One part per type: a seek on that type's `(sourceId, factId)` index past `$after`, read in fact-id
 * order and cut at `$limit`, so a page reads at most `$limit` facts of each type, whatever the
 * source's size (`$after` is '' before the first page, so every page has the same shape).
 */
function ofSourceParts(tail: string): string {
  return REL_TYPES.map((type) => `MATCH (s:${THING})-[f:${type}]->(o:${THING})
     WHERE f.sourceId = $sourceId AND f.factId > $after AND s.ns = $ns AND f.retractedAt IS NULL
     ${tail}`).join('\n     UNION ALL\n     ');
}

/** A source's facts that are not retracted, by fact id, a page at a time (re-extraction's diff). */
export const FACTS_OF_SOURCE = statement(
  'facts of a source (page)',
  `CALL () {
     ${ofSourceParts(`WITH s, f, o ORDER BY f.factId LIMIT $limit
     RETURN s, f, o`)}
   }
   WITH s, f, o ORDER BY f.factId LIMIT $limit
   RETURN ${factProjection('f', 's', 'o')} AS fact`,
  { ...NS, sourceId: 'STRING', after: 'STRING', limit: 'INTEGER' },
);

/** The ids of FACTS_OF_SOURCE, same order (re-extraction's fast path digests them). */
export const FACT_IDS_OF_SOURCE = statement(
  'fact ids of a source (page)',
  `CALL () {
     ${ofSourceParts(`WITH f ORDER BY f.factId LIMIT $limit
     RETURN f.factId AS id`)}
   }
   WITH id ORDER BY id LIMIT $limit
   RETURN id`,
  { ...NS, sourceId: 'STRING', after: 'STRING', limit: 'INTEGER' },
);

/** How many facts FACTS_OF_SOURCE pages through (run on the first page only). */
export const COUNT_FACTS_OF_SOURCE = statement(
  'facts of a source (count)',
  `CALL () {
     ${ofSourceParts('RETURN count(f) AS n')}
   }
   RETURN sum(n) AS total`,
  { ...NS, sourceId: 'STRING', after: 'STRING' },
);

/**
 * The fact ids among `$ids` whose relationships are retracted (re-extraction's revivals): one part
 * per type, so each uses its type's `factId` index; UNION drops an id met twice.
 */
export const RETRACTED_FACT_IDS = statement(
  'retracted fact ids',
  REL_TYPES.map((type) => `MATCH (s:${THING})-[f:${type}]->()
   WHERE f.factId IN $ids AND s.ns = $ns AND f.retractedAt IS NOT NULL
   RETURN f.factId AS id`).join('\n   UNION\n   '),
  { ...NS, ids: 'LIST<STRING>' },
);

export const FACT_READ_STATEMENTS = [
  FACTS_OF_SOURCE, FACT_IDS_OF_SOURCE, COUNT_FACTS_OF_SOURCE, RETRACTED_FACT_IDS,
  ...Object.values(FACTS_AROUND), ...DIRECTIONS.flatMap((d) => Object.values(TYPED_FACTS_AROUND[d])),
  START_VISIBLE, NEIGHBORHOOD_HOP, PREDICATE_COUNTS, ...Object.values(TYPED_PREDICATE_COUNTS),
  ...Object.values(COUNT_FACTS_INTO),
];
