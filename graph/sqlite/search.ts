/**
 * Full-text search over node names/aliases and event summaries (one FTS5 index, BM25 ranked).
 * The table indexes the term text of graph/search-terms.ts, not the raw names. User text never
 * reaches FTS5 syntax: it is cut into terms and each becomes a quoted string, so `AND`, `*`, `"`,
 * `:` or `NEAR(` are just text and can never raise a syntax error.
 */
import type { SearchHit } from '../graph-store.ts';
import { checkFirst } from '../../schema/pagination.ts';
import { queryGroups } from '../search-terms.ts';
import type { StatementCache } from './graph-rows.ts';
import { eventVisible, rowVisible } from './sql-visibility.ts';

/** Name matches weigh more than alias matches (column weights for bm25). */
const NAME_WEIGHT = 4;
const ALIAS_WEIGHT = 1;

/**
 * An FTS5 MATCH expression for free text, from the terms of graph/search-terms.ts (which is also
 * what the FTS tables index): every group is required, a group of several terms is a phrase, and
 * the last group's terms are each required with its last term also matching as a prefix
 * (search-as-you-type), as in the Neo4j store. Null when the text holds no term at all. Terms
 * cannot contain `"`, so quoting needs no escaping.
 * @example ftsQuery('Uniswap: Old Rout') === '"uniswap" "old" "rout"*'
 * @example ftsQuery('7,193 ETH') === '"7 193" "eth"*'
 */
export function ftsQuery(text: string): string | null {
  const groups = queryGroups(text);
  if (groups === null) return null;
  return groups
    .map(({ terms, prefix }) => (prefix ? terms.map((t, i) => `"${t}"${i === terms.length - 1 ? '*' : ''}`).join(' ') : `"${terms.join(' ')}"`))
    .join(' ');
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
