/**
 * What `migrate()` creates, and what `verify()` expects to find. Every command is idempotent
 * (`IF NOT EXISTS`). Names are prefixed `mkg_` so `SHOW INDEXES` tells ours from others'.
 *
 * - uniqueness on `(ns, id)` of `:Thing` (entities, events, chunks and placeholders), `:Source` and
 *   `:Reject`; each constraint's backing index also serves every lookup by id;
 * - range indexes on `Thing.id`, `Entity.id` and `Event.id` alone, for Browser queries that leave
 *   out `ns`;
 * - range indexes on the time fields and on event type; a text index for `nameContains`;
 * - composite range indexes that the lists seek: entities by `(ns, kind, id)`, events by
 *   `(ns, occurredAt)`, `(ns, type, occurredAt)` and `(ns, sourceId, occurredAt)`, rejects by
 *   `recordedAt` and `(ns, sourceId, recordedAt)`;
 * - one range index per relationship type on `factId` (retraction and Browser look-ups by fact id)
 *   and one on `(sourceId, factId)` (a source's facts, in order, for re-extraction);
 * - the full-text index `mkg_terms` over the term text of names, aliases and searchable event
 *   summaries, and `mkg_chunk_terms` over that of chunk text, both with the `standard-no-stop-words` analyzer:
 *   the adapter writes the terms (graph/search-terms.ts), already cut, folded and lower-cased, which
 *   that analyzer splits back into exactly those terms, so the index finds what the SQLite store
 *   finds; it also lower-cases what a Neo4j Browser user types into `db.index.fulltext.queryNodes`. Chunks are kept out of `mkg_terms` so passages do not
 *   shift the scores of name search. The indexes of earlier versions (`mkg_text`, `mkg_chunk_text`,
 *   analysed by `standard-folding`) are dropped by `migrate()` ({@link OBSOLETE_INDEXES}).
 */
import { REL_TYPES } from '../../../schema/ontology.ts';
import {
  CHUNK, CHUNK_TEXT_INDEX, ENTITY, EVENT, REJECT, SOURCE, TEXT_INDEX, TEXT_SEARCH_LABELS, THING,
} from '../model.ts';
import { statement, type CypherStatement } from './statement.ts';

export interface SchemaObject {
  kind: 'constraint' | 'index';
  name: string;
  create: CypherStatement;
}

function uniqueKey(name: string, label: string): SchemaObject {
  return {
    kind: 'constraint',
    name,
    create: statement(
      `create ${name}`,
      `CREATE CONSTRAINT ${name} IF NOT EXISTS FOR (n:${label}) REQUIRE (n.ns, n.id) IS UNIQUE`,
    ),
  };
}

function rangeIndex(name: string, label: string, ...properties: string[]): SchemaObject {
  return {
    kind: 'index',
    name,
    create: statement(
      `create ${name}`,
      `CREATE INDEX ${name} IF NOT EXISTS FOR (n:${label}) ON (${properties.map((p) => `n.${p}`).join(', ')})`,
    ),
  };
}

function factIndex(name: string, type: string, ...properties: string[]): SchemaObject {
  return {
    kind: 'index',
    name,
    create: statement(
      `create ${name}`,
      `CREATE INDEX ${name} IF NOT EXISTS FOR ()-[f:${type}]-() ON (${properties.map((p) => `f.${p}`).join(', ')})`,
    ),
  };
}

/** `mkg_fact_id_participant`, … : one per relationship type. */
export function factIdIndexName(type: string): string {
  return `mkg_fact_id_${type.toLowerCase()}`;
}

/** `mkg_fact_source_participant`, … : one per relationship type. */
export function factSourceIndexName(type: string): string {
  return `mkg_fact_source_${type.toLowerCase()}`;
}

export const CONSTRAINTS: readonly SchemaObject[] = [
  uniqueKey('mkg_thing_key', THING),
  uniqueKey('mkg_source_key', SOURCE),
  uniqueKey('mkg_reject_key', REJECT),
];

function fulltextIndex(name: string, labels: readonly string[], properties: readonly string[]): SchemaObject {
  // The properties hold pre-cut, pre-folded terms separated by whitespace; no stop words are dropped.
  return {
    kind: 'index',
    name,
    create: statement(
      `create ${name}`,
      `CREATE FULLTEXT INDEX ${name} IF NOT EXISTS
       FOR (n:${labels.join('|')})
       ON EACH [${properties.map((p) => `n.${p}`).join(', ')}]
       OPTIONS { indexConfig: { \`fulltext.analyzer\`: 'standard-no-stop-words' } }`,
    ),
  };
}

export const INDEXES: readonly SchemaObject[] = [
  rangeIndex('mkg_thing_id', THING, 'id'),
  // Browser users look nodes up as `(:Entity {id: …})` / `(:Event {id: …})`; the planner only uses
  // an index of a label the pattern names, so these labels get their own.
  rangeIndex('mkg_entity_id', ENTITY, 'id'),
  rangeIndex('mkg_event_id', EVENT, 'id'),
  rangeIndex('mkg_chunk_id', CHUNK, 'id'),
  rangeIndex('mkg_thing_recorded_at', THING, 'recordedAt'),
  rangeIndex('mkg_entity_valid_from', ENTITY, 'validFrom'),
  rangeIndex('mkg_event_occurred_at', EVENT, 'occurredAt'),
  rangeIndex('mkg_event_type', EVENT, 'type'),
  rangeIndex('mkg_reject_recorded_at', REJECT, 'recordedAt'),
  // The lists' seeks (cypher/node-reads.ts, event-reads.ts, admin.ts): equality on the namespace
  // and the filter, a range on the last property, which is also the order a page is read in.
  rangeIndex('mkg_entity_kind', ENTITY, 'ns', 'kind', 'id'),
  rangeIndex('mkg_event_time', EVENT, 'ns', 'occurredAt'),
  rangeIndex('mkg_event_type_time', EVENT, 'ns', 'type', 'occurredAt'),
  rangeIndex('mkg_event_source_time', EVENT, 'ns', 'sourceId', 'occurredAt'),
  rangeIndex('mkg_reject_source_time', REJECT, 'ns', 'sourceId', 'recordedAt'),
  {
    kind: 'index',
    name: 'mkg_entity_search_key',
    create: statement(
      'create mkg_entity_search_key',
      `CREATE TEXT INDEX mkg_entity_search_key IF NOT EXISTS FOR (n:${ENTITY}) ON (n.searchKey)`,
    ),
  },
  ...REL_TYPES.map((type) => factIndex(factIdIndexName(type), type, 'factId')),
  // A source's facts in fact-id order (re-extraction's diff), one seek per type.
  ...REL_TYPES.map((type) => factIndex(factSourceIndexName(type), type, 'sourceId', 'factId')),
  fulltextIndex(TEXT_INDEX, TEXT_SEARCH_LABELS, ['nameTerms', 'aliasTerms']),
  fulltextIndex(CHUNK_TEXT_INDEX, [CHUNK], ['textTerms']),
];

/** Indexes of earlier versions that `migrate()` drops (their analyzer cut words unlike SQLite). */
export const OBSOLETE_INDEXES: readonly { index: string; statement: CypherStatement }[] = ['mkg_text', 'mkg_chunk_text']
  .map((index) => ({ index, statement: statement(`drop ${index}`, `DROP INDEX ${index} IF EXISTS`) }));

/** Everything `migrate()` creates, constraints first (their indexes back the lookups below). */
export const SCHEMA_OBJECTS: readonly SchemaObject[] = [...CONSTRAINTS, ...INDEXES];

/** Waits until every index is online (or the timeout passes), so a fresh store is usable at once. */
export const AWAIT_INDEXES = statement('await indexes', 'CALL db.awaitIndexes($seconds)', { seconds: 'INTEGER' });

export const SHOW_CONSTRAINTS = statement('show constraints', 'SHOW CONSTRAINTS YIELD name RETURN name');

export const SHOW_INDEXES = statement('show indexes', 'SHOW INDEXES YIELD name, state RETURN name, state');
