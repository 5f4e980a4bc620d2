/**
 * The JobRunner contract (issue 5): one suite for every adapter (in-process, BullMQ). Each test gets
 * a fresh runner from the adapter's factory with test handlers written here, so the mechanics —
 * status transitions, progress, retries with backoff, permanent failures, cancellation, dedup,
 * history — are checked without the real pipelines (test/integration/jobs-in-process.test.ts runs
 * those).
 *
 * The factory must run jobs one at a time (concurrency 1; the queued-cancel test relies on a second
 * job waiting behind a first) and may run them anywhere — in this process or in a worker started by
 * the factory — as long as the worker calls the handlers given here (they are closures over the
 * test's state).
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HashingEmbedder } from '../../extraction/embed/hashing-embedder.ts';
import { SqliteGraphStore } from '../../graph/sqlite/sqlite-graph-store.ts';
import type { JobServices } from '../../pipelines/jobs/execute.ts';
import { MAX_JOB_INPUT_BYTES, type JobRecord, type JobStatus } from '../../pipelines/jobs/job.ts';
import type { JobContext, JobHandlers, JobOutcome, JobRunner } from '../../pipelines/jobs/job-runner.ts';
import { InvalidArgumentError, NodeNotFoundError, SourceNotFoundError, StoreError, InvalidRecordError } from '../../schema/errors.ts';
import { tempDir } from '../fixtures/paths.ts';

export interface JobRunnerHarness {
  runner: JobRunner;
  /**
   * Closes the runner and opens a new one on the same job state, as after a restart; absent for
   * adapters whose state does not outlive the runner.
   */
  restart?: () => Promise<JobRunner>;
  /** Closes the runner (the current one after a restart) and removes what the factory created. */
  cleanup: () => Promise<void>;
}

export interface JobRunnerFactoryOptions {
  /** What each kind does in this test. */
  handlers: JobHandlers;
  /** The stores jobs run with (a temporary SQLite graph; its sources are what `submit` checks). */
  services: JobServices;
  /** Backoff base for retries, small so tests are fast. */
  backoffMs: number;
}

export type JobRunnerFactory = (options: JobRunnerFactoryOptions) => Promise<JobRunnerHarness>;

const FINISHED: readonly JobStatus[] = ['completed', 'failed', 'cancelled'];
const SOURCE = 'src:contract-a';
const OTHER_SOURCE = 'src:contract-b';
const ok = (added = 0): JobOutcome => ({ counts: { added, retracted: 0, unchanged: 0, rejected: 0 }, result: { ok: true } });

/** Handlers that succeed at once, with `overrides` for the kinds a test cares about. */
export function testHandlers(overrides: Partial<JobHandlers> = {}): JobHandlers {
  return {
    ingest: async () => ok(),
    reextract: async () => ok(),
    induceSchema: async () => ok(),
    embed: async () => ok(),
    ...overrides,
  };
}

/** A promise the test resolves when it wants a handler to go on. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => { open = resolve; });
  return { wait, open };
}

/** Resolves when the signal aborts, by throwing its reason (what a well-behaved handler does). */
function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

export async function waitFor(
  runner: JobRunner,
  id: string,
  until: (job: JobRecord) => boolean = (job) => FINISHED.includes(job.status),
  timeoutMs = 10_000,
): Promise<JobRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await runner.get(id);
    if (job && until(job)) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} did not get there in ${timeoutMs} ms; now ${JSON.stringify(job)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function jobRunnerContract(name: string, factory: JobRunnerFactory): void {
  describe(`JobRunner contract: ${name}`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const c of cleanups.splice(0).reverse()) await c();
    });

    async function setup(handlers: JobHandlers): Promise<JobRunnerHarness & { services: JobServices }> {
      const tmp = tempDir('mkg-jobs-contract-');
      const graph = SqliteGraphStore.open(join(tmp.dir, 'graph.db'));
      cleanups.push(async () => {
        await graph.close();
        tmp.cleanup();
      });
      for (const id of [SOURCE, OTHER_SOURCE]) {
        await graph.upsertSource({ id, uri: `file:///${id}`, kind: 'incidents', contentHash: 'sha256:0', version: 'v', recordedAt: 1, records: 0, rejected: 0 });
      }
      const services: JobServices = { graph, vectors: null, llm: null, embedder: new HashingEmbedder() };
      const harness = await factory({ handlers, services, backoffMs: 20 });
      cleanups.push(harness.cleanup);
      return { ...harness, services };
    }

    it('runs a job: queued → running → completed, with its counts and result stored', async () => {
      const started = gate();
      const go = gate();
      const { runner } = await setup(testHandlers({
        induceSchema: async () => {
          started.open();
          await go.wait;
          return { counts: { added: 3, retracted: 1, unchanged: 2, rejected: 0 }, result: { concepts: 7 } };
        },
      }));
      const job = await runner.submit('induceSchema', {});
      expect(job).toMatchObject({ kind: 'induceSchema', status: 'queued', input: {}, attempts: 0, maxAttempts: 3, error: null, finishedAt: null });
      expect(typeof job.id).toBe('string');
      await started.wait;
      expect(await waitFor(runner, job.id, (j) => j.status === 'running')).toMatchObject({ attempts: 1 });
      go.open();
      const done = await waitFor(runner, job.id);
      expect(done).toMatchObject({
        status: 'completed', attempts: 1, error: null, llm: null,
        counts: { added: 3, retracted: 1, unchanged: 2, rejected: 0 }, result: { concepts: 7 },
      });
      expect(done.startedAt).not.toBeNull();
      expect(done.finishedAt).toBeGreaterThanOrEqual(done.startedAt!);
      expect(await runner.get('no-such-job')).toBeNull();
    });

    it('lists jobs newest first, filtered, a page at a time', async () => {
      const { runner } = await setup(testHandlers());
      const a = await runner.submit('induceSchema', {});
      const b = await runner.submit('embed', {});
      const c = await runner.submit('embed', { kinds: ['events'] });
      for (const j of [a, b, c]) await waitFor(runner, j.id);
      const first = await runner.list({}, { first: 2 });
      expect(first.totalCount).toBe(3);
      expect(first.hasNextPage).toBe(true);
      expect(first.edges.map((e) => e.node.id)).toEqual([c.id, b.id]);
      const rest = await runner.list({}, { first: 2, after: first.edges[1]!.cursor });
      expect(rest.edges.map((e) => e.node.id)).toEqual([a.id]);
      expect(rest.hasNextPage).toBe(false);
      const embeds = await runner.list({ kind: 'embed', status: 'completed' }, { first: 10 });
      expect(embeds.edges.map((e) => e.node.id)).toEqual([c.id, b.id]);
      expect((await runner.list({ status: 'failed' }, { first: 10 })).totalCount).toBe(0);
      await expect(runner.list({}, { first: 2, after: 'nonsense' })).rejects.toBeInstanceOf(InvalidArgumentError);
    });

    it('shows progress through get and watch', async () => {
      const go = gate();
      const { runner } = await setup(testHandlers({
        embed: async (_input, ctx) => {
          ctx.progress({ phase: 'embedding', done: 5, total: 10 });
          await go.wait;
          ctx.progress({ phase: 'storing', done: 10, total: 10 });
          return ok(10);
        },
      }));
      const job = await runner.submit('embed', {});
      const seen: JobRecord[] = [];
      const watching = (async () => {
        for await (const r of runner.watch(job.id)) seen.push(r);
      })();
      const mid = await waitFor(runner, job.id, (j) => j.progress.phase === 'embedding');
      expect(mid.progress).toEqual({ phase: 'embedding', done: 5, total: 10 });
      go.open();
      await watching;
      expect(seen[0]!.id).toBe(job.id);
      expect(seen.at(-1)!.status).toBe('completed');
      expect(seen.some((r) => r.progress.phase === 'embedding')).toBe(true);
      expect(seen.at(-1)!.counts.added).toBe(10);
      // An unknown id yields nothing; a finished job yields its record once.
      const none: JobRecord[] = [];
      for await (const r of runner.watch('no-such-job')) none.push(r);
      expect(none).toEqual([]);
      const again: JobRecord[] = [];
      for await (const r of runner.watch(job.id)) again.push(r);
      expect(again.map((r) => r.status)).toEqual(['completed']);
    });

    it('ends a watch when its signal aborts', async () => {
      const go = gate();
      const { runner } = await setup(testHandlers({ embed: async () => { await go.wait; return ok(); } }));
      const job = await runner.submit('embed', {});
      const controller = new AbortController();
      const seen: JobRecord[] = [];
      const watching = (async () => {
        for await (const r of runner.watch(job.id, controller.signal)) {
          seen.push(r);
          controller.abort();
        }
      })();
      await watching;
      expect(seen).toHaveLength(1);
      go.open();
      await waitFor(runner, job.id);
    });

    it('rejects bad input at submit and queues nothing', async () => {
      const { runner } = await setup(testHandlers());
      await expect(runner.submit('explode', {})).rejects.toThrow(/unknown job kind "explode"; one of ingest, reextract, induceSchema, embed/);
      await expect(runner.submit('explode', {})).rejects.toBeInstanceOf(InvalidArgumentError);
      await expect(runner.submit('reextract', {})).rejects.toThrow(/give at least one of source, extractor/);
      await expect(runner.submit('reextract', { from: 10, to: 5 })).rejects.toThrow(/input\.from.*from must not be after to/);
      await expect(runner.submit('reextract', { source: SOURCE, dryRun: 'yes' })).rejects.toThrow(/input\.dryRun/);
      await expect(runner.submit('embed', { kinds: ['chunks'] })).rejects.toBeInstanceOf(InvalidArgumentError);
      await expect(runner.submit('ingest', { paths: [] })).rejects.toThrow(/give at least one path or upload/);
      const huge = { uploads: [{ name: 'big.csv', content: 'x'.repeat(MAX_JOB_INPUT_BYTES) }] };
      await expect(runner.submit('ingest', huge)).rejects.toThrow(new RegExp(`over the limit of ${MAX_JOB_INPUT_BYTES} bytes`));
      await expect(runner.submit('reextract', { source: 'src:missing' })).rejects.toBeInstanceOf(SourceNotFoundError);
      await expect(runner.submit('embed', {}, { maxAttempts: 0 })).rejects.toBeInstanceOf(InvalidArgumentError);
      expect((await runner.list({}, { first: 10 })).totalCount).toBe(0);
    });

    it('retries a transient failure with backoff, then completes', async () => {
      const attempts: number[] = [];
      const times: number[] = [];
      const { runner } = await setup(testHandlers({
        embed: async (_input, ctx: JobContext) => {
          attempts.push(ctx.attempt);
          times.push(Date.now());
          if (attempts.length <= 2) throw new StoreError('test store', 'busy');
          return ok(1);
        },
      }));
      const job = await runner.submit('embed', {});
      const done = await waitFor(runner, job.id);
      expect(done).toMatchObject({ status: 'completed', attempts: 3, error: null, counts: { added: 1 } });
      expect(attempts).toEqual([1, 2, 3]);
      // Backoff base 20 ms with jitter of up to half: at least 10 ms, then 20 ms.
      expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(9);
      expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(19);
    });

    it('fails a permanent failure at once and keeps its error', async () => {
      let calls = 0;
      const { runner } = await setup(testHandlers({
        ingest: async () => {
          calls++;
          throw new InvalidRecordError('poison.csv', 3, 'not a number');
        },
      }));
      const job = await runner.submit('ingest', { paths: ['/nowhere/poison.csv'] });
      const done = await waitFor(runner, job.id);
      expect(done).toMatchObject({
        status: 'failed', attempts: 1,
        error: { code: 'INVALID_RECORD', message: 'poison.csv:3: not a number', retryable: false },
      });
      await new Promise((r) => setTimeout(r, 150));
      expect(calls).toBe(1);
      expect((await runner.get(job.id))!.status).toBe('failed');
    });

    it('fails an unexpected error at once (not retried)', async () => {
      let calls = 0;
      const { runner } = await setup(testHandlers({ induceSchema: async () => { calls++; throw new TypeError('bug'); } }));
      const done = await waitFor(runner, (await runner.submit('induceSchema', {})).id);
      expect(done).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'INTERNAL', message: 'bug', retryable: false } });
      expect(calls).toBe(1);
    });

    it('ends a job that keeps failing transiently as failed (retryable) after maxAttempts', async () => {
      let calls = 0;
      const { runner } = await setup(testHandlers({
        embed: async () => {
          calls++;
          throw new StoreError('test store', 'still down');
        },
      }));
      const job = await runner.submit('embed', {}, { maxAttempts: 2 });
      const done = await waitFor(runner, job.id);
      expect(done).toMatchObject({ status: 'failed', attempts: 2, maxAttempts: 2, error: { code: 'STORE_ERROR', retryable: true } });
      expect(done.error!.message).toMatch(/still down/);
      await new Promise((r) => setTimeout(r, 150));
      expect(calls).toBe(2);
    });

    it('cancels a queued job: it never runs', async () => {
      const go = gate();
      let runs = 0;
      // Blocker and victim are of one kind: adapters may run different kinds side by side
      // (BullMQ has a queue and workers per kind), but one kind at a time in these harnesses.
      const { runner } = await setup(testHandlers({
        embed: async () => { runs++; await go.wait; return ok(); },
      }));
      const blocker = await runner.submit('embed', {});
      await waitFor(runner, blocker.id, (j) => j.status === 'running');
      const queued = await runner.submit('embed', {});
      const cancelled = await runner.cancel(queued.id);
      expect(cancelled).toMatchObject({ id: queued.id, status: 'cancelled', error: { code: 'JOB_CANCELLED', retryable: false } });
      go.open();
      await waitFor(runner, blocker.id);
      await new Promise((r) => setTimeout(r, 100));
      expect(runs).toBe(1);
      expect((await runner.get(queued.id))!.status).toBe('cancelled');
      // Finished jobs come back unchanged; unknown ids give null.
      expect((await runner.cancel(blocker.id))!.status).toBe('completed');
      expect(await runner.cancel('no-such-job')).toBeNull();
    });

    it('cancels a running job: the handler sees the abort and the job ends cancelled, not retried', async () => {
      let calls = 0;
      let sawAbort = false;
      const { runner } = await setup(testHandlers({
        embed: async (_input, ctx) => {
          calls++;
          ctx.progress({ phase: 'embedding', done: 1, total: null });
          try {
            return await untilAborted(ctx.signal);
          } finally {
            sawAbort = ctx.signal.aborted;
          }
        },
      }));
      const job = await runner.submit('embed', {});
      await waitFor(runner, job.id, (j) => j.progress.phase === 'embedding');
      await runner.cancel(job.id);
      const done = await waitFor(runner, job.id);
      expect(done).toMatchObject({ status: 'cancelled', attempts: 1, error: { code: 'JOB_CANCELLED', retryable: false } });
      expect(sawAbort).toBe(true);
      await new Promise((r) => setTimeout(r, 100));
      expect(calls).toBe(1);
    });

    it('runs one re-extraction per source at a time: a second submit returns the active job', async () => {
      const go = gate();
      const { runner } = await setup(testHandlers({ reextract: async () => { await go.wait; return ok(); } }));
      const first = await runner.submit('reextract', { source: SOURCE });
      const again = await runner.submit('reextract', { source: SOURCE, dryRun: true });
      expect(again.id).toBe(first.id);
      const other = await runner.submit('reextract', { source: OTHER_SOURCE });
      expect(other.id).not.toBe(first.id);
      go.open();
      await waitFor(runner, first.id);
      await waitFor(runner, other.id);
      const later = await runner.submit('reextract', { source: SOURCE });
      expect(later.id).not.toBe(first.id);
      await waitFor(runner, later.id);
      expect((await runner.list({ kind: 'reextract' }, { first: 10 })).totalCount).toBe(3);
    });

    it('keeps finished jobs and their errors (across a restart where the adapter has one)', async () => {
      const harness = await setup(testHandlers({
        embed: async () => ok(4),
        induceSchema: async () => { throw new NodeNotFoundError('ent:x'); },
      }));
      const good = await harness.runner.submit('embed', {});
      const bad = await harness.runner.submit('induceSchema', {});
      const goodDone = await waitFor(harness.runner, good.id);
      const badDone = await waitFor(harness.runner, bad.id);
      const runner = harness.restart ? await harness.restart() : harness.runner;
      expect(await runner.get(good.id)).toEqual(goodDone);
      expect(await runner.get(bad.id)).toEqual(badDone);
      expect(badDone.error).toMatchObject({ code: 'NOT_FOUND', retryable: false });
      expect((await runner.list({}, { first: 10 })).edges.map((e) => e.node.id)).toEqual([bad.id, good.id]);
    });
  });
}
