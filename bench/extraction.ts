/**
 * LLM extraction benchmark: a corpus of ≥ 200 incident post-mortem chunks (extraction-corpus.ts)
 * through the three-pass LLM extractor, the real OpenAiLlmClient and a loopback replay server whose
 * answers are synthesised from the generator's ground truth (extraction-replay.ts), each after a
 * fixed latency that stands in for a model. One invocation measures, on the same machine state:
 *   1. cost — prompt and completion tokens per source token and calls per chunk (cold cache);
 *   2. throughput — chunks/s with client concurrency 1 and 8, no cache;
 *   3. re-ingest — the same corpus through the now warm cache, which must make zero calls;
 *   4. the whole ingest path — the documents as a JSONL file through `ingest()` into a fresh SQLite
 *      graph (chunking, extraction at concurrency 8, linking, graph writes, chunk vectors).
 *
 *   npm run bench -- extraction [--documents 70] [--latency 40]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { countTokens } from '../extraction/documents/tokens.ts';
import { CachingLlmClient } from '../extraction/llm/caching-llm-client.ts';
import { UsageMeter, type LlmClient, type LlmUsage } from '../extraction/llm/llm-client.ts';
import { OpenAiLlmClient } from '../extraction/llm/openai-llm-client.ts';
import { SqliteLlmCache } from '../extraction/llm/sqlite-llm-cache.ts';
import type { ExtractOutput } from '../extraction/structured/types.ts';
import { extractWithLlm, type LlmExtractContext } from '../extraction/text/llm/extract-llm.ts';
import type { TextChunk } from '../schema/documents.ts';
import { startFakeOpenAi, type FakeOpenAi, type RecordedRequest } from '../test/fixtures/fake-openai.ts';
import { HashingEmbedder } from '../extraction/embed/hashing-embedder.ts';
import { SqliteGraphStore } from '../graph/sqlite/sqlite-graph-store.ts';
import { SqliteVectorStore } from '../graph/sqlite/sqlite-vector-store.ts';
import { ingest } from '../pipelines/ingest/ingest.ts';
import type { DocumentRecord } from '../schema/documents.ts';
import { buildIncidentCorpus } from './extraction-corpus.ts';
import { replayFromTruth } from './extraction-replay.ts';

const MODEL = 'replay-model';
const CTX: LlmExtractContext = { sourceId: 'src:bench:extraction', ingestedAt: Date.UTC(2025, 0, 1) };

export interface ExtractCorpusOptions {
  /** @default a fixed bench source and ingest time */
  ctx?: LlmExtractContext;
  /**
   * Chunks in progress at once. The client's own concurrency limit is what bounds requests in
   * flight; this only bounds memory for very large corpora. @default all chunks at once
   */
  width?: number;
}

/**
 * Extracts every chunk with the LLM extractor through a small pool, outputs in chunk order. The
 * seam where the ingest pipeline's own text path can be swapped in.
 * @example const outputs = await extractCorpus(chunks, llm, meter);
 */
export async function extractCorpus(
  chunks: readonly TextChunk[], llm: LlmClient, usage: UsageMeter, options: ExtractCorpusOptions = {},
): Promise<ExtractOutput[]> {
  const ctx = options.ctx ?? CTX;
  const outputs = new Array<ExtractOutput>(chunks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < chunks.length) {
      const i = next++;
      outputs[i] = await extractWithLlm(chunks[i]!, llm, ctx, usage);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.width ?? chunks.length, chunks.length) }, worker));
  return outputs;
}

interface Pass {
  ms: number;
  chunksPerSec: number;
  usage: LlmUsage;
  /** HTTP requests the replay server received during the pass. */
  requests: number;
  output: { nodes: number; events: number; facts: number; errors: number; warnings: number };
}

async function timedPass(chunks: readonly TextChunk[], llm: LlmClient, fake: FakeOpenAi): Promise<Pass> {
  const meter = new UsageMeter();
  const before = fake.requests.length;
  const t0 = performance.now();
  const outputs = await extractCorpus(chunks, llm, meter);
  const ms = performance.now() - t0;
  const issues = outputs.flatMap((o) => o.issues);
  return {
    ms: Math.round(ms),
    chunksPerSec: round(chunks.length / (ms / 1000), 1),
    usage: meter.snapshot(),
    requests: fake.requests.length - before,
    output: {
      nodes: outputs.reduce((n, o) => n + o.nodes.length, 0),
      events: outputs.reduce((n, o) => n + o.events.length, 0),
      facts: outputs.reduce((n, o) => n + o.facts.length, 0),
      errors: issues.filter((i) => i.severity === 'error').length,
      warnings: issues.filter((i) => i.severity === 'warning').length,
    },
  };
}

/** Tokens of the JSON Schemas sent as response_format: servers that enforce them bill them as prompt. */
function schemaTokens(requests: readonly RecordedRequest[]): number {
  const perSchema = new Map<string, number>();
  let total = 0;
  for (const r of requests) {
    const format = r.body?.response_format?.json_schema;
    if (!format) continue;
    if (!perSchema.has(format.name)) perSchema.set(format.name, countTokens(JSON.stringify(format.schema)));
    total += perSchema.get(format.name)!;
  }
  return total;
}

const round = (x: number, digits = 2): number => Number(x.toFixed(digits));

interface PipelinePass extends Pass {
  chunks: number;
  written: { nodes: number; events: number; facts: number; chunks: number };
}

/** The documents as one JSONL file through `ingest()`: what `mkg ingest notes.jsonl` does. */
async function pipelinePass(documents: readonly DocumentRecord[], llm: LlmClient, fake: FakeOpenAi, dir: string): Promise<PipelinePass> {
  const file = join(dir, 'corpus.jsonl');
  writeFileSync(file, documents.map((d) => JSON.stringify({ id: d.id, title: d.title, text: d.text, published_at: d.publishedAt })).join('\n'));
  const graph = SqliteGraphStore.open(join(dir, 'pipeline.db'));
  const embedder = new HashingEmbedder();
  const vectors = SqliteVectorStore.open(join(dir, 'pipeline.db'), { dimensions: embedder.dimensions });
  const meter = new UsageMeter();
  const before = fake.requests.length;
  try {
    const t0 = performance.now();
    const report = await ingest(graph, { paths: [file], text: { llm, usage: meter, embedder, vectors, concurrency: 16 } });
    const ms = performance.now() - t0;
    const w = report.write;
    return {
      ms: Math.round(ms),
      chunksPerSec: round(report.chunks / (ms / 1000), 1),
      usage: meter.snapshot(),
      requests: fake.requests.length - before,
      chunks: report.chunks,
      output: { nodes: w.nodes.added, events: w.events.added, facts: w.facts.added, errors: report.rejected, warnings: report.warnings },
      written: { nodes: w.nodes.added, events: w.events.added, facts: w.facts.added, chunks: w.chunks.added },
    };
  } finally {
    await vectors.close();
    await graph.close();
  }
}

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { documents: { type: 'string', default: '70' }, latency: { type: 'string', default: '40' } } });
  const latencyMs = Number(values.latency);
  const corpus = await buildIncidentCorpus({ documents: Number(values.documents) });
  const chunks = corpus.chunks;
  const sourceTokens = chunks.reduce((n, c) => n + c.tokens, 0);
  process.stderr.write(`${corpus.documents.length} documents, ${chunks.length} chunks, ${sourceTokens} source tokens; replay latency ${latencyMs} ms\n`);
  const fake = await startFakeOpenAi({ replay: replayFromTruth(corpus.truth), latencyMs });
  const dir = mkdtempSync(join(tmpdir(), 'mkg-bench-extraction-'));
  const client = (concurrency: number) => new OpenAiLlmClient({ model: MODEL, baseURL: fake.url, apiKey: 'bench', concurrency, maxRetries: 0 });
  const withCache = async (fn: (llm: LlmClient) => Promise<Pass>): Promise<Pass> => {
    const cache = new SqliteLlmCache(join(dir, 'llm-cache.db'));
    try {
      return await fn(new CachingLlmClient(client(8), cache));
    } finally {
      await cache.close();
    }
  };
  try {
    process.stderr.write('  cost pass (cold cache, concurrency 8) …\n');
    const cold = await withCache((llm) => timedPass(chunks, llm, fake));
    const schemas = schemaTokens(fake.requests);
    process.stderr.write('  throughput, concurrency 1 …\n');
    const c1 = await timedPass(chunks, client(1), fake);
    process.stderr.write('  throughput, concurrency 8 …\n');
    const c8 = await timedPass(chunks, client(8), fake);
    process.stderr.write('  re-ingest through the warm cache (reopened) …\n');
    const warm = await withCache((llm) => timedPass(chunks, llm, fake));
    process.stderr.write('  whole ingest path (documents → graph + chunk vectors), concurrency 8 …\n');
    const pipeline = await pipelinePass(corpus.documents, client(8), fake, dir);
    const u = cold.usage;
    const result = {
      corpus: { documents: corpus.documents.length, chunks: chunks.length, sourceTokens, maxTokens: 400, source: 'incident post-mortems written by templates from ../shared/data/sample/incidents_2023_2024.csv' },
      responses: "synthesised from the generator's ground truth (stand-ins for a model's recorded answers); usage = o200k tokens of the request messages and of the answer",
      latencyMs,
      cost: {
        promptTokens: u.promptTokens,
        completionTokens: u.completionTokens,
        calls: u.calls,
        promptPerSourceToken: round(u.promptTokens / sourceTokens),
        completionPerSourceToken: round(u.completionTokens / sourceTokens),
        callsPerChunk: round(u.calls / chunks.length),
        /** Also counting the response JSON Schemas, which servers enforcing them bill as prompt tokens. */
        promptWithSchemasPerSourceToken: round((u.promptTokens + schemas) / sourceTokens),
        goals: { callsPerChunk: 3, promptPerSourceToken: 4 },
      },
      cold,
      concurrency1: c1,
      concurrency8: c8,
      speedup8over1: round(c1.ms / c8.ms),
      warmCache: warm,
      pipeline,
      node: process.version,
      cpus: availableParallelism(),
      cpuModel: cpus()[0]?.model ?? null,
      at: new Date().toISOString(),
    };
    print(result);
    mkdirSync(join(import.meta.dirname, 'out'), { recursive: true });
    writeFileSync(join(import.meta.dirname, 'out', 'extraction.json'), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Printed {
  corpus: { documents: number; chunks: number; sourceTokens: number };
  latencyMs: number;
  cost: { promptTokens: number; completionTokens: number; calls: number; promptPerSourceToken: number; completionPerSourceToken: number; callsPerChunk: number; promptWithSchemasPerSourceToken: number };
  cold: Pass;
  concurrency1: Pass;
  concurrency8: Pass;
  speedup8over1: number;
  warmCache: Pass;
  pipeline: PipelinePass;
  node: string;
  cpus: number;
}

function print(r: Printed): void {
  const c = r.cost;
  const row = (name: string, p: Pass): string =>
    `| ${name} | ${p.ms < 1000 ? `${p.ms} ms` : `${(p.ms / 1000).toFixed(1)} s`} | ${p.chunksPerSec} | ${p.requests} | ${p.usage.calls} | ${p.usage.cached} | ${p.output.errors} |`;
  process.stdout.write(
    [
      `LLM extraction of ${r.corpus.chunks} chunks (${r.corpus.documents} documents, ${r.corpus.sourceTokens.toLocaleString('en-US')} source tokens), replay server at ${r.latencyMs} ms per request; Node ${r.node}, ${r.cpus} CPUs`,
      "responses: synthesised from the generator's ground truth",
      `prompt ${c.promptTokens.toLocaleString('en-US')} tokens = ${c.promptPerSourceToken}× source (goal ≤ 4×; ${c.promptWithSchemasPerSourceToken}× counting response schemas); completion ${c.completionTokens.toLocaleString('en-US')} = ${c.completionPerSourceToken}× source`,
      `calls ${c.calls} = ${c.callsPerChunk} per chunk (goal ≤ 3)`,
      '| run | time | chunks/s | HTTP requests | calls | cached | error issues |',
      '|---|---|---|---|---|---|---|',
      row('cold cache, concurrency 8', r.cold),
      row('no cache, concurrency 1', r.concurrency1),
      row('no cache, concurrency 8', r.concurrency8),
      row('warm cache (reopened), re-ingest', r.warmCache),
      row(`mkg ingest path: JSONL → ${r.pipeline.chunks} chunks → graph + vectors, concurrency 8`, r.pipeline),
      `concurrency 8 is ${r.speedup8over1}× concurrency 1`,
      '',
    ].join('\n'),
  );
}
