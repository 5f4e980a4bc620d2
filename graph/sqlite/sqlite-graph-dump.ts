/**
 * The GraphDump of the SQLite store: every table read in keyset pages (`rid > last ORDER BY rid`,
 * a range seek on the rowid, so every page costs its own size however deep into the table), inside
 * one read transaction: in WAL mode that is one snapshot, which writers of other connections do
 * not disturb, from the first page to `close()`.
 */
import { existsSync } from 'node:fs';
import type { DumpedEvent, DumpedNode, DumpedReject, DumpPages, GraphDump } from '../graph-dump.ts';
import type { ChunkRecord, FactRecord, SourceRecord } from '../../schema/graph.ts';
import { FileUnreadableError, InvalidArgumentError } from '../../schema/errors.ts';
import {
  CHUNK_COLUMNS, EVENT_COLUMNS, FACT_COLUMNS, NODE_COLUMNS, toChunkRecord, toEventRecord, toFactRecord, toNodeRecord,
  toRejectInput, toSourceRecord, StatementCache,
} from './graph-rows.ts';
import { isMemoryPath, storeFailure } from './open-database.ts';
import { SqliteGraphStore } from './sqlite-graph-store.ts';

const STORE = 'sqlite graph dump';

export interface SqliteGraphDumpOptions {
  /** Rows per page (per table). @default 5000 */
  pageSize?: number;
}

type Row = Record<string, unknown>;

/** An id that no entity, event or chunk row describes (each test is one index lookup). */
const UNDESCRIBED = (column: string): string => `NOT EXISTS (SELECT 1 FROM nodes WHERE id = ${column})
   AND NOT EXISTS (SELECT 1 FROM events WHERE id = ${column})
   AND NOT EXISTS (SELECT 1 FROM chunks WHERE id = ${column})`;

/**
 * A dump of `store`'s rows. It reads on the store's connection inside a read transaction that
 * `close()` ends, so nothing may write through `store` while the dump is open (a write would
 * fail: SQLite has no nested transactions); other connections and processes may.
 * @example
 * const store = SqliteGraphStore.open('.mkg/graph.db');
 * const dump = sqliteGraphDump(store);
 * for await (const page of dump.nodes()) console.log(page.length);
 * await dump.close(); await store.close();
 */
export function sqliteGraphDump(store: SqliteGraphStore, options: SqliteGraphDumpOptions = {}): GraphDump {
  const limit = options.pageSize ?? 5000;
  if (!Number.isSafeInteger(limit) || limit < 1) throw new InvalidArgumentError('pageSize', 'must be a positive integer');
  const db = store.db;
  const sql = new StatementCache(db);
  let began = false;

  /**
   * Keyset pages of `query`, which reads `:after` and `:limit` and returns the key as `k`. Text
   * keys start at '' inclusive (`query(true)` compares with `>=`), so even an empty id is read.
   */
  async function* pages<T>(action: string, query: (first: boolean) => string, start: string | number, map: (row: Row) => T): DumpPages<T> {
    let after: string | number = start;
    for (let first = true; ; first = false) {
      let rows: Row[];
      try {
        if (!began) {
          // Deferred: the snapshot is taken by the first read, and nothing is locked for writers.
          db.exec('BEGIN DEFERRED');
          began = true;
        }
        rows = sql.get(query(first)).all({ after, limit });
      } catch (error) {
        throw storeFailure(STORE, action, error);
      }
      if (rows.length === 0) return;
      yield rows.map(map);
      if (rows.length < limit) return;
      after = rows[rows.length - 1]!.k as string | number;
    }
  }

  const byRid = (table: string, alias: string, columns: string) => (): string =>
    `SELECT ${alias}.rid AS k, ${columns} FROM ${table} ${alias} WHERE ${alias}.rid > :after ORDER BY ${alias}.rid LIMIT :limit`;
  const keyFrom = (column: string) => (first: boolean): string => `${column} ${first ? '>=' : '>'} :after`;

  return {
    description: `SQLite file ${db.location() ?? ':memory:'}`,
    nodes: () =>
      pages<DumpedNode>('nodes', byRid('nodes', 'n', `${NODE_COLUMNS}, n.name_priority, n.source_id`), 0, (row) => ({
        ...toNodeRecord(row), namePriority: row.name_priority as number, sourceId: row.source_id as string,
      })),
    events: () =>
      pages<DumpedEvent>('events', byRid('events', 'e', EVENT_COLUMNS), 0, (row) => {
        const { participants: _none, ...event } = toEventRecord(row, []);
        return event;
      }),
    chunks: () => pages<ChunkRecord>('chunks', byRid('chunks', 'c', CHUNK_COLUMNS), 0, toChunkRecord),
    facts: () => pages<FactRecord>('facts', byRid('facts', 'f', FACT_COLUMNS), 0, toFactRecord),
    sources: () =>
      pages<SourceRecord>(
        'sources',
        (first) => `SELECT id AS k, * FROM sources WHERE ${keyFrom('id')(first)} ORDER BY id LIMIT :limit`,
        '',
        toSourceRecord,
      ),
    rejects: () => pages<DumpedReject>('rejects', byRid('rejects', 'r', 'r.*'), 0, toRejectInput),
    undescribedFactEnds: () => undescribedEnds(),
    // chunks has no index on source_id, so each page scans the chunks; there are few such sources.
    undescribedChunkSources: () =>
      pages<string>(
        'undescribed chunk sources',
        (first) => `SELECT DISTINCT c.source_id AS k FROM chunks c
          WHERE ${keyFrom('c.source_id')(first)} AND NOT EXISTS (SELECT 1 FROM sources s WHERE s.id = c.source_id)
          ORDER BY c.source_id LIMIT :limit`,
        '',
        (row) => row.k as string,
      ),
    close: async () => {
      try {
        if (db.isOpen && db.isTransaction) db.exec('COMMIT');
      } catch (error) {
        throw storeFailure(STORE, 'close', error);
      } finally {
        began = false;
      }
    },
  };

  /**
   * Subjects first, then the objects that are never a subject, so each id comes once without
   * holding a set of ids: each walks its index (facts_by_subject, facts_by_object) in order.
   */
  async function* undescribedEnds(): DumpPages<string> {
    yield* pages<string>(
      'undescribed fact subjects',
      (first) => `SELECT DISTINCT f.subject AS k FROM facts f
        WHERE ${keyFrom('f.subject')(first)} AND ${UNDESCRIBED('f.subject')}
        ORDER BY f.subject LIMIT :limit`,
      '',
      (row) => row.k as string,
    );
    yield* pages<string>(
      'undescribed fact objects',
      (first) => `SELECT DISTINCT f.object AS k FROM facts f
        WHERE ${keyFrom('f.object')(first)} AND ${UNDESCRIBED('f.object')}
          AND NOT EXISTS (SELECT 1 FROM facts s WHERE s.subject = f.object)
        ORDER BY f.object LIMIT :limit`,
      '',
      (row) => row.k as string,
    );
  }
}

/**
 * Opens the SQLite file at `path` (migrating it, as every open does) and dumps it; `close()`
 * closes the file too. Refuses a path with no file, rather than creating an empty store.
 * @throws FileUnreadableError when there is no file at `path`; StoreError when it cannot be opened
 */
export function openSqliteGraphDump(path: string, options: SqliteGraphDumpOptions = {}): GraphDump {
  if (!isMemoryPath(path) && !existsSync(path)) throw new FileUnreadableError(path, 'no such file');
  const store = SqliteGraphStore.open(path);
  let dump: GraphDump;
  try {
    dump = sqliteGraphDump(store, options);
  } catch (error) {
    void store.close();
    throw error;
  }
  return {
    ...dump,
    close: async () => {
      try {
        await dump.close();
      } finally {
        await store.close();
      }
    },
  };
}
