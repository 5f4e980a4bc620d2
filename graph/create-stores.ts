/**
 * Factories that pick adapters from configuration: the one place that knows which store is behind
 * the GraphStore and VectorStore ports. Everything else receives a port.
 *
 * With `verify`, a remote store is checked before it is handed out (reachable, credentials accepted,
 * database present, schema migrated) and anything unexpected is turned into a StoreError naming the
 * store, so `mkg` can print one clear line instead of a stack trace.
 */
import type { Config, GraphStoreConfig, VectorStoreConfig } from '../schema/config.ts';
import { MarketGraphError, StoreError } from '../schema/errors.ts';
import type { GraphDump } from './graph-dump.ts';
import type { GraphStore } from './graph-store.ts';
import type { VectorStore } from './vector-store.ts';
import { displayUri } from './neo4j/connect.ts';
import { Neo4jGraphStore } from './neo4j/neo4j-graph-store.ts';
import { redactUrl } from './qdrant/failures.ts';
import { QdrantVectorStore } from './qdrant/qdrant-vector-store.ts';
import { openSqliteGraphDump } from './sqlite/sqlite-graph-dump.ts';
import { SqliteGraphStore } from './sqlite/sqlite-graph-store.ts';
import { SqliteVectorStore } from './sqlite/sqlite-vector-store.ts';

/**
 * What the graph factory reads. The full Config fits; so does the older `{ dbPath }` shape, which
 * means the embedded SQLite store (benchmarks and tests use it).
 */
export type GraphStoreSettings = Pick<Config, 'dbPath'> & { graph?: GraphStoreConfig };
/** What the vector factory reads; without `vectors`, the embedded SQLite store. */
export type VectorStoreSettings = Pick<Config, 'dbPath' | 'vectorDimensions'> & { vectors?: VectorStoreConfig };

export interface CreateStoreOptions {
  /**
   * Check the store before returning it (connectivity, authentication, database, schema); on
   * failure the store is closed and a MarketGraphError says what is wrong. `mkg serve`, `ingest`
   * and `rejects` verify; `mkg migrate` does not (it is what fixes a missing schema).
   * @default false
   */
  verify?: boolean;
}

/**
 * Opens the configured graph store.
 * @example const graph = await createGraphStore(parseConfig(process.env), { verify: true });
 * @example const graph = await createGraphStore({ dbPath: 'bench.db' });
 */
export async function createGraphStore(settings: GraphStoreSettings, options: CreateStoreOptions = {}): Promise<GraphStore> {
  const graph = settings.graph ?? { adapter: 'sqlite' };
  switch (graph.adapter) {
    case 'sqlite':
      // Migrates on open; a file that cannot be opened already throws a StoreError naming it.
      return SqliteGraphStore.open(settings.dbPath);
    case 'neo4j': {
      const name = describeGraphStore(settings);
      const store = await explained(name, () =>
        Neo4jGraphStore.connect({
          uri: graph.uri,
          user: graph.user,
          password: graph.password,
          database: graph.database,
          batchSize: graph.batchSize,
          namespace: graph.namespace,
        }),
      );
      if (options.verify) await verifiedOrClosed(name, store, () => store.verify());
      return store;
    }
  }
}

/**
 * Opens the configured vector store.
 * @example const vectors = await createVectorStore(config, { verify: true });
 */
export async function createVectorStore(settings: VectorStoreSettings, options: CreateStoreOptions = {}): Promise<VectorStore> {
  const vectors = settings.vectors ?? { adapter: 'sqlite' };
  switch (vectors.adapter) {
    case 'sqlite':
      return SqliteVectorStore.open(settings.dbPath, { dimensions: settings.vectorDimensions });
    case 'qdrant': {
      const name = describeVectorStore(settings);
      const store = await explained(name, () =>
        QdrantVectorStore.connect({
          url: vectors.url,
          apiKey: vectors.apiKey,
          collection: vectors.collection,
          dimensions: settings.vectorDimensions,
        }),
      );
      if (options.verify) await verifiedOrClosed(name, store, () => store.verify());
      return store;
    }
  }
}

/**
 * Opens a dump of every row of the embedded SQLite store at `settings.dbPath`, whatever MKG_GRAPH
 * names: what `mkg export` copies from. The file must exist.
 * @throws FileUnreadableError when there is no file; StoreError when it cannot be opened
 * @example const dump = createSqliteGraphDump(withSqliteFile(config, values.db));
 */
export function createSqliteGraphDump(settings: Pick<Config, 'dbPath'>): GraphDump {
  return openSqliteGraphDump(settings.dbPath);
}

export interface Stores {
  graph: GraphStore;
  vectors: VectorStore;
  /** Closes both stores. */
  close(): Promise<void>;
}

/**
 * Opens both configured stores (the graph first); if the second fails, the first is closed again.
 * What `mkg serve` and `mkg ingest` do at start-up, with `verify: true`.
 */
export async function createStores(config: GraphStoreSettings & VectorStoreSettings, options: CreateStoreOptions = {}): Promise<Stores> {
  const graph = await createGraphStore(config, options);
  let vectors: VectorStore;
  try {
    vectors = await createVectorStore(config, options);
  } catch (error) {
    await graph.close().catch(() => undefined);
    throw error;
  }
  return {
    graph,
    vectors,
    close: async () => {
      await vectors.close().catch(() => undefined);
      await graph.close();
    },
  };
}

/** Where the graph lives, for start-up lines and messages (never includes a password). */
export function describeGraphStore(settings: GraphStoreSettings): string {
  const graph = settings.graph ?? { adapter: 'sqlite' };
  return graph.adapter === 'neo4j'
    ? `Neo4j at ${displayUri(graph.uri)} (database '${graph.database}', user ${graph.user})`
    : `SQLite file ${settings.dbPath}`;
}

/** Where the vectors live, for start-up lines and messages (never includes an API key). */
export function describeVectorStore(settings: VectorStoreSettings): string {
  const vectors = settings.vectors ?? { adapter: 'sqlite' };
  return vectors.adapter === 'qdrant'
    ? `Qdrant at ${redactUrl(vectors.url)} (collection '${vectors.collection}')`
    : `SQLite file ${settings.dbPath}`;
}

/** Runs `open`; anything that is not already a MarketGraphError becomes a StoreError naming `store`. */
async function explained<T>(store: string, open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (error) {
    throw asMarketGraphError(store, error);
  }
}

async function verifiedOrClosed(store: string, opened: { close(): Promise<void> }, verify: () => Promise<unknown>): Promise<void> {
  try {
    await verify();
  } catch (error) {
    // An open driver would keep the process alive after the message is printed.
    await opened.close().catch(() => undefined);
    throw asMarketGraphError(store, error);
  }
}

function asMarketGraphError(store: string, error: unknown): MarketGraphError {
  if (error instanceof MarketGraphError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new StoreError(store, reason, { cause: error });
}
