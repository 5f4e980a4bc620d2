/**
 * The write statements. Every one is an `UNWIND $rows …` batch of at most `batchSize` rows; labels
 * and relationship types are chosen per row by FOREACH branches generated from the closed sets, so
 * one statement (and one lock order) serves every kind, type and predicate. Every per-row lookup
 * seeks the `(ns, id)` constraint's index by hint (`USING INDEX SEEK`): planned on an empty database, or
 * re-planned on stale statistics, Neo4j 5.26 was seen to scan the `Thing.id` index per row instead
 * (8.4 M index entries read for 300 facts).
 */
import { ENTITY_KINDS, EVENT_TYPES, REL_TYPES } from '../../../schema/ontology.ts';
import { CHUNK, ENTITY, EVENT, PART_OF, REJECT, SOURCE, THING } from '../model.ts';
import { branches, NS, statement } from './statement.ts';

/**
 * Takes a write lock on every node and event of a batch (creating placeholders for new ids) and
 * returns what is stored, so the writer can merge in memory without another writer changing the
 * node in between. Setting and removing a dummy property is Cypher's documented way to lock a node
 * ("lost updates", Operations Manual); the lock is held until the transaction ends and the node is
 * left as it was. `$ids` arrive sorted, so concurrent batches lock in the same order.
 */
export const LOCK_AND_READ = statement(
  'lock and read batch nodes',
  `UNWIND $ids AS id
   MERGE (n:${THING} {ns: $ns, id: id})
     ON CREATE SET n.name = id
   SET n._lock = true
   REMOVE n._lock
   RETURN id,
     CASE WHEN n:${ENTITY} THEN n {.kind, .name, .namePriority, .aliases, .attrs, .validFrom, .recordedAt, .sourceId} END AS node,
     CASE WHEN n:${EVENT} THEN n.attrs END AS eventAttrs`,
  { ...NS, ids: 'LIST<STRING>' },
);

/**
 * Creates, as placeholders, the fact ends that no node or event of the batch describes and that do
 * not exist yet (sorted ids). Existing nodes are only matched, never locked: a hot token or exchange
 * wallet must not serialise every batch that mentions it.
 */
export const ENSURE_THINGS = statement(
  'ensure fact ends exist',
  `UNWIND $ids AS id
   MERGE (n:${THING} {ns: $ns, id: id})
     ON CREATE SET n.name = id`,
  { ...NS, ids: 'LIST<STRING>' },
);

/** Writes merged entities: labels (exactly one kind label) and every stored property. */
export const WRITE_NODES = statement(
  'write nodes',
  `UNWIND $rows AS row
   MATCH (n:${THING} {ns: $ns, id: row.id})
   USING INDEX SEEK n:${THING}(ns, id)
   SET n:${ENTITY}, n += row.props
   ${branches(ENTITY_KINDS, 'row.kind', (kind) => {
     const others = ENTITY_KINDS.filter((k) => k !== kind);
     return `SET n:${kind} REMOVE n:${others.join(':')}`;
   })}`,
  { ...NS, rows: 'LIST<MAP>' },
);

/**
 * Writes new events in full (with their type label), and the merged attrs of events already stored
 * (their rows carry a null type, so no label is added: the first write's type stays).
 */
export const WRITE_EVENTS = statement(
  'write events',
  `UNWIND $rows AS row
   MATCH (e:${THING} {ns: $ns, id: row.id})
   USING INDEX SEEK e:${THING}(ns, id)
   SET e:${EVENT}, e += row.props
   ${branches(EVENT_TYPES, 'row.type', (type) => `SET e:${type}`)}`,
  { ...NS, rows: 'LIST<MAP>' },
);

/**
 * Writes chunks whose id is not a chunk yet (the first write of a content hash wins; a placeholder
 * `:Thing` a fact created for the id becomes the chunk), each linked to its source, which is
 * created bare if `upsertSource` has not described it yet. Rows arrive with distinct ids, sorted.
 * Returns how many chunks were added. The node is write-locked before the label is checked: two
 * writers that both found an existing placeholder would otherwise both see "not a chunk yet" and
 * both count the chunk as added (MERGE only serialises creating the node, not matching it).
 */
export const WRITE_CHUNKS = statement(
  'write chunks',
  `UNWIND $rows AS row
   MERGE (c:${THING} {ns: $ns, id: row.id})
   SET c._lock = true
   REMOVE c._lock
   WITH c, row
   WHERE NOT c:${CHUNK}
   SET c:${CHUNK}, c += row.props
   MERGE (s:${SOURCE} {ns: $ns, id: row.props.sourceId})
     ON CREATE SET s.name = row.props.sourceId
   MERGE (c)-[:${PART_OF}]->(s)
   RETURN count(c) AS added`,
  { ...NS, rows: 'LIST<MAP>' },
);

/**
 * Creates the facts not stored yet, keyed by (subject, type, factId, object); an existing fact is
 * left as first written. Rows arrive sorted by (subject, object) so concurrent batches lock their
 * ends in the same order. The statement's `relationshipsCreated` counter is the number added.
 */
export const WRITE_FACTS = statement(
  'write facts',
  `UNWIND $rows AS row
   MATCH (s:${THING} {ns: $ns, id: row.subject})
   USING INDEX SEEK s:${THING}(ns, id)
   MATCH (o:${THING} {ns: $ns, id: row.object})
   USING INDEX SEEK o:${THING}(ns, id)
   ${branches(REL_TYPES, 'row.type', (type) => `MERGE (s)-[f:${type} {factId: row.id}]->(o) ON CREATE SET f += row.props`)}`,
  { ...NS, rows: 'LIST<MAP>' },
);

/**
 * Inserts or replaces a source by id. `$props` carries every SourceRecord field; a null one (a
 * `factDigest` the writer did not compute) removes the property, so a stale digest never survives.
 */
export const UPSERT_SOURCE = statement(
  'upsert source',
  `MERGE (s:${SOURCE} {ns: $ns, id: $id})
   SET s += $props`,
  { ...NS, id: 'STRING', props: 'MAP' },
);

/**
 * Adds rejects whose id (a hash of source, file, line, code and reason) is new; the same record
 * failing again on a re-ingest keeps its first report.
 */
export const ADD_REJECTS = statement(
  'add rejects',
  `UNWIND $rows AS row
   MERGE (r:${REJECT} {ns: $ns, id: row.id})
     ON CREATE SET r += row.props`,
  { ...NS, rows: 'LIST<MAP>' },
);

export const WRITE_STATEMENTS = [
  LOCK_AND_READ, ENSURE_THINGS, WRITE_NODES, WRITE_EVENTS, WRITE_CHUNKS, WRITE_FACTS, UPSERT_SOURCE, ADD_REJECTS,
];
