/** Puts the GraphStore and the JobRunner into every request's context. */
import type { Plugin } from 'graphql-yoga';
import type { GraphStore } from '../graph/graph-store.ts';
import type { JobRunner } from '../pipelines/jobs/job-runner.ts';
import type { GraphContext } from './context.ts';

export function useGraph(graph: GraphStore, jobs: JobRunner | null): Plugin<GraphContext> {
  return {
    onContextBuilding({ extendContext }) {
      extendContext({ graph, jobs });
    },
  };
}
