/**
 * The BullMQ JobRunner against a real Redis (started by this file, stopped by PID): the shared
 * contract with an in-test BullmqWorker running the contract's handlers, plus what only this adapter
 * has — queue names per kind, the records of jobs cancelled while queued, fast failure when Redis is
 * unreachable. Each test gets its own queue prefix.
 */
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HashingEmbedder } from '../../extraction/embed/hashing-embedder.ts';
import { SqliteGraphStore } from '../../graph/sqlite/sqlite-graph-store.ts';
import { BullmqJobRunner } from '../../pipelines/jobs/bullmq/bullmq-job-runner.ts';
import { BullmqWorker } from '../../pipelines/jobs/bullmq/bullmq-worker.ts';
import type { JobServices } from '../../pipelines/jobs/execute.ts';
import { QueueUnavailableError } from '../../schema/errors.ts';
import { freePort, startRedisServer, type RedisServer } from '../fixtures/redis-server.ts';
import { jobRunnerContract, testHandlers, waitFor } from './job-runner.contract.ts';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});

jobRunnerContract('bullmq', async ({ handlers, services, backoffMs }) => {
  const prefix = `t${randomUUID().slice(0, 8)}`;
  const open = () => BullmqJobRunner.open({ redisUrl: redis.url, prefix, graph: services.graph, backoffMs, watchPollMs: 200 });
  let runner = await open();
  const worker = await BullmqWorker.start({ redisUrl: redis.url, prefix, services, handlers, concurrency: 1, lockMs: 5000, progressIntervalMs: 20, closeTimeoutMs: 500 });
  return {
    runner,
    restart: async () => {
      await runner.close();
      runner = await open();
      return runner;
    },
    cleanup: async () => {
      await worker.close();
      await runner.close();
    },
  };
});

describe('BullmqJobRunner (adapter specifics)', () => {
  async function setup(handlers = testHandlers()) {
    const prefix = `t${randomUUID().slice(0, 8)}`;
    const graph = SqliteGraphStore.open(':memory:');
    const services: JobServices = { graph, vectors: null, llm: null, embedder: new HashingEmbedder() };
    const runner = await BullmqJobRunner.open({ redisUrl: redis.url, prefix, backoffMs: 20, watchPollMs: 200 });
    const worker = await BullmqWorker.start({ redisUrl: redis.url, prefix, services, handlers, lockMs: 5000, progressIntervalMs: 20, closeTimeoutMs: 500 });
    return {
      prefix, runner, worker,
      close: async () => {
        await worker.close();
        await runner.close();
        await graph.close();
      },
    };
  }

  it('queues each kind on `<prefix>-<kind>` and cancels a queued job of the same kind, keeping its record', async () => {
    let release!: () => void;
    const go = new Promise<void>((r) => { release = r; });
    const ran: string[] = [];
    const { prefix, runner, close } = await setup(testHandlers({
      embed: async (_i, ctx) => {
        ran.push(ctx.jobId);
        await go;
        return { counts: { added: 0, retracted: 0, unchanged: 0, rejected: 0 }, result: null };
      },
    }));
    try {
      const blocker = await runner.submit('embed', {});
      await waitFor(runner, blocker.id, (j) => j.status === 'running');
      const queued = await runner.submit('embed', { kinds: ['events'] });
      const queue = new Queue(`${prefix}-embed`, { connection: { host: '127.0.0.1', port: redis.port } });
      expect(await queue.getJobState(queued.id)).toBe('waiting');
      await queue.close();
      expect(await runner.cancel(queued.id)).toMatchObject({ status: 'cancelled', error: { code: 'JOB_CANCELLED' } });
      release();
      await waitFor(runner, blocker.id);
      expect(ran).toEqual([blocker.id]);
      expect(await runner.get(queued.id)).toMatchObject({ status: 'cancelled', kind: 'embed', input: { kinds: ['events'] } });
      const cancelled = await runner.list({ status: 'cancelled' }, { first: 5 });
      expect(cancelled.edges.map((e) => e.node.id)).toEqual([queued.id]);
      expect((await runner.list({}, { first: 5 })).edges.map((e) => e.node.id)).toEqual([queued.id, blocker.id]);
    } finally {
      await close();
    }
  });

  it('gives a job back to the queue when its worker shuts down, without spending an attempt', async () => {
    const attempts: number[] = [];
    const { runner, worker, close } = await setup(testHandlers({
      embed: (_i, ctx) => {
        attempts.push(ctx.attempt);
        return new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));
      },
    }));
    try {
      const job = await runner.submit('embed', {}, { maxAttempts: 1 });
      await waitFor(runner, job.id, (j) => j.status === 'running');
      await worker.close();
      expect(await waitFor(runner, job.id, (j) => j.status === 'queued')).toMatchObject({ status: 'queued', error: null });
    } finally {
      await close();
    }
  });

  it('fails fast with a clear message when Redis is unreachable', async () => {
    const port = await freePort();
    const started = Date.now();
    const error = await BullmqJobRunner.open({ redisUrl: `redis://user:secret@127.0.0.1:${port}` }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(error).toBeInstanceOf(QueueUnavailableError);
    const message = (error as Error).message;
    expect(message).toMatch(new RegExp(`^Job queue at redis://user:\\*\\*\\*@127\\.0\\.0\\.1:${port} is unavailable: .*ECONNREFUSED`));
    expect(message).toMatch(/the API still serves reads/);
    expect(message).not.toMatch(/secret/);
  });
});
