/**
 * Risk exposure and paths on the real sample: the incidents file, the two Ethereum blocks and the
 * address labels, ingested into a fresh SQLite file.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteGraphStore } from '../../graph/sqlite/sqlite-graph-store.ts';
import { ingest } from '../../pipelines/ingest/ingest.ts';
import { findPaths } from '../../pipelines/paths/paths.ts';
import { riskExposure } from '../../pipelines/paths/risk.ts';
import { SAMPLE_BLOCKS_DIR, SAMPLE_DIR, tempDir } from '../fixtures/paths.ts';

const BIZNESS_ATTACKER = 'eip155:8453:0x3cc1edd8a25c912fcb51d7e61893e737c48cd98d';
const UNISWAP_ROUTER = 'eip155:1:0xef1c6e67703c7bd7107eed8303fbe6ec2554bf6b';
const WETH_TRANSFER = 'evt:transfer:eip155:1:0xeb107a40ba73a50c79a9f2026e902d758d1c5e5e211f7a7db1b294f88f118dd0:0';

describe('paths and risk exposure on the sample', () => {
  const tmp = tempDir();
  let store: SqliteGraphStore;

  beforeAll(async () => {
    store = SqliteGraphStore.open(join(tmp.dir, 'risk.db'));
    const report = await ingest(store, {
      paths: [
        join(SAMPLE_DIR, 'chains.json'), join(SAMPLE_DIR, 'incidents_2023_2024.csv'),
        join(SAMPLE_DIR, 'address_labels_subset.json'), SAMPLE_BLOCKS_DIR,
      ],
      now: () => Date.UTC(2026, 10, 21),
    });
    expect(report.files.filter((f) => f.error)).toEqual([]);
  });
  afterAll(async () => {
    await store.close();
    tmp.cleanup();
  });

  it('flags the Bizness attacker itself at hops 0, naming the incident', async () => {
    const risk = await riskExposure(store, { subject: BIZNESS_ATTACKER, asOf: Date.UTC(2025, 0, 1) });
    const self = risk.flagged.find((f) => f.id === BIZNESS_ATTACKER);
    expect(self).toMatchObject({ hops: 0, weight: 1, path: { hops: 0, steps: [] } });
    expect(self!.reasons).toContainEqual(expect.stringMatching(/^attacker in Incident .*Bizness/));
    expect(risk.score).toBe(1);
    expect(risk.evidence).toBeGreaterThan(0);
  });

  it('does not flag it as of 2024-12-26, before the incident', async () => {
    const risk = await riskExposure(store, { subject: BIZNESS_ATTACKER, asOf: Date.UTC(2024, 11, 26, 23, 59) });
    expect(risk.flagged).toEqual([]);
    expect(risk.score).toBe(0);
  });

  it('finds the big WETH transfer as a one-hop path between its sender and receiver', async () => {
    const event = (await store.getEvent(WETH_TRANSFER))!;
    const from = event.participants.find((p) => p.role === 'from')!.entityId;
    const to = event.participants.find((p) => p.role === 'to')!.entityId;
    const r = await findPaths(store, { from, to, maxHops: 2, asOf: Date.UTC(2025, 0, 1), limit: 50 });
    const step = r.paths.find((p) => p.steps[0]!.via.eventId === WETH_TRANSFER)?.steps[0];
    expect(step?.via).toMatchObject({
      type: 'Transfer', txHash: '0xeb107a40ba73a50c79a9f2026e902d758d1c5e5e211f7a7db1b294f88f118dd0',
      // Without the token list (metamask-contract-map.json) decimals are unknown: the raw value only.
      amounts: [expect.objectContaining({ role: 'value', raw: '7056176614974947328' })],
    });
  });

  it('expands around a busy router within the caps and finds nothing flagged in the blocks', async () => {
    const risk = await riskExposure(store, { subject: UNISWAP_ROUTER, maxHops: 2 });
    expect(risk.flagged).toEqual([]);
    expect(risk.score).toBe(0);
  });
});
