/**
 * Small builders for graph records used by the contract suites. Every builder takes overrides so a
 * test states only what it is about.
 */
import type { ChunkInput, EventInput, FactInput, GraphBatch, NodeInput } from '../../schema/graph.ts';
import { emptyBatch } from '../../schema/graph.ts';
import { factId } from '../../schema/ids.ts';
import type { Role } from '../../schema/ontology.ts';

/** 2023-05-01T00:00:00Z; tests express times as offsets from it. */
export const T0 = Date.UTC(2023, 4, 1);
export const HOUR = 3_600_000;
export const SRC = 'src:test:a';
export const SRC_B = 'src:test:b';

export function node(id: string, over: Partial<NodeInput> = {}): NodeInput {
  return { id, kind: 'Account', name: id, recordedAt: T0, sourceId: SRC, ...over };
}

export function event(id: string, over: Partial<EventInput> = {}): EventInput {
  return {
    id,
    type: 'Transfer',
    occurredAt: T0,
    summary: `Event ${id}`,
    amounts: [],
    attrs: {},
    recordedAt: T0,
    sourceId: SRC,
    extractor: 'test-extractor',
    extractorVersion: '1',
    ...over,
  };
}

/** A fact with a deterministic id derived from its key, like the extractors make them. */
export function fact(subject: string, type: FactInput['type'], object: string, over: Partial<FactInput> = {}): FactInput {
  const base: Omit<FactInput, 'id'> = {
    subject,
    type,
    predicate: type.toLowerCase(),
    object,
    role: null,
    confidence: 1,
    validFrom: null,
    validTo: null,
    recordedAt: T0,
    sourceId: SRC,
    chunkId: null,
    extractor: 'test-extractor',
    extractorVersion: '1',
    attrs: {},
    ...over,
  };
  return { id: over.id ?? factId(base), ...base };
}

export function participant(eventId: string, role: Role, entityId: string, over: Partial<FactInput> = {}): FactInput {
  return fact(eventId, 'PARTICIPANT', entityId, { role, predicate: role, ...over });
}

/** A document chunk; `id` should start with `chunk:` (real ids are content hashes). */
export function chunk(id: string, text: string, over: Partial<ChunkInput> = {}): ChunkInput {
  return {
    id, sourceId: SRC, documentId: 'doc:a', index: 0, text, span: { start: 0, end: text.length }, tokens: 10,
    publishedAt: null, recordedAt: T0, ...over,
  };
}

/** An entity or event mentioned in a chunk, as the text extractors emit it. */
export function mention(subject: string, chunkId: string, over: Partial<FactInput> = {}): FactInput {
  return fact(subject, 'MENTIONED_IN', chunkId, { predicate: 'mentioned in', chunkId, ...over });
}

export function batch(parts: Partial<GraphBatch>): GraphBatch {
  return { ...emptyBatch(), ...parts };
}

/**
 * One ERC-20 transfer as the structured extractor would emit it: three nodes, the event and its
 * three participation facts, all from `sourceId`.
 */
export function transfer(
  n: number,
  from: string,
  to: string,
  token: string,
  occurredAt: number,
  sourceId = SRC,
): GraphBatch {
  const id = `evt:transfer:eip155:1:0x${n.toString(16).padStart(64, '0')}:0`;
  const at = { recordedAt: occurredAt, sourceId };
  return {
    nodes: [node(from, at), node(to, at), node(token, { kind: 'Token', ...at })],
    events: [event(id, { occurredAt, summary: `Transfer #${n} from ${from} to ${to}`, ...at })],
    facts: [
      participant(id, 'from', from, at),
      participant(id, 'to', to, at),
      participant(id, 'token', token, at),
    ],
  };
}

/** Concatenates batches into one. */
export function merged(...batches: GraphBatch[]): GraphBatch {
  return {
    nodes: batches.flatMap((b) => b.nodes),
    events: batches.flatMap((b) => b.events),
    facts: batches.flatMap((b) => b.facts),
    chunks: batches.flatMap((b) => b.chunks ?? []),
  };
}
