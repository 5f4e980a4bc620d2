/** Argument checks shared by the path searches: hop bounds and the entity a search starts from. */
import type { GraphStore } from '../../graph/graph-store.ts';
import type { Millis, NodeRecord } from '../../schema/graph.ts';
import { InvalidArgumentError, NodeNotFoundError } from '../../schema/errors.ts';
import { EVENT_ID_PREFIX } from '../../schema/ids.ts';
import { MAX_HOPS_LIMIT } from './hops.ts';

/** Default `maxHops` of the path searches. */
export const DEFAULT_MAX_HOPS = 3;

/**
 * `maxHops`, defaulted and checked.
 * @throws InvalidArgumentError naming the allowed range when it is not an integer in 1..MAX_HOPS_LIMIT
 */
export function checkMaxHops(maxHops: number | null | undefined): number {
  const value = maxHops ?? DEFAULT_MAX_HOPS;
  if (!Number.isInteger(value) || value < 1 || value > MAX_HOPS_LIMIT) {
    throw new InvalidArgumentError('maxHops', `must be an integer from 1 to ${MAX_HOPS_LIMIT} (the maximum), got ${value}`);
  }
  return value;
}

/**
 * The entity `id` names, as visible at `asOf`: null when it exists but is not yet known (or already
 * gone) at `asOf`, which a search answers with nothing found rather than an error.
 * @throws InvalidArgumentError when `id` names an event or chunk; NodeNotFoundError when nothing has that id
 */
export async function resolveEntity(graph: GraphStore, argument: string, id: string, asOf: Millis | null): Promise<NodeRecord | null> {
  if (id.startsWith(EVENT_ID_PREFIX) || id.startsWith('chunk:')) {
    throw new InvalidArgumentError(argument, `"${id}" is an event or chunk id; give an entity id`);
  }
  if (!(await graph.exists([id])).has(id)) throw new NodeNotFoundError(id);
  return graph.getNode(id, { asOf });
}
