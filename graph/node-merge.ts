/**
 * How two descriptions of the same node combine, shared by every GraphStore adapter so SQLite and
 * Neo4j merge identically. Pure: a writer merges a batch's inputs with each other first, then the
 * result with the stored node, using the same function for both.
 *
 * - kind: the higher `kindRank` wins (an `Account` becomes a `Token`, never the reverse); among
 *   equals the earlier one stays;
 * - name: replaced only by a strictly higher `namePriority`; the replaced name becomes an alias;
 * - aliases: union in first-seen order, without duplicates and never containing the name;
 * - attrs: shallow merge, later keys over earlier ones;
 * - recordedAt, validFrom: the minimum (a null validFrom is an open start, so it is the minimum).
 */
import { InvalidArgumentError } from '../schema/errors.ts';
import type { Attrs, GraphBatch, Millis, NodeInput } from '../schema/graph.ts';
import { NamePriority } from '../schema/graph.ts';
import { CHUNK_ID_PREFIX, EVENT_ID_PREFIX } from '../schema/ids.ts';
import { isEntityKind, kindRank, type EntityKind } from '../schema/ontology.ts';

/** A node as a writer holds it: its stored fields, with JSON values parsed. */
export interface NodeState {
  id: string;
  kind: EntityKind;
  name: string;
  namePriority: number;
  aliases: string[];
  attrs: Attrs;
  validFrom: Millis | null;
  recordedAt: Millis;
  /** Source of the first write; kept for provenance, never merged. */
  sourceId: string;
}

/** Normalises one input: default priority, alias list cleaned, attrs copied. */
export function nodeStateOf(input: NodeInput): NodeState {
  return {
    id: input.id,
    kind: input.kind,
    name: input.name,
    namePriority: input.namePriority ?? NamePriority.fallback,
    aliases: unionAliases(input.name, input.aliases ?? []),
    attrs: { ...input.attrs },
    validFrom: input.validFrom ?? null,
    recordedAt: input.recordedAt,
    sourceId: input.sourceId,
  };
}

/** Merges `later` into `earlier` (earlier = stored or seen first). Returns a new state. */
export function mergeNodes(earlier: NodeState, later: NodeState): NodeState {
  const kind = kindRank(later.kind) > kindRank(earlier.kind) ? later.kind : earlier.kind;
  const renamed = later.namePriority > earlier.namePriority;
  const name = renamed ? later.name : earlier.name;
  const aliases = renamed
    ? unionAliases(name, earlier.aliases, [earlier.name], later.aliases)
    : unionAliases(name, earlier.aliases, later.aliases);
  return {
    id: earlier.id,
    kind,
    name,
    namePriority: renamed ? later.namePriority : earlier.namePriority,
    aliases,
    attrs: mergeAttrs(earlier.attrs, later.attrs),
    validFrom: earlier.validFrom === null || later.validFrom === null ? null : Math.min(earlier.validFrom, later.validFrom),
    recordedAt: Math.min(earlier.recordedAt, later.recordedAt),
    sourceId: earlier.sourceId,
  };
}

/** Shallow merge, later keys over earlier; returns `earlier` itself when `later` adds nothing. */
export function mergeAttrs(earlier: Attrs, later: Attrs): Attrs {
  for (const key in later) {
    if (!Object.hasOwn(later, key)) continue;
    if (!Object.hasOwn(earlier, key) || !sameJson(earlier[key], later[key])) return { ...earlier, ...later };
  }
  return earlier;
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Alias lists concatenated in order, de-duplicated, without `name` and empty strings. */
export function unionAliases(name: string, ...lists: readonly (readonly string[])[]): string[] {
  const seen = new Set<string>([name]);
  const out: string[] = [];
  for (const list of lists) {
    for (const alias of list) {
      if (alias === '' || seen.has(alias)) continue;
      seen.add(alias);
      out.push(alias);
    }
  }
  return out;
}

/** Lower-cased name and aliases, one per line: what `nameContains` searches. */
export function nodeSearchKey(name: string, aliases: readonly string[]): string {
  return (aliases.length === 0 ? name : `${name}\n${aliases.join('\n')}`).toLowerCase();
}

/** True when merging changed nothing that is stored (sourceId is never merged). */
export function sameNodeState(a: NodeState, b: NodeState): boolean {
  return (
    a.kind === b.kind &&
    a.name === b.name &&
    a.namePriority === b.namePriority &&
    a.validFrom === b.validFrom &&
    a.recordedAt === b.recordedAt &&
    a.aliases.length === b.aliases.length &&
    a.aliases.every((alias, i) => alias === b.aliases[i]) &&
    (a.attrs === b.attrs || JSON.stringify(a.attrs) === JSON.stringify(b.attrs))
  );
}

/**
 * The batch's nodes, one merged state per distinct id, in first-seen order — the same in every store.
 * @throws InvalidArgumentError for a kind outside the ontology or an id with an event or chunk prefix
 */
export function mergeBatchNodes(batch: GraphBatch): Map<string, NodeState> {
  const nodes = new Map<string, NodeState>();
  for (const input of batch.nodes) {
    if (!isEntityKind(input.kind)) throw new InvalidArgumentError('batch.nodes', `unknown kind "${input.kind}" for ${input.id}`);
    if (input.id.startsWith(EVENT_ID_PREFIX)) {
      throw new InvalidArgumentError('batch.nodes', `${input.id}: the "${EVENT_ID_PREFIX}" prefix is reserved for event ids`);
    }
    // Stores tell a chunk end of a fact from a node end by this prefix.
    if (input.id.startsWith(CHUNK_ID_PREFIX)) {
      throw new InvalidArgumentError('batch.nodes', `${input.id}: the "${CHUNK_ID_PREFIX}" prefix is reserved for chunk ids`);
    }
    const state = nodeStateOf(input);
    const seen = nodes.get(input.id);
    nodes.set(input.id, seen === undefined ? state : mergeNodes(seen, state));
  }
  return nodes;
}
