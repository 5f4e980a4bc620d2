/**
 * Retrieval evaluation (issue 6, item 5): graph-RAG against a vector-only baseline with the same
 * embedder and token budget, on multi-hop questions with gold answers and supporting facts.
 *
 *   npm run eval -- [--qa FILE] [--db FILE] [--budget 1000] [--k 10] [--limit 100] [--as-of ISO]
 *   npm run eval -- --generate OUT [--db FILE] [--limit 100]
 *
 * Without --db the sample (../shared/data/sample) is ingested into a temp file first; without --qa
 * the questions are generated from that graph (pipelines/eval/generate-qa.ts). Vectors (the
 * offline HashingEmbedder) always go to a temp file, so the graph file is only read. Prints the
 * table and writes bench/out/eval.json.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { HashingEmbedder } from '../extraction/embed/hashing-embedder.ts';
import { SqliteGraphStore } from '../graph/sqlite/sqlite-graph-store.ts';
import { SqliteVectorStore } from '../graph/sqlite/sqlite-vector-store.ts';
import { embedGraph } from '../pipelines/embed-graph.ts';
import { vectorOnlyContext } from '../pipelines/eval/baseline.ts';
import { generateQa } from '../pipelines/eval/generate-qa.ts';
import { formatReport, parseQaJsonl, runEval, type EvalSystem } from '../pipelines/eval/run-eval.ts';
import { ingest } from '../pipelines/ingest/ingest.ts';
import { retrieveContext } from '../pipelines/retrieval/context.ts';
import { InvalidArgumentError } from '../schema/errors.ts';

const SAMPLE_DIR = resolve(import.meta.dirname, '../../shared/data/sample');
const OUT = resolve(import.meta.dirname, 'out/eval.json');

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      qa: { type: 'string' }, db: { type: 'string' }, generate: { type: 'string' }, sample: { type: 'string' },
      budget: { type: 'string', default: '1000' }, k: { type: 'string', default: '10' },
      limit: { type: 'string', default: '100' }, 'as-of': { type: 'string' },
    },
  });
  const budget = positiveInt('budget', values.budget);
  const k = positiveInt('k', values.k);
  const limit = positiveInt('limit', values.limit);
  const asOf = values['as-of'] ? Date.parse(values['as-of']) : null;
  if (asOf !== null && Number.isNaN(asOf)) throw new InvalidArgumentError('as-of', 'must be an ISO-8601 date');

  const tmp = mkdtempSync(join(tmpdir(), 'mkg-eval-'));
  const graph = SqliteGraphStore.open(values.db ?? join(tmp, 'graph.db'));
  const embedder = new HashingEmbedder();
  const vectors = SqliteVectorStore.open(join(tmp, 'vectors.db'), { dimensions: embedder.dimensions });
  try {
    if (!values.db) {
      const sample = values.sample ?? SAMPLE_DIR;
      process.stderr.write(`ingesting ${sample} into ${tmp} …\n`);
      await ingest(graph, { paths: [sample] });
    }
    if (values.generate) {
      const items = await generateQa(graph, { limit, asOf });
      mkdirSync(dirname(resolve(values.generate)), { recursive: true });
      writeFileSync(values.generate, items.map((i) => JSON.stringify(i)).join('\n') + '\n');
      process.stdout.write(`wrote ${items.length} questions to ${values.generate}\n`);
      return;
    }
    const items = values.qa ? parseQaJsonl(readFileSync(values.qa, 'utf8'), values.qa) : await generateQa(graph, { limit, asOf });
    process.stderr.write(`embedding the graph (${embedder.model}) …\n`);
    const embedded = await embedGraph(graph, vectors, embedder);
    process.stderr.write(`  ${embedded.entities} entities, ${embedded.events} events; ${items.length} questions\n`);
    const deps = { graph, vectors, embedder };
    const systems: EvalSystem[] = [
      { name: 'graph-rag', run: (question, o) => retrieveContext(deps, { question, ...o }) },
      { name: 'vector-only', run: (question, o) => vectorOnlyContext(deps, { question, ...o }) },
    ];
    const report = await runEval(items, systems, { tokenBudget: budget, k, asOf });
    process.stdout.write(`${formatReport(report)}\n`);
    mkdirSync(dirname(OUT), { recursive: true });
    writeFileSync(OUT, `${JSON.stringify({ qa: values.qa ?? 'generated', db: values.db ?? 'sample', asOf, ...report }, null, 2)}\n`);
    process.stderr.write(`wrote ${OUT}\n`);
  } finally {
    await vectors.close();
    await graph.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

function positiveInt(name: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(name, `must be a positive integer, got ${value}`);
  return n;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await run(process.argv.slice(2));
}
