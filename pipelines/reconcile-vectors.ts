/**
 * Brings the vector store in line with the graph (issue "Production stores": retraction and
 * deletion propagate from the graph). The approach is reconciliation, not an outbox: the graph is
 * the source of truth, and this step walks every vector id and fixes what disagrees with it. A
 * crash between a graph write and the matching vector write therefore needs no log to replay; the
 * next run repairs it, and running it again changes nothing.
 *
 * For each vector id, by what the graph currently believes (reads without `asOf`, which hide
 * retracted rows):
 * - shown by the graph but marked retracted in the vectors → un-retracted (`restored`);
 * - stored in the graph but retracted there (GraphStore.exists) → marked retracted (`retracted`);
 * - unknown to the graph → deleted (`deleted`).
 *
 * Graph ids only: a vector whose id is neither an entity nor an event (document chunks, which the
 * graph does not store yet) counts as unknown and is deleted.
 */
import type { GraphStore } from '../graph/graph-store.ts';
import type { VectorStore } from '../graph/vector-store.ts';
import { InvalidArgumentError } from '../schema/errors.ts';
import { EVENT_ID_PREFIX, isChunkId } from '../schema/ids.ts';
import { MAX_PAGE_SIZE } from '../schema/pagination.ts';

export interface ReconcileOptions {
  /** The vector tenant to reconcile (the graph has none). @default 'default' */
  tenant?: string;
  /** Vector ids read per page. @default 500 */
  pageSize?: number;
}

export interface ReconcileResult {
  /** Vector ids looked at. */
  checked: number;
  /** Marked retracted because the graph retracted them. */
  retracted: number;
  /** Un-retracted because the graph shows them. */
  restored: number;
  /** Deleted because the graph never had them. */
  deleted: number;
}

/**
 * Walks the tenant's vector ids a page at a time and applies what the graph says; returns counts.
 * Stores are left open. Safe to run at any time and as often as wanted.
 * @example const counts = await reconcileVectors(graph, vectors); // { checked, retracted, restored, deleted }
 */
export async function reconcileVectors(
  graph: GraphStore,
  vectors: VectorStore,
  options: ReconcileOptions = {},
): Promise<ReconcileResult> {
  const pageSize = options.pageSize ?? 500;
  if (!Number.isSafeInteger(pageSize) || pageSize < 1) throw new InvalidArgumentError('pageSize', 'must be a positive integer');
  const tenant = options.tenant;
  const result: ReconcileResult = { checked: 0, retracted: 0, restored: 0, deleted: 0 };
  let after: string | null = null;
  do {
    // Changes only touch ids of this page, so neither adapter's cursor is disturbed by them.
    const page: Awaited<ReturnType<VectorStore['listIds']>> = await vectors.listIds({ tenant, after, limit: pageSize });
    result.checked += page.ids.length;
    const live = await liveIds(graph, page.ids.map((entry) => entry.id));
    const restore = page.ids.filter((entry) => entry.retracted && live.has(entry.id)).map((entry) => entry.id);
    const hidden = page.ids.filter((entry) => !live.has(entry.id));
    const stored = hidden.length === 0 ? new Set<string>() : await graph.exists(hidden.map((entry) => entry.id));
    const retract = hidden.filter((entry) => stored.has(entry.id) && !entry.retracted).map((entry) => entry.id);
    const remove = hidden.filter((entry) => !stored.has(entry.id)).map((entry) => entry.id);
    if (restore.length > 0) await vectors.setRetracted(restore, false, tenant);
    if (retract.length > 0) await vectors.setRetracted(retract, true, tenant);
    if (remove.length > 0) await vectors.delete(remove, tenant);
    result.restored += restore.length;
    result.retracted += retract.length;
    result.deleted += remove.length;
    after = page.next;
  } while (after !== null);
  return result;
}

/**
 * The ids among `ids` the graph currently shows: entities and chunks in one read per 500, events
 * one by one.
 */
async function liveIds(graph: GraphStore, ids: readonly string[]): Promise<Set<string>> {
  const live = new Set<string>();
  const chunks = ids.filter(isChunkId);
  for (let i = 0; i < chunks.length; i += MAX_PAGE_SIZE) {
    for (const chunk of await graph.getChunks(chunks.slice(i, i + MAX_PAGE_SIZE))) live.add(chunk.id);
  }
  const entities = ids.filter((id) => !id.startsWith(EVENT_ID_PREFIX) && !isChunkId(id));
  for (let i = 0; i < entities.length; i += MAX_PAGE_SIZE) {
    const part = entities.slice(i, i + MAX_PAGE_SIZE);
    const page = await graph.findNodes({ ids: part }, { first: part.length });
    for (const edge of page.edges) live.add(edge.node.id);
  }
  for (const id of ids) {
    if (id.startsWith(EVENT_ID_PREFIX) && (await graph.getEvent(id)) !== null) live.add(id);
  }
  return live;
}
