/**
 * What a MarketGraph point carries in Qdrant and how it is indexed (ARCHITECTURE.md §4):
 * `{ nodeId, kind, tenant, validFrom, validTo, retracted }`, each with a payload index.
 *
 * Open world-time ends are stored as sentinels, not null: validFrom null → -(2^53 - 1), validTo
 * null → 2^53 - 1 (beyond any epoch-ms time; the same values the SQLite adapter uses). That keeps
 * the asOf filter to two plain integer ranges that the integer index answers on its own, instead of
 * `is_null OR range` pairs; a range condition never matches a null or missing field in Qdrant.
 */
import type { Schemas } from '@qdrant/js-client-rest';
import { InvalidArgumentError } from '../../schema/errors.ts';
import type { VectorPoint } from '../vector-store.ts';
import { DEFAULT_TENANT, pointId } from './point-id.ts';

/** Stored in place of a null validFrom. */
export const OPEN_START = -Number.MAX_SAFE_INTEGER;
/** Stored in place of a null validTo. */
export const OPEN_END = Number.MAX_SAFE_INTEGER;

/** A type alias, not an interface, so it stays assignable to the client's `Record<string, unknown>`. */
export type PointPayload = {
  /** The graph id; the point id is only its UUIDv5. */
  nodeId: string;
  kind: string;
  tenant: string;
  /** Epoch ms, integer; OPEN_START when open. */
  validFrom: number;
  /** Epoch ms, integer, exclusive; OPEN_END when open. */
  validTo: number;
  retracted: boolean;
};

export interface PayloadIndex {
  field: keyof PointPayload;
  /** The data type Qdrant reports back in `payload_schema[field].data_type`. */
  type: Schemas['PayloadSchemaType'];
  schema: Schemas['PayloadFieldSchema'];
}

/** One index per payload field. `tenant` is marked `is_tenant` so Qdrant co-locates a tenant's points. */
export const PAYLOAD_INDEXES: readonly PayloadIndex[] = [
  { field: 'nodeId', type: 'keyword', schema: 'keyword' },
  { field: 'kind', type: 'keyword', schema: 'keyword' },
  { field: 'tenant', type: 'keyword', schema: { type: 'keyword', is_tenant: true } },
  { field: 'validFrom', type: 'integer', schema: 'integer' },
  { field: 'validTo', type: 'integer', schema: 'integer' },
  { field: 'retracted', type: 'bool', schema: 'bool' },
];

export interface QdrantPoint {
  id: string;
  vector: number[];
  payload: PointPayload;
}

/**
 * Checks length, finiteness and direction; returns the vector as a plain array for JSON.
 * @throws InvalidArgumentError naming expected and actual dimensions
 */
export function checkVector(vector: Float32Array | number[], dimensions: number, what: string): number[] {
  if (vector.length !== dimensions) {
    throw new InvalidArgumentError(what, `dimension mismatch: expected ${dimensions} dimensions, got ${vector.length}`);
  }
  const out = Array.from(vector);
  let norm = 0;
  for (const x of out) {
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new InvalidArgumentError(what, 'entries must be finite numbers');
    norm += x * x;
  }
  // Cosine similarity is undefined for a zero vector.
  if (norm === 0) throw new InvalidArgumentError(what, 'a zero vector has no direction');
  return out;
}

/** An epoch-ms time as the integer the index holds, or the sentinel for an open end. */
export function timeValue(value: number | null | undefined, open: number, what: string): number {
  if (value === null || value === undefined) return open;
  if (!Number.isFinite(value)) throw new InvalidArgumentError(what, 'must be a finite epoch-ms time or null');
  return Math.floor(value);
}

/** The Qdrant point for a VectorPoint, validated. */
export function toQdrantPoint(point: VectorPoint, dimensions: number): QdrantPoint {
  const tenant = point.tenant ?? DEFAULT_TENANT;
  if (typeof point.kind !== 'string' || point.kind.length === 0) {
    throw new InvalidArgumentError(`kind of ${point.id}`, 'must be a non-empty string');
  }
  return {
    id: pointId(point.id, tenant),
    vector: checkVector(point.vector, dimensions, `vector of ${point.id}`),
    payload: {
      nodeId: point.id,
      kind: point.kind,
      tenant,
      validFrom: timeValue(point.validFrom, OPEN_START, `validFrom of ${point.id}`),
      validTo: timeValue(point.validTo, OPEN_END, `validTo of ${point.id}`),
      retracted: point.retracted ?? false,
    },
  };
}

/**
 * Validates every point before anything is sent (one bad point leaves the whole call unwritten),
 * keeps the last occurrence of a repeated id as sequential upserts would, and cuts batches.
 */
export function pointBatches(points: readonly VectorPoint[], dimensions: number, batchSize: number): QdrantPoint[][] {
  const byId = new Map<string, QdrantPoint>();
  for (const p of points) {
    const q = toQdrantPoint(p, dimensions);
    byId.delete(q.id);
    byId.set(q.id, q);
  }
  return chunks([...byId.values()], batchSize);
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
