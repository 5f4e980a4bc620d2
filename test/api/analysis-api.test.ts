/**
 * `paths` and `riskExposure` through GraphQL on the sample incidents: results at the field's
 * asOf, and bad input as BAD_USER_INPUT / NOT_FOUND naming the problem.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type Api } from '../../api/index.ts';
import { SqliteGraphStore } from '../../graph/sqlite/sqlite-graph-store.ts';
import { ingest } from '../../pipelines/ingest/ingest.ts';
import { postGraphql, queryData } from '../fixtures/graphql-client.ts';
import { SAMPLE_DIR, tempDir } from '../fixtures/paths.ts';

const ATTACKER = 'eip155:8453:0x3cc1edd8a25c912fcb51d7e61893e737c48cd98d';
const RISK = `query($s: ID!, $asOf: DateTime, $h: Int) { riskExposure(subject: $s, asOf: $asOf, maxHops: $h) { score flagged { id reasons hops } } }`;

describe('paths and riskExposure over GraphQL', () => {
  const tmp = tempDir('mkg-analysis-api-');
  let graph: SqliteGraphStore;
  let yoga: Api;

  beforeAll(async () => {
    graph = SqliteGraphStore.open(join(tmp.dir, 'g.db'));
    await ingest(graph, { paths: [join(SAMPLE_DIR, 'incidents_2023_2024.csv')] });
    yoga = createApi({ graph, logger: false });
  });
  afterAll(async () => {
    await graph.close();
    tmp.cleanup();
  });

  it('flags the Bizness attacker itself, and not before the incident was known', async () => {
    const now = (await queryData(yoga, RISK, { s: ATTACKER.toUpperCase().replace('EIP155', 'eip155') })).riskExposure;
    expect(now.score).toBe(1);
    expect(now.flagged[0]).toMatchObject({ id: ATTACKER, hops: 0, reasons: [expect.stringMatching(/attacker in Incident 20241227_Bizness/)] });
    const before = (await queryData(yoga, RISK, { s: ATTACKER, asOf: '2024-12-26' })).riskExposure;
    expect(before).toEqual({ score: 0, flagged: [] });
  });

  it('says what is wrong: maxHops over the maximum, an unknown subject', async () => {
    const far = await postGraphql(yoga, RISK, { s: ATTACKER, h: 9 });
    expect(far.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(far.errors?.[0]?.message).toMatch(/maxHops: must be an integer from 1 to 4/);
    const unknown = await postGraphql(yoga, RISK, { s: 'eip155:1:0x0000000000000000000000000000000000000001' });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const paths = await postGraphql(yoga, `{ paths(from: "${ATTACKER}", to: "eip155:1:0x0000000000000000000000000000000000000001") { steps { type } } }`);
    expect(paths.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('answers context within the budget, with no look-ahead, and names bad input', async () => {
    const Q = `query($i: ContextInput!) { context(input: $i) { text tokens facts { subjectName type predicate objectName time source } seeds { id via } } }`;
    const question = `What did ${ATTACKER.split(':')[2]} exploit?`;
    const now = (await queryData(yoga, Q, { i: { question, tokenBudget: 300 } })).context;
    expect(now.tokens).toBeLessThanOrEqual(300);
    expect(now.seeds[0]).toMatchObject({ id: ATTACKER, via: expect.arrayContaining(['exact']) });
    expect(now.facts.some((f: { type: string; objectName: string }) => f.type === 'EXPLOITED' && f.objectName === 'Bizness')).toBe(true);
    const before = (await queryData(yoga, Q, { i: { question, asOf: '2024-12-26', tokenBudget: 300 } })).context;
    expect(before.facts.filter((f: { time: string | null }) => f.time !== null && f.time > '2024-12-26T00:00:00.000Z')).toEqual([]);
    expect(before.text).not.toMatch(/Bizness/);
    const future = (await queryData(yoga, Q, { i: { question, asOf: '2100-01-01', tokenBudget: 300 } })).context;
    expect(future.facts.length).toBeGreaterThan(0);
    for (const [input, pattern] of [
      [{ question: '   ' }, /question/],
      [{ question, tokenBudget: 0 }, /tokenBudget/],
      [{ question, tokenBudget: 10_000_000 }, /tokenBudget/],
      [{ question, maxHops: 9 }, /maxHops/],
      [{ question: 'x'.repeat(100_000) }, /10000|10,000/],
    ] as const) {
      const r = await postGraphql(yoga, Q, { i: input });
      expect(r.errors?.[0]?.extensions?.code, JSON.stringify(input).slice(0, 80)).toBe('BAD_USER_INPUT');
      expect(r.errors?.[0]?.message).toMatch(pattern);
    }
  });

  it('reports unknown tickers and answers the rest; bad windows are BAD_USER_INPUT', async () => {
    const ok = (await queryData(yoga, `{ portfolioSignals(universe: ["NOPE"], lookbackDays: 30) { tickers { ticker entityId } unknown { ticker reason } w_max } }`)).portfolioSignals;
    expect(ok.unknown).toEqual([{ ticker: 'NOPE', reason: expect.any(String) }]);
    expect(ok.w_max).toMatchObject({ others: 1 });
    const bad = await postGraphql(yoga, `{ portfolioSignals(universe: ["ETH"], lookbackDays: 0) { tickers { ticker } } }`);
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0]?.message).toMatch(/lookbackDays/);
  });
});
