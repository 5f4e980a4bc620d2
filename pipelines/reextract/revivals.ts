/**
 * Revivals (pipelines/reextract/reextract.ts): a fact the re-run produces that is not live may
 * still be stored, retracted by an earlier re-extraction (a detector parameter changed, then changed
 * back). Its id is a content hash without time, so writing it again changes nothing (stores keep an
 * existing id as it is), and un-retracting the row would rewrite system-time history (a read as of
 * the gap would suddenly see it). Such a fact is written as a new row instead, under
 * `revivalFactId(id, at)` with `recordedAt = at`: reads as of the gap see neither row.
 *
 * The ingest tap is synchronous, so it only offers the facts it lets through; lookups
 * (`retractedFactIds`, a batch of ids at a time) run one after another while extraction goes on, and
 * `write()` waits for the last, then writes the revived rows. Only facts found retracted are kept.
 */
import type { GraphStore } from '../../graph/graph-store.ts';
import type { FactInput } from '../../schema/graph.ts';
import { revivalFactId } from '../../schema/ids.ts';

/** Ids per `retractedFactIds` call. */
const LOOKUP_BATCH = 2_000;
/** Revived facts per `writeBatch` call. */
const WRITE_BATCH = 5_000;

export class Revivals {
  readonly #graph: GraphStore;
  readonly #at: number;
  #pending: FactInput[] = [];
  #lookups: Promise<void> = Promise.resolve();
  #failure: { error: unknown } | null = null;
  readonly #revived: FactInput[] = [];

  /** @param at the re-extraction time: the revival suffix and the new rows' `recordedAt` */
  constructor(graph: GraphStore, at: number) {
    this.#graph = graph;
    this.#at = at;
  }

  /** Facts about to be written that are not live: revived if the store holds them retracted. */
  offer(facts: readonly FactInput[]): void {
    for (const f of facts) this.#pending.push(f);
    if (this.#pending.length >= LOOKUP_BATCH) this.#lookUp();
  }

  #lookUp(): void {
    const facts = this.#pending;
    this.#pending = [];
    if (facts.length === 0) return;
    // Failures are kept for write(): a rejection nobody awaits yet would be unhandled.
    this.#lookups = this.#lookups.then(async () => {
      if (this.#failure) return;
      const dead = await this.#graph.retractedFactIds(facts.map((f) => f.id));
      for (const f of facts) if (dead.has(f.id)) this.#revived.push({ ...f, id: revivalFactId(f.id, this.#at), recordedAt: this.#at });
    }).catch((error: unknown) => {
      this.#failure ??= { error };
    });
  }

  /** Finishes the lookups and writes the revived facts; their ids. @throws what a lookup threw */
  async write(signal?: AbortSignal): Promise<string[]> {
    this.#lookUp();
    await this.#lookups;
    if (this.#failure) throw this.#failure.error;
    for (let i = 0; i < this.#revived.length; i += WRITE_BATCH) {
      signal?.throwIfAborted();
      await this.#graph.writeBatch({ nodes: [], events: [], facts: this.#revived.slice(i, i + WRITE_BATCH) });
    }
    return this.#revived.map((f) => f.id);
  }
}
