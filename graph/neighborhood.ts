import type { FactRecord } from '../schema/graph.ts';

/** One fact found around a frontier id (`from`), as a store's hop query returns it. */
export interface HopRow {
  from: string;
  fact: FactRecord;
}

export interface Expansion {
  /** Every id reached, the start first, in discovery order. */
  reached: string[];
  facts: FactRecord[];
  /** A further fact was within reach when `limit` was hit. */
  truncated: boolean;
}

/**
 * The breadth-first expansion every store adapter uses for `neighborhood`: at most `depth` hops and
 * `limit` facts; within a hop, frontier ids in discovery order and each one's facts in the order
 * the store gives them. `hop` returns the visible facts touching the frontier; it may be lazy (a
 * generator), so a store can stop reading a supernode's facts once the limit is reached.
 */
export async function expandNeighborhood(
  start: string,
  depth: number,
  limit: number,
  hop: (frontier: string[]) => Iterable<HopRow> | Promise<Iterable<HopRow>>,
): Promise<Expansion> {
  const reached = new Set<string>([start]);
  const facts = new Map<string, FactRecord>();
  let frontier = [start];
  let truncated = false;
  expand: for (let h = 0; h < depth && frontier.length > 0; h++) {
    const next: string[] = [];
    for (const { from, fact } of await hop(frontier)) {
      if (facts.has(fact.id)) continue;
      if (facts.size >= limit) {
        truncated = true;
        break expand;
      }
      facts.set(fact.id, fact);
      const other = fact.subject === from ? fact.object : fact.subject;
      if (!reached.has(other)) {
        reached.add(other);
        next.push(other);
      }
    }
    frontier = next;
  }
  return { reached: [...reached], facts: [...facts.values()], truncated };
}
