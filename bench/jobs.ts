/**
 * Jobs benchmark, in one invocation against one Redis (a local redis-server on a free loopback
 * port, as the tests use):
 *   1. BullMQ no-op jobs/s: `add` one by one vs `addBulk`, and a worker at concurrency 1 vs 16;
 *   2. re-extraction of an unchanged source of ≥ 100,000 facts (generated ERC-20 transfers, three
 *      facts each) as a fraction of its initial ingest time — through the fast path (the source's
 *      file, version and live fact digest all match: nothing is re-read) and forced (the file is
 *      re-read, re-extracted and diffed; nothing is written).
 *
 *   npm run bench -- jobs [--jobs 5000] [--transfers 40000]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Queue, Worker } from 'bullmq';
import { SqliteGraphStore } from '../graph/sqlite/sqlite-graph-store.ts';
import { writeDemoTransfers } from '../pipelines/demo/transfers.ts';
import { ingest } from '../pipelines/ingest/ingest.ts';
import { reextract } from '../pipelines/reextract/reextract.ts';
import { startRedisServer } from '../test/fixtures/redis-server.ts';

const round = (x: number, digits = 1): number => Number(x.toFixed(digits));

interface QueueRun {
  jobs: number;
  enqueueMs: number;
  enqueuePerSec: number;
  processMs: number;
  processPerSec: number;
}

/** Enqueues `n` no-op jobs (one by one or in bulks of 1,000), then drains them with one worker. */
async function queueRun(url: string, name: string, n: number, bulk: boolean, concurrency: number): Promise<QueueRun> {
  const connection = { url, maxRetriesPerRequest: null };
  const queue = new Queue(name, { connection });
  try {
    const t0 = performance.now();
    if (bulk) {
      for (let i = 0; i < n; i += 1000) {
        await queue.addBulk(Array.from({ length: Math.min(1000, n - i) }, (_, j) => ({ name: 'noop', data: { i: i + j }, opts: { removeOnComplete: true } })));
      }
    } else {
      for (let i = 0; i < n; i++) await queue.add('noop', { i }, { removeOnComplete: true });
    }
    const enqueueMs = performance.now() - t0;
    let done = 0;
    const t1 = performance.now();
    const finished = new Promise<void>((resolve) => {
      const worker = new Worker(name, async () => undefined, { connection, concurrency });
      worker.on('completed', () => {
        if (++done === n) void worker.close().then(resolve);
      });
    });
    await finished;
    const processMs = performance.now() - t1;
    return { jobs: n, enqueueMs: Math.round(enqueueMs), enqueuePerSec: Math.round(n / (enqueueMs / 1000)), processMs: Math.round(processMs), processPerSec: Math.round(n / (processMs / 1000)) };
  } finally {
    await queue.obliterate({ force: true });
    await queue.close();
  }
}

interface ReextractRun {
  transfers: number;
  facts: number;
  ingestMs: number;
  fastPathMs: number;
  forcedMs: number;
  fastPathFraction: number;
  forcedFraction: number;
  fastPathCounts: unknown;
  forcedCounts: unknown;
}

async function reextractRun(dir: string, transfers: number): Promise<ReextractRun> {
  const files = await writeDemoTransfers(dir, { transfers, accounts: Math.floor(transfers / 5), seed: 7 });
  const graph = SqliteGraphStore.open(join(dir, 'reextract.db'));
  try {
    const t0 = performance.now();
    await ingest(graph, { paths: [files.blocksFile, files.transfersFile] });
    const ingestMs = performance.now() - t0;
    const source = (await graph.listSources()).find((s) => s.kind === 'eth-token-transfers')!;
    const t1 = performance.now();
    const fast = await reextract(graph, { source: source.id, dryRun: false });
    const fastPathMs = performance.now() - t1;
    const t2 = performance.now();
    const forced = await reextract(graph, { source: source.id, dryRun: false }, { force: true });
    const forcedMs = performance.now() - t2;
    return {
      transfers,
      facts: (await graph.factsOfSource(source.id, { first: 1 })).totalCount,
      ingestMs: Math.round(ingestMs),
      fastPathMs: Math.round(fastPathMs),
      forcedMs: Math.round(forcedMs),
      fastPathFraction: round(fastPathMs / ingestMs, 3),
      forcedFraction: round(forcedMs / ingestMs, 3),
      fastPathCounts: fast.counts,
      forcedCounts: forced.counts,
    };
  } finally {
    await graph.close();
  }
}

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { jobs: { type: 'string', default: '5000' }, transfers: { type: 'string', default: '40000' } } });
  const n = Number(values.jobs);
  const redis = await startRedisServer();
  const dir = mkdtempSync(join(tmpdir(), 'mkg-bench-jobs-'));
  try {
    process.stderr.write(`Redis on ${redis.url}; ${n} no-op jobs per run …\n`);
    const queue = {
      addC1: await queueRun(redis.url, 'bench-add-c1', n, false, 1),
      addBulkC1: await queueRun(redis.url, 'bench-bulk-c1', n, true, 1),
      addBulkC16: await queueRun(redis.url, 'bench-bulk-c16', n, true, 16),
    };
    process.stderr.write(`re-extraction of an unchanged source of ${values.transfers} transfers …\n`);
    const re = await reextractRun(dir, Number(values.transfers));
    const result = { queue, reextract: re, node: process.version, cpus: availableParallelism(), at: new Date().toISOString() };
    print(result);
    mkdirSync(join(import.meta.dirname, 'out'), { recursive: true });
    writeFileSync(join(import.meta.dirname, 'out', 'jobs.json'), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function print(r: { queue: Record<string, QueueRun>; reextract: ReextractRun; node: string; cpus: number }): void {
  const q = r.queue;
  const e = r.reextract;
  process.stdout.write([
    `BullMQ no-op jobs against one local Redis (Node ${r.node}, ${r.cpus} CPUs)`,
    '| run | jobs | enqueue jobs/s | worker jobs/s |',
    '|---|---|---|---|',
    `| add one by one, worker concurrency 1 | ${q.addC1!.jobs} | ${q.addC1!.enqueuePerSec} | ${q.addC1!.processPerSec} |`,
    `| addBulk (1,000 per call), worker concurrency 1 | ${q.addBulkC1!.jobs} | ${q.addBulkC1!.enqueuePerSec} | ${q.addBulkC1!.processPerSec} |`,
    `| addBulk (1,000 per call), worker concurrency 16 | ${q.addBulkC16!.jobs} | ${q.addBulkC16!.enqueuePerSec} | ${q.addBulkC16!.processPerSec} |`,
    `addBulk enqueues ${round(q.addBulkC1!.enqueuePerSec / q.addC1!.enqueuePerSec)}× faster than add; concurrency 16 processes ${round(q.addBulkC16!.processPerSec / q.addBulkC1!.processPerSec)}× the jobs/s of concurrency 1`,
    '',
    `Re-extraction of an unchanged source: ${e.transfers} transfers, ${e.facts} facts`,
    '| run | time | of ingest |',
    '|---|---|---|',
    `| initial ingest | ${(e.ingestMs / 1000).toFixed(1)} s | 100 % |`,
    `| re-extraction (fast path: file, version and fact digest unchanged) | ${e.fastPathMs} ms | ${(e.fastPathFraction * 100).toFixed(1)} % (goal ≤ 10 %) |`,
    `| re-extraction forced (re-read, re-extract, diff; nothing written) | ${(e.forcedMs / 1000).toFixed(1)} s | ${(e.forcedFraction * 100).toFixed(1)} % |`,
    '',
  ].join('\n'));
}
