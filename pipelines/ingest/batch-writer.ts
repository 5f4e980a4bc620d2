import type { GraphStore } from '../../graph/graph-store.ts';
import type { FactDigest } from './fact-digest.ts';
import {
  addWriteResults, emptyBatch, emptyWriteResult, type GraphBatch, type RejectInput, type WriteResult,
} from '../../schema/graph.ts';

/**
 * Buffers extracted rows and writes them in batches of about `batchSize` rows (nodes + events +
 * facts + chunks), one store transaction each; a chunk and the facts naming it stay in one batch
 * when they are added together. Counts come back from the store, so "added" means added.
 */
export interface BatchWriterOptions {
  /** Sees each part before it is buffered and returns what to buffer instead (re-extraction). */
  tap?: (part: GraphBatch) => GraphBatch;
  /** Buffer and count nothing, write nothing (rows nor rejects). @default false */
  dryRun?: boolean;
  /** Sees the id of every fact added, before `tap` (what was extracted, not what is written). */
  digest?: FactDigest;
}

export class BatchWriter {
  readonly #store: GraphStore;
  readonly #batchSize: number;
  readonly #tap: ((part: GraphBatch) => GraphBatch) | null;
  readonly #dryRun: boolean;
  readonly #digest: FactDigest | null;
  #batch: GraphBatch = emptyBatch();
  #rows = 0;
  #rejects: RejectInput[] = [];
  readonly result: WriteResult = emptyWriteResult();

  constructor(store: GraphStore, batchSize: number, options: BatchWriterOptions = {}) {
    this.#store = store;
    this.#batchSize = batchSize;
    this.#tap = options.tap ?? null;
    this.#dryRun = options.dryRun ?? false;
    this.#digest = options.digest ?? null;
  }

  /** Adds rows; writes a batch when the buffer is full. */
  async add(input: GraphBatch, rejects: RejectInput[] = []): Promise<void> {
    if (this.#digest) for (const f of input.facts) this.#digest.add(f.id);
    const part = this.#tap ? this.#tap(input) : input;
    if (this.#dryRun) return;
    if (part.nodes.length) this.#batch.nodes.push(...part.nodes);
    if (part.events.length) this.#batch.events.push(...part.events);
    if (part.facts.length) this.#batch.facts.push(...part.facts);
    if (part.chunks?.length) (this.#batch.chunks ??= []).push(...part.chunks);
    if (rejects.length) this.#rejects.push(...rejects);
    this.#rows += part.nodes.length + part.events.length + part.facts.length + (part.chunks?.length ?? 0);
    if (this.#rows >= this.#batchSize || this.#rejects.length >= this.#batchSize) await this.flush();
  }

  async flush(): Promise<void> {
    const batch = this.#batch;
    const rejects = this.#rejects;
    this.#batch = emptyBatch();
    this.#rows = 0;
    this.#rejects = [];
    if (batch.nodes.length || batch.events.length || batch.facts.length || batch.chunks?.length) {
      addWriteResults(this.result, await this.#store.writeBatch(batch));
    }
    if (rejects.length) await this.#store.addRejects(rejects);
  }
}
