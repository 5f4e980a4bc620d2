/**
 * The evaluation harness on the real sample: generated questions are grounded in visible facts,
 * and graph-RAG and the vector-only baseline both run under the same budget. The recall gap is
 * reported by `npm run eval`, not asserted here.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HashingEmbedder } from '../../extraction/embed/hashing-embedder.ts';
import { SqliteGraphStore } from '../../graph/sqlite/sqlite-graph-store.ts';
import { SqliteVectorStore } from '../../graph/sqlite/sqlite-vector-store.ts';
import { embedGraph } from '../../pipelines/embed-graph.ts';
import { vectorOnlyContext } from '../../pipelines/eval/baseline.ts';
import { generateQa, QA_TYPES, type QaItem } from '../../pipelines/eval/generate-qa.ts';
import { runEval } from '../../pipelines/eval/run-eval.ts';
import { ingest } from '../../pipelines/ingest/ingest.ts';
import { retrieveContext } from '../../pipelines/retrieval/context.ts';
import { SAMPLE_DIR, tempDir } from '../fixtures/paths.ts';

describe('evaluation harness on the sample', () => {
  const tmp = tempDir('mkg-eval-');
  const embedder = new HashingEmbedder();
  let graph: SqliteGraphStore;
  let vectors: SqliteVectorStore;
  let items: QaItem[];

  beforeAll(async () => {
    const path = join(tmp.dir, 'sample.db');
    graph = SqliteGraphStore.open(path);
    vectors = SqliteVectorStore.open(path, { dimensions: embedder.dimensions });
    await ingest(graph, { paths: [SAMPLE_DIR], now: () => Date.UTC(2026, 10, 21) });
    await embedGraph(graph, vectors, embedder);
    items = await generateQa(graph, { limit: 25 });
  });
  afterAll(async () => {
    await vectors.close();
    await graph.close();
    tmp.cleanup();
  });

  it('generates every question type, each with answers and supporting facts that exist', async () => {
    expect(items).toHaveLength(25);
    expect(new Set(items.map((i) => i.type))).toEqual(new Set(QA_TYPES));
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
    for (const item of items) {
      expect(item.answers.length, item.id).toBeGreaterThan(0);
      expect(item.supportingFactIds.length, item.id).toBeGreaterThan(0);
    }
    const bizness = items.find((i) => i.id === 'attacker-protocol:evt:incident:2024-12-27:bizness')!;
    expect(bizness.question).toBe('Which protocol did the attacker 0x3Cc1eDD8a25c912fCB51d7E61893e737C48Cd98D exploit, and on which chain?');
    expect(bizness.answers).toEqual(['Bizness']);
    const facts = await graph.factsOf('evt:incident:2024-12-27:bizness', { direction: 'out', types: ['PARTICIPANT'] });
    expect(facts.map((f) => f.id)).toEqual(expect.arrayContaining(bizness.supportingFactIds));
  });

  it('scores graph-RAG and the vector-only baseline within the same token budget', async () => {
    const deps = { graph, vectors, embedder };
    const baseline = await vectorOnlyContext(deps, { question: items[0]!.question, tokenBudget: 300 });
    expect(baseline.tokens).toBeLessThanOrEqual(300);
    expect(baseline.hits.length).toBeGreaterThan(0);
    const report = await runEval(items, [
      { name: 'graph-rag', run: (question, o) => retrieveContext(deps, { question, ...o }) },
      { name: 'vector-only', run: (question, o) => vectorOnlyContext(deps, { question, ...o }) },
    ], { tokenBudget: 300, k: 10 });
    const all = report.rows.filter((r) => r.type === 'all');
    expect(all.map((r) => r.system)).toEqual(['graph-rag', 'vector-only']);
    for (const row of all) {
      expect(row.questions).toBe(25);
      expect(row.meanTokens).toBeLessThanOrEqual(300);
      expect(row.recallAtK).toBeGreaterThanOrEqual(0);
      expect(row.recallAtK).toBeLessThanOrEqual(1);
    }
    expect(report.rows.find((r) => r.system === 'graph-rag' && r.type === 'attacker-protocol')!.answerHitRate).toBe(1);
  });
});
