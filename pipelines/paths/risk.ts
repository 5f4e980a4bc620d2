/**
 * `riskExposure(subject, asOf, maxHops)`: how close an entity is to flagged ones (exploiters,
 * attack contracts, sanctioned addresses, mixers) through the money it moved, as known at `asOf`,
 * with the evidence path to each flagged entity found.
 *
 * Expansion: breadth-first from the subject through value-moving events only (RISK_EVENT_TYPES:
 * entity ←PARTICIPANT– transfer/swap –PARTICIPANT→ entity is one hop), bounded by `maxHops`, a
 * fan-out cap per entity and a cap on entities reached. Every entity reached, the subject
 * included, is checked against the flags. Score = 1 − Π(1 − wᵢ) over the flagged entities, with
 * wᵢ = base weight of its strongest reason × 0.5^(hops − 1) (the subject itself: hops 0, the base).
 */
import type { GraphStore } from '../../graph/graph-store.ts';
import type { Millis } from '../../schema/graph.ts';
import { BULK_EVENT_TYPES, type EventType, type Role } from '../../schema/ontology.ts';
import { checkMaxHops, resolveEntity } from './args.ts';
import { DEFAULT_FAN_OUT, DEFAULT_MAX_VISITED, type GraphPath, HopReader, type PathStep, type StepVia } from './hops.ts';

/** Events a risk expansion passes through: the ones that move value (Transfer, Swap, Deposit, Withdrawal). */
export const RISK_EVENT_TYPES: ReadonlySet<EventType> = BULK_EVENT_TYPES;

/** Roles in an `Incident` event that flag an entity, with the base weight and the reason's wording. */
export const INCIDENT_ROLE_FLAGS: ReadonlyMap<Role, { weight: number; wording: string }> = new Map<Role, { weight: number; wording: string }>([
  ['attacker', { weight: 1.0, wording: 'attacker' }],
  ['attack_contract', { weight: 0.9, wording: 'attack contract' }],
]);

/**
 * Labels that flag an entity: a `HAS_LABEL` fact to `concept:label:<slug>` whose slug matches one
 * of these patterns (first match wins). Slugs are lower-case words joined by `-` (schema/ids.ts
 * conceptId), e.g. `ofac-sanctioned`, `tornado-cash`, `phish-hack`, `exploiter`.
 */
export const RISK_LABEL_RULES: readonly { pattern: RegExp; weight: number }[] = [
  { pattern: /sanction|ofac/, weight: 1.0 },
  { pattern: /mixer|tornado/, weight: 0.8 },
  { pattern: /exploit|hack|phish|scam/, weight: 0.5 },
];

const LABEL_PREFIX = 'concept:label:';
/** Incident events and labels read per entity when checking its flags. */
const FLAG_READ_LIMIT = 50;

export interface RiskExposureInput {
  subject: string;
  /** Read the graph as it stood at this time (epoch ms); null = now. @default null */
  asOf?: Millis | null;
  /** 1..MAX_HOPS_LIMIT (4). @default 3 */
  maxHops?: number | null;
  /** Neighbour facts read per entity. @default DEFAULT_FAN_OUT (200) */
  fanOut?: number;
  /** Entities reached before the expansion stops. @default DEFAULT_MAX_VISITED (20,000) */
  maxVisited?: number;
}

export interface FlaggedEntity {
  id: string;
  /** Display name at `asOf` (the id when the node is not visible). */
  name: string;
  /** Why it is flagged, e.g. `attacker in Incident 20241227_Bizness`, `label: tornado-cash`. */
  reasons: string[];
  /** Hops from the subject (0 = the subject itself). */
  hops: number;
  /** The path from the subject that reached it (no steps for the subject itself). */
  path: GraphPath;
  /** This entity's contribution to the score: strongest reason's base × 0.5^(hops − 1). */
  weight: number;
}

export interface RiskExposure {
  subject: string;
  asOf: Millis | null;
  maxHops: number;
  /** 0 (nothing flagged within reach) .. 1. */
  score: number;
  /** Strongest weight first, then fewest hops, then id. */
  flagged: FlaggedEntity[];
  /** Distinct facts cited (path steps and the facts behind the reasons). */
  evidence: number;
  /** A fan-out or visit cap cut the expansion, so flagged entities may have been missed. */
  truncated: boolean;
}

interface Flags {
  reasons: string[];
  base: number;
  factIds: string[];
}

/**
 * Risk score and evidence paths from `subject` to flagged entities within `maxHops`, as of `asOf`.
 * A subject that exists but is not yet known at `asOf` scores 0 with nothing flagged.
 * @throws NodeNotFoundError for an unknown subject; InvalidArgumentError for `maxHops` outside 1..4
 * @example
 * const risk = await riskExposure(graph, { subject: 'eip155:1:0xaa…', asOf: Date.UTC(2024, 0, 1), maxHops: 2 });
 * risk.flagged[0]?.reasons; // ['label: tornado-cash']
 */
export async function riskExposure(graph: GraphStore, input: RiskExposureInput): Promise<RiskExposure> {
  const maxHops = checkMaxHops(input.maxHops);
  const asOf = input.asOf ?? null;
  const { subject } = input;
  const result: RiskExposure = { subject, asOf, maxHops, score: 0, flagged: [], evidence: 0, truncated: false };
  if ((await resolveEntity(graph, 'subject', subject, asOf)) === null) return result;

  const reader = new HopReader(graph, {
    asOf, eventTypes: RISK_EVENT_TYPES, directTypes: [], fanOut: input.fanOut ?? DEFAULT_FAN_OUT,
  });
  const maxVisited = input.maxVisited ?? DEFAULT_MAX_VISITED;
  // The first way each entity was reached: BFS order makes it a shortest one.
  const parent = new Map<string, { prev: string; via: StepVia } | null>([[subject, null]]);
  const hopsOf = new Map<string, number>([[subject, 0]]);
  let frontier = [subject];
  for (let depth = 1; depth <= maxHops && frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const prev of frontier) {
      for (const { to, via } of await reader.next(prev)) {
        if (parent.has(to)) continue;
        if (parent.size >= maxVisited) {
          result.truncated = true;
          continue;
        }
        parent.set(to, { prev, via });
        hopsOf.set(to, depth);
        next.push(to);
      }
    }
    frontier = next;
  }
  result.truncated ||= reader.truncated;

  const cited = new Set<string>();
  for (const [id, hops] of hopsOf) {
    const flags = await flagsOf(graph, id, asOf);
    if (flags === null) continue;
    const steps = pathTo(id, parent);
    for (const f of [...flags.factIds, ...steps.flatMap((s) => s.via.factIds)]) cited.add(f);
    const node = await graph.getNode(id, { asOf });
    result.flagged.push({
      id, name: node?.name ?? id, reasons: flags.reasons, hops, path: { hops: steps.length, steps },
      weight: flags.base * 0.5 ** Math.max(0, hops - 1),
    });
  }
  result.flagged.sort((a, b) => b.weight - a.weight || a.hops - b.hops || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  result.score = 1 - result.flagged.reduce((keep, f) => keep * (1 - f.weight), 1);
  result.evidence = cited.size;
  return result;
}

/** Why `id` is flagged at `asOf` (incident roles, then labels), or null when it is not. */
async function flagsOf(graph: GraphStore, id: string, asOf: Millis | null): Promise<Flags | null> {
  const flags: Flags = { reasons: [], base: 0, factIds: [] };
  const add = (reason: string, weight: number, factId: string): void => {
    if (!flags.reasons.includes(reason)) flags.reasons.push(reason);
    flags.base = Math.max(flags.base, weight);
    flags.factIds.push(factId);
  };
  const incidents = await graph.findEvents({ type: 'Incident', participant: id }, { first: FLAG_READ_LIMIT }, { asOf });
  for (const { node: event } of incidents.edges) {
    const name = typeof event.attrs.incidentId === 'string' ? event.attrs.incidentId : event.id;
    for (const p of event.participants) {
      const flag = p.entityId === id ? INCIDENT_ROLE_FLAGS.get(p.role) : undefined;
      if (flag) add(`${flag.wording} in Incident ${name}`, flag.weight, p.factId);
    }
  }
  const labels = await graph.factsOf(id, { asOf, direction: 'out', types: ['HAS_LABEL'], limit: FLAG_READ_LIMIT });
  for (const fact of labels) {
    if (!fact.object.startsWith(LABEL_PREFIX)) continue;
    const slug = fact.object.slice(LABEL_PREFIX.length);
    const rule = RISK_LABEL_RULES.find((r) => r.pattern.test(slug));
    if (rule) add(`label: ${slug}`, rule.weight, fact.id);
  }
  return flags.reasons.length === 0 ? null : flags;
}

/** The steps from the subject to `id` along the first-discovery links. */
function pathTo(id: string, parent: Map<string, { prev: string; via: StepVia } | null>): PathStep[] {
  const steps: PathStep[] = [];
  let node = id;
  for (let link = parent.get(node); link; link = parent.get(node)) {
    steps.unshift({ from: link.prev, to: node, via: link.via });
    node = link.prev;
  }
  return steps;
}
