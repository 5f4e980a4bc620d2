/**
 * The property-graph model shared by every store (ARCHITECTURE.md §4). Times are epoch
 * milliseconds (UTC) everywhere inside MarketGraph; the API renders them as ISO-8601.
 *
 * Bi-temporal rules, the same in every adapter:
 * - world time: `validFrom`/`validTo` on nodes and facts, `occurredAt` on events;
 * - system time: `recordedAt` (when the information became known: the source's own record time
 *   where it has one — block timestamp, bar date, incident date — else the ingest time) and
 *   `retractedAt` (set by re-extraction, never hard-deleted).
 * With `asOf`, a record is visible iff it was recorded at or before `asOf`, its world time has begun
 * by `asOf` (`validFrom`/`occurredAt` <= asOf), it has not ended (`validTo` > asOf or null) and it was
 * not retracted by then (`retractedAt` > asOf or null). A fact is visible only if both ends are.
 */
import type { EntityKind, EventType, RelType, Role } from './ontology.ts';

export type Millis = number;
export type Attrs = Record<string, unknown>;

/** A quantity. On-chain values are exact decimal strings (`raw` integer scaled by `decimals`). */
export interface Amount {
  /** What this amount is within its event, e.g. `value`, `amount0In`, `loss`. */
  role: string;
  /** Decimal string in whole units (e.g. "7.056176614974947328"); null when decimals are unknown. */
  value: string | null;
  /** Raw integer string as it appeared on chain, when there is one. */
  raw: string | null;
  decimals: number | null;
  /** Symbol or currency (WETH, USD, ETH); null when unknown. */
  unit: string | null;
  /** Token node id when the amount is of a known token. */
  token: string | null;
}

/** How strongly a source vouches for a node's display name; a higher priority replaces a lower. */
export const NamePriority = { fallback: 0, derived: 1, curated: 2 } as const;

export interface NodeInput {
  id: string;
  kind: EntityKind;
  name: string;
  /** @default NamePriority.fallback */
  namePriority?: number;
  aliases?: string[];
  attrs?: Attrs;
  validFrom?: Millis | null;
  recordedAt: Millis;
  sourceId: string;
}

export interface NodeRecord {
  id: string;
  kind: EntityKind;
  name: string;
  aliases: string[];
  attrs: Attrs;
  validFrom: Millis | null;
  validTo: Millis | null;
  recordedAt: Millis;
  retractedAt: Millis | null;
}

export interface EventInput {
  id: string;
  type: EventType;
  occurredAt: Millis;
  summary: string;
  amounts: Amount[];
  attrs: Attrs;
  recordedAt: Millis;
  sourceId: string;
  extractor: string;
  extractorVersion: string;
}

export interface Participant {
  role: Role;
  entityId: string;
  factId: string;
}

export interface EventRecord {
  id: string;
  type: EventType;
  occurredAt: Millis;
  summary: string;
  amounts: Amount[];
  attrs: Attrs;
  recordedAt: Millis;
  retractedAt: Millis | null;
  sourceId: string;
  extractor: string;
  extractorVersion: string;
  /** Participants visible at the read's `asOf`. */
  participants: Participant[];
}

export interface FactInput {
  id: string;
  subject: string;
  /** Canonical predicate = relationship type (closed set). */
  type: RelType;
  /** The wording the source used, kept verbatim. */
  predicate: string;
  object: string;
  role: Role | null;
  confidence: number;
  validFrom: Millis | null;
  validTo: Millis | null;
  recordedAt: Millis;
  sourceId: string;
  chunkId: string | null;
  extractor: string;
  extractorVersion: string;
  attrs: Attrs;
}

export interface FactRecord extends FactInput {
  retractedAt: Millis | null;
}

/**
 * A passage of a document as stored in the graph (`Chunk {id, text, span}`, `(Chunk)-[:PART_OF]->(Source)`).
 * Its id is a content hash (`chunk:<sha-256>`), so the same passage in two documents is one chunk:
 * the first write names its document, position and source; later writes of the same text change
 * nothing. Entities and events point at it with `MENTIONED_IN` facts, and every fact extracted
 * from it carries its id as `chunkId`.
 *
 * Visibility: a chunk has no world time of its own; it is visible at `asOf` iff recorded by then
 * and not retracted by then.
 */
export interface ChunkInput {
  /** `chunk:<hex sha-256 of the normalised text>` (content-addressed). */
  id: string;
  sourceId: string;
  documentId: string;
  /** 0-based position within its document. */
  index: number;
  text: string;
  /** UTF-16 offsets of `text` within the document's text. */
  span: { start: number; end: number };
  /** Tokens by the local tokenizer (o200k_base). */
  tokens: number;
  /** When the document was published, when it says. */
  publishedAt: Millis | null;
  /** The document's `publishedAt` when known, else the ingest time. */
  recordedAt: Millis;
}

export interface ChunkRecord extends ChunkInput {
  retractedAt: Millis | null;
}

/** What one extraction step produces; also the unit of a store write. */
export interface GraphBatch {
  nodes: NodeInput[];
  events: EventInput[];
  facts: FactInput[];
  /** Document chunks that facts of this or a later batch name (MENTIONED_IN objects, `chunkId`). */
  chunks?: ChunkInput[];
}

export interface WriteCounts {
  added: number;
  /** Existing rows whose merged value changed (a better name, a more specific kind, new aliases). */
  updated: number;
  unchanged: number;
}

export interface WriteResult {
  nodes: WriteCounts;
  events: WriteCounts;
  facts: WriteCounts;
  chunks: WriteCounts;
}

export interface SourceRecord {
  id: string;
  uri: string;
  /** A detected file kind, e.g. `eth-logs`, `ohlcv`, `incidents`. */
  kind: string;
  contentHash: string;
  /** Reader/extractor version set that last processed the source. */
  version: string;
  recordedAt: Millis;
  records: number;
  rejected: number;
  /**
   * Order-independent digest of the fact ids the last full, written extraction of the source
   * produced (`<count>:<sum mod 2^64 of their first 16 hex digits>`, pipelines/ingest/fact-digest.ts);
   * re-extraction skips an unchanged source whose live facts still have this digest. Stores
   * always return it, null when unknown (sources written before it existed, or by a writer that
   * does not compute one); absent on write means null.
   */
  factDigest?: string | null;
}

export type RejectSeverity = 'error' | 'warning';

/** A record that could not be used (error) or was kept with a caveat (warning). */
export interface RejectInput {
  sourceId: string | null;
  file: string;
  line: number | null;
  code: string;
  reason: string;
  /** The offending input, truncated. */
  raw: string | null;
  severity: RejectSeverity;
  recordedAt: Millis;
}

export interface RejectRecord extends RejectInput {
  id: string;
}

export function emptyBatch(): GraphBatch {
  return { nodes: [], events: [], facts: [] };
}

export function emptyWriteResult(): WriteResult {
  const z = (): WriteCounts => ({ added: 0, updated: 0, unchanged: 0 });
  return { nodes: z(), events: z(), facts: z(), chunks: z() };
}

export function addWriteResults(into: WriteResult, from: WriteResult): WriteResult {
  for (const k of ['nodes', 'events', 'facts', 'chunks'] as const) {
    into[k].added += from[k].added;
    into[k].updated += from[k].updated;
    into[k].unchanged += from[k].unchanged;
  }
  return into;
}
