/**
 * The embedded GraphStore: one SQLite file (node:sqlite, FTS5), no service to run. SQL lives in the
 * modules next to this one; this class owns the connection and turns every failure into a
 * MarketGraph error. node:sqlite is synchronous, so each call runs to completion before the next
 * starts and a batch can never interleave with a read.
 */
import type { DatabaseSync } from 'node:sqlite';
import type {
  AsOf, ChunkHit, FactQuery, GraphStats, GraphStore, NodeFilter, EventFilter, PredicateCount, RejectFilter, SearchHit,
  Subgraph,
} from '../graph-store.ts';
import type {
  ChunkRecord, EventRecord, FactRecord, GraphBatch, Millis, NodeRecord, RejectInput, RejectRecord, SourceRecord,
  WriteResult,
} from '../../schema/graph.ts';
import type { RelType } from '../../schema/ontology.ts';
import type { Page, PageArgs } from '../../schema/pagination.ts';
import { getEvent, findEvents } from './event-reads.ts';
import { getChunks, searchChunks } from './chunk-reads.ts';
import {
  countFactsInto, factIdsOfSource, factsOf, factsOfSource, neighborhood, predicateCounts, retractedFactIds,
} from './fact-reads.ts';
import { migrateGraph } from './graph-migrations.ts';
import { StatementCache } from './graph-rows.ts';
import { GraphWriter } from './graph-writer.ts';
import { existingIds, findNodes, getNode } from './node-reads.ts';
import { inTransaction, openDatabase, storeFailure } from './open-database.ts';
import { search } from './search.ts';
import { addRejects, listRejects, listSources, stats, upsertSource } from './store-admin.ts';
import { asOfParam } from './sql-visibility.ts';

const STORE = 'sqlite graph store';

export interface SqliteGraphStoreOptions {
  /** Node rows kept in memory between batches to skip re-reading hot accounts. @default 50_000 */
  nodeCacheSize?: number;
  /** SQLite page cache, in MiB. @default 64 */
  cacheMiB?: number;
  /** How long a write waits for another connection's lock, in ms. @default 5000 */
  busyTimeoutMs?: number;
}

export class SqliteGraphStore implements GraphStore {
  /**
   * The open connection. For adapter-side tooling only (plainInsert, maintenance); domain code
   * goes through the GraphStore port.
   * @internal
   */
  readonly db: DatabaseSync;
  readonly #sql: StatementCache;
  readonly #writer: GraphWriter;

  private constructor(db: DatabaseSync, options: SqliteGraphStoreOptions) {
    this.db = db;
    this.#sql = new StatementCache(db);
    this.#writer = new GraphWriter(db, options.nodeCacheSize);
  }

  /**
   * Opens or creates the graph database at `path` (parent directories created; `:memory:` for a
   * throwaway store) and migrates it to the current schema.
   * @throws StoreError when the file cannot be opened or was written by a newer version
   * @example const store = SqliteGraphStore.open('.mkg/graph.db');
   */
  static open(path: string, options: SqliteGraphStoreOptions = {}): SqliteGraphStore {
    const db = openDatabase(STORE, path, {
      ...(options.cacheMiB === undefined ? {} : { cacheMiB: options.cacheMiB }),
      ...(options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs }),
    });
    try {
      migrateGraph(db);
      return new SqliteGraphStore(db, options);
    } catch (error) {
      db.close();
      throw storeFailure(STORE, 'migration', error);
    }
  }

  async #run<T>(action: string, fn: () => T | Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw storeFailure(STORE, action, error);
    }
  }

  writeBatch(batch: GraphBatch): Promise<WriteResult> {
    return this.#run('writeBatch', () => this.#writer.write(batch));
  }

  upsertSource(source: SourceRecord): Promise<void> {
    return this.#run('upsertSource', () => upsertSource(this.#sql, source));
  }

  addRejects(rejects: RejectInput[]): Promise<void> {
    return this.#run('addRejects', () => addRejects(this.db, this.#sql, rejects));
  }

  getNode(id: string, opts?: AsOf): Promise<NodeRecord | null> {
    return this.#run('getNode', () => getNode(this.#sql, id, asOfParam(opts?.asOf)));
  }

  exists(ids: string[]): Promise<Set<string>> {
    return this.#run('exists', () => existingIds(this.#sql, ids));
  }

  getEvent(id: string, opts?: AsOf): Promise<EventRecord | null> {
    return this.#run('getEvent', () => getEvent(this.#sql, id, asOfParam(opts?.asOf)));
  }

  findNodes(filter: NodeFilter, page: PageArgs, opts?: AsOf): Promise<Page<NodeRecord>> {
    return this.#run('findNodes', () => findNodes(this.#sql, filter, page, asOfParam(opts?.asOf)));
  }

  findEvents(filter: EventFilter, page: PageArgs, opts?: AsOf): Promise<Page<EventRecord>> {
    return this.#run('findEvents', () => findEvents(this.#sql, filter, page, asOfParam(opts?.asOf)));
  }

  factsOf(id: string, query: FactQuery = {}): Promise<FactRecord[]> {
    return this.#run('factsOf', () => factsOf(this.#sql, id, query, asOfParam(query.asOf)));
  }

  /** In process, one indexed read per id costs what a batch would. */
  factsOfEach(ids: readonly string[], query: FactQuery = {}): Promise<Map<string, FactRecord[]>> {
    return this.#run('factsOfEach', () => {
      const asOf = asOfParam(query.asOf);
      return new Map([...new Set(ids)].map((id) => [id, factsOf(this.#sql, id, query, asOf)] as const));
    });
  }

  neighborhood(id: string, opts: AsOf & { depth: number; limit: number }): Promise<Subgraph> {
    return this.#run('neighborhood', () => neighborhood(this.#sql, id, opts, asOfParam(opts.asOf)));
  }

  search(text: string, opts: AsOf & { first: number }): Promise<SearchHit[]> {
    return this.#run('search', () => search(this.#sql, text, opts.first, asOfParam(opts.asOf)));
  }

  stats(opts?: AsOf): Promise<GraphStats> {
    return this.#run('stats', () => stats(this.#sql, asOfParam(opts?.asOf)));
  }

  getChunks(ids: string[], opts?: AsOf): Promise<ChunkRecord[]> {
    return this.#run('getChunks', () => getChunks(this.#sql, ids, asOfParam(opts?.asOf)));
  }

  searchChunks(text: string, opts: AsOf & { first: number }): Promise<ChunkHit[]> {
    return this.#run('searchChunks', () => searchChunks(this.#sql, text, opts.first, asOfParam(opts.asOf)));
  }

  predicateCounts(opts: AsOf & { types?: RelType[] | null; first: number }): Promise<PredicateCount[]> {
    return this.#run('predicateCounts', () => predicateCounts(this.#sql, opts, asOfParam(opts.asOf)));
  }

  countFactsInto(objectIds: string[], type: RelType, opts?: AsOf): Promise<Map<string, number>> {
    return this.#run('countFactsInto', () => countFactsInto(this.#sql, objectIds, type, asOfParam(opts?.asOf)));
  }

  listSources(): Promise<SourceRecord[]> {
    return this.#run('listSources', () => listSources(this.#sql));
  }

  factsOfSource(sourceId: string, page: PageArgs): Promise<Page<FactRecord>> {
    return this.#run('factsOfSource', () => factsOfSource(this.#sql, sourceId, page));
  }

  factIdsOfSource(sourceId: string, page: PageArgs): Promise<Page<string>> {
    return this.#run('factIdsOfSource', () => factIdsOfSource(this.#sql, sourceId, page));
  }

  retractedFactIds(ids: string[]): Promise<Set<string>> {
    return this.#run('retractedFactIds', () => retractedFactIds(this.#sql, ids));
  }

  listRejects(filter: RejectFilter, page: PageArgs): Promise<Page<RejectRecord>> {
    return this.#run('listRejects', () => listRejects(this.#sql, filter, page));
  }

  /** Marks nodes, events, facts and chunks with these ids retracted at `at` (GraphStore.retract). */
  retract(ids: readonly string[], at: Millis): Promise<number> {
    return this.#run('retract', () => this.#setOnce('retracted_at', ids, at));
  }

  /**
   * Ends the world-time validity of nodes and facts with these ids at `at` (rows already ended
   * keep their time). Not on the GraphStore port yet (NodeInput has no validTo); returns rows changed.
   */
  endValidity(ids: readonly string[], at: Millis): Promise<number> {
    return this.#run('endValidity', () => this.#setOnce('valid_to', ids, at));
  }

  #setOnce(column: 'retracted_at' | 'valid_to', ids: readonly string[], at: Millis): number {
    // Chunks and events have no world-time end; anything can be retracted.
    const tables = column === 'valid_to' ? ['nodes', 'facts'] : ['nodes', 'events', 'facts', 'chunks'];
    const params = { ids: JSON.stringify(ids), at: asOfParam(at) };
    return inTransaction(this.db, () =>
      tables.reduce(
        (changed, table) =>
          changed +
          Number(
            this.#sql
              .get(`UPDATE ${table} SET ${column} = :at
                     WHERE ${column} IS NULL AND id IN (SELECT value FROM json_each(:ids))`)
              .run(params).changes,
          ),
        0,
      ),
    );
  }

  /**
   * Forgets the writer's cached node rows; for adapter tooling that writes nodes directly.
   * @internal
   */
  invalidateWriteCache(): void {
    this.#writer.invalidate();
  }

  close(): Promise<void> {
    return this.#run('close', () => {
      if (this.db.isOpen) this.db.close();
    });
  }
}
