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
});
