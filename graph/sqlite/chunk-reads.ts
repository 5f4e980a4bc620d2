/**
 * Chunk reads: chunks by id and full-text search over chunk text (the `chunk_fts` index, BM25
 * ranked). User text reaches FTS5 only through `ftsQuery` (search.ts), the same quoting as entity
 * search, so no input can raise an FTS5 syntax error.
 */
import type { ChunkHit } from '../graph-store.ts';
import type { ChunkRecord } from '../../schema/graph.ts';
import { checkFirst } from '../../schema/pagination.ts';
import { CHUNK_COLUMNS, toChunkRecord, type StatementCache } from './graph-rows.ts';
import { ftsQuery } from './search.ts';
import { chunkVisible } from './sql-visibility.ts';

/** The visible chunks among `ids`; unknown and invisible ids are left out. */
export function getChunks(sql: StatementCache, ids: readonly string[], asOf: number | null): ChunkRecord[] {
  if (ids.length === 0) return [];
  return sql
    .get(
      `SELECT ${CHUNK_COLUMNS} FROM chunks c
        WHERE c.id IN (SELECT value FROM json_each(:ids)) AND ${chunkVisible('c', asOf !== null)}`,
    )
    .all({ ids: JSON.stringify(ids), asOf })
    .map(toChunkRecord);
}

/** Visible chunks matching `text` (every word, the last also as a prefix), best BM25 match first. */
export function searchChunks(sql: StatementCache, text: string, first: number, asOf: number | null): ChunkHit[] {
  const limit = checkFirst(first);
  const match = ftsQuery(text);
  if (match === null || limit === 0) return [];
  return sql
    .get(
      `SELECT bm25(chunk_fts) AS rank, ${CHUNK_COLUMNS}
         FROM chunk_fts s
         JOIN chunks c ON c.rid = s.rowid
        WHERE chunk_fts MATCH :match AND ${chunkVisible('c', asOf !== null)}
        ORDER BY rank, c.id
        LIMIT :limit`,
    )
    .all({ match, limit, asOf })
    // bm25() is lower-is-better and negative; flip it so a higher score is a better hit.
    .map((row) => ({ chunk: toChunkRecord(row), score: -(row.rank as number) }));
}
