/**
 * The real job handlers through the in-process runner on a real SQLite file (the graph and the
 * jobs table share it, as in the embedded default): an ingest job equals a direct ingest(), a
 * poison record is rejected while the job completes, a job interrupted by a crash is re-run after a
 * restart and leaves the same graph as a clean run, and a cancelled ingest leaves the graph
 * consistent (a re-run completes it).
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HashingEmbedder } from '../../extraction/embed/hashing-embedder.ts';
import { SqliteGraphStore } from '../../graph/sqlite/sqlite-graph-store.ts';
import { ingest } from '../../pipelines/ingest/ingest.ts';
import { createJobHandlers } from '../../pipelines/jobs/handlers.ts';
import { InProcessJobRunner } from '../../pipelines/jobs/in-process/in-process-job-runner.ts';
import type { JobHandlers } from '../../pipelines/jobs/job-runner.ts';
import { SAMPLE_DIR, tempDir } from '../fixtures/paths.ts';
import { waitFor } from '../contract/job-runner.contract.ts';

const NOW = Date.UTC(2026, 10, 21);
const FILES = ['eth_usd_daily_2017_2019.csv', 'stocks_monthly_2000_2010.csv', 'incidents_2023_2024.csv'];

describe('jobs on the in-process runner with the real handlers', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  /** A graph file, its store, a runner on the same file, and the sample files copied to a stable place. */
  function setup(handlers: JobHandlers = createJobHandlers({ now: () => NOW })) {
    const tmp = tempDir('mkg-jobs-int-');
    cleanups.push(() => tmp.cleanup());
    const file = join(tmp.dir, 'graph.db');
    const graph = SqliteGraphStore.open(file);
    cleanups.push(() => graph.close());
    const services = { graph, vectors: null, llm: null, embedder: new HashingEmbedder() };
    const open = (h: JobHandlers = handlers) => {
      const runner = InProcessJobRunner.open({ file, services, handlers: h, backoffMs: 10 });
      cleanups.push(() => runner.close());
      return runner;
    };
    return { tmp, file, graph, open };
  }

  /** Fact ids of a direct, uninterrupted ingest of `paths` into a fresh file. */
  async function cleanRun(paths: string[]): Promise<{ ids: string[]; added: number; unchanged: number; rejected: number }> {
    const tmp = tempDir('mkg-jobs-clean-');
    const graph = SqliteGraphStore.open(join(tmp.dir, 'clean.db'));
    try {
      const report = await ingest(graph, { paths, now: () => NOW });
      return { ids: factIds(graph), added: report.added, unchanged: report.unchanged, rejected: report.rejected };
    } finally {
      await graph.close();
      tmp.cleanup();
    }
  }

  const factIds = (graph: SqliteGraphStore): string[] =>
    (graph.db.prepare('SELECT id FROM facts ORDER BY id').all() as { id: string }[]).map((r) => r.id);

  /** Facts whose subject or object is no node, event or chunk. */
  const danglingFacts = (graph: SqliteGraphStore): number => {
    const known = (col: string) => `EXISTS (SELECT 1 FROM nodes WHERE id = f.${col}) OR EXISTS (SELECT 1 FROM events WHERE id = f.${col})
      OR EXISTS (SELECT 1 FROM chunks WHERE id = f.${col})`;
    return (graph.db.prepare(`SELECT COUNT(*) AS n FROM facts f WHERE NOT (${known('subject')}) OR NOT (${known('object')})`).get() as { n: number }).n;
  };

  function copySample(dir: string): string[] {
    return FILES.map((name) => {
      const to = join(dir, name);
      copyFileSync(join(SAMPLE_DIR, name), to);
      return to;
    });
  }

  it('an ingest job counts what a direct ingest counts', async () => {
    const { tmp, graph, open } = setup();
    const paths = copySample(tmp.dir);
    const clean = await cleanRun(paths);
    const runner = open();
    const job = await runner.submit('ingest', { paths });
    const done = await waitFor(runner, job.id, undefined, 60_000);
    expect(done).toMatchObject({
      status: 'completed', attempts: 1, error: null, llm: null,
      counts: { added: clean.added, retracted: 0, unchanged: clean.unchanged, rejected: clean.rejected },
      progress: { phase: 'done' },
    });
    expect(done.counts.added).toBeGreaterThan(100);
    expect((done.result as { fileCount: number }).fileCount).toBe(3);
    expect(factIds(graph)).toEqual(clean.ids);
    // Idempotent: the same job again adds nothing.
    const again = await waitFor(runner, (await runner.submit('ingest', { paths })).id, undefined, 60_000);
    expect(again.counts).toMatchObject({ added: 0, unchanged: clean.added + clean.unchanged });
  });

  it('an ingest with a poison record completes, rejecting the record with its reason', async () => {
    const { graph, open } = setup();
    const runner = open();
    const csv = 'symbol,date,price\nMSFT,Jan 1 2000,39.81\nMSFT,Feb 1 2000,not-a-price\nMSFT,Mar 1 2000,40.10\n';
    const job = await runner.submit('ingest', { uploads: [{ name: 'poison.csv', content: csv }] });
    const done = await waitFor(runner, job.id, undefined, 60_000);
    expect(done.status).toBe('completed');
    expect(done.error).toBeNull();
    expect(done.counts.rejected).toBeGreaterThanOrEqual(1);
    expect(done.counts.added).toBeGreaterThan(0);
    const rejects = await graph.listRejects({}, { first: 10 });
    expect(rejects.edges.some((e) => e.node.file.endsWith('poison.csv') && e.node.line === 3)).toBe(true);
  });

  it('re-runs a job a crash left running, and the graph equals a clean run', async () => {
    const { tmp, file, graph, open } = setup();
    const paths = copySample(tmp.dir);
    const clean = await cleanRun(paths);
    // The crash: the job's first attempt wrote part of the graph (one file), then the process died.
    const first = open();
    const job = await first.submit('ingest', { paths }, { maxAttempts: 3 });
    await first.close();
    await ingest(graph, { paths: paths.slice(0, 1), now: () => NOW });
    const raw = SqliteGraphStore.open(file);
    raw.db.prepare(`UPDATE jobs SET status = 'running', attempts = 1, started_at = ? WHERE id = ?`).run(NOW, job.id);
    await raw.close();

    const runner = open();
    const done = await waitFor(runner, job.id, undefined, 60_000);
    expect(done).toMatchObject({ status: 'completed', attempts: 2, error: null });
    expect(factIds(graph)).toEqual(clean.ids);
    expect((await graph.stats()).facts).toBe(clean.ids.length);
  });

  it('a cancelled ingest leaves the graph consistent, and a re-run completes it', async () => {
    const { tmp, graph, open } = setup();
    const paths = copySample(tmp.dir);
    const clean = await cleanRun(paths);
    const real = createJobHandlers({ now: () => NOW });
    let runner!: InProcessJobRunner;
    let cancelled = false;
    // Cancel as soon as the first file is read: ingest stops before the next file.
    runner = open({
      ...real,
      ingest: (input, ctx) => real.ingest(input, {
        ...ctx,
        progress: (p) => {
          ctx.progress(p);
          if (p.done > 0 && !cancelled) {
            cancelled = true;
            void runner.cancel(ctx.jobId);
          }
        },
      }),
    });
    const job = await runner.submit('ingest', { paths });
    const done = await waitFor(runner, job.id, undefined, 60_000);
    expect(done).toMatchObject({ status: 'cancelled', attempts: 1, error: { code: 'JOB_CANCELLED', retryable: false } });
    const partial = factIds(graph);
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(clean.ids.length);
    expect(danglingFacts(graph)).toBe(0);

    const rerun = await waitFor(runner, (await runner.submit('ingest', { paths })).id, undefined, 60_000);
    expect(rerun.status).toBe('completed');
    expect(factIds(graph)).toEqual(clean.ids);
    expect(danglingFacts(graph)).toBe(0);
  });

  it('fails an embed job at once when there is no vector store', async () => {
    const { open } = setup();
    const runner = open();
    const done = await waitFor(runner, (await runner.submit('embed', {})).id);
    expect(done).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'CONFIG_INVALID', retryable: false } });
  });

  it('runs schema induction as a job', async () => {
    const { tmp, open } = setup();
    const runner = open();
    const paths = copySample(tmp.dir).slice(2);
    await waitFor(runner, (await runner.submit('ingest', { paths })).id, undefined, 60_000);
    const done = await waitFor(runner, (await runner.submit('induceSchema', {})).id, undefined, 60_000);
    expect(done.status).toBe('completed');
    expect(done.counts.added).toBeGreaterThan(0);
  });
});
