/**
 * MarketGraph's shape in Neo4j (ARCHITECTURE.md §4), built for Neo4j Browser (INTEROP.md §C):
 * PascalCase labels, UPPER_SNAKE relationship types, a `name` on every node.
 *
 * - `(:Thing)` is the base label of every graph id: one uniqueness constraint on `(ns, id)` covers
 *   entities and events alike. A fact may name an id before anything describes it; the writer then
 *   creates a bare `:Thing {ns, id, name: id}` placeholder, which no read sees (reads require
 *   `:Entity` or `:Event`), and the later write adds the labels.
 * - Entities: `(:Thing:Entity:<Kind>)` with `id, kind, name, namePriority, aliases` (a list),
 *   `nameTerms` and `aliasTerms` (their search terms, graph/search-terms.ts, for the full-text
 *   index), `searchKey` (lower-cased name
 *   and aliases, for `nameContains`), `attrs` (JSON text), `validFrom, validTo, recordedAt,
 *   retractedAt` (integer epoch ms) and `sourceId`.
 * - Events: `(:Thing:Event:<Type>)` with `id, type, name` (= the summary, the Browser caption),
 *   `nameTerms` (searchable types only), `summary, occurredAt, amounts, attrs` (JSON text), `recordedAt, retractedAt, sourceId,
 *   extractor, extractorVersion`.
 * - Facts: one relationship per fact, typed by the canonical predicate, with `factId, predicate,
 *   role, confidence, validFrom, validTo, recordedAt, retractedAt, sourceId, chunkId, extractor,
 *   extractorVersion, attrs` (JSON text) and `seq` (write order, for stable participant order).
 * - Chunks: `(:Thing:Chunk)` with `id` (`chunk:<hash>`), `name` (`<documentId>#<index>`), `sourceId,
 *   documentId, index, text, textTerms, spanStart, spanEnd, tokens, publishedAt, recordedAt, retractedAt`, and
 *   `(:Chunk)-[:PART_OF]->(:Source)`. The first write of a chunk id wins. `MENTIONED_IN` facts point
 *   at chunks like at any other `:Thing`. A chunk may name a source before `upsertSource` describes
 *   it: the writer then creates a bare `(:Source {ns, id, name: id})`, which source reads skip (it has
 *   no `uri`) and `upsertSource` later completes.
 * - Bookkeeping: `(:Source {ns, id, name: uri, …, factDigest?})` (no `factDigest` property when the
 *   source has none), `(:Reject {ns, id, name, …, seq})`.
 * - Namespaces: every node carries `ns` (the store's `namespace`, '' by default) and every
 *   statement matches on it, so stores with different namespaces share one database without
 *   seeing each other (test runs). Relationships only join nodes of one namespace.
 *
 * Labels and relationship types never come from input: only from the closed sets below.
 *
 * Bulk: `mkg export --format neo4j-admin` writes this same model as `neo4j-admin database import
 * full` CSV (admin-import.ts, through the write path's own property builders); the one difference
 * the CSV format forces is that an entity without aliases has no `aliases` property instead of [].
 */
import { ENTITY_KINDS, EVENT_TYPES, REL_TYPES, isTextSearchable } from '../../schema/ontology.ts';

export const THING = 'Thing';
export const ENTITY = 'Entity';
export const EVENT = 'Event';
export const SOURCE = 'Source';
export const REJECT = 'Reject';
/** Document chunks (provenance text), with a full-text index of their own (CHUNK_TEXT_INDEX). */
export const CHUNK = 'Chunk';
/** From a chunk to its source; not a fact (no `factId`), and never between two `:Thing` nodes. */
export const PART_OF = 'PART_OF';

/** The labels that are not a kind or an event type. */
export const BASE_LABELS: readonly string[] = [THING, ENTITY, EVENT, SOURCE, REJECT, CHUNK];

/** Every label the adapter can write or read. */
export const GRAPH_LABELS: readonly string[] = [...BASE_LABELS, ...ENTITY_KINDS, ...EVENT_TYPES];

/** Every relationship type the adapter can write or read: the facts' types and PART_OF. */
export const GRAPH_REL_TYPES: readonly string[] = [...REL_TYPES, PART_OF];

/**
 * Labels in the entity/event full-text index: entities and the event types whose summaries are worth
 * searching. Bulk on-chain events (Transfer, Swap, …) are left out by label, so their summaries
 * never enter the index (schema/ontology.ts BULK_EVENT_TYPES). Chunks have an index of their own,
 * so long passages do not shift the BM25 statistics of name search (as in the SQLite store).
 */
export const TEXT_SEARCH_LABELS: readonly string[] = [ENTITY, ...EVENT_TYPES.filter(isTextSearchable)];

/** The full-text index over entity names and aliases and event summaries. */
export const TEXT_INDEX = 'mkg_terms';

/** The full-text index over chunk text. */
export const CHUNK_TEXT_INDEX = 'mkg_chunk_terms';
