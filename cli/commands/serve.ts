import { withSqliteFile, type Config } from '../../schema/config.ts';
import { describeGraphStore, describeVectorStore } from '../../graph/create-stores.ts';
import { openJobEnvironment } from '../job-environment.ts';
import { BullmqJobRunner } from '../../pipelines/jobs/bullmq/bullmq-job-runner.ts';
import { createQueueDashboard, QUEUE_DASHBOARD_PATH } from '../../api/queue-dashboard.ts';
import type { ListenOptions } from '../../api/start-server.ts';
import type { ApiOptions } from '../../api/options.ts';
import { embedderFromConfig } from '../../extraction/embed/create-embedder.ts';
import type { GraphStore } from '../../graph/graph-store.ts';
import { createApi, startServer } from '../../api/index.ts';
import { parseCommandArgs, parseIntOption } from '../args.ts';
import type { Output } from '../output.ts';

export async function runServe(argv: string[], config: Config, out: Output): Promise<number> {
  const { values } = parseCommandArgs(argv, { db: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' } });
  const port = parseIntOption('port', values.port, 0, 65535) ?? config.port;
  const settings = withSqliteFile(config, values.db);
  const env = await openJobEnvironment(settings, { optionalQueue: true });
  try {
    out.stderr(`Graph: ${describeGraphStore(settings)}\nVectors: ${describeVectorStore(settings)}\n`);
    out.stderr(env.jobs
      ? `Jobs: ${env.jobs.adapter === 'bullmq' ? 'BullMQ (run `mkg worker` processes)' : `in-process, state in SQLite file ${settings.dbPath}`}\n`
      : `Jobs: unavailable — ${env.queueProblem}\n`);
    const dashboard = env.jobs instanceof BullmqJobRunner ? createQueueDashboard(env.jobs.queues()) : null;
    const server = await serveStore(env.stores.graph, {
      port, host: values.host ?? config.host, maxDepth: config.graphqlMaxDepth, jobs: env.jobs,
      vectors: env.stores.vectors, embedder: embedderFromConfig(settings),
      mounts: dashboard ? [{ prefix: QUEUE_DASHBOARD_PATH, handler: dashboard }] : [],
    });
    out.stderr(`MarketGraph GraphQL API on ${server.url} (GraphiQL in a browser)\n`);
    if (dashboard) out.stderr(`Queue dashboard (read-only) on ${server.url.replace(/\/graphql$/, QUEUE_DASHBOARD_PATH)}\n`);
    await untilSignal();
    await server.close();
  } finally {
    await env.close();
  }
  return 0;
}

export async function serveStore(
  store: GraphStore,
  options: Pick<ApiOptions, 'jobs' | 'vectors' | 'embedder'> & { port: number; host: string; maxDepth: number; mounts?: ListenOptions['mounts'] },
): Promise<{ url: string; close: () => Promise<void> }> {
  const { port, host, mounts, ...api } = options;
  const yoga = createApi({ graph: store, ...api });
  return startServer(yoga, { port, host, mounts });
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
