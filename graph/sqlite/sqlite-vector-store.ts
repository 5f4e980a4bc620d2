/**
 * The embedded VectorStore: a sqlite-vec `vec0` table (cosine distance) in a SQLite file, which may
 * be the graph's own file (tables are prefixed `vec_`, and this store leaves `user_version` to the
 * graph schema). KNN runs inside vec0 with the filters as metadata constraints, so vec0 applies
 * them while it scans and a selective filter still yields up to k hits when that many match.
 *
 * Metadata columns are plain INTEGER/TEXT and cannot hold "no bound", so open world-time ends use
 * sentinels: validFrom null → -(2^53 - 1), validTo null → 2^53 - 1 (beyond any epoch-ms time).
 * vec0 insists on integer bindings for INTEGER metadata (node:sqlite binds JS numbers as REAL), so
 * those values are bound as BigInt.
 */
import type { DatabaseSync } from 'node:sqlite';
import { getLoadablePath } from 'sqlite-vec';
import { InvalidArgumentError, StoreError } from '../../schema/errors.ts';
import type { VectorHit, VectorIdsPage, VectorIdsQuery, VectorPoint, VectorQuery, VectorStore } from '../vector-store.ts';
import { inTransaction, openDatabase, storeFailure } from './open-database.ts';
import { VectorStatements } from './vector-statements.ts';

const STORE = 'sqlite vector store';
const DEFAULT_TENANT = 'default';
/** sqlite-vec's own ceiling on k in one KNN query. */
export const MAX_K = 4096;
const OPEN_START = -BigInt(Number.MAX_SAFE_INTEGER);
const OPEN_END = BigInt(Number.MAX_SAFE_INTEGER);

export interface SqliteVectorStoreOptions {
  /** Entries per vector; fixed when the table is created and checked on every later open. */
  dimensions: number;
}

export class SqliteVectorStore implements VectorStore {
  readonly dimensions: number;
  readonly #db: DatabaseSync;
  readonly #q: VectorStatements;

  private constructor(db: DatabaseSync, dimensions: number) {
    this.#db = db;
    this.dimensions = dimensions;
    this.#q = new VectorStatements(db);
  }

  /**
   * Opens or creates the vector tables in the SQLite file at `path` (`:memory:` for a throwaway).
   * @throws StoreError when the file's vectors have another dimension count than `dimensions`
   * @example const vectors = SqliteVectorStore.open('.mkg/graph.db', { dimensions: 384 });
   */
  static open(path: string, options: SqliteVectorStoreOptions): SqliteVectorStore {
    const { dimensions } = options;
    if (!Number.isInteger(dimensions) || dimensions <= 0) {
      throw new InvalidArgumentError('dimensions', 'must be a positive integer');
    }
    const db = openDatabase(STORE, path, { extensions: [getLoadablePath()] });
    try {
      inTransaction(db, () => VectorStatements.migrate(db, dimensions));
      const stored = VectorStatements.storedDimensions(db);
      if (stored !== dimensions) {
        throw new StoreError(STORE, `dimension mismatch: ${path} holds ${stored}-dimensional vectors, opened with ${dimensions}`);
      }
      return new SqliteVectorStore(db, dimensions);
    } catch (error) {
      db.close();
      throw storeFailure(STORE, 'open', error);
    }
  }

  #run<T>(action: string, fn: () => T): Promise<T> {
    try {
      return Promise.resolve(fn());
    } catch (error) {
      return Promise.reject(storeFailure(STORE, action, error));
    }
  }

  /** Checks length and finiteness; returns the vector as float32. */
  #vector(vector: Float32Array | number[], what: string): Float32Array {
    if (vector.length !== this.dimensions) {
      throw new InvalidArgumentError(
        what, `dimension mismatch: expected ${this.dimensions} dimensions, got ${vector.length}`,
      );
    }
    const out = vector instanceof Float32Array ? vector : Float32Array.from(vector);
    let norm = 0;
    for (const x of out) {
      if (!Number.isFinite(x)) throw new InvalidArgumentError(what, 'entries must be finite numbers');
      norm += x * x;
    }
    // Cosine distance is undefined for a zero vector; sqlite-vec would answer NULL.
    if (norm === 0) throw new InvalidArgumentError(what, 'a zero vector has no direction');
    return out;
  }

  upsert(points: VectorPoint[]): Promise<void> {
    return this.#run('upsert', () => {
      const rows = points.map((p) => ({
        id: p.id,
        tenant: p.tenant ?? DEFAULT_TENANT,
        kind: p.kind,
        vector: this.#vector(p.vector, `vector of ${p.id}`),
        validFrom: p.validFrom === null || p.validFrom === undefined ? OPEN_START : BigInt(Math.floor(p.validFrom)),
        validTo: p.validTo === null || p.validTo === undefined ? OPEN_END : BigInt(Math.floor(p.validTo)),
        retracted: p.retracted ? 1n : 0n,
      }));
      inTransaction(this.#db, () => {
        for (const row of rows) this.#q.upsert(row);
      });
    });
  }

  search(query: VectorQuery): Promise<VectorHit[]> {
    return this.#run('search', () => {
      if (!Number.isInteger(query.k) || query.k < 0 || query.k > MAX_K) {
        throw new InvalidArgumentError('k', `must be an integer from 0 to ${MAX_K}`);
      }
      const vector = this.#vector(query.vector, 'vector');
      const kinds = query.kinds ?? null;
      if (query.k === 0 || (kinds !== null && kinds.length === 0)) return [];
      const asOf = query.asOf ?? null;
      return this.#q
        .knn({
          vector,
          k: query.k,
          tenant: query.tenant ?? DEFAULT_TENANT,
          kinds,
          asOf: asOf === null ? null : BigInt(Math.floor(asOf)),
          includeRetracted: query.includeRetracted ?? false,
        })
        .map((row) => ({ id: row.id, kind: row.kind, score: 1 - row.distance }));
    });
  }

  setRetracted(ids: string[], retracted: boolean, tenant = DEFAULT_TENANT): Promise<void> {
    return this.#run('setRetracted', () => {
      inTransaction(this.#db, () => {
        for (const id of ids) this.#q.setRetracted(tenant, id, retracted);
      });
    });
  }

  delete(ids: string[], tenant = DEFAULT_TENANT): Promise<void> {
    return this.#run('delete', () => {
      inTransaction(this.#db, () => {
        for (const id of ids) this.#q.delete(tenant, id);
      });
    });
  }

  count(tenant = DEFAULT_TENANT): Promise<number> {
    return this.#run('count', () => this.#q.count(tenant));
  }

  listIds(options: VectorIdsQuery): Promise<VectorIdsPage> {
    return this.#run('listIds', () => {
      const { limit } = options;
      if (!Number.isSafeInteger(limit) || limit < 1) throw new InvalidArgumentError('limit', 'must be a positive integer');
      // One row more than asked says whether another page follows, so the last page has next = null.
      const rows = this.#q.listIds(options.tenant ?? DEFAULT_TENANT, options.after ?? null, limit + 1);
      const ids = rows.slice(0, limit);
      return { ids, next: rows.length > limit ? ids[ids.length - 1]!.id : null };
    });
  }

  close(): Promise<void> {
    return this.#run('close', () => {
      if (this.#db.isOpen) this.#db.close();
    });
  }
}
