/**
 * Full-text search through the term indexes (`mkg_terms`, `mkg_chunk_terms`). `$query` is a Lucene
 * query built from search terms (graph/neo4j/lucene.ts), never raw user text. An index spans every
 * namespace and keeps retracted and not-yet-visible nodes, so hits are filtered here; the index
 * call itself is cut at `$fetch` hits (Lucene then only scores and sorts that many), and the caller
 * asks again with a larger `$fetch` when too few hits survived the filter while the index had more
 * (`fetched`). Entity search returns only entities and events.
 */
import { EVENT, TEXT_INDEX } from '../model.ts';
import { entityOrEventVisible } from '../visibility.ts';
import { AS_OF, NS, statement, type CypherStatement } from './statement.ts';

/**
 * One call of a full-text index, cut at `$fetch`: `fetched` (how many hits the index gave) and
 * `kept`, the hits of this namespace that `visible(node)` lets through, as `hit(node, score)` maps.
 */
export function fullTextSearch(name: string, index: string, visible: (node: string) => string, hit: string): CypherStatement {
  return statement(
    name,
    `CALL db.index.fulltext.queryNodes('${index}', $query, {limit: $fetch}) YIELD node, score
     WITH collect({node: node, score: score}) AS hits
     CALL (hits) {
       UNWIND hits AS hit
       WITH hit.node AS node, hit.score AS score
       WHERE node.ns = $ns AND ${visible('node')}
       RETURN collect(${hit}) AS kept
     }
     RETURN size(hits) AS fetched, kept`,
    { ...NS, ...AS_OF, query: 'STRING', fetch: 'INTEGER' },
  );
}

export const SEARCH = fullTextSearch('full-text search', TEXT_INDEX, entityOrEventVisible, `{
         id: node.id,
         target: CASE WHEN node:${EVENT} THEN 'event' ELSE 'entity' END,
         label: CASE WHEN node:${EVENT} THEN node.type ELSE node.kind END,
         name: CASE WHEN node:${EVENT} THEN node.summary ELSE node.name END,
         score: score
       }`);
