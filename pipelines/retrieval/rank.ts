/**
 * Step 3 of retrieval: personalised PageRank over the expanded subgraph with the seeds as the
 * restart distribution, then per fact: score = PPR of its ends × recency weight × confidence.
 * Pure functions; the reference time is the request's `asOf` (or now), never a later one.
 */
import type { FactRecord } from '../../schema/graph.ts';

export interface PageRankOptions {
  /** @default 0.85 */
  damping?: number;
  /** @default 20 */
  iterations?: number;
}

export interface RankOptions extends PageRankOptions {
  /** The time recency is measured from: the request's `asOf`, else now. */
  reference: number;
  /** Age at which a fact's recency weight is halved. @default 365 days */
  halfLifeMs?: number;
  /** Lowest recency weight, so an old but central fact can still be chosen. @default 0.1 */
  recencyFloor?: number;
}

export interface RankedFact {
  fact: FactRecord;
  score: number;
}

export const DAY_MS = 86_400_000;

/**
 * PPR by power iteration over an undirected graph (facts link both ends). Mass at nodes without
 * edges, and the `1 - damping` share, return to the seeds in proportion to their weights.
 * @returns a score per node (the seeds' and every edge end's), summing to 1
 */
export function personalizedPageRank(
  edges: readonly (readonly [string, string])[], seeds: ReadonlyMap<string, number>, options: PageRankOptions = {},
): Map<string, number> {
  const d = options.damping ?? 0.85;
  const iterations = options.iterations ?? 20;
  const neighbours = new Map<string, string[]>();
  const touch = (id: string): string[] => {
    let list = neighbours.get(id);
    if (!list) neighbours.set(id, (list = []));
    return list;
  };
  for (const [a, b] of edges) {
    if (a === b) continue;
    touch(a).push(b);
    touch(b).push(a);
  }
  let total = 0;
  for (const [id, w] of seeds) {
    touch(id);
    total += Math.max(0, w);
  }
  const restart = new Map<string, number>();
  for (const [id, w] of seeds) restart.set(id, total > 0 ? Math.max(0, w) / total : 1 / seeds.size);
  let rank = new Map(restart);
  for (let i = 0; i < iterations; i++) {
    const next = new Map<string, number>();
    let dangling = 0;
    for (const [id, r] of rank) {
      const out = neighbours.get(id) ?? [];
      if (!out.length) {
        dangling += r;
        continue;
      }
      const share = (d * r) / out.length;
      for (const n of out) next.set(n, (next.get(n) ?? 0) + share);
    }
    for (const [id, p] of restart) next.set(id, (next.get(id) ?? 0) + (1 - d + d * dangling) * p);
    rank = next;
  }
  for (const id of neighbours.keys()) if (!rank.has(id)) rank.set(id, 0);
  return rank;
}

/** `floor + (1 - floor) · 0.5^(age / halfLife)`; a fact without a time gets the floor. */
export function recencyWeight(time: number | null, reference: number, halfLifeMs = 365 * DAY_MS, floor = 0.1): number {
  if (time === null) return floor;
  const age = Math.max(0, reference - time);
  return floor + (1 - floor) * 0.5 ** (age / halfLifeMs);
}

/** When a fact held or happened: its `validFrom`, else when it was recorded. */
export function factTime(fact: FactRecord): number {
  return fact.validFrom ?? fact.recordedAt;
}

/** Facts scored and sorted best first (ties by fact id, so the order is deterministic). */
export function rankFacts(facts: readonly FactRecord[], seeds: ReadonlyMap<string, number>, options: RankOptions): RankedFact[] {
  const ppr = personalizedPageRank(facts.map((f) => [f.subject, f.object] as const), seeds, options);
  return facts
    .map((fact) => {
      const centrality = (ppr.get(fact.subject) ?? 0) + (ppr.get(fact.object) ?? 0);
      const recency = recencyWeight(factTime(fact), options.reference, options.halfLifeMs, options.recencyFloor);
      return { fact, score: centrality * recency * fact.confidence };
    })
    .sort((a, b) => b.score - a.score || (a.fact.id < b.fact.id ? -1 : a.fact.id > b.fact.id ? 1 : 0));
}
