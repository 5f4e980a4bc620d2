/**
 * BullMQ with a real Redis and real worker processes (the real handlers, the real ingest pipeline):
 * a worker SIGKILLed mid-ingest is replaced by another and the graph equals a clean run's; a Redis
 * restart during a job does not lose it; an unreachable Redis fails fast with a clear message.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteGraphStore } from '../../graph/sqlite/sqlite-graph-store.ts';
import { writeDemoTransfers } from '../../pipelines/demo/transfers.ts';
import { ingest } from '../../pipelines/ingest/ingest.ts';
import { BullmqJobRunner } from '../../pipelines/jobs/bullmq/bullmq-job-runner.ts';
import type { JobRecord } from '../../pipelines/jobs/job.ts';
import { QueueUnavailableError } from '../../schema/errors.ts';
import { tempDir } from '../fixtures/paths.ts';
import { freePort, startRedisServer, type RedisServer } from '../fixtures/redis-server.ts';

const MKG = resolve(import.meta.dirname, '../../cli/mkg.ts');
const LOCK_MS = 3000;

interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
}

const children: ChildProcess[] = [];
const servers: RedisServer[] = [];
const tmp = tempDir('mkg-bullmq-it-');
let files: { transfersFile: string; blocksFile: string };

beforeAll(async () => {
  files = await writeDemoTransfers(tmp.dir, { transfers: 80_000 });
}, 60_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGKILL');
  for (const server of servers) await server.stop();
  tmp.cleanup();
});

function startWorker(redisUrl: string, db: string, prefix: string): WorkerProcess {
  const child = spawn(process.execPath, [MKG, 'worker', '--db', db], {
    env: { ...process.env, REDIS_URL: redisUrl, MKG_QUEUE_PREFIX: prefix, MKG_JOB_LOCK_MS: String(LOCK_MS), OPENAI_BASE_URL: '', OPENAI_API_KEY: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let text = '';
  child.stdout!.on('data', (d: Buffer) => { text += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { text += d.toString(); });
  return { child, output: () => text };
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch {
      // Redis away for a moment: try again
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function factIds(file: string): string[] {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    return (db.prepare('SELECT id FROM facts ORDER BY id').all() as { id: string }[]).map((r) => r.id);
  } finally {
    db.close();
  }
}

describe('BullMQ workers (real Redis, real processes)', () => {
  it('finishes an ingest on another worker after the first is SIGKILLed, with the graph of a clean run', async () => {
    const redis = await startRedisServer();
    servers.push(redis);
    const db = join(tmp.dir, 'shared.db');
    // Create the schema once, so the two workers do not race to migrate.
    await (SqliteGraphStore.open(db)).close();
    const a = startWorker(redis.url, db, 'kill');
    const b = startWorker(redis.url, db, 'kill');
    await until('both workers ready', async () => a.output().includes('Worker ready') && b.output().includes('Worker ready'));
    const runner = await BullmqJobRunner.open({ redisUrl: redis.url, prefix: 'kill' });
    try {
      const job = await runner.submit('ingest', { paths: [files.transfersFile, files.blocksFile] });
      const running = await until('the job running with progress', async () => {
        const r = await runner.get(job.id);
        return r && r.status === 'running' && r.progress.done > 0 ? r : null;
      });
      const victim = a.output().includes(job.id) ? a : b;
      const survivor = victim === a ? b : a;
      process.kill(victim.child.pid!, 'SIGKILL');
      expect(running.attempts).toBe(1);
      const done = await until<JobRecord>('the job completed by the other worker', async () => {
        const r = await runner.get(job.id);
        return r && (r.status === 'completed' || r.status === 'failed') ? r : null;
      }, 60_000);
      expect(done).toMatchObject({ status: 'completed', error: null });
      // At least one more attempt; a loaded machine can let the survivor's short test lock lapse
      // during a long synchronous batch write too, which BullMQ answers with one more attempt.
      expect(done.attempts).toBeGreaterThanOrEqual(2);
      expect(survivor.output()).toContain(`✓ ${job.id} completed`);

      const clean = join(tmp.dir, 'clean.db');
      const graph = SqliteGraphStore.open(clean);
      await ingest(graph, { paths: [files.transfersFile, files.blocksFile] });
      await graph.close();
      const got = factIds(db);
      const want = factIds(clean);
      expect(got.length).toBe(want.length);
      expect(new Set(got).size).toBe(got.length);
      expect(got).toEqual(want);
    } finally {
      await runner.close();
    }
  }, 90_000);

  it('completes a job when Redis restarts while it runs', async () => {
    const redis = await startRedisServer({ persistent: true });
    servers.push(redis);
    const db = join(tmp.dir, 'restart.db');
    const w = startWorker(redis.url, db, 'restart');
    await until('worker ready', async () => w.output().includes('Worker ready'));
    const runner = await BullmqJobRunner.open({ redisUrl: redis.url, prefix: 'restart' });
    try {
      const job = await runner.submit('ingest', { paths: [files.transfersFile, files.blocksFile] });
      await until('the job running', async () => (await runner.get(job.id))?.status === 'running');
      await redis.restart();
      const done = await until<JobRecord>('the job finished', async () => {
        const r = await runner.get(job.id);
        return r && (r.status === 'completed' || r.status === 'failed') ? r : null;
      }, 60_000);
      expect(done).toMatchObject({ status: 'completed', error: null });
      expect(factIds(db).length).toBeGreaterThan(0);
    } finally {
      await runner.close();
    }
  }, 90_000);

  it('says clearly, within seconds, that an unreachable Redis is unavailable', async () => {
    const port = await freePort();
    const started = Date.now();
    const error = await BullmqJobRunner.open({ redisUrl: `redis://127.0.0.1:${port}` }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(error).toBeInstanceOf(QueueUnavailableError);
    expect((error as Error).message).toMatch(/^Job queue at redis:\/\/127\.0\.0\.1:\d+ is unavailable: .*the API still serves reads/);
  });
});
