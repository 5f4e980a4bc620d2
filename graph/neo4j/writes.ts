/**
 * The write path: one managed transaction per GraphBatch (atomic, retried by the driver on
 * transient errors such as deadlocks; everything below runs again from scratch on a retry), with
 * every statement an `UNWIND` of at most `batchSize` rows. In order:
 * 1. lock the batch's nodes and events (sorted ids; placeholders for new ones) and read them;
 * 2. merge in memory (write-plan.ts) and write back only new and changed nodes and events;
 * 3. write the chunks not stored yet (first write wins), before the facts that name them;
 * 4. make sure every other fact end exists (placeholder if new, never locked);
 * 5. MERGE facts by fact id, sorted by (subject, object); the server's `relationshipsCreated`
 *    counter is the exact number added.
 * Sources and rejects are single-statement upserts.
 */
import { hashParts } from '../../schema/hash.ts';
import type { RejectInput, SourceRecord, WriteResult } from '../../schema/graph.ts';
import { emptyWriteResult } from '../../schema/graph.ts';
import type { NodeState } from '../node-merge.ts';
import {
  ADD_REJECTS, ENSURE_THINGS, LOCK_AND_READ, UPSERT_SOURCE, WRITE_CHUNKS, WRITE_EVENTS, WRITE_FACTS, WRITE_NODES,
} from './cypher/writes.ts';
import { int, intOrNull, toNumber } from './records.ts';
import { chunks, query, update, type Scope } from './runner.ts';
import {
  endIds, lockIds, planChunks, planEvents, planFacts, planNodes, storedNodeState, type ChunkRow, type PreparedBatch,
  type WriteClock,
} from './write-plan.ts';

/** Writes a prepared batch inside `scope`'s transaction; returns exact counts. */
export async function writePrepared(
  scope: Scope,
  batch: PreparedBatch,
  batchSize: number,
  clock: WriteClock,
): Promise<WriteResult> {
  const result = emptyWriteResult();
  const locked = lockIds(batch);
  const storedNodes = new Map<string, NodeState>();
  const storedEvents = new Map<string, string>();
  for (const ids of chunks(locked, batchSize)) {
    for (const row of await query(scope, LOCK_AND_READ, { ids })) {
      const id = row.id as string;
      if (row.node !== null && row.node !== undefined) storedNodes.set(id, storedNodeState(id, row.node as Record<string, unknown>));
      if (typeof row.eventAttrs === 'string') storedEvents.set(id, row.eventAttrs);
    }
  }

  const nodeRows = planNodes(batch.nodes, storedNodes, result.nodes);
  for (const rows of chunks(nodeRows, batchSize)) await update(scope, WRITE_NODES, { rows });
  const eventRows = planEvents(batch.events, storedEvents, result.events);
  for (const rows of chunks(eventRows, batchSize)) await update(scope, WRITE_EVENTS, { rows });

  const { rows: chunkRows, repeated: repeatedChunks } = planChunks(batch.chunks);
  const chunksAdded = await writeChunks(scope, chunkRows, batchSize);
  result.chunks.added = chunksAdded;
  result.chunks.unchanged = chunkRows.length - chunksAdded + repeatedChunks;

  // The batch's chunks exist now, so a MENTIONED_IN fact's chunk end needs no placeholder.
  const described = new Set([...locked, ...chunkRows.map((c) => c.id)]);
  for (const ids of chunks(endIds(batch, described), batchSize)) await update(scope, ENSURE_THINGS, { ids });
  const { rows: factRows, repeated } = planFacts(batch.facts, clock.take(batch.facts.length));
  let created = 0;
  for (const rows of chunks(factRows, batchSize)) created += (await update(scope, WRITE_FACTS, { rows })).relationshipsCreated;
  result.facts.added = created;
  result.facts.unchanged = factRows.length - created + repeated;
  return result;
}

/** Writes document chunks (distinct ids, sorted) in statements of `batchSize`; how many were new. */
async function writeChunks(scope: Scope, rows: readonly ChunkRow[], batchSize: number): Promise<number> {
  let added = 0;
  for (const slice of chunks(rows, batchSize)) {
    const [row] = await query(scope, WRITE_CHUNKS, { rows: slice });
    added += toNumber(row?.added ?? 0);
  }
  return added;
}

/** Every stored property of a source (also what the bulk export writes, admin-import.ts). */
export function sourceProps(s: SourceRecord): Record<string, unknown> {
  return {
    name: s.uri, uri: s.uri, kind: s.kind, contentHash: s.contentHash, version: s.version,
    recordedAt: int(s.recordedAt), records: int(s.records), rejected: int(s.rejected),
    // `SET s += $props` removes a property set to null: a source upserted without one has none.
    factDigest: s.factDigest ?? null,
  };
}

export async function upsertSource(scope: Scope, s: SourceRecord): Promise<void> {
  await update(scope, UPSERT_SOURCE, { id: s.id, props: sourceProps(s) });
}

/**
 * A reject's id: a hash of what makes two reports the same record failing the same way (source,
 * file, line, code, reason), so a re-ingest finds the stored report instead of adding another.
 */
export function rejectId(r: RejectInput): string {
  return `rej:${hashParts([r.sourceId ?? '', r.file, r.line ?? -1, r.code, r.reason], 32)}`;
}

/** Every stored property of a reject, with its write order `seq` (also what the bulk export writes). */
export function rejectProps(r: RejectInput, seq: number): Record<string, unknown> {
  return {
    name: `${r.code} at ${r.file}${r.line === null || r.line === undefined ? '' : `:${r.line}`}`,
    sourceId: r.sourceId ?? null, file: r.file, line: intOrNull(r.line), code: r.code, reason: r.reason,
    raw: r.raw ?? null, severity: r.severity, recordedAt: int(r.recordedAt), seq: int(seq),
  };
}

export async function addRejects(scope: Scope, rejects: readonly RejectInput[], batchSize: number, clock: WriteClock): Promise<void> {
  const seq = clock.take(rejects.length);
  const rows = rejects.map((r, i) => ({ id: rejectId(r), props: rejectProps(r, seq + i) }));
  for (const chunk of chunks(rows, batchSize)) await update(scope, ADD_REJECTS, { rows: chunk });
}
