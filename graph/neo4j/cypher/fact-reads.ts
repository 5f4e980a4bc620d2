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

const PATTERNS: Record<Direction, string> = {
  out: `MATCH (x:${THING} {ns: $ns, id: $id})-[f]->()`,
  in: `MATCH (x:${THING} {ns: $ns, id: $id})<-[f]-()`,
  // An undirected pattern can meet a self-loop twice; DISTINCT returns it once.
  both: `MATCH (x:${THING} {ns: $ns, id: $id})-[f]-()`,
};

function factsAround(direction: Direction): CypherStatement {
  return statement(
    `facts around an id (${direction})`,
    `${PATTERNS[direction]}
     WITH DISTINCT f
     WITH f, startNode(f) AS s, endNode(f) AS o
     WHERE ($types IS NULL OR type(f) IN $types) AND ${factVisible('f', 's', 'o')}
     RETURN ${factProjection('f', 's', 'o')} AS fact
     ORDER BY f.recordedAt DESC, f.factId
     LIMIT $limit`,
    { ...NS, ...AS_OF, id: 'STRING', types: 'LIST<STRING>', limit: 'INTEGER' },
  );
}

export const FACTS_AROUND: Readonly<Record<Direction, CypherStatement>> = {
  out: factsAround('out'),
  in: factsAround('in'),
  both: factsAround('both'),
};

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
 * Facts only join `:Thing` nodes, so PART_OF (chunk → source) is never counted.
 */
export const PREDICATE_COUNTS = statement(
  'count facts by predicate',
  `MATCH (s:${THING})-[f]->(o:${THING})
   WHERE s.ns = $ns AND ($types IS NULL OR type(f) IN $types) AND ${factVisible('f', 's', 'o')}
   RETURN type(f) AS type, f.predicate AS predicate, count(*) AS count
   ORDER BY count DESC, type, predicate
   LIMIT $limit`,
  { ...NS, ...AS_OF, types: 'LIST<STRING>', limit: 'INTEGER' },
);

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
 * A source's facts that are not retracted, by fact id, a page at a time (re-extraction's diff).
 * Relationships have no index on `sourceId`: each page scans the namespace's facts, which is fine
 * for a maintenance read; the count runs on the first page only (the cursor carries it).
 */
export const FACTS_OF_SOURCE = statement(
  'facts of a source (page)',
  `MATCH (s:${THING})-[f]->(o:${THING})
   WHERE s.ns = $ns AND f.sourceId = $sourceId AND f.retractedAt IS NULL AND ($after IS NULL OR f.factId > $after)
   RETURN ${factProjection('f', 's', 'o')} AS fact
   ORDER BY f.factId
   LIMIT $limit`,
  { ...NS, sourceId: 'STRING', after: 'STRING', limit: 'INTEGER' },
);

/** The ids of FACTS_OF_SOURCE, same order (re-extraction's fast path digests them). */
export const FACT_IDS_OF_SOURCE = statement(
  'fact ids of a source (page)',
  `MATCH (s:${THING})-[f]->(:${THING})
   WHERE s.ns = $ns AND f.sourceId = $sourceId AND f.retractedAt IS NULL AND ($after IS NULL OR f.factId > $after)
   RETURN f.factId AS id
   ORDER BY f.factId
   LIMIT $limit`,
  { ...NS, sourceId: 'STRING', after: 'STRING', limit: 'INTEGER' },
);

export const COUNT_FACTS_OF_SOURCE = statement(
  'facts of a source (count)',
  `MATCH (s:${THING})-[f]->(:${THING})
   WHERE s.ns = $ns AND f.sourceId = $sourceId AND f.retractedAt IS NULL
   RETURN count(f) AS total`,
  { ...NS, sourceId: 'STRING' },
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
  FACTS_AROUND.out, FACTS_AROUND.in, FACTS_AROUND.both, START_VISIBLE, NEIGHBORHOOD_HOP, PREDICATE_COUNTS,
  ...Object.values(COUNT_FACTS_INTO),
];
