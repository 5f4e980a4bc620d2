/**
 * The `npm start` demo dataset, as `mkg demo` ingests it (offline: rule extractor, offline taxonomy,
 * hashing embedder) on a real SQLite file: its generated documents are deterministic, name what the
 * incident rows name, and give the demo graph chunks, text events, mentions, concepts and SAME_AS.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HashingEmbedder } from '../../extraction/embed/hashing-embedder.ts';
import { SqliteGraphStore } from '../../graph/sqlite/sqlite-graph-store.ts';
import { writeDemoDataset, type DemoDataset } from '../../pipelines/demo/dataset.ts';
import { demoIncidents } from '../../pipelines/demo/incidents.ts';
import { ingest, type IngestReport } from '../../pipelines/ingest/ingest.ts';
import { induceAndResolve, type TextSchemaResult } from '../../pipelines/text-schema.ts';
import { tempDir } from '../fixtures/paths.ts';

const SEED = 7;
const [LEND] = demoIncidents(SEED);

/** `mkg demo` makes the directory; writeDemoDataset writes into an existing one. */
function dir(path: string): string {
  mkdirSync(path, { recursive: true });
  return path;
}

describe('demo dataset', () => {
  const tmp = tempDir('mkg-demo-');
  let dataset: DemoDataset;
  let store: SqliteGraphStore;
  let report: IngestReport;
  let schema: TextSchemaResult;

  beforeAll(async () => {
    dataset = await writeDemoDataset(dir(join(tmp.dir, 'a')), { transfers: 300 });
    store = SqliteGraphStore.open(join(tmp.dir, 'demo.db'));
    report = await ingest(store, { paths: dataset.paths, chainId: 1, text: { llm: null } });
    schema = await induceAndResolve(store, { llm: null, embedder: new HashingEmbedder({ dimensions: 256 }) });
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    tmp.cleanup();
  });

  it('writes the same documents for the same seed, next to the data files', async () => {
    const again = await writeDemoDataset(dir(join(tmp.dir, 'b')), { transfers: 300 });
    expect(dataset.documents.map((p) => basename(p))).toEqual([
      'demo-postmortem-20230415-demolend.md', 'demo-postmortem-20230422-demoswap.md', 'demo-postmortem-20230428-demobridge.md', 'demo-news.jsonl',
    ]);
    expect(dataset.paths).toEqual(expect.arrayContaining(dataset.documents));
    dataset.documents.forEach((p, i) => expect(readFileSync(p, 'utf8')).toBe(readFileSync(again.documents[i]!, 'utf8')));
    const note = readFileSync(dataset.documents[0]!, 'utf8');
    for (const fact of [LEND!.attackers[0]!, 'exploited DemoLend', 'drained 1,250.5 ETH from DemoLend', '15 April 2023', 'describes no real event']) {
      expect(note).toContain(fact);
    }
  });

  it('reads every document into chunks, text events and mentions', async () => {
    const docs = report.files.filter((f) => f.kind === 'documents');
    expect(docs.map((f) => f.chunks).sort()).toEqual([1, 1, 1, 5]);
    expect(docs.every((f) => f.rejected === 0 && f.error === null)).toBe(true);
    expect(report.write.chunks.added).toBe(8);
    const text = await store.findEvents({ type: 'TextEvent' }, { first: 100 });
    expect(text.edges.length).toBeGreaterThanOrEqual(9);
    const attacker = `eip155:1:${LEND!.attackers[0]}`;
    const mentions = await store.factsOf(attacker, { direction: 'out', types: ['MENTIONED_IN'] });
    expect(mentions.length).toBeGreaterThanOrEqual(2);
    const exploited = await store.factsOf(attacker, { direction: 'out', types: ['EXPLOITED'] });
    expect(exploited.map((f) => f.object)).toContain('ent:protocol:demolend');
    const hits = await store.searchChunks('DemoLend drained', { first: 3 });
    expect(hits[0]?.chunk.documentId).toBe('demo-postmortem-20230415-demolend');
  });

  it('induces concepts and resolves the text names onto structured entities, idempotently', async () => {
    expect(schema.induction.write.nodes.added).toBeGreaterThan(0);
    expect(schema.induction.issues).toBe(0);
    expect(schema.resolution.write.facts.added).toBeGreaterThanOrEqual(1);
    const usdc = await store.factsOf('ent:token:usdc', { direction: 'out', types: ['SAME_AS'] });
    expect(usdc.map((f) => f.object)).toEqual(['eip155:1/erc20:0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48']);
    const again = await induceAndResolve(store, { llm: null, embedder: new HashingEmbedder({ dimensions: 256 }) });
    expect(again.induction.write.nodes.added + again.induction.write.facts.added + again.resolution.write.facts.added).toBe(0);
  });
});
