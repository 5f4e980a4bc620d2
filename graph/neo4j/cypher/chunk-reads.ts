/**
 * Chunk reads: chunks by id, and full-text search through the `mkg_chunk_terms` index. `$query` is
 * a Lucene query built from search terms (graph/neo4j/lucene.ts), never raw user text.
 */
import { CHUNK_TEXT_INDEX, THING } from '../model.ts';
import { chunkNodeVisible } from '../visibility.ts';
import { chunkProjection } from './projections.ts';
import { AS_OF, NS, statement } from './statement.ts';

/** The visible chunks among `$ids` (unknown ids, entities, events and placeholders are left out). */
export const CHUNKS_BY_IDS = statement(
  'chunks by ids',
  `UNWIND $ids AS id
   MATCH (c:${THING} {ns: $ns, id: id})
   WHERE ${chunkNodeVisible('c')}
   RETURN ${chunkProjection('c')} AS chunk`,
  { ...NS, ...AS_OF, ids: 'LIST<STRING>' },
);

/** Full-text search over chunk terms, cut and filtered as SEARCH is (cypher/search.ts). */
export const SEARCH_CHUNKS = statement(
  'full-text search over chunks',
  `CALL db.index.fulltext.queryNodes('${CHUNK_TEXT_INDEX}', $query, {limit: $fetch}) YIELD node, score
   WITH collect({node: node, score: score}) AS hits
   CALL (hits) {
     UNWIND hits AS hit
     WITH hit.node AS node, hit.score AS score
     WHERE node.ns = $ns AND ${chunkNodeVisible('node')}
     RETURN collect({chunk: ${chunkProjection('node')}, score: score}) AS kept
   }
   RETURN size(hits) AS fetched, kept`,
  { ...NS, ...AS_OF, query: 'STRING', fetch: 'INTEGER' },
);

export const CHUNK_READ_STATEMENTS = [CHUNKS_BY_IDS, SEARCH_CHUNKS];
