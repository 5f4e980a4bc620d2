/**
 * Event reads. An event's `participants` are its visible `PARTICIPANT` facts (fact and entity both
 * visible at the read's `asOf`), loaded for a whole page in one query.
 */
import type { EventFilter } from '../graph-store.ts';
import type { EventRecord, Participant } from '../../schema/graph.ts';
import type { Page, PageArgs } from '../../schema/pagination.ts';
import type { Role } from '../../schema/ontology.ts';
import { EVENT_COLUMNS, toEventRecord, type StatementCache } from './graph-rows.ts';
import { cursorKey, pageSize, toPage } from '../paging.ts';
import { endVisible, eventVisible, factVisible, rowVisible } from './sql-visibility.ts';

type Row = Record<string, unknown>;

/** Visible participants of each given (visible) event, in write order. */
export function participantsOf(
  sql: StatementCache,
  eventIds: readonly string[],
  asOf: number | null,
): Map<string, Participant[]> {
  const out = new Map<string, Participant[]>();
  if (eventIds.length === 0) return out;
  const withAsOf = asOf !== null;
  const rows = sql
    .get(
      `SELECT f.subject AS event, f.role, f.object AS entity, f.id AS fact FROM facts f
        WHERE f.subject IN (SELECT value FROM json_each(:ids)) AND f.type = 'PARTICIPANT'
          AND f.role IS NOT NULL AND ${rowVisible('f', withAsOf)} AND ${endVisible('f.object', withAsOf, 'p')}
        ORDER BY f.rid`,
    )
    .all({ ids: JSON.stringify(eventIds), asOf });
  for (const row of rows) {
    const event = row.event as string;
    const list = out.get(event) ?? [];
    list.push({ role: row.role as Role, entityId: row.entity as string, factId: row.fact as string });
    out.set(event, list);
  }
  return out;
}

function withParticipants(sql: StatementCache, rows: Row[], asOf: number | null): EventRecord[] {
  const participants = participantsOf(sql, rows.map((row) => row.id as string), asOf);
  return rows.map((row) => toEventRecord(row, participants.get(row.id as string) ?? []));
}

/** A visible event by id, with its visible participants. */
export function getEvent(sql: StatementCache, id: string, asOf: number | null): EventRecord | null {
  const row = sql
    .get(`SELECT ${EVENT_COLUMNS} FROM events e WHERE e.id = :id AND ${eventVisible('e', asOf !== null)}`)
    .get({ id, asOf });
  return row === undefined ? null : withParticipants(sql, [row], asOf)[0]!;
}

/** The visible events among `ids`, in the order of `ids`. */
export function eventsByIds(sql: StatementCache, ids: readonly string[], asOf: number | null): EventRecord[] {
  if (ids.length === 0) return [];
  const rows = sql
    .get(
      `SELECT ${EVENT_COLUMNS} FROM events e
        WHERE e.id IN (SELECT value FROM json_each(:ids)) AND ${eventVisible('e', asOf !== null)}`,
    )
    .all({ ids: JSON.stringify(ids), asOf });
  const byId = new Map(withParticipants(sql, rows, asOf).map((event) => [event.id, event]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/**
 * Visible events matching every given filter, newest `occurredAt` first, then by id. `role` only
 * narrows a `participant` filter and is ignored without one.
 */
export function findEvents(
  sql: StatementCache,
  filter: EventFilter,
  page: PageArgs,
  asOf: number | null,
): Page<EventRecord> {
  const first = pageSize(page);
  const after = cursorKey(page.after, ['number', 'string'] as const);
  const withAsOf = asOf !== null;
  const where = [eventVisible('e', withAsOf)];
  const params: Record<string, string | number | null> = { asOf };
  if (filter.type) {
    where.push('e.type = :type');
    params.type = filter.type;
  }
  if (filter.from !== null && filter.from !== undefined) {
    where.push('e.occurred_at >= :from');
    params.from = filter.from;
  }
  if (filter.to !== null && filter.to !== undefined) {
    where.push('e.occurred_at <= :to');
    params.to = filter.to;
  }
  if (filter.sourceId !== null && filter.sourceId !== undefined) {
    where.push('e.source_id = :sourceId');
    params.sourceId = filter.sourceId;
  }
  if (filter.participant !== null && filter.participant !== undefined) {
    // IN (subquery) lets SQLite start from the participant's facts (facts_by_object) and probe
    // events by id, instead of scanning every event.
    const role = filter.role ? ' AND f.role = :role' : '';
    where.push(`e.id IN (SELECT f.subject FROM facts f WHERE f.object = :participant AND f.type = 'PARTICIPANT'${role}
      AND ${factVisible('f', withAsOf)})`);
    params.participant = filter.participant;
    if (filter.role) params.role = filter.role;
  }
  const filterSql = where.join(' AND ');
  const { total } = sql.get(`SELECT count(*) AS total FROM events e WHERE ${filterSql}`).get(params) as {
    total: number;
  };
  const seek =
    after === null ? '' : ' AND (e.occurred_at < :afterAt OR (e.occurred_at = :afterAt AND e.id > :afterId))';
  const rows = sql
    .get(
      `SELECT ${EVENT_COLUMNS} FROM events e WHERE ${filterSql}${seek}
        ORDER BY e.occurred_at DESC, e.id ASC LIMIT :limit`,
    )
    .all({ ...params, afterAt: after?.[0] ?? null, afterId: after?.[1] ?? null, limit: first + 1 });
  const events = withParticipants(sql, rows.slice(0, first), asOf);
  const probe = rows.length > first ? [rows[first]!] : [];
  return toPage([...events, ...probe.map((row) => toEventRecord(row, []))], first, total, (event) => [
    event.occurredAt,
    event.id,
  ]);
}
