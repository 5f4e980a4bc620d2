/**
 * Gives entities and events vectors in the VectorStore (issue 4, item 6), keyed by graph id so a
 * KNN hit joins straight back to the graph. Document chunks will follow once the graph stores them.
 *
 * Reads what the graph currently shows (no `asOf`: retracted rows are skipped) in keyset pages,
 * embeds the texts in batches and upserts one point per id with the payload KNN filters on:
 * `kind` (entity kind or event type) and `validFrom`/`validTo` (entity validity, or the event's
 * `occurredAt`), so an as-of vector search sees what an as-of graph read would. Idempotent: the same
 * ids are upserted again and replace the old vectors. Ids the graph retracted since an earlier run
 * are left to `reconcileVectors`.
 *
 * Bulk on-chain events (BULK_EVENT_TYPES: transfers, swaps, deposits, withdrawals) are not embedded
 * by default: there can be millions, their summaries are generated ("Transfer of 12 USDC from 0x…")
 * and a vector of such a summary answers no useful semantic query; they are found by type,
 * participant and time instead. Pass `eventTypes` to embed them anyway.
 */
import type { Embedder } from '../extraction/embed/embedder.ts';
import type { GraphStore } from '../graph/graph-store.ts';
import type { VectorPoint, VectorStore } from '../graph/vector-store.ts';
import { ConfigError, InvalidArgumentError } from '../schema/errors.ts';
import type { EventRecord, NodeRecord } from '../schema/graph.ts';
import { BULK_EVENT_TYPES, EVENT_TYPES, type EventType } from '../schema/ontology.ts';
import { MAX_PAGE_SIZE } from '../schema/pagination.ts';

export type EmbedGraphKind = 'entities' | 'events';

/** Event types embedded by default: all but the bulk on-chain ones. */
export const DEFAULT_EMBED_EVENT_TYPES: readonly EventType[] = EVENT_TYPES.filter((t) => !BULK_EVENT_TYPES.has(t));

export interface EmbedGraphProgress {
  entities: number;
  events: number;
  batches: number;
}

export interface EmbedGraphOptions {
  /** What to embed. @default ['entities', 'events'] */
  kinds?: EmbedGraphKind[];
  /** Event types to embed. @default every type except BULK_EVENT_TYPES (see the module comment) */
  eventTypes?: EventType[];
  /** Texts per `embed` call and points per `upsert`. @default 256 */
  batchSize?: number;
  /** Called after each batch is stored, with the running totals. */
  onProgress?: (progress: EmbedGraphProgress) => void;
}

export interface EmbedGraphResult {
  /** Entity vectors written. */
  entities: number;
  /** Event vectors written. */
  events: number;
  /** `embed` + `upsert` rounds. */
  batches: number;
}

interface Pending {
  text: string;
  point: Omit<VectorPoint, 'vector'>;
  isEvent: boolean;
}

/** The text embedded for an entity: name, aliases and kind. */
export function entityText(node: NodeRecord): string {
  const aliases = node.aliases.filter((a) => a !== node.name);
  return [node.name, ...aliases, node.kind].join('\n');
}

/** The text embedded for an event: summary and type. */
export function eventText(event: EventRecord): string {
  return `${event.summary}\n${event.type}`;
}

/**
 * Embeds every visible entity and (non-bulk) event and upserts the vectors; stores are left open.
 * @example const { entities, events } = await embedGraph(stores.graph, stores.vectors, embedderFromConfig(config));
 */
export async function embedGraph(
  graph: GraphStore,
  vectors: VectorStore,
  embedder: Embedder,
  options: EmbedGraphOptions = {},
): Promise<EmbedGraphResult> {
  assertSameDimensions(embedder, vectors);
  const batchSize = options.batchSize ?? 256;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new InvalidArgumentError('batchSize', 'must be a positive integer');
  const kinds = new Set(options.kinds ?? ['entities', 'events']);
  const eventTypes = options.eventTypes ?? DEFAULT_EMBED_EVENT_TYPES;
  const pageSize = Math.min(batchSize, MAX_PAGE_SIZE);

  const result: EmbedGraphResult = { entities: 0, events: 0, batches: 0 };
  let pending: Pending[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    const items = pending;
    pending = [];
    const embedded = await embedder.embed(items.map((p) => p.text));
    await vectors.upsert(items.map((p, i) => ({ ...p.point, vector: embedded[i]! })));
    for (const p of items) {
      if (p.isEvent) result.events++;
      else result.entities++;
    }
    result.batches++;
    options.onProgress?.({ ...result });
  };
  const add = async (item: Pending) => {
    pending.push(item);
    if (pending.length >= batchSize) await flush();
  };

  if (kinds.has('entities')) {
    let after: string | null = null;
    for (;;) {
      const page: Awaited<ReturnType<GraphStore['findNodes']>> = await graph.findNodes({}, { first: pageSize, after });
      for (const { node } of page.edges) {
        await add({
          text: entityText(node),
          point: { id: node.id, kind: node.kind, validFrom: node.validFrom ?? node.recordedAt, validTo: node.validTo },
          isEvent: false,
        });
      }
      if (!page.hasNextPage || page.edges.length === 0) break;
      after = page.edges.at(-1)!.cursor;
    }
  }
  if (kinds.has('events')) {
    for (const type of eventTypes) {
      let after: string | null = null;
      for (;;) {
        const page: Awaited<ReturnType<GraphStore['findEvents']>> = await graph.findEvents({ type }, { first: pageSize, after });
        for (const { node: event } of page.edges) {
          await add({
            text: eventText(event),
            point: { id: event.id, kind: event.type, validFrom: event.occurredAt, validTo: null },
            isEvent: true,
          });
        }
        if (!page.hasNextPage || page.edges.length === 0) break;
        after = page.edges.at(-1)!.cursor;
      }
    }
  }
  await flush();
  return result;
}

/**
 * @throws ConfigError naming MKG_VECTOR_DIM when the embedder's vectors do not fit the store
 */
export function assertSameDimensions(embedder: Embedder, vectors: VectorStore): void {
  if (embedder.dimensions !== vectors.dimensions) {
    throw new ConfigError(
      'MKG_VECTOR_DIM',
      `the vector store holds ${vectors.dimensions}-dimensional vectors but embedding model "${embedder.model}" `
        + `makes ${embedder.dimensions}; set MKG_VECTOR_DIM=${embedder.dimensions} for a fresh vector store, `
        + `or use a model that yields ${vectors.dimensions}`,
    );
  }
}
