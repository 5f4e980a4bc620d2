/**
 * Event reads. Lists are ordered by `occurredAt` descending, then id, and paginated by seeking past
 * the last (occurredAt, id) seen. With a `participant`, the read starts from that entity and follows
 * its PARTICIPANT facts instead of scanning events.
 */
import { EVENT, THING } from '../model.ts';
import { eventNodeVisible, eventVisible, endVisible, factVisible, rowVisible } from '../visibility.ts';
import { eventProjection } from './projections.ts';
import { AS_OF, NS, statement, type CypherStatement } from './statement.ts';

/** The visible events among `$ids`. */
export const EVENTS_BY_IDS = statement(
  'events by ids',
  `UNWIND $ids AS id
   MATCH (e:${THING} {ns: $ns, id: id})
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
   WHERE f.role IS NOT NULL AND ${rowVisible('f')} AND ${endVisible('x')}
   RETURN id AS event, f.role AS role, x.id AS entity, f.factId AS factId
   ORDER BY f.seq, f.factId`,
  { ...NS, ...AS_OF, ids: 'LIST<STRING>' },
);

const FILTER_PARAMS = { type: 'STRING', from: 'INTEGER', to: 'INTEGER', sourceId: 'STRING' } as const;

function findEvents(byParticipant: boolean, count: boolean): CypherStatement {
  const match = byParticipant
    ? `MATCH (p:${THING} {ns: $ns, id: $participant})<-[f:PARTICIPANT]-(e:${THING}:${EVENT})
       WHERE ($role IS NULL OR f.role = $role) AND ${factVisible('f', 'e', 'p')}
       WITH DISTINCT e
       WHERE ${eventVisible('e')}`
    : `MATCH (e:${THING}:${EVENT})
       WHERE e.ns = $ns AND ${eventVisible('e')}`;
  const filters = [
    '($type IS NULL OR e.type = $type)',
    '($from IS NULL OR e.occurredAt >= $from)',
    '($to IS NULL OR e.occurredAt <= $to)',
    '($sourceId IS NULL OR e.sourceId = $sourceId)',
    ...(count ? [] : ['($afterAt IS NULL OR e.occurredAt < $afterAt OR (e.occurredAt = $afterAt AND e.id > $afterId))']),
  ];
  const tail = count
    ? 'RETURN count(e) AS total'
    : `RETURN ${eventProjection('e')} AS event
       ORDER BY e.occurredAt DESC, e.id
       LIMIT $limit`;
  return statement(
    `find events${byParticipant ? ' by participant' : ''} (${count ? 'count' : 'page'})`,
    `${match}
       AND ${filters.join('\n       AND ')}
     ${tail}`,
    {
      ...NS, ...AS_OF, ...FILTER_PARAMS,
      ...(byParticipant ? { participant: 'STRING', role: 'STRING' } : {}),
      ...(count ? {} : { afterAt: 'INTEGER', afterId: 'STRING', limit: 'INTEGER' }),
    },
  );
}

export const FIND_EVENTS_COUNT = findEvents(false, true);
export const FIND_EVENTS_PAGE = findEvents(false, false);
export const FIND_EVENTS_BY_PARTICIPANT_COUNT = findEvents(true, true);
export const FIND_EVENTS_BY_PARTICIPANT_PAGE = findEvents(true, false);

export const EVENT_READ_STATEMENTS = [
  EVENTS_BY_IDS, PARTICIPANTS, FIND_EVENTS_COUNT, FIND_EVENTS_PAGE, FIND_EVENTS_BY_PARTICIPANT_COUNT,
  FIND_EVENTS_BY_PARTICIPANT_PAGE,
];
