/**
 * portfolioSignals on the real sample price series (ETH daily 2017–2019, stocks monthly 2000–2010)
 * ingested into a fresh SQLite file.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteGraphStore } from '../../graph/sqlite/sqlite-graph-store.ts';
import { ingest } from '../../pipelines/ingest/ingest.ts';
import { portfolioSignals } from '../../pipelines/signals/portfolio-signals.ts';
import { SAMPLE_DIR, tempDir } from '../fixtures/paths.ts';

const ETH_CRASH = 'evt:pricemove:asset:crypto:ETH:2018-09-05:ksigma';

describe('portfolioSignals on the sample', () => {
  const tmp = tempDir();
  let graph: SqliteGraphStore;

  beforeAll(async () => {
    graph = SqliteGraphStore.open(join(tmp.dir, 'signals.db'));
    const report = await ingest(graph, {
      paths: [join(SAMPLE_DIR, 'eth_usd_daily_2017_2019.csv'), join(SAMPLE_DIR, 'stocks_monthly_2000_2010.csv')],
      now: () => Date.UTC(2026, 10, 21),
    });
    expect(report.files.filter((f) => f.error)).toEqual([]);
  });
  afterAll(async () => {
    await graph.close();
    tmp.cleanup();
  });

  it('tilts ETH down after the 2018-09-05 crash and reports NOPE as unknown', async () => {
    const s = await portfolioSignals(graph, { universe: ['ETH', 'MSFT', 'NOPE'], asOf: Date.UTC(2018, 8, 10), lookbackDays: 30 });
    expect(s.tickers.map((t) => [t.ticker, t.entityId])).toEqual([
      ['ETH', 'asset:crypto:ETH'], ['MSFT', 'asset:equity:MSFT'], ['NOPE', null],
    ]);
    const eth = s.tickers[0]!;
    expect(eth.tilt).toBeLessThan(0);
    expect(eth.evidence).toContain(ETH_CRASH);
    expect(eth.signals.find((x) => x.eventId === ETH_CRASH)).toMatchObject({ type: 'PriceMove', role: 'asset' });
    expect(eth.signals.every((x) => x.occurredAt <= s.asOf && x.occurredAt >= s.from)).toBe(true);
    // MSFT's monthly bars end in 2010: nothing in the window.
    expect(s.tickers[1]).toMatchObject({ tilt: 0, evidence: [] });
    expect(s.unknown).toEqual([{ ticker: 'NOPE', reason: expect.stringMatching(/no Asset or Token/) }]);
    expect(s.w_min).toEqual({ others: 0 });
    expect(s.w_max).toEqual({ others: 1 });
    expect(s.exclusions).toEqual([]);
    const crash = s.stress_scenarios.find((x) => x.eventId === ETH_CRASH);
    expect(crash!.shocks.ETH).toBeCloseTo(232.330994 / 285.722992 - 1, 6);
    expect(crash!.evidence).toContain(ETH_CRASH);
  });

  it('does not see the crash as of the day before it', async () => {
    const s = await portfolioSignals(graph, { universe: ['ETH'], asOf: Date.UTC(2018, 8, 4, 23, 59), lookbackDays: 30 });
    expect(s.tickers[0]!.evidence).not.toContain(ETH_CRASH);
    expect(s.stress_scenarios.map((x) => x.eventId)).not.toContain(ETH_CRASH);
  });
});
