/**
 * The one place where values cross between MarketGraph and Neo4j:
 * - integers: Neo4j integers are 64-bit; the driver returns them as `Integer` objects unless told
 *   otherwise (the store's own driver is created with `disableLosslessIntegers`, an injected one may
 *   not be). `toNumber` accepts every form and refuses values a JS number cannot hold exactly.
 *   Going out, times and counts are sent as `neo4j.int` so they are stored as INTEGER, not FLOAT
 *   (the driver sends every JS number as a float);
 * - maps (`attrs`, `amounts`) are JSON text, since a Neo4j property cannot hold a map;
 * - result maps (graph/neo4j/cypher/projections.ts) become NodeRecord, EventRecord, FactRecord….
 */
import neo4j, { type Integer } from 'neo4j-driver';
import { StoreError } from '../../schema/errors.ts';
import type {
  Amount, Attrs, ChunkRecord, EventRecord, FactRecord, NodeRecord, Participant, RejectRecord, RejectSeverity,
  SourceRecord,
} from '../../schema/graph.ts';
import type { EntityKind, EventType, RelType, Role } from '../../schema/ontology.ts';

const STORE = 'neo4j graph store';

type Row = Record<string, unknown>;

/** A number from Neo4j (JS number, driver Integer or bigint) as an exact JS number. */
export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new StoreError(STORE, `integer ${value} does not fit a JavaScript number`);
    }
    return Number(value);
  }
  if (neo4j.isInt(value)) {
    if (!neo4j.integer.inSafeRange(value)) {
      throw new StoreError(STORE, `integer ${value.toString()} does not fit a JavaScript number`);
    }
    return value.toNumber();
  }
  throw new StoreError(STORE, `expected a number, got ${value === null ? 'null' : typeof value}`);
}

export function toNumberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : toNumber(value);
}

/**
 * A whole number as a Neo4j INTEGER parameter. Non-integral numbers (never produced by MarketGraph
 * for times or counts, but accepted by the port for `asOf`) stay floats, which compare correctly.
 */
export function int(value: number): Integer | number {
  return Number.isSafeInteger(value) ? neo4j.int(value) : value;
}

export function intOrNull(value: number | null | undefined): Integer | number | null {
  return value === null || value === undefined ? null : int(value);
}

/** JSON text from a property; `fallback` when the property is absent. */
export function parseJson<T>(text: unknown, fallback: T): T {
  if (text === null || text === undefined) return fallback;
  if (typeof text !== 'string') throw new StoreError(STORE, `expected JSON text, got ${typeof text}`);
  return JSON.parse(text) as T;
}

function str(value: unknown): string {
  return value as string;
}

function strOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : (value as string);
}

export function toNodeRecord(n: Row): NodeRecord {
  return {
    id: str(n.id),
    kind: n.kind as EntityKind,
    name: str(n.name),
    aliases: Array.isArray(n.aliases) ? (n.aliases as string[]) : [],
    attrs: parseJson<Attrs>(n.attrs, {}),
    validFrom: toNumberOrNull(n.validFrom),
    validTo: toNumberOrNull(n.validTo),
    recordedAt: toNumber(n.recordedAt),
    retractedAt: toNumberOrNull(n.retractedAt),
  };
}

export function toEventRecord(e: Row, participants: Participant[]): EventRecord {
  return {
    id: str(e.id),
    type: e.type as EventType,
    occurredAt: toNumber(e.occurredAt),
    summary: str(e.summary),
    amounts: parseJson<Amount[]>(e.amounts, []),
    attrs: parseJson<Attrs>(e.attrs, {}),
    recordedAt: toNumber(e.recordedAt),
    retractedAt: toNumberOrNull(e.retractedAt),
    sourceId: str(e.sourceId),
    extractor: str(e.extractor),
    extractorVersion: str(e.extractorVersion),
    participants,
  };
}

export function toFactRecord(f: Row): FactRecord {
  return {
    id: str(f.factId),
    subject: str(f.subject),
    type: f.type as RelType,
    predicate: str(f.predicate),
    object: str(f.object),
    role: strOrNull(f.role) as Role | null,
    confidence: toNumber(f.confidence),
    validFrom: toNumberOrNull(f.validFrom),
    validTo: toNumberOrNull(f.validTo),
    recordedAt: toNumber(f.recordedAt),
    retractedAt: toNumberOrNull(f.retractedAt),
    sourceId: str(f.sourceId),
    chunkId: strOrNull(f.chunkId),
    extractor: str(f.extractor),
    extractorVersion: str(f.extractorVersion),
    attrs: parseJson<Attrs>(f.attrs, {}),
  };
}

export function toChunkRecord(c: Row): ChunkRecord {
  return {
    id: str(c.id),
    sourceId: str(c.sourceId),
    documentId: str(c.documentId),
    index: toNumber(c.index),
    text: str(c.text),
    span: { start: toNumber(c.spanStart), end: toNumber(c.spanEnd) },
    tokens: toNumber(c.tokens),
    publishedAt: toNumberOrNull(c.publishedAt),
    recordedAt: toNumber(c.recordedAt),
    retractedAt: toNumberOrNull(c.retractedAt),
  };
}

export function toParticipant(row: Row): Participant {
  return { role: row.role as Role, entityId: str(row.entity), factId: str(row.factId) };
}

export function toSourceRecord(s: Row): SourceRecord {
  return {
    id: str(s.id),
    uri: str(s.uri),
    kind: str(s.kind),
    contentHash: str(s.contentHash),
    version: str(s.version),
    recordedAt: toNumber(s.recordedAt),
    records: toNumber(s.records),
    rejected: toNumber(s.rejected),
    factDigest: strOrNull(s.factDigest),
  };
}

export function toRejectRecord(r: Row): RejectRecord {
  return {
    id: str(r.id),
    sourceId: strOrNull(r.sourceId),
    file: str(r.file),
    line: toNumberOrNull(r.line),
    code: str(r.code),
    reason: str(r.reason),
    raw: strOrNull(r.raw),
    severity: r.severity as RejectSeverity,
    recordedAt: toNumber(r.recordedAt),
  };
}
