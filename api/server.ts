/**
 * The read API: a graphql-yoga server composed from small plugins, in order:
 * context (graph, then the request-scoped node loader) → depth limit → domain-error mapping →
 * timing. Error masking, GraphiQL (bundled, no CDN) and GET /health come from yoga itself.
 *
 * @example
 * const yoga = createApi({ graph: await SqliteGraphStore.open('.mkg/graph.db') });
 * const res = await yoga.fetch('http://localhost/graphql', {
 *   method: 'POST', headers: { 'content-type': 'application/json' },
 *   body: JSON.stringify({ query: '{ stats { entities } }' }),
 * });
 */
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { ApiContext } from './context.ts';
import { graphiqlOptions } from './graphiql.ts';
import { resolveApiOptions, type ApiOptions } from './options.ts';
import { createApiSchema } from './schema.ts';
import { useDepthLimit } from './use-depth-limit.ts';
import { useDomainErrors } from './use-domain-errors.ts';
import { useGraph } from './use-graph.ts';
import { useNodeLoader } from './use-node-loader.ts';
import { useServerTiming } from './use-server-timing.ts';

export const GRAPHQL_PATH = '/graphql';
export const HEALTH_PATH = '/health';

export type Api = YogaServerInstance<{}, ApiContext>;

export function createApi(options: ApiOptions): Api {
  const o = resolveApiOptions(options);
  // Order matters: the loader reads the graph from the context the plugin before it extended.
  const plugins: Plugin[] = [
    useGraph({ graph: o.graph, jobs: o.jobs, vectors: o.vectors, embedder: o.embedder }) as Plugin,
    useNodeLoader() as Plugin,
    useDepthLimit(o.maxDepth),
    useDomainErrors(),
    ...(o.serverTiming ? [useServerTiming()] : []),
  ];
  return createYoga<{}, ApiContext>({
    schema: createApiSchema(),
    graphqlEndpoint: GRAPHQL_PATH,
    healthCheckEndpoint: HEALTH_PATH,
    graphiql: graphiqlOptions(o.graphiql),
    // GraphiQL inlined from the package, not loaded from a CDN: it works on an offline machine.
    renderGraphiQL,
    logging: o.logger,
    maskedErrors: o.maskedErrors,
    landingPage: false,
    plugins,
  });
}
