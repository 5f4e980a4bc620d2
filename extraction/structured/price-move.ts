/**
 * k-sigma price moves: a bar whose close-to-close log return exceeds k times the sample standard
 * deviation of the previous `window` log returns (the current return excluded, so a crash does
 * not hide itself by inflating its own yardstick).
 *
 * Defaults: window 20 (about one trading month, the conventional short-horizon volatility window,
 * as in 20-day Bollinger bands and 1-month realised volatility) and k = 3 (a 3-sigma move; under
 * a normal model about 1 bar in 370, in fat-tailed markets a few per hundred). The σ is the
 * return's own scale, so the same defaults serve a calm index and a volatile coin.
 */
import type { GraphBatch } from '../../schema/graph.ts';
import type { PriceBar } from '../../schema/records.ts';
import type { AssetRef } from './assets.ts';
import { assetLabel, detectionBatch, detectorMethod, intParam, positiveParam, RecentWindow, type DetectorInfo } from './series-events.ts';
import type { SeriesDetector } from './types.ts';

export const PRICE_MOVE_DETECTOR = 'price-move';
export const PRICE_MOVE_VERSION = '1';

export interface PriceMoveParams {
  /** Number of previous log returns σ is estimated from. @default 20 */
  window: number;
  /** Threshold in standard deviations. @default 3 */
  k: number;
}

export const PRICE_MOVE_DEFAULTS: Readonly<PriceMoveParams> = { window: 20, k: 3 };

/** Sample standard deviation (n − 1) of at least two values, computed in two passes for stability. */
export function sampleStdDev(values: readonly number[]): number {
  const n = values.length;
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  return Math.sqrt(squares / (n - 1));
}

/** Fills in defaults and validates. @throws InvalidArgumentError for out-of-range values */
export function priceMoveParams(params: Partial<PriceMoveParams> = {}): PriceMoveParams {
  return {
    window: intParam('priceMove.window', params.window ?? PRICE_MOVE_DEFAULTS.window, 2),
    k: positiveParam('priceMove.k', params.k ?? PRICE_MOVE_DEFAULTS.k),
  };
}

/**
 * A streaming PriceMove detector for one asset. σ needs `window` previous returns, so the first
 * `window + 1` bars only warm it up. A window of identical closes has σ = 0: any move off it is
 * reported (a stablecoin leaving its peg is exactly that) with `zScore` null.
 */
export function createPriceMoveDetector(
  asset: AssetRef,
  sourceId: string,
  params: Partial<PriceMoveParams> = {},
): SeriesDetector<PriceBar> {
  const { window, k } = priceMoveParams(params);
  const info: DetectorInfo = { name: PRICE_MOVE_DETECTOR, version: PRICE_MOVE_VERSION, params: { window, k } };
  const method = detectorMethod('ksigma', info.params, PRICE_MOVE_DEFAULTS);
  /** Each return with the date of the bar it starts from, so the window's first date is known. */
  const recent = new RecentWindow<{ ret: number; fromDate: string }>(window);
  let prev: PriceBar | null = null;

  return {
    ...info,
    push(bar: PriceBar): GraphBatch {
      const before = prev;
      prev = bar;
      if (before === null) return { nodes: [], events: [], facts: [] };
      const ret = Math.log(bar.close / before.close);
      let out: GraphBatch = { nodes: [], events: [], facts: [] };
      if (recent.full) {
        const past = recent.values();
        const sigma = sampleStdDev(past.map((p) => p.ret));
        if (Math.abs(ret) > k * sigma) {
          const pct = (bar.close / before.close - 1) * 100;
          const z = sigma > 0 ? ret / sigma : null;
          const direction = ret > 0 ? 'up' : 'down';
          const strength = z === null ? 'after a flat window' : `${Math.abs(z).toFixed(1)}σ`;
          out = detectionBatch(info, asset, sourceId, {
            type: 'PriceMove',
            method,
            date: bar.date,
            window: { from: past[0]?.fromDate ?? before.date, to: bar.date },
            summary: `${assetLabel(asset)} ${direction === 'up' ? 'rose' : 'fell'} ${Math.abs(pct).toFixed(1)}% on ${bar.date} (${strength})`,
            attrs: { logReturn: ret, pctChange: pct, sigma, zScore: z, close: bar.close, prevClose: before.close, direction },
          });
        }
      }
      recent.push({ ret, fromDate: before.date });
      return out;
    },
    finish(): GraphBatch {
      return { nodes: [], events: [], facts: [] };
    },
  };
}
