/** What every resolver receives, built per request by the plugins of api/server.ts. */
import type { YogaInitialContext } from 'graphql-yoga';
import type { GraphStore } from '../graph/graph-store.ts';
import type { JobRunner } from '../pipelines/jobs/job-runner.ts';
import type { ContextDeps } from '../pipelines/retrieval/context.ts';
import type { VectorStore } from '../graph/vector-store.ts';
import type { NodeLoader } from './node-loader.ts';

export interface GraphContext {
  graph: GraphStore;
  /** Runs and reads jobs; null when the server has none (jobs fields then say so). */
  jobs: JobRunner | null;
  /** Vector seeds for `context`; without them it seeds from exact ids and full-text search. */
  vectors: VectorStore | null;
  embedder: NonNullable<ContextDeps['embedder']> | null;
}

export interface LoaderContext {
  nodes: NodeLoader;
}

export type ApiContext = YogaInitialContext & GraphContext & LoaderContext;
