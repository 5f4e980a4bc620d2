/**
 * Full-text search through the `mkg_terms` index. `$query` is a Lucene query built from search
 * terms (graph/neo4j/lucene.ts), never raw user text. The index spans every namespace and keeps
 * retracted and not-yet-visible nodes, so hits are filtered here; the index call itself is cut at
 * `$fetch` hits (Lucene then only scores and sorts that many), and the caller asks again with a
 * larger `$fetch` when too few hits survived the filter while the index had more (`fetched`).
 * Only entities and events are hits.
 */
import { EVENT, TEXT_INDEX } from '../model.ts';
import { entityOrEventVisible } from '../visibility.ts';
import { AS_OF, NS, statement } from './statement.ts';

export const SEARCH = statement(
  'full-text search',
  `CALL db.index.fulltext.queryNodes('${TEXT_INDEX}', $query, {limit: $fetch}) YIELD node, score
   WITH collect({node: node, score: score}) AS hits
   CALL (hits) {
     UNWIND hits AS hit
     WITH hit.node AS node, hit.score AS score
     WHERE node.ns = $ns AND ${entityOrEventVisible('node')}
     RETURN collect({
       id: node.id,
       target: CASE WHEN node:${EVENT} THEN 'event' ELSE 'entity' END,
       label: CASE WHEN node:${EVENT} THEN node.type ELSE node.kind END,
       name: CASE WHEN node:${EVENT} THEN node.summary ELSE node.name END,
       score: score
     }) AS kept
   }
   RETURN size(hits) AS fetched, kept`,
  { ...NS, ...AS_OF, query: 'STRING', fetch: 'INTEGER' },
);
