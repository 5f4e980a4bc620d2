/**
 * The LangChain retriever on a real SQLite store holding the sample incidents.
 */
import { join } from 'node:path';
import { Document } from '@langchain/core/documents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteGraphStore } from '../../graph/sqlite/sqlite-graph-store.ts';
import { ingest } from '../../pipelines/ingest/ingest.ts';
import { MarketGraphRetriever } from '../../pipelines/retrieval/langchain-retriever.ts';
import { InvalidArgumentError } from '../../schema/errors.ts';
import { SAMPLE_DIR, tempDir } from '../fixtures/paths.ts';

const QUESTION = 'What did 0x3cc1edd8a25c912fcb51d7e61893e737c48cd98d exploit?';

describe('MarketGraphRetriever on the sample incidents', () => {
  const tmp = tempDir();
  let graph: SqliteGraphStore;

  beforeAll(async () => {
    graph = SqliteGraphStore.open(join(tmp.dir, 'lc.db'));
    const report = await ingest(graph, {
      paths: [join(SAMPLE_DIR, 'chains.json'), join(SAMPLE_DIR, 'incidents_2023_2024.csv')],
      now: () => Date.UTC(2026, 10, 21),
    });
    expect(report.files.filter((f) => f.error)).toEqual([]);
  });
  afterAll(async () => {
    await graph.close();
    tmp.cleanup();
  });

  it('returns one Document per fact with the EXPLOITED fact to Bizness and its source', async () => {
    const docs = await new MarketGraphRetriever({ graph, tokenBudget: 500 }).invoke(QUESTION);
    expect(docs.length).toBeGreaterThan(1);
    expect(docs.every((d) => d instanceof Document)).toBe(true);
    const exploited = docs.find((d) => d.metadata.kind === 'fact' && d.metadata.type === 'EXPLOITED' && d.metadata.object === 'ent:protocol:bizness');
    expect(exploited).toBeDefined();
    expect(exploited!.pageContent).toMatch(/^\[F\d+\] 2024-12-27 .*—EXPLOITED→ Bizness/);
    expect(exploited!.metadata).toMatchObject({
      kind: 'fact', subject: 'eip155:8453:0x3cc1edd8a25c912fcb51d7e61893e737c48cd98d', predicate: 'exploited',
      time: '2024-12-27T00:00:00.000Z', source: expect.stringMatching(/^src:incidents:/), factId: expect.stringMatching(/^fact:/),
    });
    expect(exploited!.id).toBe(exploited!.metadata.kind === 'fact' ? exploited!.metadata.factId : null);
  });

  it('sees no Bizness fact as of the day before the incident', async () => {
    const docs = await new MarketGraphRetriever({ graph, asOf: Date.UTC(2024, 11, 26) }).invoke(QUESTION);
    expect(docs.filter((d) => /bizness/i.test(d.pageContent) || JSON.stringify(d.metadata).toLowerCase().includes('bizness'))).toEqual([]);
  });

  it('returns the whole context as one Document with perFact false', async () => {
    const docs = await new MarketGraphRetriever({ graph, perFact: false, tokenBudget: 500 }).invoke(QUESTION);
    expect(docs).toHaveLength(1);
    expect(docs[0]!.pageContent).toContain('—EXPLOITED→ Bizness');
    expect(docs[0]!.metadata).toMatchObject({ kind: 'context', sources: expect.arrayContaining([expect.stringMatching(/^src:incidents:/)]) });
    const meta = docs[0]!.metadata;
    expect(meta.kind === 'context' && meta.factIds.length === docs[0]!.pageContent.split('\n').filter((l) => l.startsWith('[F')).length).toBe(true);
  });

  it('passes retrieveContext argument errors through', async () => {
    await expect(new MarketGraphRetriever({ graph }).invoke('  ')).rejects.toThrow(InvalidArgumentError);
    await expect(new MarketGraphRetriever({ graph, tokenBudget: 0 }).invoke(QUESTION)).rejects.toThrow(/tokenBudget/);
  });
});
