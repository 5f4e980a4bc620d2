/** Bookkeeping reads and writes: sources, rejects (dead letters) and graph statistics. */
import type { DatabaseSync } from 'node:sqlite';
import type { CountByKey, GraphStats, RejectFilter } from '../graph-store.ts';
import type { RejectInput, RejectRecord, SourceRecord } from '../../schema/graph.ts';
import type { Page, PageArgs } from '../../schema/pagination.ts';
import { toRejectInput, toSourceRecord, type StatementCache } from './graph-rows.ts';
import { inTransaction } from './open-database.ts';
import { cursorKey, pageSize, toPage } from '../paging.ts';
import { eventVisible, factVisible, rowVisible } from './sql-visibility.ts';

const REJECT_ID_PREFIX = 'rej:';

/** Inserts or replaces a source by id (a missing `factDigest` is stored as NULL). */
export function upsertSource(sql: StatementCache, s: SourceRecord): void {
  sql
    .get(
      `INSERT INTO sources (id, uri, kind, content_hash, version, recorded_at, records, rejected, fact_digest)
       VALUES (:id, :uri, :kind, :contentHash, :version, :recordedAt, :records, :rejected, :factDigest)
       ON CONFLICT (id) DO UPDATE SET uri = excluded.uri, kind = excluded.kind,
         content_hash = excluded.content_hash, version = excluded.version, recorded_at = excluded.recorded_at,
         records = excluded.records, rejected = excluded.rejected, fact_digest = excluded.fact_digest`,
    )
    .run({
      id: s.id, uri: s.uri, kind: s.kind, contentHash: s.contentHash, version: s.version,
      recordedAt: s.recordedAt, records: s.records, rejected: s.rejected, factDigest: s.factDigest ?? null,
    });
}

/** Every source, ordered by id. */
export function listSources(sql: StatementCache): SourceRecord[] {
  return sql
    .get('SELECT * FROM sources ORDER BY id')
    .all()
    .map(toSourceRecord);
}

/**
 * Appends rejects in one transaction. A reject already stored with the same source, file, line,
 * code and reason (the same record failing again on a re-ingest) is not added twice.
 */
export function addRejects(db: DatabaseSync, sql: StatementCache, rejects: readonly RejectInput[]): void {
  if (rejects.length === 0) return;
  const insert = sql.get(
    `INSERT INTO rejects (source_id, file, line, code, reason, raw, severity, recorded_at)
     VALUES (:sourceId, :file, :line, :code, :reason, :raw, :severity, :recordedAt)
     ON CONFLICT DO NOTHING`,
  );
  inTransaction(db, () => {
    for (const r of rejects) {
      insert.run({
        sourceId: r.sourceId ?? null, file: r.file, line: r.line ?? null, code: r.code, reason: r.reason,
        raw: r.raw ?? null, severity: r.severity, recordedAt: r.recordedAt,
      });
    }
  });
}

/** Rejects matching the filter, newest `recordedAt` first (then latest written first). */
export function listRejects(sql: StatementCache, filter: RejectFilter, page: PageArgs): Page<RejectRecord> {
  const first = pageSize(page);
  const after = cursorKey(page.after, ['number', 'number'] as const);
  const where = ['1'];
  const params: Record<string, string | number | null> = {};
  if (filter.sourceId !== null && filter.sourceId !== undefined) {
    where.push('r.source_id = :sourceId');
    params.sourceId = filter.sourceId;
  }
  if (filter.severity) {
    where.push('r.severity = :severity');
    params.severity = filter.severity;
  }
  const filterSql = where.join(' AND ');
  const { total } = sql.get(`SELECT count(*) AS total FROM rejects r WHERE ${filterSql}`).get(params) as {
    total: number;
  };
  const seek = after === null ? '' : ' AND (r.recorded_at < :afterAt OR (r.recorded_at = :afterAt AND r.rid < :afterRid))';
  const rows = sql
    .get(`SELECT r.* FROM rejects r WHERE ${filterSql}${seek} ORDER BY r.recorded_at DESC, r.rid DESC LIMIT :limit`)
    .all({ ...params, afterAt: after?.[0] ?? null, afterRid: after?.[1] ?? null, limit: first + 1 });
  const records = rows.map((row) => ({
    rid: row.rid as number,
    record: { id: `${REJECT_ID_PREFIX}${row.rid as number}`, ...toRejectInput(row) } satisfies RejectRecord,
  }));
  const page_ = toPage(records, first, total, (r) => [r.record.recordedAt, r.rid]);
  return { ...page_, edges: page_.edges.map((edge) => ({ node: edge.node.record, cursor: edge.cursor })) };
}

function countsBy(sql: StatementCache, query: string, asOf: number | null): CountByKey[] {
  return sql
    .get(`${query} GROUP BY key ORDER BY count DESC, key`)
    .all({ asOf })
    .map((row) => ({ key: row.key as string, count: row.count as number }));
}

const sum = (counts: CountByKey[]): number => counts.reduce((total, c) => total + c.count, 0);

/** Counts of what is visible at `asOf`; sources and rejects count those recorded by then. */
export function stats(sql: StatementCache, asOf: number | null): GraphStats {
  const withAsOf = asOf !== null;
  const entitiesByKind = countsBy(
    sql, `SELECT n.kind AS key, count(*) AS count FROM nodes n WHERE ${rowVisible('n', withAsOf)}`, asOf,
  );
  const eventsByType = countsBy(
    sql, `SELECT e.type AS key, count(*) AS count FROM events e WHERE ${eventVisible('e', withAsOf)}`, asOf,
  );
  const factsByType = countsBy(
    sql, `SELECT f.type AS key, count(*) AS count FROM facts f WHERE ${factVisible('f', withAsOf)}`, asOf,
  );
  const recorded = withAsOf ? ' WHERE recorded_at <= :asOf' : '';
  const count = (table: string): number =>
    (sql.get(`SELECT count(*) AS total FROM ${table}${recorded}`).get({ asOf }) as { total: number }).total;
  return {
    entities: sum(entitiesByKind),
    events: sum(eventsByType),
    facts: sum(factsByType),
    entitiesByKind,
    eventsByType,
    factsByType,
    sources: count('sources'),
    rejects: count('rejects'),
  };
}
