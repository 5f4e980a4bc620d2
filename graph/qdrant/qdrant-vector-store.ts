/**
 * The production VectorStore on Qdrant (ARCHITECTURE.md §4). One collection holds every tenant;
 * point id = UUIDv5 of the graph id (point-id.ts), payload `{nodeId, kind, tenant, validFrom,
 * validTo, retracted}` with an index on each (payload.ts), and every call filters on the tenant
 * (filters.ts). Scores are Qdrant's Cosine scores, i.e. cosine similarity, as in the SQLite adapter.
 *
 * Writes use `wait: true`, so a resolved call is visible to the next search. An upsert is validated
 * as a whole before anything is sent, then sent in batches; Qdrant has no transaction across
 * requests, so a server failure mid-way leaves the earlier batches written (re-running the upsert
 * is safe: ids are deterministic). setRetracted and delete select by payload filter (nodeId and
 * tenant), so unknown ids are ignored instead of failing as Qdrant does for unknown point ids.
 */
import { QdrantClient } from '@qdrant/js-client-rest';
import { InvalidArgumentError, StoreError, StoreSchemaError, StoreUnavailableError } from '../../schema/errors.ts';
import type { VectorHit, VectorIdsPage, VectorIdsQuery, VectorPoint, VectorQuery, VectorStore } from '../vector-store.ts';
import { checkCollection, ensureCollection } from './collection.ts';
import { type FailureContext, qdrantFailure, redactUrl, STORE } from './failures.ts';
import { idsFilter, searchFilter, tenantFilter } from './filters.ts';
import { checkVector, chunks, pointBatches } from './payload.ts';
import { DEFAULT_TENANT } from './point-id.ts';

/** The same ceiling on k as the SQLite adapter, so callers see one behaviour whatever the store. */
export const MAX_K = 4096;

export interface QdrantOptions {
  /** REST endpoint, e.g. `http://localhost:6333`. */
  url: string;
  /** Sent as the `api-key` header; never logged. @default none */
  apiKey?: string | null;
  /** @default 'mkg_vectors' */
  collection?: string | null;
  /** Entries per vector; fixed when the collection is created and checked on every connect. */
  dimensions: number;
  /** Points per upsert request, and ids per setRetracted/delete request. @default 256 */
  batchSize?: number;
  /** Per-request timeout of a client this store creates. @default 30000 */
  timeoutMs?: number;
  /** A ready client (tests, shared connections); `url`, `apiKey` and `timeoutMs` then only label messages. */
  client?: QdrantClient;
}

/** What `verify()` found when everything is in order. */
export interface QdrantStatus {
  url: string;
  collection: string;
  dimensions: number;
  /** Qdrant's approximate point count over all tenants. */
  points: number | null;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) throw new InvalidArgumentError(name, 'must be a positive integer');
  return value;
}

export class QdrantVectorStore implements VectorStore {
  readonly dimensions: number;
  readonly collection: string;
  readonly #client: QdrantClient;
  readonly #ctx: FailureContext;
  readonly #batchSize: number;
  #closed = false;

  private constructor(client: QdrantClient, ctx: FailureContext, dimensions: number, batchSize: number) {
    this.#client = client;
    this.#ctx = ctx;
    this.collection = ctx.collection;
    this.dimensions = dimensions;
    this.#batchSize = batchSize;
  }

  /**
   * Connects, creates the collection and its payload indexes if missing, and checks an existing
   * collection's vector size and distance.
   * @throws StoreUnavailableError (unreachable, timed out), StoreAuthError (key missing, wrong or
   *   lacking permission), StoreError (dimension or distance mismatch, naming both sides)
   * @example const vectors = await QdrantVectorStore.connect({ url: 'http://localhost:6333', dimensions: 384 });
   */
  static async connect(options: QdrantOptions): Promise<QdrantVectorStore> {
    const dimensions = positiveInteger('dimensions', options.dimensions);
    const batchSize = positiveInteger('batchSize', options.batchSize ?? 256);
    const timeoutMs = positiveInteger('timeoutMs', options.timeoutMs ?? 30_000);
    const collection = options.collection ?? 'mkg_vectors';
    if (collection.length === 0) throw new InvalidArgumentError('collection', 'must not be empty');
    if (!/^https?:\/\//.test(options.url ?? '') || !URL.canParse(options.url)) {
      throw new InvalidArgumentError('url', 'expected an http(s) URL, e.g. http://localhost:6333');
    }
    const apiKey = options.apiKey || undefined; // an empty key means none
    const ctx: FailureContext = { url: redactUrl(options.url), collection, hasApiKey: apiKey !== undefined, timeoutMs };
    // No background version probe: its failure would only print a warning; connect reports instead.
    const client = options.client ?? new QdrantClient({ url: options.url, apiKey, timeout: timeoutMs, checkCompatibility: false });
    try {
      await ensureCollection(client, collection, dimensions);
    } catch (error) {
      throw qdrantFailure(ctx, `open collection "${collection}"`, error);
    }
    return new QdrantVectorStore(client, ctx, dimensions, batchSize);
  }

  async #run<T>(action: string, fn: () => Promise<T>): Promise<T> {
    if (this.#closed) throw new StoreError(STORE, `${action} failed: the store is closed`);
    try {
      return await fn();
    } catch (error) {
      throw qdrantFailure(this.#ctx, action, error);
    }
  }

  /**
   * Checks that Qdrant is reachable, accepts the API key and still holds the collection with this
   * store's dimension, distance and payload indexes.
   * @throws StoreUnavailableError, StoreAuthError or StoreSchemaError (missing payload indexes), or
   *   StoreError for a collection that conflicts (dimension, distance); the message says which
   */
  verify(): Promise<QdrantStatus> {
    return this.#run('verify the collection', async () => {
      const name = this.collection;
      const { exists } = await this.#client.collectionExists(name);
      if (!exists) {
        throw new StoreUnavailableError(STORE, `collection "${name}" does not exist at ${this.#ctx.url} (deleted after connect?)`);
      }
      const info = await this.#client.getCollection(name);
      const missing = checkCollection(name, info, this.dimensions);
      if (missing.length > 0) {
        // connect() creates missing indexes, and `mkg migrate` connects.
        throw new StoreSchemaError(
          STORE, missing.map((i) => `payload index "${i.field}"`), `run \`mkg migrate\` to create them in collection "${name}"`,
        );
      }
      return { url: this.#ctx.url, collection: name, dimensions: this.dimensions, points: info.points_count ?? null };
    });
  }

  upsert(points: VectorPoint[]): Promise<void> {
    return this.#run('upsert points', async () => {
      for (const batch of pointBatches(points, this.dimensions, this.#batchSize)) {
        await this.#client.upsert(this.collection, { points: batch, wait: true });
      }
    });
  }

  search(query: VectorQuery): Promise<VectorHit[]> {
    return this.#run('search', async () => {
      if (!Number.isInteger(query.k) || query.k < 0 || query.k > MAX_K) {
        throw new InvalidArgumentError('k', `must be an integer from 0 to ${MAX_K}`);
      }
      const vector = checkVector(query.vector, this.dimensions, 'vector');
      const kinds = query.kinds ?? null;
      if (query.k === 0 || (kinds !== null && kinds.length === 0)) return [];
      const { points } = await this.#client.query(this.collection, {
        query: vector,
        filter: searchFilter({
          tenant: query.tenant, kinds, asOf: query.asOf, includeRetracted: query.includeRetracted,
        }),
        limit: query.k,
        with_payload: ['nodeId', 'kind'],
        with_vector: false,
      });
      return points.map((p) => {
        const { nodeId, kind } = (p.payload ?? {}) as { nodeId?: unknown; kind?: unknown };
        if (typeof nodeId !== 'string' || typeof kind !== 'string') {
          throw new StoreError(STORE, `point ${p.id} in "${this.collection}" has no nodeId/kind payload; it was not written by MarketGraph`);
        }
        return { id: nodeId, kind, score: p.score };
      });
    });
  }

  setRetracted(ids: string[], retracted: boolean, tenant = DEFAULT_TENANT): Promise<void> {
    return this.#run('set retracted', async () => {
      for (const part of chunks(ids, this.#batchSize)) {
        await this.#client.setPayload(this.collection, { payload: { retracted }, filter: idsFilter(part, tenant), wait: true });
      }
    });
  }

  delete(ids: string[], tenant = DEFAULT_TENANT): Promise<void> {
    return this.#run('delete points', async () => {
      for (const part of chunks(ids, this.#batchSize)) {
        await this.#client.delete(this.collection, { filter: idsFilter(part, tenant), wait: true });
      }
    });
  }

  count(tenant = DEFAULT_TENANT): Promise<number> {
    return this.#run('count points', async () => {
      const { count } = await this.#client.count(this.collection, { filter: tenantFilter(tenant), exact: true });
      return count;
    });
  }

  /**
   * One page of a tenant's ids via `scroll`, in Qdrant's point-id order (stable); the cursor is
   * Qdrant's `next_page_offset`, a point id.
   */
  listIds(options: VectorIdsQuery): Promise<VectorIdsPage> {
    return this.#run('list point ids', async () => {
      const limit = positiveInteger('limit', options.limit);
      const after = options.after ?? null;
      const { points, next_page_offset: next } = await this.#client.scroll(this.collection, {
        filter: tenantFilter(options.tenant ?? DEFAULT_TENANT),
        limit,
        ...(after === null ? {} : { offset: after }),
        with_payload: ['nodeId', 'retracted'],
        with_vector: false,
      });
      const ids = points.map((p) => {
        const { nodeId, retracted } = (p.payload ?? {}) as { nodeId?: unknown; retracted?: unknown };
        if (typeof nodeId !== 'string') {
          throw new StoreError(STORE, `point ${p.id} in "${this.collection}" has no nodeId payload; it was not written by MarketGraph`);
        }
        // A point written without the flag counts as not retracted, as in searchFilter.
        return { id: nodeId, retracted: retracted === true };
      });
      return { ids, next: next === null || next === undefined ? null : String(next) };
    });
  }

  /** Marks the store closed. The client holds no connection that needs closing (idle sockets lapse). */
  close(): Promise<void> {
    this.#closed = true;
    return Promise.resolve();
  }
}
