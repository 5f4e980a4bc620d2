/**
 * SQL of the sqlite-vec vector store: its tables, their one-time creation, and the statements
 * (prepared once; KNN statements once per filter shape).
 *
 * - `vec_meta`: key/value, holds `dimensions` and `schema_version` (the vector store shares its file
 *   with the graph, whose schema owns `PRAGMA user_version`);
 * - `vec_ids`: graph id per tenant → integer rowid of the vec0 row;
 * - `vec_points`: vec0 with the embedding and the filter payload as metadata columns.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';

const SCHEMA_VERSION = '1';

export interface VectorRow {
  id: string;
  tenant: string;
  kind: string;
  vector: Float32Array;
  validFrom: bigint;
  validTo: bigint;
  retracted: bigint;
}

export interface KnnQuery {
  vector: Float32Array;
  k: number;
  tenant: string;
  kinds: readonly string[] | null;
  asOf: bigint | null;
  includeRetracted: boolean;
}

export class VectorStatements {
  readonly #db: DatabaseSync;
  readonly #knn = new Map<string, StatementSync>();
  readonly #q: {
    rid: StatementSync;
    insertId: StatementSync;
    insertPoint: StatementSync;
    deletePoint: StatementSync;
    deleteId: StatementSync;
    retract: StatementSync;
    count: StatementSync;
    listIds: StatementSync;
  };

  /** Creates the tables for `dimensions` on first use; an existing table keeps its own size. */
  static migrate(db: DatabaseSync, dimensions: number): void {
    db.exec('CREATE TABLE IF NOT EXISTS vec_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    if (VectorStatements.storedDimensions(db) !== null) return;
    db.exec(`
      CREATE TABLE vec_ids (
        rid    INTEGER PRIMARY KEY,
        tenant TEXT NOT NULL,
        id     TEXT NOT NULL,
        UNIQUE (tenant, id)
      );
      CREATE VIRTUAL TABLE vec_points USING vec0 (
        embedding float[${Math.trunc(dimensions)}] distance_metric=cosine,
        kind text,
        tenant text,
        valid_from integer,
        valid_to integer,
        retracted integer
      );
    `);
    const put = db.prepare('INSERT INTO vec_meta (key, value) VALUES (?, ?)');
    put.run('dimensions', String(dimensions));
    put.run('schema_version', SCHEMA_VERSION);
  }

  /** The dimension count the file's vectors were created with; null before the first open. */
  static storedDimensions(db: DatabaseSync): number | null {
    const row = db.prepare("SELECT value FROM vec_meta WHERE key = 'dimensions'").get() as { value: string } | undefined;
    return row === undefined ? null : Number(row.value);
  }

  constructor(db: DatabaseSync) {
    this.#db = db;
    this.#q = {
      rid: db.prepare('SELECT rid FROM vec_ids WHERE tenant = ? AND id = ?'),
      insertId: db.prepare('INSERT INTO vec_ids (tenant, id) VALUES (?, ?)'),
      insertPoint: db.prepare(
        `INSERT INTO vec_points (rowid, embedding, kind, tenant, valid_from, valid_to, retracted)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      deletePoint: db.prepare('DELETE FROM vec_points WHERE rowid = ?'),
      deleteId: db.prepare('DELETE FROM vec_ids WHERE rid = ?'),
      retract: db.prepare('UPDATE vec_points SET retracted = ? WHERE rowid = ?'),
      count: db.prepare('SELECT count(*) AS total FROM vec_ids WHERE tenant = ?'),
      // Keyset paging on the (tenant, id) unique index; the flag comes from the vec0 row by rowid.
      listIds: db.prepare(
        `SELECT m.id, p.retracted FROM vec_ids m JOIN vec_points p ON p.rowid = m.rid
         WHERE m.tenant = :tenant AND (:after IS NULL OR m.id > :after)
         ORDER BY m.id LIMIT :limit`,
      ),
    };
  }

  #rid(tenant: string, id: string): bigint | null {
    const row = this.#q.rid.get(tenant, id) as { rid: number } | undefined;
    return row === undefined ? null : BigInt(row.rid);
  }

  /** Inserts the point or replaces the one with the same (tenant, id), keeping its rowid. */
  upsert(row: VectorRow): void {
    let rid = this.#rid(row.tenant, row.id);
    if (rid === null) rid = BigInt(this.#q.insertId.run(row.tenant, row.id).lastInsertRowid);
    else this.#q.deletePoint.run(rid);
    this.#q.insertPoint.run(rid, row.vector, row.kind, row.tenant, row.validFrom, row.validTo, row.retracted);
  }

  setRetracted(tenant: string, id: string, retracted: boolean): void {
    const rid = this.#rid(tenant, id);
    if (rid !== null) this.#q.retract.run(retracted ? 1n : 0n, rid);
  }

  delete(tenant: string, id: string): void {
    const rid = this.#rid(tenant, id);
    if (rid === null) return;
    this.#q.deletePoint.run(rid);
    this.#q.deleteId.run(rid);
  }

  count(tenant: string): number {
    return (this.#q.count.get(tenant) as { total: number }).total;
  }

  /** Up to `limit` ids of `tenant` after `after` (exclusive), in id order, with their retracted flag. */
  listIds(tenant: string, after: string | null, limit: number): { id: string; retracted: boolean }[] {
    const rows = this.#q.listIds.all({ tenant, after, limit }) as { id: string; retracted: number | bigint }[];
    return rows.map((row) => ({ id: row.id, retracted: Number(row.retracted) !== 0 }));
  }

  /**
   * K nearest points that pass every filter, closest first. The filters are vec0 metadata
   * constraints inside the KNN, not a post-filter, so they never starve the result.
   */
  knn(query: KnnQuery): { id: string; kind: string; distance: number }[] {
    const kinds = query.kinds ?? [];
    const params: (string | number | bigint | Float32Array)[] = [query.vector, query.k, query.tenant, ...kinds];
    const where = ['embedding MATCH ?', 'k = ?', 'tenant = ?'];
    if (query.kinds !== null) where.push(`kind IN (${kinds.map(() => '?').join(', ')})`);
    if (query.asOf !== null) {
      where.push('valid_from <= ?', 'valid_to > ?');
      params.push(query.asOf, query.asOf);
    }
    if (!query.includeRetracted) where.push('retracted = 0');
    const sql = `WITH knn AS (SELECT rowid, kind, distance FROM vec_points WHERE ${where.join(' AND ')})
      SELECT m.id, knn.kind, knn.distance FROM knn JOIN vec_ids m ON m.rid = knn.rowid
      ORDER BY knn.distance, m.id`;
    let statement = this.#knn.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare(sql);
      this.#knn.set(sql, statement);
    }
    return statement.all(...params) as { id: string; kind: string; distance: number }[];
  }
}
