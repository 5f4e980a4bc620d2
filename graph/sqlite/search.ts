/**
 * Full-text search over node names/aliases and event summaries (one FTS5 index, BM25 ranked).
 * User text never reaches FTS5 syntax: it is cut into words and each word becomes a quoted
 * string, so `AND`, `*`, `"`, `:` or `NEAR(` are just text and can never raise a syntax error.
 */
import type { SearchHit } from '../graph-store.ts';
import { checkFirst } from '../../schema/pagination.ts';
import type { StatementCache } from './graph-rows.ts';
import { eventVisible, rowVisible } from './sql-visibility.ts';

/**
 * Characters the `unicode61` tokenizer keeps inside tokens (letters, digits, marks, private use);
 * everything else separates tokens, exactly as FTS5 itself would split them.
 */
const WORD = /[\p{L}\p{N}\p{M}\p{Co}]+/gu;

/** Name matches weigh more than alias matches (column weights for bm25). */
const NAME_WEIGHT = 4;
const ALIAS_WEIGHT = 1;

/**
 * An FTS5 MATCH expression for free text: every word must occur; the last word also matches as
 * a prefix (search-as-you-type). Null when the text holds no word at all.
 * @example ftsQuery('Uniswap: Old "Router') === '"Uniswap" "Old" "Router"*'
 */
export function ftsQuery(text: string): string | null {
  const words = text.normalize('NFC').match(WORD);
  if (words === null) return null;
  // Words cannot contain `"`, so quoting needs no escaping; the tokenizer folds case/diacritics.
  return words.map((word, i) => `"${word}"${i === words.length - 1 ? '*' : ''}`).join(' ');
}

/** Visible entities and events matching `text`, best BM25 match first. */
export function search(sql: StatementCache, text: string, first: number, asOf: number | null): SearchHit[] {
  const limit = checkFirst(first);
  const match = ftsQuery(text);
  if (match === null || limit === 0) return [];
  const withAsOf = asOf !== null;
  const rows = sql
    .get(
      `SELECT bm25(search_fts, ${NAME_WEIGHT}, ${ALIAS_WEIGHT}) AS rank,
              n.id AS node_id, n.kind, n.name, e.id AS event_id, e.type, e.summary
         FROM search_fts s
         LEFT JOIN nodes n ON s.rowid > 0 AND n.rid = s.rowid AND ${rowVisible('n', withAsOf)}
         LEFT JOIN events e ON s.rowid < 0 AND e.rid = -s.rowid AND ${eventVisible('e', withAsOf)}
        WHERE search_fts MATCH :match AND (n.rid IS NOT NULL OR e.rid IS NOT NULL)
        ORDER BY rank, s.rowid
        LIMIT :limit`,
    )
    .all({ match, limit, asOf });
  return rows.map((row) => {
    // bm25() is lower-is-better and negative; flip it so a higher score is a better hit.
    const score = -(row.rank as number);
    return row.node_id !== null
      ? { id: row.node_id as string, target: 'entity', label: row.kind as string, name: row.name as string, score }
      : { id: row.event_id as string, target: 'event', label: row.type as string, name: row.summary as string, score };
  });
}
