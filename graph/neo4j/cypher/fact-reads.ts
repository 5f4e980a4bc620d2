/**
 * Fact reads: the facts around one id, and one breadth-first hop of a neighbourhood. Facts come
 * newest `recordedAt` first, then by fact id, as in every store.
 */
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

export const FACT_READ_STATEMENTS = [FACTS_AROUND.out, FACTS_AROUND.in, FACTS_AROUND.both, START_VISIBLE, NEIGHBORHOOD_HOP];
