/** A fresh node loader per request (batching and caching never cross requests). */
import type { Plugin } from 'graphql-yoga';
import type { GraphContext, LoaderContext } from './context.ts';
import { createNodeLoader } from './node-loader.ts';

export function useNodeLoader(): Plugin<GraphContext & LoaderContext> {
  return {
    onContextBuilding({ context, extendContext }) {
      extendContext({ nodes: createNodeLoader(context.graph) });
    },
  };
}
