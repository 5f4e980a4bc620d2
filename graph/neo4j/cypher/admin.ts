/**
 * Bookkeeping statements: statistics, sources, rejects, and the adapter-side maintenance the port
 * does not offer yet (retraction, ending validity, dropping a namespace).
 */
import { REL_TYPES } from '../../../schema/ontology.ts';
import { CHUNK, ENTITY, EVENT, REJECT, SOURCE, THING } from '../model.ts';
import { eventVisible, factVisible, rowVisible } from '../visibility.ts';
import { AS_OF, NS, statement, variants, type CypherStatement } from './statement.ts';

export const ENTITIES_BY_KIND = statement(
  'count entities by kind',
  `MATCH (n:${THING}:${ENTITY})
   WHERE n.ns = $ns AND ${rowVisible('n')}
   RETURN n.kind AS key, count(*) AS count
   ORDER BY count DESC, key`,
  { ...NS, ...AS_OF },
);

export const EVENTS_BY_TYPE = statement(
  'count events by type',
  `MATCH (e:${THING}:${EVENT})
   WHERE e.ns = $ns AND ${eventVisible('e')}
   RETURN e.type AS key, count(*) AS count
   ORDER BY count DESC, key`,
  { ...NS, ...AS_OF },
);

export const FACTS_BY_TYPE = statement(
  'count facts by type',
  `MATCH (s:${THING})-[f]->(o:${THING})
   WHERE s.ns = $ns AND ${factVisible('f', 's', 'o')}
   RETURN type(f) AS key, count(*) AS count
   ORDER BY count DESC, key`,
  { ...NS, ...AS_OF },
);

/**
 * A described source: not the bare placeholder a chunk's PART_OF creates before `upsertSource` ran
 * (graph/neo4j/model.ts). Every upserted source has a `uri`.
 */
function describedSource(s: string): string {
  return `${s}.uri IS NOT NULL`;
}

/** Sources and rejects recorded by `$asOf` (all of them without one). */
export const COUNT_RECORDS = statement(
  'count sources and rejects',
  `RETURN
     COUNT { MATCH (s:${SOURCE}) WHERE s.ns = $ns AND ${describedSource('s')} AND ($asOf IS NULL OR s.recordedAt <= $asOf) } AS sources,
     COUNT { MATCH (r:${REJECT}) WHERE r.ns = $ns AND ($asOf IS NULL OR r.recordedAt <= $asOf) } AS rejects`,
  { ...NS, ...AS_OF },
);

export const LIST_SOURCES = statement(
  'list sources',
  `MATCH (s:${SOURCE})
   WHERE s.ns = $ns AND ${describedSource('s')}
   RETURN s {.id, .uri, .kind, .contentHash, .version, .recordedAt, .records, .rejected, .factDigest} AS source
   ORDER BY s.id`,
  NS,
);

/**
 * Rejects, newest first. With a source it seeks the `(ns, sourceId, recordedAt)` index, otherwise
 * the `recordedAt` one, over `recordedAt <= $upper` (the cursor's time, or the end of time), read
 * newest first so a page stops after `$limit` rows; severity is checked on each row.
 */
function listRejects(on: Readonly<Record<'sourceId', boolean>>, count: boolean): CypherStatement {
  const where = [
    'r.ns = $ns',
    ...(on.sourceId ? ['r.sourceId = $sourceId'] : []),
    'r.recordedAt <= $upper',
    '($severity IS NULL OR r.severity = $severity)',
    ...(count ? [] : ['($afterAt IS NULL OR r.recordedAt < $afterAt OR (r.recordedAt = $afterAt AND r.seq < $afterSeq))']),
  ];
  const tail = count
    ? 'RETURN count(r) AS total'
    : `RETURN r {.id, .sourceId, .file, .line, .code, .reason, .raw, .severity, .recordedAt, .seq} AS reject
       ORDER BY r.recordedAt DESC, r.seq DESC
       LIMIT $limit`;
  return statement(
    `list rejects${on.sourceId ? ' of a source' : ''} (${count ? 'count' : 'page'})`,
    `MATCH (r:${REJECT})
     WHERE ${where.join('\n       AND ')}
     ${tail}`,
    {
      ...NS, severity: 'STRING', upper: 'INTEGER',
      ...(on.sourceId ? { sourceId: 'STRING' } : {}),
      ...(count ? {} : { afterAt: 'INTEGER', afterSeq: 'INTEGER', limit: 'INTEGER' }),
    },
  );
}

export const LIST_REJECTS_COUNT = variants(['sourceId'], (on) => listRejects(on, true));
export const LIST_REJECTS_PAGE = variants(['sourceId'], (on) => listRejects(on, false));

/** Sets `property = $at` on the nodes with these ids that carry one of `labels`, where it is unset. */
function setOnceOnNodes(property: 'retractedAt' | 'validTo', labels: readonly string[]): CypherStatement {
  return statement(
    `set ${property} on nodes`,
    `MATCH (n:${THING})
     WHERE n.ns = $ns AND n.id IN $ids AND (${labels.map((l) => `n:${l}`).join(' OR ')}) AND n.${property} IS NULL
     SET n.${property} = $at
     RETURN count(n) AS changed`,
    { ...NS, ids: 'LIST<STRING>', at: 'INTEGER' },
  );
}

/** The same on facts: one part per type, so each uses its type's `factId` index. */
function setOnceOnFacts(property: 'retractedAt' | 'validTo'): CypherStatement {
  return statement(
    `set ${property} on facts`,
    REL_TYPES.map((type) => `MATCH (s:${THING})-[f:${type}]->()
     WHERE f.factId IN $ids AND s.ns = $ns AND f.${property} IS NULL
     SET f.${property} = $at
     RETURN count(f) AS changed`).join('\n     UNION ALL\n     '),
    { ...NS, ids: 'LIST<STRING>', at: 'INTEGER' },
  );
}

export const RETRACT_NODES = setOnceOnNodes('retractedAt', [ENTITY, EVENT, CHUNK]);
export const RETRACT_FACTS = setOnceOnFacts('retractedAt');
export const END_NODE_VALIDITY = setOnceOnNodes('validTo', [ENTITY]);
export const END_FACT_VALIDITY = setOnceOnFacts('validTo');

/**
 * Deletes up to `$limit` relationships out of the namespace's nodes; the caller repeats it until
 * fewer come back, then deletes the nodes. Relationships go first and apart: a hot token's 100,000
 * facts deleted with it in one DETACH DELETE exceed a small server's transaction memory.
 */
export const DELETE_NAMESPACE_RELATIONSHIPS = statement(
  'delete relationships of a namespace',
  `MATCH (n:${THING})-[r]->()
   WHERE n.ns = $ns
   WITH r LIMIT $limit
   DELETE r
   RETURN count(*) AS deleted`,
  { ...NS, limit: 'INTEGER' },
);

/**
 * Deletes up to `$limit` nodes of the namespace with what relationships are left; the caller repeats
 * it until fewer come back (CALL … IN TRANSACTIONS cannot run inside a managed transaction).
 */
export const DELETE_NAMESPACE_CHUNK = statement(
  'delete a chunk of a namespace',
  `MATCH (n:${THING}|${SOURCE}|${REJECT})
   WHERE n.ns = $ns
   WITH n LIMIT $limit
   DETACH DELETE n
   RETURN count(*) AS deleted`,
  { ...NS, limit: 'INTEGER' },
);

export const ADMIN_STATEMENTS = [
  ENTITIES_BY_KIND, EVENTS_BY_TYPE, FACTS_BY_TYPE, COUNT_RECORDS, LIST_SOURCES, ...LIST_REJECTS_COUNT.all,
  ...LIST_REJECTS_PAGE.all, RETRACT_NODES, RETRACT_FACTS, END_NODE_VALIDITY, END_FACT_VALIDITY, DELETE_NAMESPACE_RELATIONSHIPS,
  DELETE_NAMESPACE_CHUNK,
];
