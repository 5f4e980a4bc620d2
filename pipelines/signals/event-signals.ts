/**
 * The events behind a ticker's signals: PriceMove, Drawdown, VolumeSpike and Incident events in
 * the look-back window that one of its entities (or a protocol linked to it) takes part in, each
 * turned into an observed move and a tilt contribution (formulas in portfolio-signals.ts).
 */
import type { GraphStore } from '../../graph/graph-store.ts';
import type { EventRecord } from '../../schema/graph.ts';
import type { EventType, Role } from '../../schema/ontology.ts';

export const DAY_MS = 86_400_000;
/** Scales an observed move into a mean-return tilt. */
export const TILT_SCALE = 0.1;
/** The return assumed for an asset whose token or protocol was exploited. */
export const INCIDENT_SHOCK = -0.5;
/** Roles in an Incident that mean the asset itself was hit (an attacker's or chain's role does not). */
export const HIT_ROLES: ReadonlySet<Role> = new Set<Role>(['victim', 'token', 'asset', 'protocol', 'vulnerable_contract']);
const SIGNAL_TYPES: readonly EventType[] = ['PriceMove', 'Drawdown', 'VolumeSpike', 'Incident'];
/** Events read per entity and type; a 10-year daily window has far fewer detections. */
const EVENT_READ_LIMIT = 2000;
const PAGE = 500;

export interface Signal {
  eventId: string;
  type: EventType;
  occurredAt: number;
  summary: string;
  /** The participant fact linking the event to the ticker's entity or protocol. */
  factId: string;
  role: Role;
  /** Observed return as a fraction: PriceMove pctChange/100, −Drawdown depth, INCIDENT_SHOCK; 0 for VolumeSpike. */
  move: number;
  /** TILT_SCALE × move × 2^(−ageDays / (lookbackDays / 2)). */
  contribution: number;
  /** Facts that link a protocol to the ticker's entity, when the event reached it through one. */
  via: string[];
}

export interface Window {
  asOf: number;
  from: number;
  lookbackDays: number;
}

/** Protocols linked to an entity by RELATED_TO or SAME_AS facts visible at asOf, with the fact ids. */
export async function linkedProtocols(graph: GraphStore, entityId: string, asOf: number): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const facts = await graph.factsOf(entityId, { asOf, direction: 'both', types: ['RELATED_TO', 'SAME_AS'], limit: 100 });
  for (const f of facts) {
    const other = f.subject === entityId ? f.object : f.subject;
    if (other.startsWith('ent:protocol:')) out.set(other, [...(out.get(other) ?? []), f.id]);
  }
  return out;
}

/** Signals of one ticker's entities in the window, newest first, one per event. */
export async function signalsOf(graph: GraphStore, entityIds: readonly string[], window: Window): Promise<Signal[]> {
  const byEvent = new Map<string, Signal>();
  const visit = async (participant: string, types: readonly EventType[], via: string[]): Promise<void> => {
    for (const type of types) {
      for (const event of await eventsOf(graph, participant, type, window)) {
        if (byEvent.has(event.id)) continue;
        const signal = toSignal(event, participant, window, via);
        if (signal !== null) byEvent.set(event.id, signal);
      }
    }
  };
  for (const id of entityIds) {
    await visit(id, SIGNAL_TYPES, []);
    for (const [protocol, factIds] of await linkedProtocols(graph, id, window.asOf)) await visit(protocol, ['Incident'], factIds);
  }
  return [...byEvent.values()].sort((a, b) => b.occurredAt - a.occurredAt || a.eventId.localeCompare(b.eventId));
}

async function eventsOf(graph: GraphStore, participant: string, type: EventType, w: Window): Promise<EventRecord[]> {
  const out: EventRecord[] = [];
  let after: string | null = null;
  while (out.length < EVENT_READ_LIMIT) {
    const page = await graph.findEvents({ type, participant, from: w.from, to: w.asOf }, { first: PAGE, after }, { asOf: w.asOf });
    out.push(...page.edges.map((e) => e.node));
    if (!page.hasNextPage || !page.edges.length) break;
    after = page.edges.at(-1)!.cursor;
  }
  return out;
}

function toSignal(event: EventRecord, participant: string, w: Window, via: string[]): Signal | null {
  const p = event.participants.find((x) => x.entityId === participant);
  if (p === undefined) return null;
  const move = observedMove(event, p.role);
  if (move === null) return null;
  const ageDays = Math.max(0, (w.asOf - event.occurredAt) / DAY_MS);
  const decay = 2 ** (-ageDays / (w.lookbackDays / 2));
  return {
    eventId: event.id, type: event.type, occurredAt: event.occurredAt, summary: event.summary, factId: p.factId, role: p.role,
    move, contribution: move === 0 ? 0 : TILT_SCALE * move * decay, via,
  };
}

/** The event's observed return for the asset; null when the event does not bear on it. */
function observedMove(event: EventRecord, role: Role): number | null {
  const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  switch (event.type) {
    case 'PriceMove': {
      const pct = num(event.attrs.pctChange);
      const log = num(event.attrs.logReturn);
      return pct !== null ? pct / 100 : log !== null ? Math.expm1(log) : null;
    }
    case 'Drawdown': {
      const depth = num(event.attrs.drawdown);
      return depth === null ? null : -depth;
    }
    case 'Incident':
      return HIT_ROLES.has(role) ? INCIDENT_SHOCK : null;
    case 'VolumeSpike':
      return 0;
    default:
      return null;
  }
}
