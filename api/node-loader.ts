/**
 * Request-scoped loaders for what nested fields point at (participants, amount tokens, fact ends,
 * search hits, chunks, sources). Entities are batched through `graph.findNodes({ ids })`, one batch per
 * `asOf`, so a page of events with ten participants each costs one entity query, not a hundred.
 */
import type { GraphStore } from '../graph/graph-store.ts';
import type { ChunkRecord, EventRecord, Millis, NodeRecord, SourceRecord } from '../schema/graph.ts';
import { MAX_PAGE_SIZE } from '../schema/pagination.ts';
import { createBatchLoader, type BatchLoader } from './batch-loader.ts';

export interface NodeLoader {
  /** The entity as visible at `asOf`, or null. */
  entity(id: string, asOf: Millis | null): Promise<NodeRecord | null>;
  /** The event as visible at `asOf`, or null. */
  event(id: string, asOf: Millis | null): Promise<EventRecord | null>;
  /** The document chunk as visible at `asOf`, or null. */
  chunk(id: string, asOf: Millis | null): Promise<ChunkRecord | null>;
  /** The source, or null when unknown or recorded after `asOf`. */
  source(id: string, asOf: Millis | null): Promise<SourceRecord | null>;
}

/** One loader per distinct `asOf` (a request may carry several, one per root field). */
function perAsOf<V>(make: (asOf: Millis | null) => BatchLoader<string, V>) {
  const loaders = new Map<Millis | null, BatchLoader<string, V>>();
  return (id: string, asOf: Millis | null): Promise<V | null> => {
    let loader = loaders.get(asOf);
    if (!loader) loaders.set(asOf, (loader = make(asOf)));
    return loader.load(id);
  };
}

export function createNodeLoader(graph: GraphStore): NodeLoader {
  const entity = perAsOf((asOf) =>
    createBatchLoader<string, NodeRecord>(async (ids) => {
      const page = await graph.findNodes({ ids }, { first: ids.length }, { asOf });
      const byId = new Map(page.edges.map((e) => [e.node.id, e.node]));
      return ids.map((id) => byId.get(id) ?? null);
    }, MAX_PAGE_SIZE),
  );
  // The port has no multi-get for events; the loader still dedupes and runs them concurrently.
  const event = perAsOf((asOf) =>
    createBatchLoader<string, EventRecord>((ids) => Promise.all(ids.map((id) => graph.getEvent(id, { asOf })))),
  );
  const chunk = perAsOf((asOf) =>
    createBatchLoader<string, ChunkRecord>(async (ids) => {
      const byId = new Map((await graph.getChunks(ids, { asOf })).map((c) => [c.id, c]));
      return ids.map((id) => byId.get(id) ?? null);
    }, MAX_PAGE_SIZE),
  );
  let sources: Promise<Map<string, SourceRecord>> | null = null;
  return {
    entity,
    event,
    chunk,
    async source(id, asOf) {
      sources ??= graph.listSources().then((list) => new Map(list.map((s) => [s.id, s])));
      const source = (await sources).get(id) ?? null;
      return source && (asOf === null || source.recordedAt <= asOf) ? source : null;
    },
  };
}
