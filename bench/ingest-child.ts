/**
 * One side of the ingest benchmark, in its own process: `e2e` runs the real pipeline; `ceiling`
 * builds the same rows (untimed, with the same reader and extractor) and times only plain
 * prepared INSERTs of them; `neo4j` runs the real pipeline into the Neo4j that NEO4J_URI,
 * NEO4J_USER, NEO4J_PASSWORD (and NEO4J_DATABASE) name, in the namespace given as third argument,
 * after `migrate()` (untimed). Prints one JSON line (ChildResult).
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { readerFor } from '../extraction/readers/index.ts';
import { extractTokenTransfer } from '../extraction/structured/erc20-transfer.ts';
import { Neo4jGraphStore } from '../graph/neo4j/neo4j-graph-store.ts';
import { plainInsert } from '../graph/sqlite/plain-insert.ts';
import { SqliteGraphStore } from '../graph/sqlite/sqlite-graph-store.ts';
import type { GraphStore } from '../graph/graph-store.ts';
import { emptyBatch, type GraphBatch } from '../schema/graph.ts';
import { sourceId } from '../schema/ids.ts';
import { parseConfig } from '../schema/config.ts';
import { ingest } from '../pipelines/ingest/ingest.ts';
import { loadRunContext } from '../pipelines/ingest/run-context.ts';
import type { ChildResult } from './ingest.ts';

// The batch size users get by default, on both sides.
const BATCH = parseConfig({}).batchSize;
const [mode, dir, namespace] = process.argv.slice(2) as [ChildResult['mode'], string, string | undefined];
const tokenMap = createRequire(import.meta.url).resolve('@metamask/contract-metadata/contract-map.json');
const transfersFile = join(dir, 'token_transfers.json');
let server: string | undefined;
let store: GraphStore;
if (mode === 'neo4j') {
  const neo4j = await Neo4jGraphStore.connect({
    uri: process.env.NEO4J_URI!, user: process.env.NEO4J_USER || 'neo4j', password: process.env.NEO4J_PASSWORD || 'neo4j',
    database: process.env.NEO4J_DATABASE || 'neo4j', namespace: namespace ?? '',
  });
  // As `mkg migrate` before the first ingest: constraints and indexes in place, untimed.
  await neo4j.migrate();
  server = (await neo4j.verify()).server;
  store = neo4j;
} else {
  store = SqliteGraphStore.open(join(dir, `${mode}.db`));
}
// Token metadata first, untimed, on both sides: amounts are then scaled as in real use.
await ingest(store, { paths: [tokenMap] });

let ms: number;
let transfers = 0;
if (mode === 'e2e' || mode === 'neo4j') {
  const t0 = performance.now();
  const report = await ingest(store, { paths: [transfersFile], batchSize: BATCH });
  ms = performance.now() - t0;
  transfers = report.records;
} else {
  const ctx = { ...(await loadRunContext(store, { chainId: 1, ingestedAt: Date.now() })), sourceId: sourceId('eth-token-transfers', transfersFile), file: transfersFile };
  // The ceiling writes each final row once: nodes already present (the token list) or repeated
  // across transfers are dropped here, outside the timed part.
  const seen = new Set<string>();
  for (let after: string | null = null; ;) {
    const page = await store.findNodes({}, { first: 500, after });
    for (const e of page.edges) seen.add(e.node.id);
    if (!page.hasNextPage) break;
    after = page.edges.at(-1)!.cursor;
  }
  let batch: GraphBatch = emptyBatch();
  let rows = 0;
  ms = 0;
  const flush = (): void => {
    const t0 = performance.now();
    plainInsert(store as SqliteGraphStore, batch);
    ms += performance.now() - t0;
    batch = emptyBatch();
    rows = 0;
  };
  for await (const item of readerFor('eth-token-transfers').read(transfersFile, 'jsonl', { chainId: 1 })) {
    if (!item.ok) continue;
    transfers++;
    const out = extractTokenTransfer(item.record, item.line, ctx);
    for (const n of out.nodes) if (!seen.has(n.id)) (seen.add(n.id), batch.nodes.push(n));
    batch.events.push(...out.events);
    batch.facts.push(...out.facts);
    rows += out.nodes.length + out.events.length + out.facts.length;
    if (rows >= BATCH) flush();
  }
  flush();
}
const stats = await store.stats();
await store.close();
const result: ChildResult = {
  mode,
  ms: Math.round(ms),
  transfers,
  rows: { nodes: stats.entities, events: stats.events, facts: stats.facts },
  maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  ...(server === undefined ? {} : { server }),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
