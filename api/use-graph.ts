/** Puts the GraphStore into every request's context. */
import type { Plugin } from 'graphql-yoga';
import type { GraphStore } from '../graph/graph-store.ts';
import type { GraphContext } from './context.ts';

export function useGraph(graph: GraphStore): Plugin<GraphContext> {
  return {
    onContextBuilding({ extendContext }) {
      extendContext({ graph });
    },
  };
}
