/**
 * The in-process JobRunner: the shared contract on a temporary SQLite file, plus what only it
 * promises — restart recovery (a job left `running` by a dead process is re-queued or failed,
 * never lost), a graceful close giving the attempt back, several runners sharing one file (owner +
 * heartbeat, atomic claims, polling, cancel and watch across runners) and the jobs table migration.
 */
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { HashingEmbedder } from '../../extraction/embed/hashing-embedder.ts';
import { SqliteGraphStore } from '../../graph/sqlite/sqlite-graph-store.ts';
import type { JobServices } from '../../pipelines/jobs/execute.ts';
import { InProcessJobRunner, type InProcessJobRunnerOptions } from '../../pipelines/jobs/in-process/in-process-job-runner.ts';
import { JOB_SCHEMA_VERSION } from '../../pipelines/jobs/in-process/job-table.ts';
import type { JobRecord } from '../../pipelines/jobs/job.ts';
import type { JobHandlers, JobOutcome } from '../../pipelines/jobs/job-runner.ts';
import { tempDir } from '../fixtures/paths.ts';
import { jobRunnerContract, testHandlers, waitFor } from './job-runner.contract.ts';

jobRunnerContract('in-process', async ({ handlers, services, backoffMs }) => {
  const tmp = tempDir('mkg-jobs-');
  const file = join(tmp.dir, 'jobs.db');
  const open = () => InProcessJobRunner.open({ file, services, handlers, backoffMs, progressIntervalMs: 20 });
  let runner = open();
  return {
    runner,
    restart: async () => {
      await runner.close();
      runner = open();
      return runner;
    },
    cleanup: async () => {
      await runner.close();
      tmp.cleanup();
    },
  };
});

describe('InProcessJobRunner restart recovery', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  /** Quick polls and heartbeats, so a dead runner's job is stale after 60 ms. */
  const FAST = { pollMs: 10, heartbeatMs: 20, staleAfterMs: 60 } as const;

  async function setup(): Promise<{ file: string; services: JobServices }> {
    const tmp = tempDir('mkg-jobs-');
    const file = join(tmp.dir, 'graph.db');
    const graph = SqliteGraphStore.open(file);
    cleanups.push(async () => {
      await graph.close();
      tmp.cleanup();
    });
    return { file, services: { graph, vectors: null, llm: null, embedder: new HashingEmbedder() } };
  }

  function open(file: string, services: JobServices, handlers: JobHandlers, extra: Partial<InProcessJobRunnerOptions> = {}): InProcessJobRunner {
    const runner = InProcessJobRunner.open({ file, services, handlers, backoffMs: 10, ...extra });
    cleanups.push(() => runner.close());
    return runner;
  }

  it('re-queues a job its dead process left running, and runs it again from the start', async () => {
    const { file, services } = await setup();
    // A handler that never stops: close gives up waiting, leaving the row `running` as a crash would.
    const stuck = open(file, services, testHandlers({ embed: () => new Promise(() => {}) }), { closeTimeoutMs: 20 });
    const job = await stuck.submit('embed', {});
    await waitFor(stuck, job.id, (j) => j.status === 'running');
    await stuck.close();
    const raw = new DatabaseSync(file);
    expect(raw.prepare('SELECT status, attempts, owner FROM jobs WHERE id = ?').get(job.id)).toEqual({ status: 'running', attempts: 1, owner: stuck.owner });
    raw.close();

    // Its heartbeat stopped with it: stale after staleAfterMs, then recovered.
    const attempts: number[] = [];
    const runner = open(file, services, testHandlers({ embed: async (_i, ctx) => { attempts.push(ctx.attempt); return { counts: { added: 1, retracted: 0, unchanged: 0, rejected: 0 }, result: null }; } }), FAST);
    const done = await waitFor(runner, job.id);
    expect(done).toMatchObject({ status: 'completed', attempts: 2, error: null, counts: { added: 1 } });
    expect(attempts).toEqual([2]);
  });

  it('marks a job interrupted on its last attempt as failed, retryable, with the reason', async () => {
    const { file, services } = await setup();
    const stuck = open(file, services, testHandlers({ embed: () => new Promise(() => {}) }), { closeTimeoutMs: 20 });
    const job = await stuck.submit('embed', {}, { maxAttempts: 1 });
    await waitFor(stuck, job.id, (j) => j.status === 'running');
    await stuck.close();
    const runner = open(file, services, testHandlers(), FAST);
    expect(await waitFor(runner, job.id)).toMatchObject({
      status: 'failed', attempts: 1, error: { code: 'INTERNAL', message: 'interrupted by a restart', retryable: true },
    });
  });

  it('gives the attempt back when a graceful close stops a running job', async () => {
    const { file, services } = await setup();
    const first = open(file, services, testHandlers({
      embed: (_i, ctx) => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason))),
    }));
    const job = await first.submit('embed', {});
    await waitFor(first, job.id, (j) => j.status === 'running');
    await first.close();
    await expect(first.submit('embed', {})).rejects.toThrow(/closed/);
    const runner = open(file, services, testHandlers());
    expect(await waitFor(runner, job.id)).toMatchObject({ status: 'completed', attempts: 1 });
  });

  it('keeps its table next to the graph in the same file and runs jobs concurrently when asked', async () => {
    const { file, services } = await setup();
    const started: string[] = [];
    let release!: () => void;
    const go = new Promise<void>((r) => { release = r; });
    const runner = InProcessJobRunner.open({
      file, services, concurrency: 2,
      handlers: testHandlers({ embed: async (_i, ctx) => { started.push(ctx.jobId); await go; return { counts: { added: 0, retracted: 0, unchanged: 0, rejected: 0 }, result: null }; } }),
    });
    cleanups.push(() => runner.close());
    const a = await runner.submit('embed', {});
    const b = await runner.submit('embed', {});
    await waitFor(runner, b.id, (j) => j.status === 'running');
    expect((await runner.get(a.id))!.status).toBe('running');
    release();
    await waitFor(runner, a.id);
    await waitFor(runner, b.id);
    expect(started.sort()).toEqual([a.id, b.id].sort());
    expect((await services.graph.stats()).facts).toBe(0);
  });
});

describe('InProcessJobRunner: several runners on one file', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  const ok = (added = 0): JobOutcome => ({ counts: { added, retracted: 0, unchanged: 0, rejected: 0 }, result: null });
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const FAST = { pollMs: 10, heartbeatMs: 20, staleAfterMs: 60 } as const;

  async function setup(): Promise<{ file: string; services: JobServices; open: (handlers: JobHandlers, extra?: Partial<InProcessJobRunnerOptions>) => InProcessJobRunner }> {
    const tmp = tempDir('mkg-jobs-shared-');
    const file = join(tmp.dir, 'graph.db');
    const graph = SqliteGraphStore.open(file);
    cleanups.push(async () => {
      await graph.close();
      tmp.cleanup();
    });
    const services: JobServices = { graph, vectors: null, llm: null, embedder: new HashingEmbedder() };
    const open = (handlers: JobHandlers, extra: Partial<InProcessJobRunnerOptions> = {}) => {
      const runner = InProcessJobRunner.open({ file, services, handlers, backoffMs: 10, ...FAST, ...extra });
      cleanups.push(() => runner.close());
      return runner;
    };
    return { file, services, open };
  }

  const row = (file: string, id: string) => {
    const raw = new DatabaseSync(file);
    try {
      return raw.prepare('SELECT status, owner, heartbeat_at AS heartbeatAt, cancel_requested AS cancelRequested FROM jobs WHERE id = ?').get(id) as
        { status: string; owner: string | null; heartbeatAt: number | null; cancelRequested: number };
    } finally {
      raw.close();
    }
  };

  it('never steals a live job of another runner, and recovers it once that runner stops heartbeating', async () => {
    const { file, open } = await setup();
    let calls = 0;
    const a = open(testHandlers({ embed: () => { calls++; return new Promise(() => {}); } }), { closeTimeoutMs: 20 });
    const job = await a.submit('embed', {});
    await waitFor(a, job.id, (j) => j.status === 'running');
    const b = open(testHandlers({ embed: async () => { calls++; return ok(1); } }));
    const before = row(file, job.id);
    // Many of b's polls and stale windows pass while a keeps heartbeating.
    await sleep(300);
    const after = row(file, job.id);
    expect(after).toMatchObject({ status: 'running', owner: a.owner });
    expect(after.heartbeatAt).toBeGreaterThan(before.heartbeatAt!);
    expect(calls).toBe(1);
    // a dies (close gives up on the stuck handler; heartbeats stop): b re-runs the job.
    await a.close();
    expect(await waitFor(b, job.id)).toMatchObject({ status: 'completed', attempts: 2, counts: { added: 1 } });
    expect(calls).toBe(2);
    expect(row(file, job.id)).toMatchObject({ owner: b.owner, heartbeatAt: null });
  });

  it('two runners on one file never run the same job twice', async () => {
    const { open } = await setup();
    const runs = new Map<string, number>();
    const ranOn = new Map<string, string>();
    const handlers = (name: string) => testHandlers({
      embed: async (_i, ctx) => {
        runs.set(ctx.jobId, (runs.get(ctx.jobId) ?? 0) + 1);
        ranOn.set(ctx.jobId, name);
        await sleep(Math.random() * 5);
        return ok(1);
      },
    });
    const a = open(handlers('a'), { concurrency: 2, pollMs: 1 });
    const b = open(handlers('b'), { concurrency: 3, pollMs: 1 });
    const jobs: JobRecord[] = [];
    for (let i = 0; i < 40; i++) jobs.push(await (i % 2 ? a : b).submit('embed', {}));
    for (const job of jobs) expect(await waitFor(a, job.id)).toMatchObject({ status: 'completed', attempts: 1 });
    expect(runs.size).toBe(40);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect(new Set(ranOn.values())).toEqual(new Set(['a', 'b']));
  });

  it('runners in separate threads racing for the same jobs run each exactly once', async () => {
    const { file, open } = await setup();
    // Two worker threads (truly concurrent connections, as two processes) plus this thread's runner.
    const code = `
      const { workerData, parentPort } = require('node:worker_threads');
      (async () => {
        const { InProcessJobRunner } = await import(workerData.runnerUrl);
        const ok = { counts: { added: 1, retracted: 0, unchanged: 0, rejected: 0 }, result: null };
        const run = async (_i, ctx) => {
          parentPort.postMessage({ ran: ctx.jobId });
          await new Promise((r) => setTimeout(r, Math.random() * 3));
          return ok;
        };
        const runner = InProcessJobRunner.open({
          file: workerData.file, services: { graph: null, vectors: null, llm: null, embedder: null },
          handlers: { ingest: run, reextract: run, induceSchema: run, embed: run }, concurrency: 2, pollMs: 1,
        });
        parentPort.on('message', async () => { await runner.close(); parentPort.postMessage({ closed: true }); });
        parentPort.postMessage({ ready: true });
      })().catch((error) => parentPort.postMessage({ error: String(error && error.stack || error) }));`;
    const runnerUrl = pathToFileURL(join(import.meta.dirname, '../../pipelines/jobs/in-process/in-process-job-runner.ts')).href;
    const runs = new Map<string, number>();
    const count = (id: string) => runs.set(id, (runs.get(id) ?? 0) + 1);
    const workers = [0, 1].map(() => new Worker(code, { eval: true, workerData: { file, runnerUrl } }));
    const errors: string[] = [];
    await Promise.all(workers.map((w) => new Promise<void>((resolve, reject) => {
      w.on('error', reject);
      w.on('message', (m: { ran?: string; ready?: boolean; error?: string }) => {
        if (m.ran) count(m.ran);
        if (m.error) { errors.push(m.error); reject(new Error(m.error)); }
        if (m.ready) resolve();
      });
    })));
    cleanups.push(() => Promise.all(workers.map((w) => w.terminate())).then(() => undefined));
    const here = open(testHandlers({ embed: async (_i, ctx) => { count(ctx.jobId); return ok(1); } }), { pollMs: 1 });
    const jobs: JobRecord[] = [];
    for (let i = 0; i < 60; i++) jobs.push(await here.submit('embed', {}));
    for (const job of jobs) expect(await waitFor(here, job.id)).toMatchObject({ status: 'completed', attempts: 1 });
    await Promise.all(workers.map((w) => new Promise<void>((resolve) => {
      w.on('message', (m: { closed?: boolean }) => { if (m.closed) resolve(); });
      w.postMessage('close');
    })));
    expect(errors).toEqual([]);
    expect(runs.size).toBe(60);
    expect([...runs.entries()].filter(([, n]) => n !== 1)).toEqual([]);
  });

  it('picks up a job queued by another runner by polling the table', async () => {
    const { open } = await setup();
    let release!: () => void;
    const blocked = new Promise<void>((r) => { release = r; });
    const a = open(testHandlers({ embed: async () => { await blocked; return ok(); }, induceSchema: async () => { throw new Error('a is busy'); } }), { pollMs: 60_000 });
    const blocker = await a.submit('embed', {});
    await waitFor(a, blocker.id, (j) => j.status === 'running');
    let ranOnB = 0;
    const b = open(testHandlers({ induceSchema: async () => { ranOnB++; return ok(2); } }), { pollMs: 20 });
    // Queued by a (busy, concurrency 1): nothing wakes b but its poll.
    const job = await a.submit('induceSchema', {});
    expect(await waitFor(b, job.id)).toMatchObject({ status: 'completed', counts: { added: 2 } });
    expect(ranOnB).toBe(1);
    release();
    await waitFor(a, blocker.id);
  });

  it('cancels a job running in another runner: its owner sees the request and aborts; watch there sees it all', async () => {
    const { file, open } = await setup();
    let sawAbort = false;
    let proceed!: () => void;
    const next = new Promise<void>((r) => { proceed = r; });
    const a = open(testHandlers({
      embed: async (_i, ctx) => {
        ctx.progress({ phase: 'embedding', done: 1, total: 10 });
        await next;
        ctx.progress({ phase: 'storing', done: 5, total: 10 });
        await new Promise((_, reject) => ctx.signal.addEventListener('abort', () => { sawAbort = true; reject(ctx.signal.reason); }, { once: true }));
        return ok();
      },
    }), { heartbeatMs: 50, staleAfterMs: 5000 });
    const job = await a.submit('embed', {});
    await waitFor(a, job.id, (j) => j.progress.phase === 'embedding');
    const b = open(testHandlers(), { watchPollMs: 20 });
    const seen: JobRecord[] = [];
    const watching = (async () => {
      for await (const r of b.watch(job.id)) {
        seen.push(r);
        if (r.progress.phase === 'storing' && r.status === 'running') {
          const asked = await b.cancel(job.id);
          expect(asked).toMatchObject({ status: 'running' });
          expect(row(file, job.id)).toMatchObject({ status: 'running', owner: a.owner, cancelRequested: 1 });
        }
      }
    })();
    await sleep(50);
    proceed();
    await watching;
    expect(sawAbort).toBe(true);
    expect(seen[0]).toMatchObject({ status: 'running', progress: { phase: 'embedding' } });
    expect(seen.some((r) => r.progress.phase === 'storing')).toBe(true);
    expect(seen.at(-1)).toMatchObject({ status: 'cancelled', attempts: 1, error: { code: 'JOB_CANCELLED', retryable: false } });
    expect(row(file, job.id)).toMatchObject({ status: 'cancelled', cancelRequested: 0 });
  });

  it('cancels at once a running job whose runner is gone', async () => {
    const { open } = await setup();
    const a = open(testHandlers({ embed: () => new Promise(() => {}) }), { closeTimeoutMs: 20 });
    const job = await a.submit('embed', {});
    await waitFor(a, job.id, (j) => j.status === 'running');
    await a.close();
    // A long poll: only the cancel itself can settle the job in time.
    const b = open(testHandlers(), { pollMs: 60_000 });
    await sleep(100);
    expect(await b.cancel(job.id)).toMatchObject({ status: 'cancelled', error: { code: 'JOB_CANCELLED' } });
  });

  it('a runner whose job was taken over after a stall stops it and does not overwrite the new owner', async () => {
    const { file, open } = await setup();
    let sawAbort = false;
    let stall!: () => void;
    const stalled = new Promise<void>((r) => { stall = r; });
    // a never heartbeats in time (its beat is slower than b's stale window), as if its event loop were blocked.
    const a = open(testHandlers({
      embed: async (_i, ctx) => {
        await stalled;
        ctx.progress({ phase: 'late', done: 1, total: null });
        await new Promise((_, reject) => {
          if (ctx.signal.aborted) reject(ctx.signal.reason);
          ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true });
        }).catch((error: unknown) => { sawAbort = true; throw error; });
        return ok();
      },
    }), { heartbeatMs: 60_000, staleAfterMs: 120_000 });
    const job = await a.submit('embed', {});
    await waitFor(a, job.id, (j) => j.status === 'running');
    const b = open(testHandlers({ embed: async () => ok(3) }));
    expect(await waitFor(b, job.id)).toMatchObject({ status: 'completed', attempts: 2, counts: { added: 3 } });
    stall();
    await new Promise((r) => setTimeout(r, 50));
    expect(sawAbort).toBe(true);
    expect(await a.get(job.id)).toMatchObject({ status: 'completed', attempts: 2, counts: { added: 3 } });
    expect(row(file, job.id)).toMatchObject({ status: 'completed', owner: b.owner });
  });

  it('rejects a stale window no longer than the heartbeat', async () => {
    const { open } = await setup();
    expect(() => open(testHandlers(), { heartbeatMs: 100, staleAfterMs: 100 })).toThrow(/staleAfterMs/);
    expect(() => open(testHandlers(), { pollMs: 0 })).toThrow(/pollMs/);
  });
});

describe('InProcessJobRunner jobs table migration', () => {
  it('upgrades a jobs table without owner and heartbeat columns, and recovers its running rows', async () => {
    const tmp = tempDir('mkg-jobs-migrate-');
    const file = join(tmp.dir, 'graph.db');
    const graph = SqliteGraphStore.open(file);
    try {
      // The table as first shipped: no version, no owner/heartbeat/cancel columns; a job left running.
      const raw = new DatabaseSync(file);
      raw.exec(`CREATE TABLE jobs (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, status TEXT NOT NULL,
        input TEXT NOT NULL, dedupe_key TEXT, progress TEXT NOT NULL, counts TEXT NOT NULL, llm TEXT,
        attempts INTEGER NOT NULL DEFAULT 0, max_attempts INTEGER NOT NULL, error TEXT, result TEXT,
        created_at INTEGER NOT NULL, started_at INTEGER, finished_at INTEGER, run_at INTEGER NOT NULL);
        CREATE INDEX jobs_ready ON jobs (status, run_at);`);
      const insert = raw.prepare(`INSERT INTO jobs (id, kind, status, input, progress, counts, attempts, max_attempts, created_at, started_at, finished_at, run_at)
        VALUES (?, 'embed', ?, '{}', '{"phase":"x","done":0,"total":null}', '{"added":0,"retracted":0,"unchanged":0,"rejected":0}', ?, 3, 1, 1, ?, 1)`);
      insert.run('old-done', 'completed', 1, 2);
      insert.run('old-running', 'running', 1, null);
      raw.close();

      const runs: string[] = [];
      const runner = InProcessJobRunner.open({
        file, services: { graph, vectors: null, llm: null, embedder: new HashingEmbedder() }, pollMs: 10,
        handlers: testHandlers({ embed: async (_i, ctx) => { runs.push(ctx.jobId); return { counts: { added: 1, retracted: 0, unchanged: 0, rejected: 0 }, result: null }; } }),
      });
      try {
        // No heartbeat at all: its runner predates heartbeats, so it is recovered at once.
        expect(await waitFor(runner, 'old-running')).toMatchObject({ status: 'completed', attempts: 2, counts: { added: 1 } });
        expect(await runner.get('old-done')).toMatchObject({ status: 'completed', attempts: 1, finishedAt: 2 });
        expect(runs).toEqual(['old-running']);
      } finally {
        await runner.close();
      }
      const check = new DatabaseSync(file);
      const columns = (check.prepare('PRAGMA table_info(jobs)').all() as { name: string }[]).map((c) => c.name);
      expect(columns).toEqual(expect.arrayContaining(['owner', 'heartbeat_at', 'cancel_requested']));
      expect(check.prepare('SELECT version FROM job_schema').all()).toEqual([{ version: JOB_SCHEMA_VERSION }]);
      expect(JOB_SCHEMA_VERSION).toBe(2);
      check.close();
      // Opening an up-to-date file again changes nothing.
      const again = InProcessJobRunner.open({ file, services: { graph, vectors: null, llm: null, embedder: new HashingEmbedder() }, handlers: testHandlers() });
      expect(await again.get('old-running')).toMatchObject({ status: 'completed', attempts: 2 });
      await again.close();
    } finally {
      await graph.close();
      tmp.cleanup();
    }
  });
});
