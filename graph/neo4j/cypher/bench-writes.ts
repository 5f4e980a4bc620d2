/**
 * The benchmark ceiling for the write statements (graph/neo4j/plain-insert.ts): plain `UNWIND $rows
 * … CREATE` of already-final, new rows, with the same labels, relationship types and properties as
 * writes.ts gives them, but no placeholder MERGE, no lock, no read-back and no MERGE of facts. Not
 * for ingestion: a repeated id fails on the `(ns, id)` uniqueness constraint.
 */
import { ENTITY_KINDS, EVENT_TYPES, REL_TYPES } from '../../../schema/ontology.ts';
import { ENTITY, EVENT, THING } from '../model.ts';
import { branches, NS, statement } from './statement.ts';

/** Creates new entities with their kind label and every stored property (WRITE_NODES' rows). */
export const PLAIN_CREATE_NODES = statement(
  'plain create nodes',
  `UNWIND $rows AS row
   CREATE (n:${THING}:${ENTITY} {ns: $ns, id: row.id})
   SET n += row.props
   ${branches(ENTITY_KINDS, 'row.kind', (kind) => `SET n:${kind}`)}`,
  { ...NS, rows: 'LIST<MAP>' },
);

/** Creates new events with their type label and every stored property (WRITE_EVENTS' rows). */
export const PLAIN_CREATE_EVENTS = statement(
  'plain create events',
  `UNWIND $rows AS row
   CREATE (e:${THING}:${EVENT} {ns: $ns, id: row.id})
   SET e += row.props
   ${branches(EVENT_TYPES, 'row.type', (type) => `SET e:${type}`)}`,
  { ...NS, rows: 'LIST<MAP>' },
);

/**
 * Creates new facts between existing ends (WRITE_FACTS' rows), with CREATE instead of MERGE. Both
 * ends are looked up through the `(ns, id)` constraint's index, by hint: once the namespace holds
 * committed rows, the planner otherwise re-plans one end as a scan of the `Thing.id` range index
 * filtered per row (seen on 5.26: 8.4 M index rows read for 300 facts).
 */
export const PLAIN_CREATE_FACTS = statement(
  'plain create facts',
  `UNWIND $rows AS row
   MATCH (s:${THING} {ns: $ns, id: row.subject})
   USING INDEX SEEK s:${THING}(ns, id)
   MATCH (o:${THING} {ns: $ns, id: row.object})
   USING INDEX SEEK o:${THING}(ns, id)
   ${branches(REL_TYPES, 'row.type', (type) => `CREATE (s)-[f:${type} {factId: row.id}]->(o) SET f += row.props`)}`,
  { ...NS, rows: 'LIST<MAP>' },
);

export const BENCH_WRITE_STATEMENTS = [PLAIN_CREATE_NODES, PLAIN_CREATE_EVENTS, PLAIN_CREATE_FACTS];
