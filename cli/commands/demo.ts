import { mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Config } from '../../schema/config.ts';
import { createGraphStore } from '../../graph/create-stores.ts';
import { writeDemoDataset } from '../../pipelines/demo/dataset.ts';
import { ingest } from '../../pipelines/ingest/ingest.ts';
import { parseCommandArgs, parseIntOption } from '../args.ts';
import type { Output } from '../output.ts';
import { serveStore, untilSignal } from './serve.ts';

const EXAMPLES = [
  '{ stats { entities events facts eventsByType { key count } } }',
  '{ events(filter: {type: Incident}, first: 3) { totalCount edges { node { id summary amounts { role value unit } participants { role entity { id name kind } } } } } }',
  '{ search(text: "Demo Exchange", first: 5) { id label name score } }',
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
  const report = await ingest(store, { paths: dataset.paths, chainId: 1, batchSize: config.batchSize });
  out.stderr(
    `Demo graph in ${dbPath}: ${report.write.nodes.added} entities, ${report.write.events.added} events, ` +
      `${report.write.facts.added} facts from ${report.files.length} files in ${(report.durationMs / 1000).toFixed(1)} s\n`,
  );
  const server = await serveStore(store, {
    port: parseIntOption('port', values.port, 0, 65535) ?? config.port,
    host: values.host ?? config.host,
    maxDepth: config.graphqlMaxDepth,
  });
  out.stdout(`\nMarketGraph demo: GraphQL + GraphiQL at ${server.url}\n\nTry:\n${EXAMPLES.map((q) => `  ${q}`).join('\n')}\n\n`);
  await untilSignal();
  await server.close();
  await store.close();
  return 0;
}
