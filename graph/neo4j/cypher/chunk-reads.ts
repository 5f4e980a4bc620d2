/**
 * Chunk reads: chunks by id, and full-text search through the `mkg_chunk_text` index. `$query` is
 * a Lucene query built from escaped user words (graph/neo4j/lucene.ts), never raw user text. The
 * index spans every namespace, so hits are filtered by `ns` and visibility before the limit.
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

export const SEARCH_CHUNKS = statement(
  'full-text search over chunks',
  `CALL db.index.fulltext.queryNodes('${CHUNK_TEXT_INDEX}', $query) YIELD node, score
   WHERE node.ns = $ns AND ${chunkNodeVisible('node')}
   RETURN ${chunkProjection('node')} AS chunk, score
   ORDER BY score DESC, node.id
   LIMIT $limit`,
  { ...NS, ...AS_OF, query: 'STRING', limit: 'INTEGER' },
);

export const CHUNK_READ_STATEMENTS = [CHUNKS_BY_IDS, SEARCH_CHUNKS];
