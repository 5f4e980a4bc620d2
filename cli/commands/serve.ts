import { withSqliteFile, type Config } from '../../schema/config.ts';
import { createStores, describeGraphStore, describeVectorStore } from '../../graph/create-stores.ts';
import type { GraphStore } from '../../graph/graph-store.ts';
import { createApi, startServer } from '../../api/index.ts';
import { parseCommandArgs, parseIntOption } from '../args.ts';
import type { Output } from '../output.ts';

export async function runServe(argv: string[], config: Config, out: Output): Promise<number> {
  const { values } = parseCommandArgs(argv, { db: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' } });
  const port = parseIntOption('port', values.port, 0, 65535) ?? config.port;
  const settings = withSqliteFile(config, values.db);
  const stores = await createStores(settings, { verify: true });
  try {
    out.stderr(`Graph: ${describeGraphStore(settings)}\nVectors: ${describeVectorStore(settings)}\n`);
    const server = await serveStore(stores.graph, { port, host: values.host ?? config.host, maxDepth: config.graphqlMaxDepth });
    out.stderr(`MarketGraph GraphQL API on ${server.url} (GraphiQL in a browser)\n`);
    await untilSignal();
    await server.close();
  } finally {
    await stores.close();
  }
  return 0;
}

export async function serveStore(
  store: GraphStore,
  options: { port: number; host: string; maxDepth: number },
): Promise<{ url: string; close: () => Promise<void> }> {
  const yoga = createApi({ graph: store, maxDepth: options.maxDepth });
  return startServer(yoga, { port: options.port, host: options.host });
}

/** Resolves on SIGINT/SIGTERM so the server can close the store cleanly (WAL checkpoint). */
export function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}
