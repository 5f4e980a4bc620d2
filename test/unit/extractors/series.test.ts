import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../schema/errors.ts';
import { sourceId } from '../../../schema/ids.ts';
import { PriceBar } from '../../../schema/records.ts';
import { assetForSymbol } from '../../../extraction/structured/assets.ts';
import { createChainRegistry } from '../../../extraction/structured/chain-registry.ts';
import { createDrawdownDetector } from '../../../extraction/structured/drawdown.ts';
import { createPriceMoveDetector, PRICE_MOVE_DEFAULTS } from '../../../extraction/structured/price-move.ts';
import { createSeriesExtractor, type SeriesParams } from '../../../extraction/structured/series.ts';
import { RecentWindow } from '../../../extraction/structured/series-events.ts';
import { createTokenRegistry } from '../../../extraction/structured/token-registry.ts';
import type { ExtractContext, ExtractOutput, SeriesDetector } from '../../../extraction/structured/types.ts';
import { createVolumeSpikeDetector } from '../../../extraction/structured/volume-spike.ts';
import { SAMPLE_DIR } from '../../fixtures/paths.ts';

const num = (v: string | undefined): number | null => (v === undefined || v === '' || v === 'null' ? null : Number(v));

/** A Yahoo-style OHLCV CSV (Date,Open,High,Low,Close,Adj Close,Volume) as PriceBar records. */
function ohlcv(file: string, symbol: string): PriceBar[] {
  const [, ...lines] = readFileSync(join(SAMPLE_DIR, file), 'utf8').trim().split('\n');
  return lines.map((line) => {
    const [date, open, high, low, close, adj, volume] = line.split(',');
    return PriceBar.parse({
      symbol, date, open: num(open), high: num(high), low: num(low), close: num(close), adjClose: num(adj), volume: num(volume),
    });
  });
}

function context(kind = 'ohlcv'): ExtractContext {
  return {
    sourceId: sourceId(kind, join(SAMPLE_DIR, kind)), file: kind, ingestedAt: Date.UTC(2025, 0, 1), chainId: 1,
    tokens: createTokenRegistry(), chains: createChainRegistry(), blockTimes: new Map(),
  };
}

function run(bars: PriceBar[], params?: SeriesParams): ExtractOutput {
  const extractor = createSeriesExtractor(context(), params);
  const outs = bars.map((b, i) => extractor.push(b, i + 2));
  outs.push(extractor.finish());
  return {
    nodes: outs.flatMap((o) => o.nodes), events: outs.flatMap((o) => o.events),
    facts: outs.flatMap((o) => o.facts), issues: outs.flatMap((o) => o.issues),
  };
}

/** Consecutive daily bars from 2020-01-01 with the given closes and volumes. */
function series(symbol: string, closes: number[], volumes?: number[]): PriceBar[] {
  return closes.map((close, i) => ({
    symbol, date: new Date(Date.UTC(2020, 0, 1 + i)).toISOString().slice(0, 10),
    open: null, high: null, low: null, close, adjClose: null, volume: volumes?.[i] ?? 1000,
  }));
}

/** Small deterministic wiggle (±0.5%) so a series has a non-zero volatility. */
const wiggle = (n: number, level = 100): number[] => Array.from({ length: n }, (_, i) => level * (1 + (i % 2 ? 0.005 : -0.005)));

describe('price moves on the real ETH series', () => {
  const eth = ohlcv('eth_usd_daily_2017_2019.csv', 'ETH');
  const out = run(eth);
  const moves = out.events.filter((e) => e.type === 'PriceMove');

  it('flags the 2018-09-05 fall and the 2017-12-12 rise with the default window 20, k 3', () => {
    expect(PRICE_MOVE_DEFAULTS).toEqual({ window: 20, k: 3 });
    const fall = moves.find((e) => e.id === 'evt:pricemove:asset:crypto:ETH:2018-09-05:ksigma');
    const rise = moves.find((e) => e.id === 'evt:pricemove:asset:crypto:ETH:2017-12-12:ksigma');
    expect(fall?.summary).toBe('ETH fell 18.7% on 2018-09-05 (5.1σ)');
    expect(rise?.summary).toBe('ETH rose 26.5% on 2017-12-12 (3.7σ)');
    expect(fall?.attrs).toMatchObject({ direction: 'down', close: 232.330994, prevClose: 285.722992 });
    expect(fall?.attrs.pctChange).toBeCloseTo(-18.687, 2);
    expect(fall?.attrs.detector).toEqual({
      name: 'price-move', version: '1', params: { window: 20, k: 3 }, window: { from: '2018-08-15', to: '2018-09-05' },
    });
    // A 3σ rule on a fat-tailed daily series fires a few times in a hundred bars, not every week.
    expect(moves.length).toBeGreaterThan(10);
    expect(moves.length).toBeLessThan(eth.length * 0.05);
  });

  it('records each detection at the end of its day, when the close is known', () => {
    for (const e of out.events) {
      expect(e.recordedAt).toBe(e.occurredAt + 86_400_000 - 1);
      expect(new Date(e.occurredAt).toISOString().endsWith('T00:00:00.000Z')).toBe(true);
    }
    const participation = out.facts.filter((f) => f.type === 'PARTICIPANT');
    expect(participation).toHaveLength(out.events.length);
    expect(new Set(participation.map((f) => f.object))).toEqual(new Set(['asset:crypto:ETH']));
    expect(out.nodes).toEqual([expect.objectContaining({ id: 'asset:crypto:ETH', kind: 'Asset', name: 'Ethereum', aliases: ['ETH'] })]);
  });

  it('finds the 2018 bear market as drawdown episodes, one event each', () => {
    const drawdowns = out.events.filter((e) => e.type === 'Drawdown');
    expect(drawdowns.length).toBeGreaterThan(0);
    const first = drawdowns[0]!;
    expect(first.attrs.drawdown as number).toBeGreaterThan(0.2);
    // Episodes are separated by a new peak: each later one starts from a peak after the previous event.
    for (let i = 1; i < drawdowns.length; i++) {
      expect((drawdowns[i]!.attrs.peakDate as string) > new Date(drawdowns[i - 1]!.occurredAt).toISOString().slice(0, 10)).toBe(true);
    }
  });

  it('is deterministic', () => {
    expect(run(eth)).toEqual(out);
  });
});

describe('detectors on hand-made series', () => {
  const asset = assetForSymbol('TEST');
  const src = 'src:test:1';
  const feed = (d: SeriesDetector<PriceBar>, bars: PriceBar[]) =>
    [...bars.map((b, i) => d.push(b, i + 1)), d.finish()].flatMap((b) => b.events);

  it('reports nothing on a flat series', () => {
    expect(run(series('FLAT', Array(60).fill(100))).events).toEqual([]);
  });

  it('reports one price move for a single jump', () => {
    const closes = [...wiggle(30), 112, ...Array.from({ length: 29 }, (_, i) => 112 * (1 + (i % 2 ? 0.005 : -0.005)))];
    const events = feed(createPriceMoveDetector(asset, src), series('TEST', closes));
    expect(events.map((e) => e.attrs.direction)).toEqual(['up']);
    expect(events[0]?.occurredAt).toBe(Date.UTC(2020, 0, 31));
  });

  it('reports a move off a perfectly flat window (a depeg) with no z-score', () => {
    const events = feed(createPriceMoveDetector(asset, src), series('TEST', [...Array(25).fill(1), 0.9]));
    expect(events).toHaveLength(1);
    expect(events[0]?.attrs.zScore).toBeNull();
    expect(events[0]?.summary).toBe('TEST fell 10.0% on 2020-01-26 (after a flat window)');
  });

  it('reports one volume spike for a single heavy day', () => {
    const volumes = Array.from({ length: 50 }, (_, i) => (i === 30 ? 5000 : 1000 + (i % 3) * 50));
    const events = feed(createVolumeSpikeDetector(asset, src), series('TEST', Array(50).fill(100), volumes));
    expect(events).toHaveLength(1);
    expect(events[0]?.attrs).toMatchObject({ volume: 5000 });
    expect(events[0]?.summary).toMatch(/^TEST traded 4\.8× its 20-bar average volume on 2020-01-31$/);
  });

  it('reports one drawdown per episode', () => {
    const closes = [100, 95, 85, 79, 70, 75, 78, 101, 90, 80, 85, 102];
    const events = feed(createDrawdownDetector(asset, src), series('TEST', closes));
    expect(events.map((e) => [new Date(e.occurredAt).toISOString().slice(0, 10), e.attrs.peakDate, e.attrs.peakClose])).toEqual([
      ['2020-01-04', '2020-01-01', 100],
      ['2020-01-10', '2020-01-08', 101],
    ]);
  });

  it('keeps state bounded to the window', () => {
    const w = new RecentWindow<number>(3);
    for (let i = 0; i < 10; i++) w.push(i);
    expect(w.values()).toEqual([7, 8, 9]);
  });

  it('rejects out-of-range parameters', () => {
    expect(() => createSeriesExtractor(context(), { priceMove: { window: 1 } })).toThrow(InvalidArgumentError);
    expect(() => createSeriesExtractor(context(), { drawdown: { threshold: 1.5 } })).toThrow(InvalidArgumentError);
    expect(() => createSeriesExtractor(context(), { volumeSpike: { multiple: 0 } })).toThrow(InvalidArgumentError);
  });
});

describe('the series extractor', () => {
  it('handles interleaved symbols exactly as if each were alone', () => {
    const a = series('ETH-USD', [...wiggle(30), 130, ...wiggle(10, 130)]);
    const b = series('MSFT', [...wiggle(25, 50), 40, ...wiggle(10, 40)]);
    const together = run(a.flatMap((bar, i) => (b[i] ? [bar, b[i]] : [bar])));
    const alone = [run(a), run(b)];
    const ids = (o: ExtractOutput) => o.events.map((e) => e.id).sort();
    expect(ids(together)).toEqual([...ids(alone[0]!), ...ids(alone[1]!)].sort());
    expect(together.nodes.map((n) => n.id).sort()).toEqual(['asset:crypto:ETH', 'asset:equity:MSFT']);
  });

  it('rejects a bar that goes back in time and carries on', () => {
    const bars = series('ETH', wiggle(5));
    const out = run([...bars, bars[2]!]);
    expect(out.issues).toEqual([{
      line: 7, code: 'BAR_OUT_OF_ORDER', severity: 'error',
      reason: 'ETH bar dated 2020-01-03 does not follow 2020-01-05; series must be in date order',
    }]);
  });
});

describe('assetForSymbol', () => {
  it('maps crypto tickers, the S&P 500 and equities', () => {
    expect(assetForSymbol('ETH')).toEqual({ id: 'asset:crypto:ETH', name: 'Ethereum', market: 'crypto', symbol: 'ETH' });
    expect(assetForSymbol('eth-usd').id).toBe('asset:crypto:ETH');
    expect(assetForSymbol('BTCUSDT').id).toBe('asset:crypto:BTC');
    for (const s of ['SP500', 'SPX', '^GSPC', 'GSPC', 'S&P 500', 'sp500_daily_ohlcv_2000_2020']) {
      expect(assetForSymbol(s)).toEqual({ id: 'asset:index:SPX', name: 'S&P 500', market: 'index', symbol: 'SPX' });
    }
    expect(assetForSymbol('MSFT')).toEqual({ id: 'asset:equity:MSFT', name: 'MSFT', market: 'equity', symbol: 'MSFT' });
    expect(assetForSymbol('brk.b').id).toBe('asset:equity:BRK.B');
  });

  it('summarises index moves by the index name', () => {
    const spx = ohlcv('sp500_daily_ohlcv_2000_2020.csv', 'SP500');
    const out = run(spx);
    const moves = out.events.filter((e) => e.type === 'PriceMove');
    expect(moves.length).toBeGreaterThan(0);
    expect(moves.every((e) => e.summary.startsWith('S&P 500 '))).toBe(true);
    expect(out.issues).toEqual([]);
  });
});
