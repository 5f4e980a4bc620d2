/**
 * `paths(from, to, maxHops, asOf)`: the shortest paths between two entities as the graph stood at
 * `asOf`. Breadth-first from `from` with a fan-out cap per entity and a cap on entities reached;
 * a hop passes through one event (A –Transfer→ B is one hop) or follows one direct fact.
 */
import type { GraphStore } from '../../graph/graph-store.ts';
import type { Millis } from '../../schema/graph.ts';
import { InvalidArgumentError } from '../../schema/errors.ts';
import type { RelType } from '../../schema/ontology.ts';
import { checkMaxHops, resolveEntity } from './args.ts';
import {
  DEFAULT_FAN_OUT, DEFAULT_MAX_VISITED, type GraphPath, HopReader, type PathStep, type StepVia,
} from './hops.ts';

/**
 * Direct entity → entity facts a path may follow. Classification facts (`HAS_LABEL`, `INSTANCE_OF`,
 * `BROADER`, `ON_CHAIN`) and mentions are left out: they join everything through a few hub nodes.
 */
export const PATH_DIRECT_TYPES: readonly RelType[] = [
  'TRANSFERRED_TO', 'HOLDS', 'EXPLOITED', 'DEPLOYED', 'LISTED_ON', 'SAME_AS', 'RELATED_TO',
];

export interface FindPathsInput {
  from: string;
  to: string;
  /** 1..MAX_HOPS_LIMIT (4). @default 3 */
  maxHops?: number | null;
  /** Read the graph as it stood at this time (epoch ms); null = now. @default null */
  asOf?: Millis | null;
  /** Paths returned at most, 1..100. @default 5 */
  limit?: number | null;
  /** Neighbour facts read per entity. @default DEFAULT_FAN_OUT (200) */
  fanOut?: number;
  /** Entities reached before the search stops. @default DEFAULT_MAX_VISITED (20,000) */
  maxVisited?: number;
}

export interface PathsResult {
  from: string;
  to: string;
  asOf: Millis | null;
  maxHops: number;
  /** Shortest paths only, all of the same length, at most `limit`; empty when none within `maxHops`. */
  paths: GraphPath[];
  /** A fan-out or visit cap cut the search, so a path may have been missed. */
  truncated: boolean;
}

const MAX_LIMIT = 100;
/** Ways into one entity kept per BFS layer; enough to give `limit` distinct paths. */
const MAX_PARENTS = MAX_LIMIT;

interface Parent {
  prev: string;
  via: StepVia;
}

/**
 * The shortest paths from `from` to `to` within `maxHops`, as of `asOf`.
 * @throws NodeNotFoundError for an unknown `from` or `to`; InvalidArgumentError for `maxHops`
 *   outside 1..4 or `limit` outside 1..100
 * @example
 * const { paths } = await findPaths(graph, { from: 'eip155:1:0xaa…', to: 'eip155:1:0xbb…', maxHops: 2 });
 * paths[0]?.steps.map((s) => `${s.from} -${s.via.type}→ ${s.to} (${s.via.txHash})`);
 */
export async function findPaths(graph: GraphStore, input: FindPathsInput): Promise<PathsResult> {
  const maxHops = checkMaxHops(input.maxHops);
  const limit = input.limit ?? 5;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new InvalidArgumentError('limit', `must be an integer from 1 to ${MAX_LIMIT}, got ${limit}`);
  }
  const asOf = input.asOf ?? null;
  const { from, to } = input;
  const result: PathsResult = { from, to, asOf, maxHops, paths: [], truncated: false };
  const [start, end] = [await resolveEntity(graph, 'from', from, asOf), await resolveEntity(graph, 'to', to, asOf)];
  if (start === null || end === null) return result;
  if (from === to) return { ...result, paths: [{ hops: 0, steps: [] }] };

  const reader = new HopReader(graph, {
    asOf, eventTypes: null, directTypes: PATH_DIRECT_TYPES, fanOut: input.fanOut ?? DEFAULT_FAN_OUT,
  });
  const maxVisited = input.maxVisited ?? DEFAULT_MAX_VISITED;
  const depthOf = new Map<string, number>([[from, 0]]);
  const parents = new Map<string, Parent[]>();
  let frontier = [from];
  for (let depth = 1; depth <= maxHops && frontier.length > 0 && !parents.has(to); depth++) {
    const last = depth === maxHops;
    const next: string[] = [];
    for (const prev of frontier) {
      for (const { to: id, via } of await reader.next(prev)) {
        // On the last layer only the target matters; nothing reached there is expanded.
        if (last && id !== to) continue;
        const seen = depthOf.get(id);
        if (seen === undefined) {
          if (depthOf.size >= maxVisited) {
            result.truncated = true;
            continue;
          }
          depthOf.set(id, depth);
          parents.set(id, [{ prev, via }]);
          next.push(id);
        } else if (seen === depth) {
          const list = parents.get(id)!;
          if (list.length < MAX_PARENTS) list.push({ prev, via });
        }
      }
    }
    frontier = next;
  }
  result.truncated ||= reader.truncated;
  for (const steps of walkBack(from, to, parents)) {
    result.paths.push({ hops: steps.length, steps });
    if (result.paths.length >= limit) break;
  }
  return result;
}

/** Every path from `from` to `node` along the BFS parent links, in discovery order. */
function* walkBack(from: string, node: string, parents: Map<string, Parent[]>, suffix: PathStep[] = []): Generator<PathStep[]> {
  if (node === from) {
    yield suffix;
    return;
  }
  for (const { prev, via } of parents.get(node) ?? []) {
    yield* walkBack(from, prev, parents, [{ from: prev, to: node, via }, ...suffix]);
  }
}
