/**
 * Step 2 of retrieval: bounded breadth-first expansion from the seeds over the facts visible at
 * `asOf`. A node with more facts than the fan-out cap is a supernode (an exchange hot wallet, a
 * router, a popular token): it is summarised — degree, counts by type and role, amount totals,
 * top counterparties — instead of expanded, so one hub cannot flood the context.
 */
import type { GraphStore } from '../../graph/graph-store.ts';
import type { FactRecord } from '../../schema/graph.ts';
import { EVENT_ID_PREFIX, isChunkId } from '../../schema/ids.ts';

export interface ExpandOptions {
  asOf: number | null;
  /** Hops from the seeds. @default 2 */
  maxHops?: number;
  /** A node with more visible facts than this is summarised, not expanded. @default 25 */
  fanOutCap?: number;
  /** Facts collected in all. @default 300 */
  maxFacts?: number;
  /** Facts read to summarise one supernode. @default 1000 */
  summaryScan?: number;
  /** Events read per supernode for amount totals and counterparties. @default 100 */
  summaryEvents?: number;
}

export interface CountByKey {
  key: string;
  count: number;
}

export interface NodeSummary {
  id: string;
  /** Visible facts of the node (at least this many when `degreeIsLowerBound`). */
  degree: number;
  degreeIsLowerBound: boolean;
  /** Facts by relationship type, most first. */
  byType: CountByKey[];
  /** The node's roles in events (`from`, `to`, `attacker`…), most first. */
  byRole: CountByKey[];
  /** Transferred values (`value` amounts) summed per unit over the events read (decimal strings rounded to 6 places). */
  totals: { unit: string; value: string; events: number }[];
  /** Entities sharing the most facts or events with the node, most first. */
  topCounterparties: CountByKey[];
  /** True when only some of the node's events were read for totals and counterparties. */
  sampled: boolean;
}

export interface Expansion {
  facts: FactRecord[];
  /** Every node reached (seeds included), in visiting order. */
  nodes: string[];
  summaries: NodeSummary[];
  /** True when `maxFacts` cut the expansion short. */
  truncated: boolean;
}

const TOP = 5;

export async function expand(graph: GraphStore, seeds: readonly string[], options: ExpandOptions): Promise<Expansion> {
  const { asOf } = options;
  const maxHops = options.maxHops ?? 2;
  const cap = options.fanOutCap ?? 25;
  const maxFacts = options.maxFacts ?? 300;
  const facts = new Map<string, FactRecord>();
  const visited = new Set<string>(seeds);
  const summaries: NodeSummary[] = [];
  let truncated = false;
  let frontier = [...visited];
  for (let hop = 0; hop < maxHops && frontier.length && !truncated; hop++) {
    const next: string[] = [];
    for (const id of frontier) {
      if (isChunkId(id)) continue;
      const around = await graph.factsOf(id, { asOf, limit: cap + 1 });
      if (around.length > cap) {
        summaries.push(await summarise(graph, id, options));
        continue;
      }
      for (const fact of around) {
        // Chunks are citations (every text fact names its chunkId), not things to rank.
        if (fact.type === 'MENTIONED_IN' || facts.has(fact.id)) continue;
        if (facts.size >= maxFacts) {
          truncated = true;
          break;
        }
        facts.set(fact.id, fact);
        for (const end of [fact.subject, fact.object]) {
          if (!visited.has(end)) {
            visited.add(end);
            next.push(end);
          }
        }
      }
      if (truncated) break;
    }
    frontier = next;
  }
  return { facts: [...facts.values()], nodes: [...visited], summaries, truncated };
}

/** The summary of a supernode from at most `summaryScan` of its facts and `summaryEvents` events. */
export async function summarise(graph: GraphStore, id: string, options: ExpandOptions): Promise<NodeSummary> {
  const { asOf } = options;
  const scan = options.summaryScan ?? 1000;
  const facts = await graph.factsOf(id, { asOf, limit: scan });
  const byType = new Map<string, number>();
  const byRole = new Map<string, number>();
  const counterparties = new Map<string, number>();
  const events: string[] = [];
  for (const f of facts) {
    bump(byType, f.type);
    const other = f.subject === id ? f.object : f.subject;
    if (f.type === 'PARTICIPANT' && f.object === id) {
      bump(byRole, f.role ?? f.predicate);
      if (other.startsWith(EVENT_ID_PREFIX)) events.push(other);
    } else if (!isChunkId(other)) {
      bump(counterparties, other);
    }
  }
  const read = events.slice(0, options.summaryEvents ?? 100);
  const totals = new Map<string, { sum: number; events: number }>();
  for (const eventId of read) {
    const event = await graph.getEvent(eventId, { asOf });
    if (!event) continue;
    for (const p of event.participants) {
      if (p.entityId !== id && p.role !== 'token') bump(counterparties, p.entityId);
    }
    for (const a of event.amounts) {
      const value = a.value === null ? NaN : Number(a.value);
      // Only transferred values: swap legs (amount0In…) would double count.
      if (a.role !== 'value' || !a.unit || !Number.isFinite(value)) continue;
      const t = totals.get(a.unit) ?? { sum: 0, events: 0 };
      t.sum += value;
      t.events++;
      totals.set(a.unit, t);
    }
  }
  return {
    id,
    degree: facts.length,
    degreeIsLowerBound: facts.length >= scan,
    byType: top(byType, Infinity),
    byRole: top(byRole, Infinity),
    totals: [...totals].map(([unit, t]) => ({ unit, value: String(Math.round(t.sum * 1e6) / 1e6), events: t.events }))
      .sort((a, b) => b.events - a.events || a.unit.localeCompare(b.unit)),
    topCounterparties: top(counterparties, TOP),
    sampled: read.length < events.length,
  };
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function top(map: Map<string, number>, n: number): CountByKey[] {
  return [...map].map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key)).slice(0, n);
}
