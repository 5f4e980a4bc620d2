/**
 * Graph-RAG context benchmark, in one invocation:
 *   1. a generated graph of ≥ 1,000,000 facts in the embedded store (ERC-20 transfers, three facts
 *      each, Zipf-skewed accounts so hot wallets are supernodes), then `retrieveContext` for
 *      questions naming random accounts: p50/p99 latency at concurrency 1 and throughput at 8;
 *   2. GraphQL overhead: a trivial yoga query's throughput against raw node:http on loopback, both
 *      served by this process and driven by the same client loop.
 *
 *   npm run bench -- context [--transfers 340000] [--questions 300]
 */
import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createApi } from '../api/index.ts';
import { SqliteGraphStore } from '../graph/sqlite/sqlite-graph-store.ts';
import { writeDemoTransfers } from '../pipelines/demo/transfers.ts';
import { ingest } from '../pipelines/ingest/ingest.ts';
import { retrieveContext } from '../pipelines/retrieval/context.ts';
import type { AddressInfo } from 'node:net';

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const round = (x: number, d = 1): number => Number(x.toFixed(d));

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Requests/s of `n` POSTs with `concurrency` in flight against `url`. */
async function hammer(url: string, body: string, n: number, concurrency: number): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next++ < n) {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      await res.arrayBuffer();
    }
  }));
  return n / ((performance.now() - t0) / 1000);
}

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { transfers: { type: 'string', default: '340000' }, questions: { type: 'string', default: '300' } } });
  const transfers = Number(values.transfers);
  const dir = mkdtempSync(join(tmpdir(), 'mkg-bench-context-'));
  const graph = SqliteGraphStore.open(join(dir, 'context.db'));
  try {
    process.stderr.write(`generating and ingesting ${transfers} transfers …\n`);
    const files = await writeDemoTransfers(dir, { transfers, accounts: Math.floor(transfers / 5), seed: 3 });
    const t0 = performance.now();
    const report = await ingest(graph, { paths: [files.blocksFile, files.transfersFile] });
    const ingestS = (performance.now() - t0) / 1000;
    const facts = report.write.facts.added;
    // Questions name accounts the graph has, picked deterministically across the id space.
    const accounts = (await graph.findNodes({ kind: 'Account' }, { first: 500 })).edges.map((e) => e.node.id.split(':')[2]!);
    const n = Number(values.questions);
    const questions = Array.from({ length: n }, (_, i) => `Where did ${accounts[(i * 7919) % accounts.length]} send tokens, and to whom?`);
    await retrieveContext({ graph }, { question: questions[0]!, tokenBudget: 1000 }); // warm-up: tokenizer, statement cache

    process.stderr.write(`${facts} facts; ${n} context questions at concurrency 1 …\n`);
    const latencies: number[] = [];
    for (const question of questions) {
      const s = performance.now();
      await retrieveContext({ graph }, { question, tokenBudget: 1000 });
      latencies.push(performance.now() - s);
    }
    latencies.sort((a, b) => a - b);
    process.stderr.write('concurrency 8 …\n');
    let next = 0;
    const t8 = performance.now();
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next < questions.length) await retrieveContext({ graph }, { question: questions[next++]!, tokenBudget: 1000 });
    }));
    const perSec8 = questions.length / ((performance.now() - t8) / 1000);

    process.stderr.write('GraphQL overhead …\n');
    const raw = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"__typename":"Query"}}'));
    });
    const yoga = createApi({ graph, logger: false, serverTiming: false });
    const gql = createServer(yoga);
    const rawUrl = await listen(raw);
    const gqlUrl = `${await listen(gql)}/graphql`;
    const body = JSON.stringify({ query: '{ __typename }' });
    await hammer(rawUrl, body, 500, 8);
    await hammer(gqlUrl, body, 500, 8);
    const rawRps = await hammer(rawUrl, body, 5000, 8);
    const gqlRps = await hammer(gqlUrl, body, 5000, 8);
    raw.close();
    gql.close();

    const result = {
      graph: { transfers, facts, ingestSeconds: round(ingestS) },
      context: { questions: n, tokenBudget: 1000, p50Ms: round(percentile(latencies, 50), 2), p99Ms: round(percentile(latencies, 99), 2), meanMs: round(latencies.reduce((a, b) => a + b, 0) / n, 2), concurrency8PerSec: round(perSec8) },
      graphqlOverhead: { rawRps: Math.round(rawRps), yogaRps: Math.round(gqlRps), ratio: round(gqlRps / rawRps, 2) },
      node: process.version,
      cpus: availableParallelism(),
      at: new Date().toISOString(),
    };
    const c = result.context;
    const g = result.graphqlOverhead;
    process.stdout.write([
      `graph-RAG context on ${facts.toLocaleString('en-US')} facts (${transfers.toLocaleString('en-US')} transfers, embedded SQLite), budget 1,000 tokens, Node ${result.node}, ${result.cpus} CPUs`,
      '| measure | value | goal |',
      '|---|---|---|',
      `| p50 latency, concurrency 1 (${n} questions) | ${c.p50Ms} ms | ≤ 20 ms |`,
      `| p99 latency, concurrency 1 | ${c.p99Ms} ms | ≤ 100 ms |`,
      `| throughput, concurrency 8 | ${c.concurrency8PerSec} contexts/s | reported |`,
      `| trivial query: yoga ${g.yogaRps} req/s vs raw node:http ${g.rawRps} req/s | ratio ${g.ratio} | ≥ 0.3 |`,
      '',
    ].join('\n'));
    mkdirSync(join(import.meta.dirname, 'out'), { recursive: true });
    writeFileSync(join(import.meta.dirname, 'out', 'context.json'), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await graph.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
