/**
 * Data migrations `migrate()` runs after the schema: nodes written by an earlier version that lack
 * a property this version reads. Each walks the namespace in id order (a range seek on the
 * `(ns, id)` constraint index, so every page costs its own size) and is a no-op once done.
 */
import { CHUNK, ENTITY, EVENT, THING } from '../model.ts';
import { NS, statement } from './statement.ts';

/**
 * A page of entities, searchable events and chunks that have no search terms yet (written before
 * graph/search-terms.ts): what the caller needs to compute them.
 */
export const TERMLESS_PAGE = statement(
  'nodes without search terms (page)',
  `MATCH (n:${THING})
   WHERE n.ns = $ns AND n.id > $after
   WITH n ORDER BY n.id LIMIT $scan
   WITH n WHERE (n:${ENTITY} AND n.nameTerms IS NULL)
     OR (n:${EVENT} AND n.nameTerms IS NULL AND n.type IN $types)
     OR (n:${CHUNK} AND n.textTerms IS NULL)
   RETURN n.id AS id, n:${CHUNK} AS chunk, n.name AS name, n.aliases AS aliases, n.text AS text`,
  { ...NS, after: 'STRING', scan: 'INTEGER', types: 'LIST<STRING>' },
);

/** The last id of a page of `$scan` nodes after `$after` (null past the end). */
export const SCAN_END = statement(
  'end of a scan page',
  `MATCH (n:${THING})
   WHERE n.ns = $ns AND n.id > $after
   WITH n ORDER BY n.id LIMIT $scan
   RETURN max(n.id) AS last`,
  { ...NS, after: 'STRING', scan: 'INTEGER' },
);

/** Sets the computed terms (`row.props`: nameTerms and aliasTerms, or textTerms). */
export const SET_TERMS = statement(
  'set search terms',
  `UNWIND $rows AS row
   MATCH (n:${THING} {ns: $ns, id: row.id})
   USING INDEX SEEK n:${THING}(ns, id)
   SET n += row.props
   REMOVE n.aliasText`,
  { ...NS, rows: 'LIST<MAP>' },
);

export const BACKFILL_STATEMENTS = [TERMLESS_PAGE, SCAN_END, SET_TERMS];
