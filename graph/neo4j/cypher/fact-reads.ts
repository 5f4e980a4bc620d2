/**
 * Fact reads: the facts around one id, and one breadth-first hop of a neighbourhood. Facts come
 * newest `recordedAt` first, then by fact id, as in every store. Also the counts the schema view
 * needs: predicates in use, and facts of one type into given objects.
 */
import { isRelType, REL_TYPES, type RelType } from '../../../schema/ontology.ts';
import { THING } from '../model.ts';
import { endVisible, factVisible } from '../visibility.ts';
import { factProjection } from './projections.ts';
import { AS_OF, generatedBy, NS, statement, type CypherStatement } from './statement.ts';

export type Direction = 'out' | 'in' | 'both';

/** A relationship type expression for a set of types from the closed set: `:A|B`, or '' for any. */
function typeExpression(types: readonly RelType[] | null): string {
  if (types === null) return '';
  const odd = types.find((t) => !isRelType(t));
  if (odd !== undefined) throw new Error(`not a relationship type: ${JSON.stringify(odd)}`);
  return `:${[...new Set(types)].sort().join('|')}`;
}

/** The relationship pattern around `x` (whose id is `id`) in a direction, of any type or of the given types. */
function around(direction: Direction, types: readonly RelType[] | null, id = '$id'): string {
  const rel = `[f${typeExpression(types)}]`;
  const x = `(x:${THING} {ns: $ns, id: ${id}})`;
  if (direction === 'out') return `${x}-${rel}->()`;
  if (direction === 'in') return `${x}<-${rel}-()`;
  // An undirected pattern can meet a self-loop twice; DISTINCT returns it once.
  return `${x}-${rel}-()`;
}

/**
 * The facts around an id. A typed statement reads only those types' relationships of the node
 * (Neo4j groups a dense node's relationships by type), so asking a hub for its labels does not
 * read its transfers.
 */
function factsAround(direction: Direction, types: readonly RelType[] | null): CypherStatement {
  return statement(
    `facts around an id (${direction}${types === null ? '' : `, ${typeExpression(types).slice(1)}`})`,
    `MATCH ${around(direction, types)}
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

const typedAround = generatedBy<[Direction, readonly RelType[]]>(
  ([d, types]) => `${d}${typeExpression(types)}`,
  ([d, types]) => factsAround(d, types),
);

/**
 * The facts of the given types around an id, in a direction: one statement per (direction, type
 * set), generated on first use from the closed set of types and kept.
 * @throws Error for a type outside the ontology (callers validate first)
 */
export function typedFactsAround(direction: Direction, types: readonly RelType[]): CypherStatement {
  return typedAround([direction, types]);
}

/**
 * FACTS_AROUND for each of `$ids` (at most `$limit` per id), one row per id with its facts in order:
 * the batched read of GraphStore.factsOfEach. Generated per (direction, type set) like
 * typedFactsAround; `types` null means every type.
 */
function factsAroundEach(direction: Direction, types: readonly RelType[] | null): CypherStatement {
  return statement(
    `facts around each id (${direction}${types === null ? '' : `, ${typeExpression(types).slice(1)}`})`,
    `UNWIND $ids AS id
     CALL (id) {
       MATCH ${around(direction, types, 'id')}
       USING INDEX SEEK x:${THING}(ns, id)
       WITH DISTINCT f
       WITH f, startNode(f) AS s, endNode(f) AS o
       WHERE ${factVisible('f', 's', 'o')}
       WITH f, s, o ORDER BY f.recordedAt DESC, f.factId LIMIT $limit
       RETURN collect(${factProjection('f', 's', 'o')}) AS facts
     }
     RETURN id, facts`,
    { ...NS, ...AS_OF, ids: 'LIST<STRING>', limit: 'INTEGER' },
  );
}

const aroundEach = generatedBy<[Direction, readonly RelType[] | null]>(
  ([d, types]) => `${d}${typeExpression(types)}`,
  ([d, types]) => factsAroundEach(d, types),
);

/** The statement of factsAroundEach for a direction and type set (null: every type), kept once made. */
export function factsAroundEachStatement(direction: Direction, types: readonly RelType[] | null): CypherStatement {
  return aroundEach([direction, types]);
}

/** Samples of typedFactsAround for the linter and the registry (every single type, both ways). */
export const TYPED_FACTS_AROUND_SAMPLES: readonly CypherStatement[] = [
  ...REL_TYPES.map((type) => typedFactsAround('both', [type])),
  typedFactsAround('out', ['INSTANCE_OF']),
  typedFactsAround('in', [...REL_TYPES]),
  factsAroundEachStatement('both', null),
  factsAroundEachStatement('out', ['INSTANCE_OF', 'SAME_AS']),
];

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
   USING INDEX SEEK x:${THING}(ns, id)
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
 * (the counts are as of `$asOf`, which no counter can answer); {@link typedPredicateCounts} reads
 * only the given types'.
 */
function predicateCounts(types: readonly RelType[] | null): CypherStatement {
  return statement(
    `count facts by predicate${types === null ? '' : ` (${typeExpression(types).slice(1)})`}`,
    `MATCH (s:${THING})-[f${typeExpression(types)}]->(o:${THING})
     WHERE s.ns = $ns AND ${factVisible('f', 's', 'o')}
     RETURN type(f) AS type, f.predicate AS predicate, count(*) AS count
     ORDER BY count DESC, type, predicate
     LIMIT $limit`,
    { ...NS, ...AS_OF, limit: 'INTEGER' },
  );
}

export const PREDICATE_COUNTS = predicateCounts(null);

const typedCounts = generatedBy<readonly RelType[]>(typeExpression, predicateCounts);

/** PREDICATE_COUNTS over the given types only (generated on first use, like typedFactsAround). */
export function typedPredicateCounts(types: readonly RelType[]): CypherStatement {
  return typedCounts(types);
}

/**
 * Per object id, the visible facts of one type into it. One statement per type: a typed pattern
 * reads only that type's relationships of a dense node (a concept with many instances).
 */
function countFactsInto(type: RelType): CypherStatement {
  return statement(
    `count ${type} facts into objects`,
    `UNWIND $ids AS id
     MATCH (s:${THING})-[f:${type}]->(o:${THING} {ns: $ns, id: id})
     USING INDEX SEEK o:${THING}(ns, id)
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
  ...Object.values(FACTS_AROUND), ...TYPED_FACTS_AROUND_SAMPLES,
  START_VISIBLE, NEIGHBORHOOD_HOP, PREDICATE_COUNTS, typedPredicateCounts(['HAS_LABEL']), typedPredicateCounts([...REL_TYPES]),
  ...Object.values(COUNT_FACTS_INTO),
];
