/**
 * The production GraphStore on Neo4j 5 (data model: graph/neo4j/model.ts). Cypher lives in
 * graph/neo4j/cypher/; this class owns the driver, runs every port call in one managed
 * transaction (`executeRead`/`executeWrite`, which retry transient failures such as deadlocks),
 * and turns every failure into a MarketGraph error that says what is wrong.
 */
import neo4j, { type Driver } from 'neo4j-driver';
import type {
  AsOf, ChunkHit, EventFilter, FactQuery, GraphStats, GraphStore, NodeFilter, PredicateCount, RejectFilter, SearchHit,
  Subgraph,
} from '../graph-store.ts';
import { InvalidArgumentError, StoreError } from '../../schema/errors.ts';
import type {
  ChunkRecord, EventRecord, FactRecord, GraphBatch, Millis, NodeRecord, RejectInput, RejectRecord, SourceRecord,
  WriteResult,
} from '../../schema/graph.ts';
import type { RelType } from '../../schema/ontology.ts';
import { emptyWriteResult } from '../../schema/graph.ts';
import type { Page, PageArgs } from '../../schema/pagination.ts';
import { AWAIT_INDEXES, OBSOLETE_INDEXES, SCHEMA_OBJECTS, SHOW_INDEXES } from './cypher/schema.ts';
import { backfillTermsPage } from './search-backfill.ts';
import { createDriver, STORE, storeFailure, verifyStore, type Neo4jServerInfo, type Neo4jTarget } from './connect.ts';
import {
  countFactsInto, factIdsOfSource, factsOf, factsOfEach, factsOfSource, neighborhood, predicateCounts, retractedFactIds,
} from './fact-reads.ts';
import {
  chunksByIds, eventsByIds, existingIds, findEvents, findNodes, nodesByIds, search, searchChunks,
} from './reads.ts';
import { int, intOrNull } from './records.ts';
import { query, type Scope } from './runner.ts';
import {
  deleteNamespaceChunk, deleteNamespaceRelationships, endValidity, listRejects, listSources, retract, stats,
} from './store-admin.ts';
import { isEmptyBatch, prepareBatch, WriteClock } from './write-plan.ts';
import { addRejects, upsertSource, writePrepared } from './writes.ts';

export interface Neo4jOptions {
  /** Bolt URI, e.g. `bolt://localhost:7687` or `neo4j+s://<id>.databases.neo4j.io`. */
  uri: string;
  user: string;
  password: string;
  /** @default 'neo4j' */
  database?: string;
  /** Rows per `UNWIND $rows … MERGE` statement. @default 2000 */
  batchSize?: number;
  /**
   * Isolates stores that share one database: every node is written with `ns = namespace` and
   * every statement matches on it (graph/neo4j/model.ts). Test runs use a fresh one each.
   * @default ''
   */
  namespace?: string;
  /** A driver to use instead of creating one (tests, tools); the store then never closes it. */
  driver?: Driver;
}

/** How long `migrate()` waits for new indexes to come online, in seconds. */
const INDEX_WAIT_SECONDS = 300;
/** Nodes deleted per transaction by `deleteNamespace()`. */
const DELETE_CHUNK = 10_000;

function asOfParam(asOf: number | null | undefined): ReturnType<typeof intOrNull> {
  if (asOf === null || asOf === undefined) return null;
  if (typeof asOf !== 'number' || !Number.isFinite(asOf)) {
    throw new InvalidArgumentError('asOf', 'must be a finite number of epoch milliseconds');
  }
  return intOrNull(asOf);
}

export class Neo4jGraphStore implements GraphStore {
  readonly #driver: Driver;
  readonly #ownsDriver: boolean;
  readonly #target: Neo4jTarget;
  readonly #ns: string;
  readonly #batchSize: number;
  readonly #clock = new WriteClock();
  // Sessions share bookmarks, so a read always sees the store's own earlier writes (clusters too).
  readonly #bookmarks = neo4j.bookmarkManager();
  #closed = false;

  private constructor(driver: Driver, ownsDriver: boolean, target: Neo4jTarget, ns: string, batchSize: number) {
    this.#driver = driver;
    this.#ownsDriver = ownsDriver;
    this.#target = target;
    this.#ns = ns;
    this.#batchSize = batchSize;
  }

  /**
   * Creates the driver (unless one is given) and checks the server can be reached. Constraints are
   * not checked here: `verify()` does that, and `migrate()` creates them.
   * @throws StoreUnavailableError, StoreAuthError or StoreError saying what is wrong
   * @example const store = await Neo4jGraphStore.connect({ uri: 'bolt://localhost:7687', user: 'neo4j', password });
   */
  static async connect(options: Neo4jOptions): Promise<Neo4jGraphStore> {
    const batchSize = options.batchSize ?? 2000;
    if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new InvalidArgumentError('batchSize', 'must be a positive integer');
    const target: Neo4jTarget = { uri: options.uri, user: options.user, database: options.database ?? 'neo4j' };
    const driver = options.driver ?? createDriver(options);
    const store = new Neo4jGraphStore(driver, options.driver === undefined, target, options.namespace ?? '', batchSize);
    try {
      await driver.verifyConnectivity({ database: target.database });
    } catch (error) {
      await store.close().catch(() => undefined);
      throw storeFailure(target, 'connect', error);
    }
    return store;
  }

  /** The namespace this store reads and writes. */
  get namespace(): string {
    return this.#ns;
  }

  async #tx<T>(mode: 'read' | 'write', action: string, work: (scope: Scope) => Promise<T>): Promise<T> {
    if (this.#closed) throw new StoreError(STORE, `${action} after close()`);
    const session = this.#driver.session({ database: this.#target.database, bookmarkManager: this.#bookmarks });
    try {
      const config = { metadata: { app: 'marketgraph', action } };
      return mode === 'read'
        ? await session.executeRead((tx) => work({ tx, ns: this.#ns }), config)
        : await session.executeWrite((tx) => work({ tx, ns: this.#ns }), config);
    } catch (error) {
      throw storeFailure(this.#target, action, error);
    } finally {
      await session.close();
    }
  }

  #read<T>(action: string, work: (scope: Scope) => Promise<T>): Promise<T> {
    return this.#tx('read', action, work);
  }

  #write<T>(action: string, work: (scope: Scope) => Promise<T>): Promise<T> {
    return this.#tx('write', action, work);
  }

  async writeBatch(batch: GraphBatch): Promise<WriteResult> {
    const prepared = prepareBatch(batch);
    if (isEmptyBatch(prepared)) return emptyWriteResult();
    return this.#write('writeBatch', (scope) => writePrepared(scope, prepared, this.#batchSize, this.#clock));
  }

  upsertSource(source: SourceRecord): Promise<void> {
    return this.#write('upsertSource', (scope) => upsertSource(scope, source));
  }

  async addRejects(rejects: RejectInput[]): Promise<void> {
    if (rejects.length === 0) return;
    await this.#write('addRejects', (scope) => addRejects(scope, rejects, this.#batchSize, this.#clock));
  }

  async getNode(id: string, opts?: AsOf): Promise<NodeRecord | null> {
    const asOf = asOfParam(opts?.asOf);
    return (await this.#read('getNode', (scope) => nodesByIds(scope, [id], asOf)))[0] ?? null;
  }

  exists(ids: string[]): Promise<Set<string>> {
    return this.#read('exists', (scope) => existingIds(scope, ids));
  }

  async getEvent(id: string, opts?: AsOf): Promise<EventRecord | null> {
    const asOf = asOfParam(opts?.asOf);
    return (await this.#read('getEvent', (scope) => eventsByIds(scope, [id], asOf)))[0] ?? null;
  }

  findNodes(filter: NodeFilter, page: PageArgs, opts?: AsOf): Promise<Page<NodeRecord>> {
    const asOf = asOfParam(opts?.asOf);
    return this.#read('findNodes', (scope) => findNodes(scope, filter, page, asOf));
  }

  findEvents(filter: EventFilter, page: PageArgs, opts?: AsOf): Promise<Page<EventRecord>> {
    const asOf = asOfParam(opts?.asOf);
    return this.#read('findEvents', (scope) => findEvents(scope, filter, page, asOf));
  }

  factsOf(id: string, q: FactQuery = {}): Promise<FactRecord[]> {
    const asOf = asOfParam(q.asOf);
    return this.#read('factsOf', (scope) => factsOf(scope, id, q, asOf));
  }

  factsOfEach(ids: readonly string[], q: FactQuery = {}): Promise<Map<string, FactRecord[]>> {
    const asOf = asOfParam(q.asOf);
    return this.#read('factsOfEach', (scope) => factsOfEach(scope, ids, q, asOf));
  }

  neighborhood(id: string, opts: AsOf & { depth: number; limit: number }): Promise<Subgraph> {
    const asOf = asOfParam(opts.asOf);
    return this.#read('neighborhood', (scope) => neighborhood(scope, id, opts, asOf));
  }

  search(text: string, opts: AsOf & { first: number }): Promise<SearchHit[]> {
    const asOf = asOfParam(opts.asOf);
    return this.#read('search', (scope) => search(scope, text, opts.first, asOf));
  }

  stats(opts?: AsOf): Promise<GraphStats> {
    const asOf = asOfParam(opts?.asOf);
    return this.#read('stats', (scope) => stats(scope, asOf));
  }

  getChunks(ids: string[], opts?: AsOf): Promise<ChunkRecord[]> {
    const asOf = asOfParam(opts?.asOf);
    return this.#read('getChunks', (scope) => chunksByIds(scope, ids, asOf));
  }

  searchChunks(text: string, opts: AsOf & { first: number }): Promise<ChunkHit[]> {
    const asOf = asOfParam(opts.asOf);
    return this.#read('searchChunks', (scope) => searchChunks(scope, text, opts.first, asOf));
  }

  predicateCounts(opts: AsOf & { types?: RelType[] | null; first: number }): Promise<PredicateCount[]> {
    const asOf = asOfParam(opts.asOf);
    return this.#read('predicateCounts', (scope) => predicateCounts(scope, opts, asOf));
  }

  countFactsInto(objectIds: string[], type: RelType, opts?: AsOf): Promise<Map<string, number>> {
    const asOf = asOfParam(opts?.asOf);
    return this.#read('countFactsInto', (scope) => countFactsInto(scope, objectIds, type, asOf));
  }

  listSources(): Promise<SourceRecord[]> {
    return this.#read('listSources', (scope) => listSources(scope));
  }

  listRejects(filter: RejectFilter, page: PageArgs): Promise<Page<RejectRecord>> {
    return this.#read('listRejects', (scope) => listRejects(scope, filter, page));
  }

  /**
   * Creates the constraints and indexes (graph/neo4j/cypher/schema.ts; idempotent), waits for the
   * indexes to come online, then checks everything is there. `mkg migrate` calls it.
   */
  async migrate(): Promise<void> {
    if (this.#closed) throw new StoreError(STORE, 'migrate after close()');
    // Schema commands run on their own, outside data transactions (auto-commit).
    const session = this.#driver.session({ database: this.#target.database, bookmarkManager: this.#bookmarks });
    let legacy = false;
    try {
      const scope: Scope = { tx: session, ns: this.#ns };
      // A store migrated by an earlier version has its indexes, and nodes without search terms.
      const existing = new Set((await query(scope, SHOW_INDEXES)).map((row) => row.name as string));
      legacy = OBSOLETE_INDEXES.some((drop) => existing.has(drop.index));
      for (const drop of OBSOLETE_INDEXES) await query(scope, drop.statement);
      for (const object of SCHEMA_OBJECTS) await query(scope, object.create);
      await query(scope, AWAIT_INDEXES, { seconds: int(INDEX_WAIT_SECONDS) });
    } catch (error) {
      throw storeFailure(this.#target, 'migrate', error);
    } finally {
      await session.close();
    }
    if (legacy) await this.#backfillTerms();
    await this.verify();
  }

  /** Gives nodes written by earlier versions their search terms (no-op when none lack them). */
  async #backfillTerms(): Promise<void> {
    for (let after: string | null = ''; after !== null;) {
      const from: string = after;
      after = (await this.#write('migrate (search terms)', (scope) => backfillTermsPage(scope, from))).last;
    }
  }

  /**
   * Says whether the store can be used, and if not exactly why: server unreachable, credentials
   * refused, database missing, or constraints/indexes missing (then: run `mkg migrate`).
   */
  verify(): Promise<Neo4jServerInfo> {
    if (this.#closed) return Promise.reject(new StoreError(STORE, 'verify after close()'));
    return verifyStore(this.#driver, this.#target);
  }

  factsOfSource(sourceId: string, page: PageArgs): Promise<Page<FactRecord>> {
    return this.#read('factsOfSource', (scope) => factsOfSource(scope, sourceId, page));
  }

  factIdsOfSource(sourceId: string, page: PageArgs): Promise<Page<string>> {
    return this.#read('factIdsOfSource', (scope) => factIdsOfSource(scope, sourceId, page));
  }

  retractedFactIds(ids: string[]): Promise<Set<string>> {
    return this.#read('retractedFactIds', (scope) => retractedFactIds(scope, ids));
  }

  /** Marks entities, events, chunks and facts with these ids retracted at `at` (GraphStore.retract). */
  retract(ids: readonly string[], at: Millis): Promise<number> {
    return this.#write('retract', (scope) => retract(scope, ids, at));
  }

  /** Ends the world-time validity of entities and facts with these ids at `at`; returns rows changed. */
  endValidity(ids: readonly string[], at: Millis): Promise<number> {
    return this.#write('endValidity', (scope) => endValidity(scope, ids, at));
  }

  /**
   * Deletes every node and relationship of this store's namespace (test clean-up, tools), a chunk
   * per transaction, relationships first; returns how many nodes went.
   */
  async deleteNamespace(): Promise<number> {
    for (;;) {
      const n = await this.#write('deleteNamespace', (scope) => deleteNamespaceRelationships(scope, DELETE_CHUNK));
      if (n < DELETE_CHUNK) break;
    }
    let deleted = 0;
    for (;;) {
      const n = await this.#write('deleteNamespace', (scope) => deleteNamespaceChunk(scope, DELETE_CHUNK));
      deleted += n;
      if (n < DELETE_CHUNK) return deleted;
    }
  }

  /** Closes the driver if the store created it; further calls fail with a StoreError. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#ownsDriver) await this.#driver.close();
  }
}
