/**
 * Event reads. Lists are ordered by `occurredAt` descending, then id, and paginated by seeking past
 * the last (occurredAt, id) seen. With a `participant`, the read starts from that entity and follows
 * its PARTICIPANT facts instead of seeking an index of events.
 */
import { EVENT, THING } from '../model.ts';
import { eventNodeVisible, eventVisible, endVisible, factVisible, rowVisible } from '../visibility.ts';
import { eventProjection } from './projections.ts';
import { AS_OF, NS, statement, variants, type CypherStatement } from './statement.ts';

/** The visible events among `$ids`. */
export const EVENTS_BY_IDS = statement(
  'events by ids',
  `UNWIND $ids AS id
   MATCH (e:${THING} {ns: $ns, id: id})
   USING INDEX SEEK e:${THING}(ns, id)
   WHERE ${eventNodeVisible('e')}
   RETURN ${eventProjection('e')} AS event`,
  { ...NS, ...AS_OF, ids: 'LIST<STRING>' },
);

/**
 * The visible participants of the given (visible) events, in write order: visible PARTICIPANT
 * facts whose entity end is visible.
 */
export const PARTICIPANTS = statement(
  'participants of events',
  `UNWIND $ids AS id
   MATCH (e:${THING} {ns: $ns, id: id})-[f:PARTICIPANT]->(x:${THING})
   USING INDEX SEEK e:${THING}(ns, id)
   WHERE f.role IS NOT NULL AND ${rowVisible('f')} AND ${endVisible('x')}
   RETURN id AS event, f.role AS role, x.id AS entity, f.factId AS factId
   ORDER BY f.seq, f.factId`,
  { ...NS, ...AS_OF, ids: 'LIST<STRING>' },
);

/** The optional filters that choose where a list without a participant starts. */
export const EVENT_FILTERS = ['type', 'sourceId'] as const;
export type EventFilterFlag = (typeof EVENT_FILTERS)[number];

/** A page after the cursor: newer-first order, ties by id. Residual; the range below does the seek. */
const AFTER_CURSOR = '($afterAt IS NULL OR e.occurredAt < $afterAt OR (e.occurredAt = $afterAt AND e.id > $afterId))';

/**
 * An event list. Without a participant it seeks a composite range index, `(ns, type, occurredAt)`,
 * `(ns, sourceId, occurredAt)` or `(ns, occurredAt)`, over `$lower <= occurredAt <= $upper` (the
 * time filter and the cursor folded into one range by the caller), read newest first, so a page
 * stops after `$limit` rows. With a participant it starts from that entity and follows its
 * PARTICIPANT facts; the other filters are then checked on each event.
 */
function eventList(on: Readonly<Record<EventFilterFlag, boolean>> | 'participant', count: boolean): CypherStatement {
  const byParticipant = on === 'participant';
  const match = byParticipant
    ? `MATCH (p:${THING} {ns: $ns, id: $participant})<-[f:PARTICIPANT]-(e:${THING}:${EVENT})
       WHERE ($role IS NULL OR f.role = $role) AND ${factVisible('f', 'e', 'p')}
       WITH DISTINCT e
       WHERE ($type IS NULL OR e.type = $type)
         AND ($sourceId IS NULL OR e.sourceId = $sourceId)
         AND`
    : `MATCH (e:${THING}:${EVENT})
       WHERE e.ns = $ns${on.type ? '\n         AND e.type = $type' : ''}${on.sourceId ? '\n         AND e.sourceId = $sourceId' : ''}
         AND`;
  const filters = [
    'e.occurredAt >= $lower AND e.occurredAt <= $upper',
    eventVisible('e'),
    ...(count ? [] : [AFTER_CURSOR]),
  ];
  const tail = count
    ? 'RETURN count(e) AS total'
    : `RETURN ${eventProjection('e')} AS event
       ORDER BY e.occurredAt DESC, e.id
       LIMIT $limit`;
  const flags = byParticipant ? ['participant'] : EVENT_FILTERS.filter((flag) => on[flag]);
  return statement(
    `find events${flags.length > 0 ? ` by ${flags.join(', ')}` : ''} (${count ? 'count' : 'page'})`,
    `${match} ${filters.join('\n         AND ')}
     ${tail}`,
    {
      ...NS, ...AS_OF, lower: 'INTEGER', upper: 'INTEGER',
      ...(byParticipant
        ? { participant: 'STRING', role: 'STRING', type: 'STRING', sourceId: 'STRING' }
        : { ...(on.type ? { type: 'STRING' } : {}), ...(on.sourceId ? { sourceId: 'STRING' } : {}) }),
      ...(count ? {} : { afterAt: 'INTEGER', afterId: 'STRING', limit: 'INTEGER' }),
    },
  );
}

export const FIND_EVENTS_COUNT = variants(EVENT_FILTERS, (on) => eventList(on, true));
export const FIND_EVENTS_PAGE = variants(EVENT_FILTERS, (on) => eventList(on, false));
export const FIND_EVENTS_BY_PARTICIPANT_COUNT = eventList('participant', true);
export const FIND_EVENTS_BY_PARTICIPANT_PAGE = eventList('participant', false);

export const EVENT_READ_STATEMENTS = [
  EVENTS_BY_IDS, PARTICIPANTS, ...FIND_EVENTS_COUNT.all, ...FIND_EVENTS_PAGE.all, FIND_EVENTS_BY_PARTICIPANT_COUNT,
  FIND_EVENTS_BY_PARTICIPANT_PAGE,
];
