import { mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Config } from '../../schema/config.ts';
import { createEmbedder } from '../../extraction/embed/create-embedder.ts';
import { createGraphStore } from '../../graph/create-stores.ts';
import { writeDemoDataset } from '../../pipelines/demo/dataset.ts';
import { ingest } from '../../pipelines/ingest/ingest.ts';
import { induceAndResolve } from '../../pipelines/text-schema.ts';
import { uploadDirOf } from '../../pipelines/jobs/create-job-runner.ts';
import { createJobHandlers } from '../../pipelines/jobs/handlers.ts';
import { InProcessJobRunner } from '../../pipelines/jobs/in-process/in-process-job-runner.ts';
import { parseCommandArgs, parseIntOption } from '../args.ts';
import type { Output } from '../output.ts';
import { describeInduction } from './induce-schema.ts';
import { describeResolution } from './resolve.ts';
import { serveStore, untilSignal } from './serve.ts';

const EXAMPLES = [
  '{ stats { entities events facts eventsByType { key count } } }',
  '{ events(filter: {type: Incident}, first: 3) { totalCount edges { node { id summary amounts { role value unit } participants { role entity { id name kind } } } } } }',
  '{ search(text: "Demo Exchange", first: 5) { id label name score } }',
  '{ searchChunks(text: "DemoLend drained", first: 3) { score chunk { documentId text mentions { id } } } }',
  'mutation { reextract(input: {extractor: "price-move", dryRun: true}) { id status } }  then  { jobs { edges { node { id status added retracted unchanged } } } }',
];

/** `npm start`: a fresh demo graph from generated and packaged data, served on PORT (default 4000). */
export async function runDemo(argv: string[], config: Config, out: Output): Promise<number> {
  const { values } = parseCommandArgs(argv, { db: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' } });
  const dbPath = values.db ?? join(dirname(config.dbPath), 'demo.db');
  const dataDir = join(dirname(dbPath), 'demo-data');
  await rm(dbPath, { force: true });
  await rm(`${dbPath}-wal`, { force: true });
  await rm(`${dbPath}-shm`, { force: true });
  await mkdir(dataDir, { recursive: true });

  out.stderr(`Generating demo data in ${dataDir} …\n`);
  const dataset = await writeDemoDataset(dataDir);
  const store = await createGraphStore({ dbPath });
  // Offline on purpose, whatever OPENAI_* says: the rule extractor, the offline taxonomy and the
  // hashing embedder keep the demo deterministic, fast and free of network calls.
  const report = await ingest(store, { paths: dataset.paths, chainId: 1, batchSize: config.batchSize, text: { llm: null } });
  const schema = await induceAndResolve(store, { llm: null, embedder: createEmbedder({ dimensions: config.vectorDimensions }) });
  const w = report.write;
  out.stderr(
    `Demo graph in ${dbPath}: ${w.nodes.added} entities, ${w.events.added} events, ${w.facts.added} facts, ` +
      `${w.chunks.added} chunks from ${report.files.length} files (${dataset.documents.length} documents) ` +
      `in ${(report.durationMs / 1000).toFixed(1)} s\n` +
      `${describeInduction(schema.induction, null)}\n${describeResolution(schema.resolution)}\n`,
  );
  // Jobs run in this process on the demo file, so GraphiQL's mutations (reextract, ingest an
  // upload, induceSchema) work too.
  const jobs = InProcessJobRunner.open({
    file: dbPath,
    services: { graph: store, vectors: null, llm: null, embedder: createEmbedder({ dimensions: config.vectorDimensions }) },
    handlers: createJobHandlers({ uploadDir: uploadDirOf(dbPath) }),
  });
  const server = await serveStore(store, {
    port: parseIntOption('port', values.port, 0, 65535) ?? config.port,
    host: values.host ?? config.host,
    maxDepth: config.graphqlMaxDepth,
    jobs,
  });
  out.stdout(`\nMarketGraph demo: GraphQL + GraphiQL at ${server.url}\n\nTry:\n${EXAMPLES.map((q) => `  ${q}`).join('\n')}\n\n`);
  await untilSignal();
  await server.close();
  await jobs.close();
  await store.close();
  return 0;
}
