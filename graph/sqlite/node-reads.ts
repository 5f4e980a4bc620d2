/** Entity reads: one node, nodes by ids, and the filtered, keyset-paginated node list. */
import type { NodeFilter } from '../graph-store.ts';
import type { NodeRecord } from '../../schema/graph.ts';
import type { Page, PageArgs } from '../../schema/pagination.ts';
import { NODE_COLUMNS, toNodeRecord, type StatementCache } from './graph-rows.ts';
import { cursorKey, pageSize, toPage } from '../paging.ts';
import { factVisible, rowVisible } from './sql-visibility.ts';
import { labelConceptId } from '../label-filter.ts';


/** A visible node by id; null for unknown ids, invisible nodes and event ids. */
export function getNode(sql: StatementCache, id: string, asOf: number | null): NodeRecord | null {
  const row = sql
    .get(`SELECT ${NODE_COLUMNS} FROM nodes n WHERE n.id = :id AND ${rowVisible('n', asOf !== null)}`)
    .get({ id, asOf });
  return row === undefined ? null : toNodeRecord(row);
}

/** The visible nodes among `ids`, in the order of `ids`. */
export function nodesByIds(sql: StatementCache, ids: readonly string[], asOf: number | null): NodeRecord[] {
  if (ids.length === 0) return [];
  const rows = sql
    .get(
      `SELECT ${NODE_COLUMNS} FROM nodes n
        WHERE n.id IN (SELECT value FROM json_each(:ids)) AND ${rowVisible('n', asOf !== null)}`,
    )
    .all({ ids: JSON.stringify(ids), asOf });
  const byId = new Map(rows.map((row) => [row.id as string, toNodeRecord(row)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** The ids among `ids` of stored nodes, events or chunks, retracted or not; no visibility rule applies. */
export function existingIds(sql: StatementCache, ids: readonly string[]): Set<string> {
  if (ids.length === 0) return new Set();
  const rows = sql
    .get(
      `SELECT id FROM nodes WHERE id IN (SELECT value FROM json_each(:ids))
       UNION ALL
       SELECT id FROM events WHERE id IN (SELECT value FROM json_each(:ids))
       UNION ALL
       SELECT id FROM chunks WHERE id IN (SELECT value FROM json_each(:ids))`,
    )
    .all({ ids: JSON.stringify(ids) });
  return new Set(rows.map((row) => row.id as string));
}

/** Visible nodes matching every given filter, ordered by id. */
export function findNodes(sql: StatementCache, filter: NodeFilter, page: PageArgs, asOf: number | null): Page<NodeRecord> {
  const first = pageSize(page);
  const after = cursorKey(page.after, ['string'] as const);
  const withAsOf = asOf !== null;
  const where = [rowVisible('n', withAsOf)];
  const params: Record<string, string | number | null> = { asOf };
  if (filter.kind) {
    where.push('n.kind = :kind');
    params.kind = filter.kind;
  }
  if (filter.nameContains !== null && filter.nameContains !== undefined) {
    where.push('instr(n.search_key, :needle) > 0');
    params.needle = filter.nameContains.toLowerCase();
  }
  if (filter.label !== null && filter.label !== undefined) {
    where.push(`EXISTS (SELECT 1 FROM facts f WHERE f.subject = n.id AND f.type = 'HAS_LABEL'
      AND f.object = :label AND ${factVisible('f', withAsOf)})`);
    params.label = labelConceptId(filter.label);
  }
  if (filter.ids !== null && filter.ids !== undefined) {
    where.push('n.id IN (SELECT value FROM json_each(:ids))');
    params.ids = JSON.stringify(filter.ids);
  }
  const filterSql = where.join(' AND ');
  const { total } = sql.get(`SELECT count(*) AS total FROM nodes n WHERE ${filterSql}`).get(params) as { total: number };
  const seek = after === null ? '' : ' AND n.id > :afterId';
  const rows = sql
    .get(`SELECT ${NODE_COLUMNS} FROM nodes n WHERE ${filterSql}${seek} ORDER BY n.id LIMIT :limit`)
    .all({ ...params, afterId: after?.[0] ?? null, limit: first + 1 });
  return toPage(rows.map(toNodeRecord), first, total, (node) => [node.id]);
}

