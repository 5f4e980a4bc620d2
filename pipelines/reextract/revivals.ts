/**
 * Revivals (pipelines/reextract/reextract.ts): a fact the re-run produces that is not live may
 * still be stored, retracted by an earlier re-extraction (a detector parameter changed, then changed
 * back). Its id is a content hash without time, so writing it again changes nothing (stores keep an
 * existing id as it is), and un-retracting the row would rewrite system-time history (a read as of
 * the gap would suddenly see it). Such a fact is written as a new row instead, under
 * `revivalFactId(id, at)` with `recordedAt = at`: reads as of the gap see neither row.
 *
 * Events alike: an event the re-run produces that the store holds only retracted is written as a
 * new row `revivalEventId(id, at)` with `recordedAt = at` (`occurredAt` unchanged), and every fact of
 * the run naming it is written naming the new row instead, under `revivalFactId(fact id, at)` (its
 * base id, what diffs and digests see, stays the produced id). Which events are retracted is only
 * known after a lookup, so the re-run does not write (`hold`) the not-yet-live facts that name an
 * event without a live fact of the source as it is: those are resolved and written by `write()`,
 * after the ingest pipeline wrote everything else (nodes and events included), so they are held in
 * memory until then (only the facts of N − O naming such events).
 *
 * The ingest tap is synchronous, so it only offers the facts it lets through; lookups
 * (`retractedFactIds`, a batch of ids at a time) run one after another while extraction goes on, and
 * `write()` waits for the last, then writes the revived rows. Only facts found retracted are kept.
 */
import type { GraphStore } from '../../graph/graph-store.ts';
import type { EventInput, FactInput } from '../../schema/graph.ts';
import { baseFactId, EVENT_ID_PREFIX, revivalEventId, revivalFactId } from '../../schema/ids.ts';

/** Ids per `retractedFactIds` / `exists` call. */
const LOOKUP_BATCH = 2_000;
/** Revived rows per `writeBatch` call. */
const WRITE_BATCH = 5_000;

export class Revivals {
  readonly #graph: GraphStore;
  readonly #at: number;
  /** Base event id → the id of its live row, for the events named by the source's live facts. */
  readonly #liveEvents: ReadonlyMap<string, string>;
  #pending: FactInput[] = [];
  #lookups: Promise<void> = Promise.resolve();
  #failure: { error: unknown } | null = null;
  readonly #revived: FactInput[] = [];
  readonly #held: FactInput[] = [];
  /** The produced events the held facts name (what a revived event row is written from). */
  readonly #heldEvents = new Map<string, EventInput>();

  /**
   * @param at the re-extraction time: the revival suffix and the new rows' `recordedAt`
   * @param liveEvents base event id → live row id, of the events the source's live facts name
   */
  constructor(graph: GraphStore, at: number, liveEvents: ReadonlyMap<string, string> = new Map()) {
    this.#graph = graph;
    this.#at = at;
    this.#liveEvents = liveEvents;
  }

  /**
   * Whether a not-yet-live fact must be held back from the ingest pipeline (and given to `hold`):
   * it names an event that no live fact of the source names under this very id, so the event may be
   * stored retracted only, or live under a revival id.
   */
  mustHold(fact: FactInput): boolean {
    return this.#unsure(fact.subject) || this.#unsure(fact.object);
  }

  #unsure(id: string): boolean {
    return id.startsWith(EVENT_ID_PREFIX) && this.#liveEvents.get(id) !== id;
  }

  /** Facts about to be written that are not live: revived if the store holds them retracted. */
  offer(facts: readonly FactInput[]): void {
    for (const f of facts) this.#pending.push(f);
    if (this.#pending.length >= LOOKUP_BATCH) this.#lookUp();
  }

  /** Facts `mustHold` held back, and the events of their part (those they name are kept). */
  hold(facts: readonly FactInput[], events: readonly EventInput[]): void {
    if (facts.length === 0) return;
    const named = new Set<string>();
    for (const f of facts) {
      this.#held.push(f);
      named.add(f.subject).add(f.object);
    }
    for (const e of events) if (named.has(e.id) && !this.#heldEvents.has(e.id)) this.#heldEvents.set(e.id, e);
  }

  #lookUp(): void {
    const facts = this.#pending;
    this.#pending = [];
    if (facts.length === 0) return;
    // Failures are kept for write(): a rejection nobody awaits yet would be unhandled.
    this.#lookups = this.#lookups.then(async () => {
      if (this.#failure) return;
      const dead = await this.#graph.retractedFactIds(facts.map((f) => f.id));
      for (const f of facts) if (dead.has(f.id)) this.#revived.push(this.#revive(f));
    }).catch((error: unknown) => {
      this.#failure ??= { error };
    });
  }

  #revive(f: FactInput, ends: Partial<Pick<FactInput, 'subject' | 'object'>> = {}): FactInput {
    return { ...f, ...ends, id: revivalFactId(f.id, this.#at), recordedAt: this.#at };
  }

  /**
   * Finishes the lookups, resolves the held facts and writes the revived rows (events first) and
   * the held facts; the ids of the revived facts. @throws what a lookup threw
   */
  async write(signal?: AbortSignal): Promise<string[]> {
    this.#lookUp();
    await this.#lookups;
    if (this.#failure) throw this.#failure.error;
    const { events, facts } = await this.#resolveHeld(signal);
    for (let i = 0; i < events.length; i += WRITE_BATCH) {
      signal?.throwIfAborted();
      await this.#graph.writeBatch({ nodes: [], events: events.slice(i, i + WRITE_BATCH), facts: [] });
    }
    const all = [...this.#revived, ...facts];
    for (let i = 0; i < all.length; i += WRITE_BATCH) {
      signal?.throwIfAborted();
      await this.#graph.writeBatch({ nodes: [], events: [], facts: all.slice(i, i + WRITE_BATCH) });
    }
    return all.filter((f) => baseFactId(f.id) !== f.id).map((f) => f.id);
  }

  /**
   * The held facts as they are to be written, and the revived event rows they name: an end that is
   * a live revival row is named by that row, an event stored only retracted gets a revival row; a
   * fact naming either is a revival row itself, any other is revived only if stored retracted.
   */
  async #resolveHeld(signal?: AbortSignal): Promise<{ events: EventInput[]; facts: FactInput[] }> {
    const ends = new Set<string>();
    for (const f of this.#held) {
      for (const id of [f.subject, f.object]) if (this.#unsure(id) && !this.#liveEvents.has(id)) ends.add(id);
    }
    // Retracted = stored, yet not visible now.
    const dead = new Set<string>();
    const unknown = [...ends];
    for (let i = 0; i < unknown.length; i += LOOKUP_BATCH) {
      signal?.throwIfAborted();
      for (const id of await this.#graph.exists(unknown.slice(i, i + LOOKUP_BATCH))) {
        if (await this.#graph.getEvent(id) === null) dead.add(id);
      }
    }
    const events = new Map<string, EventInput>();
    const rename = (id: string): string | null => {
      const live = this.#liveEvents.get(id);
      if (live !== undefined && live !== id) return live;
      if (!dead.has(id)) return null;
      const input = this.#heldEvents.get(id);
      // Only an event this run produced can be revived (its row is written from the produced input).
      if (input === undefined) return null;
      const revived = revivalEventId(id, this.#at);
      if (!events.has(revived)) events.set(revived, { ...input, id: revived, recordedAt: this.#at });
      return revived;
    };
    const facts: FactInput[] = [];
    const plain: FactInput[] = [];
    for (const f of this.#held) {
      const subject = rename(f.subject);
      const object = rename(f.object);
      if (subject === null && object === null) plain.push(f);
      else facts.push(this.#revive(f, { subject: subject ?? f.subject, object: object ?? f.object }));
    }
    for (let i = 0; i < plain.length; i += LOOKUP_BATCH) {
      signal?.throwIfAborted();
      const batch = plain.slice(i, i + LOOKUP_BATCH);
      const retracted = await this.#graph.retractedFactIds(batch.map((f) => f.id));
      for (const f of batch) facts.push(retracted.has(f.id) ? this.#revive(f) : f);
    }
    return { events: [...events.values()], facts };
  }
}
