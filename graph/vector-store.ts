/**
 * The VectorStore port: one vector per graph id (entity, event or chunk), with the payload needed
 * to filter KNN the same way graph reads are filtered. Adapters: SQLite (sqlite-vec) now, Qdrant
 * next; all pass test/contract/vector-store.contract.ts.
 */
import type { Millis } from '../schema/graph.ts';

export interface VectorPoint {
  /** Graph id; the join key between the stores. */
  id: string;
  vector: Float32Array | number[];
  /** Entity kind, event type or `Chunk`. */
  kind: string;
  /** @default 'default' */
  tenant?: string;
  validFrom?: Millis | null;
  validTo?: Millis | null;
  /** @default false */
  retracted?: boolean;
}

export interface VectorQuery {
  vector: Float32Array | number[];
  k: number;
  kinds?: string[] | null;
  /** @default 'default' */
  tenant?: string;
  /** Only points valid at `asOf`: validFrom <= asOf and (validTo null or > asOf). */
  asOf?: Millis | null;
  /** @default false */
  includeRetracted?: boolean;
}

export interface VectorHit {
  id: string;
  kind: string;
  /** Cosine similarity in [-1, 1]; higher is closer. */
  score: number;
}

export interface VectorIdsQuery {
  /** @default 'default' */
  tenant?: string;
  /** The `next` of the previous page; null or absent for the first page. */
  after?: string | null;
  /** Ids per page, at least 1. */
  limit: number;
}

export interface VectorIdsPage {
  /** The page's graph ids in the store's stable order, each with its retracted flag. */
  ids: { id: string; retracted: boolean }[];
  /** Cursor for the next page; null after the last one. Opaque: only pass it back as `after`. */
  next: string | null;
}

export interface VectorStore {
  readonly dimensions: number;
  /** Inserts or replaces points by id. Vectors must have `dimensions` entries. */
  upsert(points: VectorPoint[]): Promise<void>;
  search(query: VectorQuery): Promise<VectorHit[]>;
  setRetracted(ids: string[], retracted: boolean, tenant?: string): Promise<void>;
  delete(ids: string[], tenant?: string): Promise<void>;
  count(tenant?: string): Promise<number>;
  /**
   * Every point id of one tenant, a page at a time, retracted ones included (reconciliation with
   * the graph). Paging from `after: null` until `next` is null visits each id exactly once when
   * nothing writes meanwhile.
   */
  listIds(options: VectorIdsQuery): Promise<VectorIdsPage>;
  close(): Promise<void>;
}
