/**
 * Gives nodes written before graph/search-terms.ts their search terms, so the full-text indexes
 * `migrate()` creates find them (graph/neo4j/cypher/backfill.ts). One write transaction per page.
 */
import { EVENT_TYPES, isTextSearchable } from '../../schema/ontology.ts';
import { aliasTermText, termText } from '../search-terms.ts';
import { SCAN_END, SET_TERMS, TERMLESS_PAGE } from './cypher/backfill.ts';
import { int } from './records.ts';
import { query, type Scope } from './runner.ts';

/** Nodes looked at per transaction. */
const SCAN = 5_000;
const SEARCHABLE_TYPES = EVENT_TYPES.filter(isTextSearchable);

/**
 * Backfills one page after `after`; returns the last id looked at (null when the namespace is done)
 * and how many nodes were given terms.
 */
export async function backfillTermsPage(scope: Scope, after: string): Promise<{ last: string | null; updated: number }> {
  const params = { after, scan: int(SCAN) };
  const rows = await query(scope, TERMLESS_PAGE, { ...params, types: SEARCHABLE_TYPES });
  const updates = rows.map((row) => ({
    id: row.id as string,
    props: row.chunk === true
      ? { textTerms: termText(String(row.text ?? '')) }
      : Array.isArray(row.aliases)
        ? { nameTerms: termText(String(row.name ?? '')), aliasTerms: aliasTermText(row.aliases as string[]) }
        : { nameTerms: termText(String(row.name ?? '')) },
  }));
  if (updates.length > 0) await query(scope, SET_TERMS, { rows: updates });
  const [end] = await query(scope, SCAN_END, params);
  return { last: (end?.last as string | null | undefined) ?? null, updated: updates.length };
}
