/** Puts the stores, the embedder and the JobRunner into every request's context. */
import type { Plugin } from 'graphql-yoga';
import type { GraphContext } from './context.ts';

export function useGraph(context: GraphContext): Plugin<GraphContext> {
  return {
    onContextBuilding({ extendContext }) {
      extendContext(context);
    },
  };
}
