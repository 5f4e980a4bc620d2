/** Options of the read API (`createApi`), with their defaults in one place. */
import type { GraphiQLOptions, LogLevel, YogaLogger } from 'graphql-yoga';
import type { GraphStore } from '../graph/graph-store.ts';
import type { JobRunner } from '../pipelines/jobs/job-runner.ts';
import type { ContextDeps } from '../pipelines/retrieval/context.ts';
import type { VectorStore } from '../graph/vector-store.ts';

export interface ApiOptions {
  /** The store the API reads from. The caller owns it: closing the API never closes the store. */
  graph: GraphStore;
  /**
   * Runs the job mutations and reads jobs (the caller owns it). Without one, job fields answer
   * SERVICE_UNAVAILABLE and everything else works.
   * @default null
   */
  jobs?: JobRunner | null;
  /** With `embedder`: vector seeds for `context` (the caller owns both). @default null */
  vectors?: VectorStore | null;
  embedder?: ContextDeps['embedder'];
  /**
   * Maximum depth of a query's selection set (`{ entity { id } }` has depth 2).
   * @default 12
   */
  maxDepth?: number;
  /**
   * GraphiQL on GET /graphql for browsers; `true` opens it on a query that tours the graph.
   * @default true
   */
  graphiql?: boolean | GraphiQLOptions;
  /**
   * Where yoga logs (masked errors at `error`): a logger, a level, or false for none.
   * @default true (yoga's console logger at `info`)
   */
  logger?: YogaLogger | LogLevel | boolean;
  /**
   * Replace unexpected errors by "Unexpected error." (they are logged). Expected errors
   * (BAD_USER_INPUT, NOT_FOUND, validation) always pass with their message and code.
   * @default true
   */
  maskedErrors?: boolean;
  /**
   * Add a `Server-Timing` header with the time spent on each request.
   * @default true
   */
  serverTiming?: boolean;
}

export type ResolvedApiOptions = Required<ApiOptions>;

export const API_DEFAULTS = {
  maxDepth: 12,
  graphiql: true,
  logger: true,
  maskedErrors: true,
  serverTiming: true,
} as const satisfies Omit<ResolvedApiOptions, 'graph' | 'jobs' | 'vectors' | 'embedder'>;

export function resolveApiOptions(options: ApiOptions): ResolvedApiOptions {
  return {
    graph: options.graph,
    jobs: options.jobs ?? null,
    vectors: options.vectors ?? null,
    embedder: options.embedder ?? null,
    maxDepth: options.maxDepth ?? API_DEFAULTS.maxDepth,
    graphiql: options.graphiql ?? API_DEFAULTS.graphiql,
    logger: options.logger ?? API_DEFAULTS.logger,
    maskedErrors: options.maskedErrors ?? API_DEFAULTS.maskedErrors,
    serverTiming: options.serverTiming ?? API_DEFAULTS.serverTiming,
  };
}
