/** What every resolver receives, built per request by the plugins of api/server.ts. */
import type { YogaInitialContext } from 'graphql-yoga';
import type { GraphStore } from '../graph/graph-store.ts';
import type { NodeLoader } from './node-loader.ts';

export interface GraphContext {
  graph: GraphStore;
}

export interface LoaderContext {
  nodes: NodeLoader;
}

export type ApiContext = YogaInitialContext & GraphContext & LoaderContext;
