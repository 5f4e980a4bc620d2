/**
 * Column lists and row → record mapping for the graph tables, shared by every read module, plus
 * the small statement cache reads use for their per-filter SQL shapes.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type {
  Amount, Attrs, ChunkRecord, EventRecord, FactRecord, NodeRecord, Participant, RejectInput, RejectSeverity,
  SourceRecord,
} from '../../schema/graph.ts';
import type { EntityKind, EventType, RelType, Role } from '../../schema/ontology.ts';

export const NODE_COLUMNS = `n.id, n.kind, n.name, n.aliases, n.attrs, n.valid_from, n.valid_to, n.recorded_at,
  n.retracted_at`;

export const EVENT_COLUMNS = `e.id, e.type, e.occurred_at, e.summary, e.amounts, e.attrs, e.recorded_at,
  e.retracted_at, e.source_id, e.extractor, e.extractor_version`;

export const FACT_COLUMNS = `f.id, f.subject, f.type, f.predicate, f.object, f.role, f.confidence, f.valid_from,
  f.valid_to, f.recorded_at, f.retracted_at, f.source_id, f.chunk_id, f.extractor, f.extractor_version, f.attrs`;

export const CHUNK_COLUMNS = `c.id, c.source_id, c.document_id, c.idx, c.text, c.span_start, c.span_end, c.tokens,
  c.published_at, c.recorded_at, c.retracted_at`;

type Row = Record<string, unknown>;

export function toNodeRecord(row: Row): NodeRecord {
  return {
    id: row.id as string,
    kind: row.kind as EntityKind,
    name: row.name as string,
    aliases: JSON.parse(row.aliases as string) as string[],
    attrs: JSON.parse(row.attrs as string) as Attrs,
    validFrom: row.valid_from as number | null,
    validTo: row.valid_to as number | null,
    recordedAt: row.recorded_at as number,
    retractedAt: row.retracted_at as number | null,
  };
}

export function toEventRecord(row: Row, participants: Participant[]): EventRecord {
  return {
    id: row.id as string,
    type: row.type as EventType,
    occurredAt: row.occurred_at as number,
    summary: row.summary as string,
    amounts: JSON.parse(row.amounts as string) as Amount[],
    attrs: JSON.parse(row.attrs as string) as Attrs,
    recordedAt: row.recorded_at as number,
    retractedAt: row.retracted_at as number | null,
    sourceId: row.source_id as string,
    extractor: row.extractor as string,
    extractorVersion: row.extractor_version as string,
    participants,
  };
}

export function toFactRecord(row: Row): FactRecord {
  return {
    id: row.id as string,
    subject: row.subject as string,
    type: row.type as RelType,
    predicate: row.predicate as string,
    object: row.object as string,
    role: row.role as Role | null,
    confidence: row.confidence as number,
    validFrom: row.valid_from as number | null,
    validTo: row.valid_to as number | null,
    recordedAt: row.recorded_at as number,
    retractedAt: row.retracted_at as number | null,
    sourceId: row.source_id as string,
    chunkId: row.chunk_id as string | null,
    extractor: row.extractor as string,
    extractorVersion: row.extractor_version as string,
    attrs: JSON.parse(row.attrs as string) as Attrs,
  };
}

export function toChunkRecord(row: Row): ChunkRecord {
  return {
    id: row.id as string,
    sourceId: row.source_id as string,
    documentId: row.document_id as string,
    index: row.idx as number,
    text: row.text as string,
    span: { start: row.span_start as number, end: row.span_end as number },
    tokens: row.tokens as number,
    publishedAt: row.published_at as number | null,
    recordedAt: row.recorded_at as number,
    retractedAt: row.retracted_at as number | null,
  };
}

export function toSourceRecord(row: Row): SourceRecord {
  return {
    id: row.id as string,
    uri: row.uri as string,
    kind: row.kind as string,
    contentHash: row.content_hash as string,
    version: row.version as string,
    recordedAt: row.recorded_at as number,
    records: row.records as number,
    rejected: row.rejected as number,
    factDigest: (row.fact_digest as string | null) ?? null,
  };
}

/** A `rejects` row without its id (the store's ids are `rej:<rid>`, see store-admin.ts). */
export function toRejectInput(row: Row): RejectInput {
  return {
    sourceId: row.source_id as string | null,
    file: row.file as string,
    line: row.line as number | null,
    code: row.code as string,
    reason: row.reason as string,
    raw: row.raw as string | null,
    severity: row.severity as RejectSeverity,
    recordedAt: row.recorded_at as number,
  };
}

/**
 * Prepared statements keyed by their SQL. Reads build SQL from a closed set of filter shapes, so
 * the cache stays small and each shape is prepared once per connection.
 */
export class StatementCache {
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  get(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare(sql);
      // Callers pass one parameter object per read; shapes without `:asOf` simply ignore it.
      statement.setAllowUnknownNamedParameters(true);
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}
