/**
 * One hop of a path search: from an entity to its neighbours as seen at `asOf`. An event is not a
 * stop of its own: entity ←PARTICIPANT– event –PARTICIPANT→ entity is one hop "via" the event (so
 * "A sent to B" is one hop through the Transfer), and a direct entity → entity fact is one hop too.
 * Only reads the GraphStore port, every read with `asOf`, so nothing later than `asOf` is seen.
 */
import type { AsOf, GraphStore } from '../../graph/graph-store.ts';
import type { Amount, EventRecord, Millis } from '../../schema/graph.ts';
import { EVENT_ID_PREFIX } from '../../schema/ids.ts';
import type { EventType, RelType, Role } from '../../schema/ontology.ts';

/** How two entities are linked on one step of a path. */
export interface StepVia {
  /** The facts the step rests on: both participations of an event hop, or the one direct fact. */
  factIds: string[];
  /** The event passed through, for event hops. */
  eventId?: string;
  /** Event type (`Transfer`, `Swap`…) for event hops, relationship type for direct facts. */
  type: string;
  /** Role of the step's `to` entity in the event (e.g. `to` for a transfer's receiver). */
  role?: Role;
  /** Role of the step's `from` entity in the event. */
  fromRole?: Role;
  /** `occurredAt` of the event; `validFrom` of a direct fact (null when unknown). */
  time: Millis | null;
  amounts?: Amount[];
  /** The transaction hash, for events whose id carries one (`evt:<type>:eip155:<chain>:<tx>:<log>`). */
  txHash?: string;
}

export interface PathStep {
  from: string;
  to: string;
  via: StepVia;
}

export interface GraphPath {
  /** `steps.length`. */
  hops: number;
  steps: PathStep[];
}

export interface Hop {
  to: string;
  via: StepVia;
}

/**
 * Roles that only give context to an event (what was moved, on which chain, about which asset or
 * protocol). They are never traversed: otherwise every WETH transfer would be one hop from every
 * other through the WETH token node.
 */
export const CONTEXT_ROLES: ReadonlySet<Role> = new Set<Role>(['token', 'chain', 'asset', 'protocol']);

/** Largest `maxHops` a path search accepts. */
export const MAX_HOPS_LIMIT = 4;
/** Neighbour facts read per entity before the search marks itself truncated. */
export const DEFAULT_FAN_OUT = 200;
/** Entities reached before the search stops and marks itself truncated. */
export const DEFAULT_MAX_VISITED = 20_000;

export interface HopReaderOptions extends AsOf {
  /** Event types a hop may pass through; null = every type. */
  eventTypes: ReadonlySet<EventType> | null;
  /** Direct entity → entity fact types a hop may follow; empty = none. */
  directTypes: readonly RelType[];
  /** @default DEFAULT_FAN_OUT */
  fanOut?: number;
}

const TX_IN_EVENT_ID = /^evt:[a-z_]+:eip155:\d+:(0x[0-9a-f]{64}):\d+$/;

/** The transaction hash inside an on-chain log event id, or undefined. */
export function txHashOf(eventId: string): string | undefined {
  return TX_IN_EVENT_ID.exec(eventId)?.[1];
}

/** Reads an entity's neighbours; caches events; remembers whether a fan-out cap cut anything. */
export class HopReader {
  truncated = false;
  readonly #graph: GraphStore;
  readonly #opts: HopReaderOptions;
  readonly #fanOut: number;
  readonly #events = new Map<string, EventRecord | null>();

  constructor(graph: GraphStore, opts: HopReaderOptions) {
    this.#graph = graph;
    this.#opts = opts;
    this.#fanOut = opts.fanOut ?? DEFAULT_FAN_OUT;
  }

  /** The hops out of `id`, at most `fanOut` of them, in the order the store gives the facts. */
  async next(id: string): Promise<Hop[]> {
    const asOf = this.#opts.asOf ?? null;
    const hops: Hop[] = [];
    const room = (): boolean => {
      if (hops.length < this.#fanOut) return true;
      this.truncated = true;
      return false;
    };
    const parts = await this.#graph.factsOf(id, { asOf, direction: 'in', types: ['PARTICIPANT'], limit: this.#fanOut + 1 });
    if (parts.length > this.#fanOut) this.truncated = true;
    for (const fact of parts.slice(0, this.#fanOut)) {
      if (fact.role === null || CONTEXT_ROLES.has(fact.role)) continue;
      const event = await this.#event(fact.subject);
      if (event === null || (this.#opts.eventTypes !== null && !this.#opts.eventTypes.has(event.type))) continue;
      const txHash = txHashOf(event.id);
      for (const p of event.participants) {
        if (p.entityId === id || CONTEXT_ROLES.has(p.role)) continue;
        if (!room()) return hops;
        hops.push({
          to: p.entityId,
          via: {
            factIds: [fact.id, p.factId], eventId: event.id, type: event.type, role: p.role, fromRole: fact.role,
            time: event.occurredAt, amounts: event.amounts, ...(txHash === undefined ? {} : { txHash }),
          },
        });
      }
    }
    if (this.#opts.directTypes.length === 0) return hops;
    const direct = await this.#graph.factsOf(id, {
      asOf, direction: 'both', types: [...this.#opts.directTypes], limit: this.#fanOut + 1,
    });
    if (direct.length > this.#fanOut) this.truncated = true;
    for (const fact of direct.slice(0, this.#fanOut)) {
      const other = fact.subject === id ? fact.object : fact.subject;
      if (other === id || other.startsWith(EVENT_ID_PREFIX) || other.startsWith('chunk:')) continue;
      if (!room()) return hops;
      hops.push({ to: other, via: { factIds: [fact.id], type: fact.type, time: fact.validFrom } });
    }
    return hops;
  }

  async #event(id: string): Promise<EventRecord | null> {
    let event = this.#events.get(id);
    if (event === undefined) {
      event = await this.#graph.getEvent(id, { asOf: this.#opts.asOf ?? null });
      this.#events.set(id, event);
    }
    return event;
  }
}
