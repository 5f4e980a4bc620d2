/**
 * Full-text search through the `mkg_text` index. `$query` is a Lucene query built from escaped user
 * words (graph/neo4j/lucene.ts), never raw user text. The index spans every namespace, so hits are
 * filtered by `ns` and visibility before the limit. Only entities and events are hits: a store
 * migrated before chunks had their own index still holds chunk text in `mkg_text`.
 */
import { EVENT, TEXT_INDEX } from '../model.ts';
import { entityOrEventVisible } from '../visibility.ts';
import { AS_OF, NS, statement } from './statement.ts';

export const SEARCH = statement(
  'full-text search',
  `CALL db.index.fulltext.queryNodes('${TEXT_INDEX}', $query) YIELD node, score
   WHERE node.ns = $ns AND ${entityOrEventVisible('node')}
   RETURN node.id AS id,
     CASE WHEN node:${EVENT} THEN 'event' ELSE 'entity' END AS target,
     CASE WHEN node:${EVENT} THEN node.type ELSE node.kind END AS label,
     CASE WHEN node:${EVENT} THEN node.summary ELSE node.name END AS name,
     score
   ORDER BY score DESC, id
   LIMIT $limit`,
  { ...NS, ...AS_OF, query: 'STRING', limit: 'INTEGER' },
);
