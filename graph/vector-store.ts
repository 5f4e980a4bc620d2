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

export interface VectorStore {
  readonly dimensions: number;
  /** Inserts or replaces points by id. Vectors must have `dimensions` entries. */
  upsert(points: VectorPoint[]): Promise<void>;
  search(query: VectorQuery): Promise<VectorHit[]>;
  setRetracted(ids: string[], retracted: boolean, tenant?: string): Promise<void>;
  delete(ids: string[], tenant?: string): Promise<void>;
  count(tenant?: string): Promise<number>;
  close(): Promise<void>;
}
