/**
 * The one typed Config, parsed from the environment once at start-up (never at import time).
 * Every variable is documented in .env.example; defaults work with no services at all.
 *
 * Which store adapters run is configuration only (`MKG_GRAPH`, `MKG_VECTORS`); graph/create-stores.ts
 * is the one place that turns it into an adapter.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from './errors.ts';

const flag = z.enum(['0', '1', 'true', 'false']).default('0').transform((v) => v === '1' || v === 'true');

const ConfigSchema = z.object({
  /** SQLite file of the embedded store. @default '.mkg/graph.db' */
  MKG_DB: z.string().min(1).default('.mkg/graph.db'),
  /** HTTP port of `mkg serve` / `npm start`. @default 4000 */
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  /** Interface to bind. @default '127.0.0.1' */
  HOST: z.string().min(1).default('127.0.0.1'),
  /**
   * Rows (nodes + events + facts) per store transaction during ingest. Larger batches rewrite each
   * index page fewer times: on SQLite 50,000 ingests ~40% faster than 5,000 (measured, see README).
   * @default 50000
   */
  MKG_BATCH_SIZE: z.coerce.number().int().min(1).max(1_000_000).default(50_000),
  /** Maximum GraphQL query depth. @default 12 */
  MKG_GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(2).max(100).default(12),
  /** Dimension of stored vectors. @default 256 */
  MKG_VECTOR_DIM: z.coerce.number().int().min(2).max(8192).default(256),
  /** Chain id assumed for label lists and token lists that do not name one. @default 1 */
  MKG_DEFAULT_CHAIN: z.coerce.number().int().positive().default(1),
  /** `1` to write JSON logs to stderr instead of plain lines. @default false */
  MKG_LOG_JSON: flag,
  /**
   * Longest document read, in characters; longer ones are rejected with their size. A 50 MB blob
   * would otherwise become ~60,000 chunks (and 180,000 LLM calls). @default 5000000
   */
  MKG_MAX_DOCUMENT_CHARS: z.coerce.number().int().min(1000).max(1_000_000_000).default(5_000_000),
  /** Graph store adapter. @default 'sqlite' */
  MKG_GRAPH: z.enum(['sqlite', 'neo4j']).default('sqlite'),
  /** Vector store adapter. @default 'sqlite' */
  MKG_VECTORS: z.enum(['sqlite', 'qdrant']).default('sqlite'),
});

/** Read only with MKG_GRAPH=neo4j, so a stray NEO4J_* variable cannot break an embedded run. */
const Neo4jSchema = z.object({
  /** Bolt URI of Neo4j; required with MKG_GRAPH=neo4j. */
  NEO4J_URI: z
    .string()
    .regex(/^(neo4j|bolt)(\+s|\+ssc)?:\/\/[^\s/]+/, 'expected neo4j://, bolt:// (optionally +s or +ssc) and a host, e.g. bolt://localhost:7687')
    .optional(),
  /** @default 'neo4j' */
  NEO4J_USER: z.string().min(1).default('neo4j'),
  /** Required with MKG_GRAPH=neo4j. */
  NEO4J_PASSWORD: z.string().min(1).optional(),
  /** @default 'neo4j' */
  NEO4J_DATABASE: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.-]*$/, 'not a Neo4j database name').default('neo4j'),
  /** Rows per `UNWIND $rows … MERGE` statement. @default 2000 */
  MKG_NEO4J_BATCH_SIZE: z.coerce.number().int().min(1).max(100_000).default(2000),
  /**
   * Keeps this deployment's graph apart from others in one database (every node carries it; tests,
   * staging beside production). @default '' (none)
   */
  MKG_NEO4J_NAMESPACE: z.string().max(200).regex(/^[\x20-\x7e]*$/, 'printable ASCII only').default(''),
});

/** Read only with MKG_VECTORS=qdrant. */
const QdrantSchema = z.object({
  /** REST URL of Qdrant; required with MKG_VECTORS=qdrant. */
  QDRANT_URL: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL, e.g. http://localhost:6333' }).optional(),
  /** Sent as the `api-key` header when set. */
  QDRANT_API_KEY: z.string().min(1).optional(),
  /** Collection holding MarketGraph's points (created on first connect). @default 'mkg_vectors' */
  MKG_QDRANT_COLLECTION: z.string().regex(/^[A-Za-z0-9_-]{1,255}$/, 'use letters, digits, _ and -').default('mkg_vectors'),
});

/**
 * Read only when OPENAI_BASE_URL or OPENAI_API_KEY is set; with neither, MarketGraph runs offline
 * (rule-based extraction, hashing embedder) and ignores the rest.
 */
const LlmSchema = z.object({
  /** Base URL of an OpenAI-compatible API, e.g. http://localhost:8000/v1 (vLLM). @default OpenAI's */
  OPENAI_BASE_URL: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL, e.g. http://localhost:11434/v1' }).optional(),
  /** Bearer key; local servers usually need none. */
  OPENAI_API_KEY: z.string().min(1).optional(),
  /** Chat model for text extraction. @default 'gpt-4o-mini' */
  MKG_LLM_MODEL: z.string().min(1).default('gpt-4o-mini'),
  /** LLM requests in flight at once. @default 4 */
  MKG_LLM_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(4),
  /** Per-request timeout in milliseconds. @default 60000 */
  MKG_LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  /** Retries after a 429, a 5xx or a timeout. @default 3 */
  MKG_LLM_MAX_RETRIES: z.coerce.number().int().min(0).max(20).default(3),
  /** Embedding model. @default 'text-embedding-3-small' */
  MKG_EMBED_MODEL: z.string().min(1).default('text-embedding-3-small'),
  /** Inputs per embeddings request. @default 64 */
  MKG_EMBED_BATCH: z.coerce.number().int().min(1).max(2048).default(64),
  /**
   * SQLite file caching validated LLM answers by (model, prompt version, prompt text): an unchanged
   * chunk is never sent twice. @default MKG_DB (its own table in the embedded store's file)
   */
  MKG_LLM_CACHE: z.string().min(1).optional(),
});

/** Read only when REDIS_URL is set; without it jobs run in-process (state in the SQLite file). */
const QueueSchema = z.object({
  /** Redis of the BullMQ job queue; setting it turns BullMQ on (jobs run on `mkg worker` processes). */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/[^\s]+$/, 'expected redis:// or rediss:// and a host, e.g. redis://localhost:6379')
    .optional(),
  /** Prefix of every queue name and Redis key, so several deployments can share one Redis. @default 'mkg' */
  MKG_QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'use letters, digits, _ and -').default('mkg'),
  /**
   * How long a worker's lock on a running job lasts without renewal (ms); a job whose worker died
   * is picked up by another worker after about this long. @default 30000
   */
  MKG_JOB_LOCK_MS: z.coerce.number().int().min(200).max(3_600_000).default(30_000),
});

/** Every environment variable MarketGraph reads (each one is documented in .env.example). */
export const CONFIG_VARIABLES: readonly string[] = [
  ...Object.keys(ConfigSchema.shape),
  ...Object.keys(Neo4jSchema.shape),
  ...Object.keys(QdrantSchema.shape),
  ...Object.keys(LlmSchema.shape),
  ...Object.keys(QueueSchema.shape),
];

/** Which graph store runs, with what it needs. */
export type GraphStoreConfig =
  | { adapter: 'sqlite' }
  | {
      adapter: 'neo4j';
      uri: string;
      user: string;
      password: string;
      /** @default 'neo4j' */
      database: string;
      /** Rows per write statement. @default 2000 */
      batchSize: number;
      /** Namespace of this deployment's nodes in the database. @default '' */
      namespace: string;
    };

/** Which vector store runs, with what it needs. */
export type VectorStoreConfig =
  | { adapter: 'sqlite' }
  | {
      adapter: 'qdrant';
      url: string;
      apiKey: string | null;
      /** @default 'mkg_vectors' */
      collection: string;
    };

/** The OpenAI-compatible endpoint for chat and embeddings; `Config.llm` is null when offline. */
export interface LlmConfig {
  /** null: OpenAI's own API. */
  baseURL: string | null;
  apiKey: string | null;
  /** @default 'gpt-4o-mini' */
  model: string;
  /** @default 4 */
  concurrency: number;
  /** @default 60000 */
  timeoutMs: number;
  /** @default 3 */
  maxRetries: number;
  /** @default 'text-embedding-3-small' */
  embedModel: string;
  /** Inputs per embeddings request. @default 64 */
  embedBatch: number;
  /** SQLite file of the LLM answer cache (absolute, or ':memory:'); null: the config's `dbPath`. */
  cachePath: string | null;
}

/** The BullMQ job queue; `Config.queue` is null without REDIS_URL (jobs then run in-process). */
export interface QueueConfig {
  /** redis:// or rediss:// URL (may hold a password: print it with `redactRedisUrl`). */
  redisUrl: string;
  /** Queue names are `<prefix>-<kind>`. @default 'mkg' */
  prefix: string;
  /** Lock duration of a running job, and how often workers look for stalled jobs. @default 30000 */
  lockMs: number;
}

export interface Config {
  /** SQLite file (the embedded graph and vector stores). */
  dbPath: string;
  port: number;
  host: string;
  batchSize: number;
  graphqlMaxDepth: number;
  vectorDimensions: number;
  defaultChainId: number;
  /** Longest document `mkg ingest` reads, in characters. @default 5000000 */
  maxDocumentChars: number;
  logJson: boolean;
  graph: GraphStoreConfig;
  vectors: VectorStoreConfig;
  /** null: no LLM endpoint configured, extraction and embeddings run offline. */
  llm: LlmConfig | null;
  /** null: no REDIS_URL, jobs run in-process. */
  queue: QueueConfig | null;
}

/**
 * Parses and validates configuration; throws ConfigError naming the first bad or missing variable.
 * @example const config = parseConfig(process.env);
 */
export function parseConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const c = parseWith(ConfigSchema, cleaned);
  return {
    dbPath: resolveDbPath(c.MKG_DB),
    port: c.PORT,
    host: c.HOST,
    batchSize: c.MKG_BATCH_SIZE,
    graphqlMaxDepth: c.MKG_GRAPHQL_MAX_DEPTH,
    vectorDimensions: c.MKG_VECTOR_DIM,
    defaultChainId: c.MKG_DEFAULT_CHAIN,
    maxDocumentChars: c.MKG_MAX_DOCUMENT_CHARS,
    logJson: c.MKG_LOG_JSON,
    graph: c.MKG_GRAPH === 'neo4j' ? neo4jConfig(cleaned) : { adapter: 'sqlite' },
    vectors: c.MKG_VECTORS === 'qdrant' ? qdrantConfig(cleaned) : { adapter: 'sqlite' },
    llm: cleaned.OPENAI_BASE_URL !== undefined || cleaned.OPENAI_API_KEY !== undefined ? llmConfig(cleaned) : null,
    queue: cleaned.REDIS_URL !== undefined ? queueConfig(cleaned) : null,
  };
}

function llmConfig(env: Record<string, string | undefined>): LlmConfig {
  const l = parseWith(LlmSchema, env);
  return {
    baseURL: l.OPENAI_BASE_URL ?? null,
    apiKey: l.OPENAI_API_KEY ?? null,
    model: l.MKG_LLM_MODEL,
    concurrency: l.MKG_LLM_CONCURRENCY,
    timeoutMs: l.MKG_LLM_TIMEOUT_MS,
    maxRetries: l.MKG_LLM_MAX_RETRIES,
    embedModel: l.MKG_EMBED_MODEL,
    embedBatch: l.MKG_EMBED_BATCH,
    cachePath: l.MKG_LLM_CACHE !== undefined ? resolveDbPath(l.MKG_LLM_CACHE) : null,
  };
}

function queueConfig(env: Record<string, string | undefined>): QueueConfig {
  const q = parseWith(QueueSchema, env);
  return { redisUrl: required('REDIS_URL', q.REDIS_URL, 'jobs run on BullMQ'), prefix: q.MKG_QUEUE_PREFIX, lockMs: q.MKG_JOB_LOCK_MS };
}

function neo4jConfig(env: Record<string, string | undefined>): GraphStoreConfig {
  const n = parseWith(Neo4jSchema, env);
  return {
    adapter: 'neo4j',
    uri: required('NEO4J_URI', n.NEO4J_URI, 'MKG_GRAPH=neo4j', 'e.g. bolt://localhost:7687'),
    user: n.NEO4J_USER,
    password: required('NEO4J_PASSWORD', n.NEO4J_PASSWORD, 'MKG_GRAPH=neo4j'),
    database: n.NEO4J_DATABASE,
    batchSize: n.MKG_NEO4J_BATCH_SIZE,
    namespace: n.MKG_NEO4J_NAMESPACE,
  };
}

function qdrantConfig(env: Record<string, string | undefined>): VectorStoreConfig {
  const q = parseWith(QdrantSchema, env);
  return {
    adapter: 'qdrant',
    url: required('QDRANT_URL', q.QDRANT_URL, 'MKG_VECTORS=qdrant', 'e.g. http://localhost:6333'),
    apiKey: q.QDRANT_API_KEY ?? null,
    collection: q.MKG_QDRANT_COLLECTION,
  };
}

function parseWith<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): z.output<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ConfigError(String(issue?.path[0] ?? 'environment'), issue?.message ?? 'invalid');
}

/**
 * The config a `--db FILE` option asks for: that SQLite file as the graph store, whatever
 * MKG_DB and MKG_GRAPH say (a command-line option overrides the environment).
 */
export function withSqliteFile(config: Config, file: string | undefined): Config {
  if (file === undefined) return config;
  return { ...config, dbPath: resolveDbPath(file), graph: { adapter: 'sqlite' } };
}

function resolveDbPath(path: string): string {
  return path === ':memory:' ? path : resolve(path);
}

function required(key: string, value: string | undefined, when: string, hint?: string): string {
  if (value === undefined) throw new ConfigError(key, `required when ${when}${hint ? ` (${hint})` : ''}`);
  return value;
}
