/**
 * Chunk reads: chunks by id, and full-text search through the `mkg_chunk_terms` index. `$query` is
 * a Lucene query built from search terms (graph/neo4j/lucene.ts), never raw user text.
 */
import { CHUNK_TEXT_INDEX, THING } from '../model.ts';
import { chunkNodeVisible } from '../visibility.ts';
import { chunkProjection } from './projections.ts';
import { fullTextSearch } from './search.ts';
import { AS_OF, NS, statement } from './statement.ts';

/** The visible chunks among `$ids` (unknown ids, entities, events and placeholders are left out). */
export const CHUNKS_BY_IDS = statement(
  'chunks by ids',
  `UNWIND $ids AS id
   MATCH (c:${THING} {ns: $ns, id: id})
   USING INDEX SEEK c:${THING}(ns, id)
   WHERE ${chunkNodeVisible('c')}
   RETURN ${chunkProjection('c')} AS chunk`,
  { ...NS, ...AS_OF, ids: 'LIST<STRING>' },
);

/** Full-text search over chunk terms, cut and filtered as SEARCH is (cypher/search.ts). */
export const SEARCH_CHUNKS = fullTextSearch(
  'full-text search over chunks', CHUNK_TEXT_INDEX, chunkNodeVisible, `{chunk: ${chunkProjection('node')}, score: score}`,
);

export const CHUNK_READ_STATEMENTS = [CHUNKS_BY_IDS, SEARCH_CHUNKS];
