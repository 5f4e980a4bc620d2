/**
 * Graph-RAG retrieval on a real SQLite store holding the ingested sample (and the example notes).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteGraphStore } from '../../graph/sqlite/sqlite-graph-store.ts';
import { ingest } from '../../pipelines/ingest/ingest.ts';
import { retrieveContext } from '../../pipelines/retrieval/context.ts';
import { InvalidArgumentError } from '../../schema/errors.ts';
import { EXAMPLE_NOTES_DIR, SAMPLE_DIR, tempDir } from '../fixtures/paths.ts';

const ATTACKER = '0x3cc1edd8a25c912fcb51d7e61893e737c48cd98d';

describe('retrieveContext on the sample', () => {
  const tmp = tempDir();
  let graph: SqliteGraphStore;

  beforeAll(async () => {
    graph = SqliteGraphStore.open(join(tmp.dir, 'sample.db'));
    await ingest(graph, { paths: [SAMPLE_DIR, EXAMPLE_NOTES_DIR], now: () => Date.UTC(2026, 10, 21) });
  });
  afterAll(async () => {
    await graph.close();
    tmp.cleanup();
  });

  it('answers a question naming the Bizness attacker with Bizness facts within 500 tokens', async () => {
    const ctx = await retrieveContext({ graph }, { question: `What did ${ATTACKER} do?`, tokenBudget: 500 });
    expect(ctx.seeds[0]).toMatchObject({ id: `eip155:8453:${ATTACKER}`, via: ['exact'] });
    expect(ctx.tokens).toBeLessThanOrEqual(500);
    expect(ctx.text).toContain('—EXPLOITED→ Bizness');
    expect(ctx.facts.some((f) => f.type === 'EXPLOITED' && f.object === 'ent:protocol:bizness' && f.source.startsWith('src:incidents:'))).toBe(true);
    expect(ctx.facts.length).toBe(ctx.text.split('\n').filter((l) => l.startsWith('[F')).length);
  });

  it('sees nothing of the incident as of the day before (no look-ahead)', async () => {
    const asOf = Date.UTC(2024, 11, 26);
    const ctx = await retrieveContext({ graph }, { question: `What did ${ATTACKER} do to Bizness?`, asOf, tokenBudget: 500 });
    expect(ctx.facts.filter((f) => /bizness/i.test(`${f.subject} ${f.object} ${f.subjectName} ${f.objectName}`))).toEqual([]);
    expect(ctx.facts.every((f) => f.time === null || f.time <= asOf)).toBe(true);
    expect(ctx.text).not.toMatch(/bizness/i);
  });

  it('finds the labelled Uniswap router by name', async () => {
    const ctx = await retrieveContext({ graph }, { question: 'What is the Uniswap Old Universal Router?', tokenBudget: 800 });
    expect(ctx.seeds[0]!.id).toBe('eip155:1:0xef1c6e67703c7bd7107eed8303fbe6ec2554bf6b');
    expect(ctx.text).toContain('Uniswap: Old Universal Router');
  });

  it('summarises the busiest account instead of expanding it when the fan-out cap is small', async () => {
    const counts = new Map<string, number>();
    let after: string | null = null;
    for (;;) {
      const page = await graph.findEvents({ type: 'Transfer' }, { first: 500, after });
      for (const { node } of page.edges) {
        for (const p of node.participants) if (p.role === 'from' || p.role === 'to') counts.set(p.entityId, (counts.get(p.entityId) ?? 0) + 1);
      }
      if (!page.hasNextPage) break;
      after = page.edges.at(-1)!.cursor;
    }
    const [busiest] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
    const address = busiest.split(':')[2]!;
    const ctx = await retrieveContext({ graph }, { question: `Who does ${address} trade with?`, tokenBudget: 2000 }, { fanOutCap: 5 });
    const hub = ctx.summaries.find((s) => s.id === busiest);
    expect(hub).toBeDefined();
    expect(hub!.degree).toBeGreaterThan(5);
    expect(hub!.byType[0]!.key).toBe('PARTICIPANT');
    expect(hub!.topCounterparties.length).toBeGreaterThan(0);
    expect(ctx.facts.filter((f) => f.subject === busiest || f.object === busiest)).toEqual([]);
    expect(ctx.text).toContain('[S1]');
  });

  it('returns an empty context for a question without seeds and rejects bad arguments', async () => {
    const empty = await retrieveContext({ graph }, { question: 'zzqx qqzx?' });
    expect(empty).toMatchObject({ text: '', tokens: 0, facts: [] });
    await expect(retrieveContext({ graph }, { question: '  ' })).rejects.toThrow(InvalidArgumentError);
    await expect(retrieveContext({ graph }, { question: 'x'.repeat(10_001) })).rejects.toThrow(/10000 characters/);
    await expect(retrieveContext({ graph }, { question: 'Bizness', tokenBudget: 0 })).rejects.toThrow(/1 to 100000/);
    await expect(retrieveContext({ graph }, { question: 'Bizness', tokenBudget: 100_001 })).rejects.toThrow(InvalidArgumentError);
    await expect(retrieveContext({ graph }, { question: 'Bizness', maxHops: 4 })).rejects.toThrow(/maxHops/);
  });
});
