import type { GraphStore } from '../../graph/graph-store.ts';
import {
  addWriteResults, emptyBatch, emptyWriteResult, type GraphBatch, type RejectInput, type WriteResult,
} from '../../schema/graph.ts';

/**
 * Buffers extracted rows and writes them in batches of about `batchSize` rows (nodes + events +
 * facts + chunks), one store transaction each; a chunk and the facts naming it stay in one batch
 * when they are added together. Counts come back from the store, so "added" means added.
 */
export class BatchWriter {
  readonly #store: GraphStore;
  readonly #batchSize: number;
  #batch: GraphBatch = emptyBatch();
  #rows = 0;
  #rejects: RejectInput[] = [];
  readonly result: WriteResult = emptyWriteResult();

  constructor(store: GraphStore, batchSize: number) {
    this.#store = store;
    this.#batchSize = batchSize;
  }

  /** Adds rows; writes a batch when the buffer is full. */
  async add(part: GraphBatch, rejects: RejectInput[] = []): Promise<void> {
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
