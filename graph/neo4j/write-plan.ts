/**
 * The pure half of a batch write: validation, merging and counting, and the rows each write
 * statement receives. The same rules as the SQLite writer (graph/sqlite/graph-writer.ts), through
 * the same merge functions (graph/node-merge.ts):
 * - nodes: inputs with one id are merged first; the result is merged with the stored node and
 *   written only when something changed. Counted per distinct id;
 * - events: the first write wins, except attrs, which merge. Counted per input row, so a row
 *   repeated within one batch counts as unchanged (or updated) the second time;
 * - facts: the first write of a fact id wins. Counted per input row likewise;
 * - chunks: the first write of a chunk id wins. Counted per input row likewise.
 */
import { InvalidArgumentError } from '../../schema/errors.ts';
import type { ChunkInput, EventInput, FactInput, GraphBatch, WriteCounts } from '../../schema/graph.ts';
import { CHUNK_ID_PREFIX, EVENT_ID_PREFIX } from '../../schema/ids.ts';
import { isEventType, isRelType, isTextSearchable, ROLES, type EntityKind } from '../../schema/ontology.ts';
import { mergeAttrs, mergeBatchNodes, mergeNodes, nodeSearchKey, sameNodeState, type NodeState } from '../node-merge.ts';
import { aliasTermText, termText } from '../search-terms.ts';
import { int, intOrNull, parseJson, toNumber, toNumberOrNull } from './records.ts';

const ROLE_SET = new Set<string>(ROLES);

/** A validated batch: nodes merged per id (first-seen order), events, facts and chunks as given. */
export interface PreparedBatch {
  nodes: Map<string, NodeState>;
  events: readonly EventInput[];
  facts: readonly FactInput[];
  chunks: readonly ChunkInput[];
}

/**
 * Validates a batch and merges its nodes per id.
 * @throws InvalidArgumentError for a kind, type or role outside the ontology, an event id without
 *   (or a node id with) the `evt:` prefix, or a chunk id without (or a node id with) the `chunk:`
 *   prefix; nothing is written then
 */
export function prepareBatch(batch: GraphBatch): PreparedBatch {
  const nodes = mergeBatchNodes(batch);
  for (const e of batch.events) {
    if (!isEventType(e.type)) throw new InvalidArgumentError('batch.events', `unknown type "${e.type}" for ${e.id}`);
    if (!e.id.startsWith(EVENT_ID_PREFIX)) {
      throw new InvalidArgumentError('batch.events', `${e.id}: event ids start with "${EVENT_ID_PREFIX}"`);
    }
  }
  for (const f of batch.facts) {
    if (!isRelType(f.type)) throw new InvalidArgumentError('batch.facts', `unknown type "${f.type}" for ${f.id}`);
    if (f.role !== null && f.role !== undefined && !ROLE_SET.has(f.role)) {
      throw new InvalidArgumentError('batch.facts', `unknown role "${f.role}" for ${f.id}`);
    }
  }
  const chunks = batch.chunks ?? [];
  for (const c of chunks) {
    if (!c.id.startsWith(CHUNK_ID_PREFIX)) {
      throw new InvalidArgumentError('batch.chunks', `${c.id}: chunk ids start with "${CHUNK_ID_PREFIX}"`);
    }
  }
  return { nodes, events: batch.events, facts: batch.facts, chunks };
}

/** Whether the batch holds anything to write. */
export function isEmptyBatch(batch: PreparedBatch): boolean {
  return batch.nodes.size === 0 && batch.events.length === 0 && batch.facts.length === 0 && batch.chunks.length === 0;
}

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The ids a batch describes (nodes and events), sorted: what it locks, in lock order. */
export function lockIds(batch: PreparedBatch): string[] {
  return [...new Set([...batch.nodes.keys(), ...batch.events.map((e) => e.id)])].sort(byCodeUnit);
}

/** Fact ends the batch does not describe itself, sorted: they must exist (as placeholders if new). */
export function endIds(batch: PreparedBatch, described: ReadonlySet<string>): string[] {
  const ends = new Set<string>();
  for (const f of batch.facts) {
    if (!described.has(f.subject)) ends.add(f.subject);
    if (!described.has(f.object)) ends.add(f.object);
  }
  return [...ends].sort(byCodeUnit);
}

/** A stored entity as returned by LOCK_AND_READ (`node` column) → NodeState. */
export function storedNodeState(id: string, node: Record<string, unknown>): NodeState {
  return {
    id,
    kind: node.kind as EntityKind,
    name: node.name as string,
    namePriority: toNumber(node.namePriority ?? 0),
    aliases: Array.isArray(node.aliases) ? (node.aliases as string[]) : [],
    attrs: parseJson(node.attrs, {}),
    validFrom: toNumberOrNull(node.validFrom),
    recordedAt: toNumber(node.recordedAt),
    sourceId: node.sourceId as string,
  };
}

/** Every stored property of an entity, as WRITE_NODES sets it. */
export function nodeProps(state: NodeState): Record<string, unknown> {
  return {
    kind: state.kind,
    name: state.name,
    namePriority: int(state.namePriority),
    aliases: state.aliases,
    nameTerms: termText(state.name),
    aliasTerms: aliasTermText(state.aliases),
    searchKey: nodeSearchKey(state.name, state.aliases),
    attrs: JSON.stringify(state.attrs),
    validFrom: intOrNull(state.validFrom),
    recordedAt: int(state.recordedAt),
    sourceId: state.sourceId,
  };
}

export interface NodeRow {
  id: string;
  kind: EntityKind;
  props: Record<string, unknown>;
}

/** Merges the batch's nodes with the stored ones; rows for the new and changed ones only. */
export function planNodes(nodes: ReadonlyMap<string, NodeState>, stored: ReadonlyMap<string, NodeState>, counts: WriteCounts): NodeRow[] {
  const rows: NodeRow[] = [];
  for (const incoming of nodes.values()) {
    const before = stored.get(incoming.id);
    if (before === undefined) {
      counts.added++;
      rows.push({ id: incoming.id, kind: incoming.kind, props: nodeProps(incoming) });
      continue;
    }
    const merged = mergeNodes(before, incoming);
    if (sameNodeState(before, merged)) {
      counts.unchanged++;
      continue;
    }
    counts.updated++;
    rows.push({ id: merged.id, kind: merged.kind, props: nodeProps(merged) });
  }
  return rows;
}

export interface EventRow {
  id: string;
  /** The type label to add: only for a new event (a stored event keeps its first type). */
  type: string | null;
  props: Record<string, unknown>;
}

/**
 * Events against the stored ones (`stored`: id → attrs JSON text of events already stored). A new
 * event's row carries every property; a stored one whose attrs changed carries only `attrs`.
 */
export function planEvents(events: readonly EventInput[], stored: ReadonlyMap<string, string>, counts: WriteCounts): EventRow[] {
  const pending = new Map<string, { input: EventInput; isNew: boolean; attrsJson: string; changed: boolean }>();
  for (const e of events) {
    let current = pending.get(e.id);
    if (current === undefined) {
      const storedJson = stored.get(e.id);
      if (storedJson === undefined) {
        pending.set(e.id, { input: e, isNew: true, attrsJson: JSON.stringify(e.attrs), changed: true });
        counts.added++;
        continue;
      }
      current = { input: e, isNew: false, attrsJson: storedJson, changed: false };
      pending.set(e.id, current);
    }
    const before = parseJson<Record<string, unknown>>(current.attrsJson, {});
    const merged = mergeAttrs(before, e.attrs);
    const mergedJson = merged === before ? current.attrsJson : JSON.stringify(merged);
    if (mergedJson === current.attrsJson) {
      counts.unchanged++;
      continue;
    }
    current.attrsJson = mergedJson;
    current.changed = true;
    counts.updated++;
  }
  return [...pending.values()]
    .filter((p) => p.changed)
    .map(({ input: e, isNew, attrsJson }) => ({
      id: e.id,
      type: isNew ? e.type : null,
      props: isNew
        ? {
            type: e.type, name: e.summary, summary: e.summary, occurredAt: int(e.occurredAt),
            // Only searchable types are in the full-text index; bulk events carry no terms.
            nameTerms: isTextSearchable(e.type) ? termText(e.summary) : null,
            amounts: JSON.stringify(e.amounts), attrs: attrsJson, recordedAt: int(e.recordedAt),
            sourceId: e.sourceId, extractor: e.extractor, extractorVersion: e.extractorVersion,
          }
        : { attrs: attrsJson },
    }));
}

export interface FactRow {
  id: string;
  type: string;
  subject: string;
  object: string;
  props: Record<string, unknown>;
}

/**
 * Facts with the first occurrence of each id kept (`repeated` counts the others), numbered in input
 * order from `seq` (write order), then sorted by (subject, object) for lock order.
 */
export function planFacts(facts: readonly FactInput[], seq: number): { rows: FactRow[]; repeated: number } {
  const seen = new Set<string>();
  const rows: FactRow[] = [];
  for (const f of facts) {
    if (seen.has(f.id)) continue;
    seen.add(f.id);
    rows.push({
      id: f.id,
      type: f.type,
      subject: f.subject,
      object: f.object,
      props: {
        predicate: f.predicate, role: f.role ?? null, confidence: f.confidence, validFrom: intOrNull(f.validFrom),
        validTo: intOrNull(f.validTo), recordedAt: int(f.recordedAt), sourceId: f.sourceId, chunkId: f.chunkId ?? null,
        extractor: f.extractor, extractorVersion: f.extractorVersion, attrs: JSON.stringify(f.attrs),
        seq: int(seq + rows.length),
      },
    });
  }
  rows.sort((a, b) => byCodeUnit(a.subject, b.subject) || byCodeUnit(a.object, b.object) || byCodeUnit(a.id, b.id));
  return { rows, repeated: facts.length - rows.length };
}

export interface ChunkRow {
  id: string;
  props: Record<string, unknown>;
}

/**
 * Chunks with the first occurrence of each id kept (`repeated` counts the others), sorted by id for
 * lock order. Whether a kept row is new is the server's to say (a stored chunk is left as it is).
 */
export function planChunks(chunks: readonly ChunkInput[]): { rows: ChunkRow[]; repeated: number } {
  const byId = new Map<string, ChunkRow>();
  for (const c of chunks) {
    if (byId.has(c.id)) continue;
    byId.set(c.id, {
      id: c.id,
      props: {
        name: `${c.documentId}#${c.index}`, sourceId: c.sourceId, documentId: c.documentId, index: int(c.index),
        text: c.text, textTerms: termText(c.text), spanStart: int(c.span.start), spanEnd: int(c.span.end), tokens: int(c.tokens),
        publishedAt: intOrNull(c.publishedAt), recordedAt: int(c.recordedAt),
      },
    });
  }
  const rows = [...byId.values()].sort((a, b) => byCodeUnit(a.id, b.id));
  return { rows, repeated: chunks.length - rows.length };
}

/**
 * Hands out write-order numbers: epoch ms × 1000 plus a counter, never repeating or going back
 * within a process, roughly time-ordered across processes, and exact as JS numbers until ~2255.
 */
export class WriteClock {
  #next = 0;

  /** Reserves `count` consecutive numbers and returns the first. */
  take(count: number): number {
    const first = Math.max(Date.now() * 1000, this.#next);
    this.#next = first + Math.max(count, 1);
    return first;
  }
}
