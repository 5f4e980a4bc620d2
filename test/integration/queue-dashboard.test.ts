/**
 * The operators' queue dashboard beside GraphQL on one HTTP server, over a real Redis: the page
 * and its API list MarketGraph's kind queues with the jobs in them, read-only; GraphQL keeps
 * answering on /graphql.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../api/index.ts';
import { createQueueDashboard, QUEUE_DASHBOARD_PATH } from '../../api/queue-dashboard.ts';
import { startServer, type RunningServer } from '../../api/start-server.ts';
import { SqliteGraphStore } from '../../graph/sqlite/sqlite-graph-store.ts';
import { BullmqJobRunner } from '../../pipelines/jobs/bullmq/bullmq-job-runner.ts';
import { tempDir } from '../fixtures/paths.ts';
import { startRedisServer, type RedisServer } from '../fixtures/redis-server.ts';

describe('queue dashboard at /admin/queues', () => {
  const tmp = tempDir('mkg-dashboard-');
  let redis: RedisServer;
  let graph: SqliteGraphStore;
  let jobs: BullmqJobRunner;
  let server: RunningServer;
  let base: string;

  beforeAll(async () => {
    redis = await startRedisServer();
    graph = SqliteGraphStore.open(join(tmp.dir, 'graph.db'));
    jobs = await BullmqJobRunner.open({ redisUrl: redis.url, prefix: 'dash', graph });
    const yoga = createApi({ graph, jobs, logger: false });
    server = await startServer(yoga, { port: 0, host: '127.0.0.1', mounts: [{ prefix: QUEUE_DASHBOARD_PATH, handler: createQueueDashboard(jobs.queues()) }] });
    base = server.url.replace(/\/graphql$/, '');
  });
  afterAll(async () => {
    await server.close();
    await jobs.close();
    await graph.close();
    await redis.stop();
    tmp.cleanup();
  });

  it('serves the page and lists every kind queue with its queued jobs, read-only', async () => {
    await jobs.submit('induceSchema', {});
    const page = await fetch(`${base}${QUEUE_DASHBOARD_PATH}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const api = await fetch(`${base}${QUEUE_DASHBOARD_PATH}/api/queues?activeQueue=dash-induceSchema&status=waiting&page=1&jobsPerPage=10`);
    expect(api.status).toBe(200);
    const body = (await api.json()) as { queues: { name: string; readOnlyMode: boolean; counts: Record<string, number> }[] };
    const names = body.queues.map((q) => q.name).sort();
    expect(names).toEqual(['dash-embed', 'dash-induceSchema', 'dash-ingest', 'dash-reextract']);
    const induce = body.queues.find((q) => q.name === 'dash-induceSchema')!;
    expect(induce.readOnlyMode).toBe(true);
    expect(induce.counts.waiting).toBe(1);
  });

  it('leaves GraphQL on /graphql, with the same jobs', async () => {
    const res = await fetch(server.url, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ jobs(status: queued) { totalCount } }' }),
    });
    expect(((await res.json()) as { data: { jobs: { totalCount: number } } }).data.jobs.totalCount).toBe(1);
  });
});
