/**
 * Drawdowns: one Drawdown event per episode, on the first bar whose close is more than
 * `threshold` below the running peak close. The episode ends when a close regains the peak; only
 * then can a new one start, so a long slide is one event, not one per bar.
 *
 * Default threshold 20%: the conventional line between a correction (10–20%) and a bear market.
 */
import type { GraphBatch } from '../../schema/graph.ts';
import type { PriceBar } from '../../schema/records.ts';
import type { AssetRef } from './assets.ts';
import { assetLabel, detectionBatch, detectorMethod, positiveParam, type DetectorInfo } from './series-events.ts';
import type { SeriesDetector } from './types.ts';

export const DRAWDOWN_DETECTOR = 'drawdown';
export const DRAWDOWN_VERSION = '1';

export interface DrawdownParams {
  /** Decline from the peak, as a fraction (0.2 = 20%), that opens an episode. @default 0.2 */
  threshold: number;
}

export const DRAWDOWN_DEFAULTS: Readonly<DrawdownParams> = { threshold: 0.2 };

/** Fills in defaults and validates. @throws InvalidArgumentError for out-of-range values */
export function drawdownParams(params: Partial<DrawdownParams> = {}): DrawdownParams {
  return { threshold: positiveParam('drawdown.threshold', params.threshold ?? DRAWDOWN_DEFAULTS.threshold, 1) };
}

/** A streaming Drawdown detector for one asset; state is the peak and whether an episode is open. */
export function createDrawdownDetector(
  asset: AssetRef,
  sourceId: string,
  params: Partial<DrawdownParams> = {},
): SeriesDetector<PriceBar> {
  const { threshold } = drawdownParams(params);
  const info: DetectorInfo = { name: DRAWDOWN_DETECTOR, version: DRAWDOWN_VERSION, params: { threshold } };
  const method = detectorMethod('peak', info.params, DRAWDOWN_DEFAULTS);
  let peak: { close: number; date: string } | null = null;
  let inEpisode = false;

  return {
    ...info,
    push(bar: PriceBar): GraphBatch {
      if (peak === null || bar.close >= peak.close) {
        peak = { close: bar.close, date: bar.date };
        inEpisode = false;
        return { nodes: [], events: [], facts: [] };
      }
      const drawdown = 1 - bar.close / peak.close;
      if (inEpisode || drawdown <= threshold) return { nodes: [], events: [], facts: [] };
      inEpisode = true;
      return detectionBatch(info, asset, sourceId, {
        type: 'Drawdown',
        method,
        date: bar.date,
        window: { from: peak.date, to: bar.date },
        summary: `${assetLabel(asset)} closed ${(drawdown * 100).toFixed(1)}% below its ${peak.date} peak `
          + `(${peak.close} → ${bar.close}) on ${bar.date}`,
        attrs: { peakDate: peak.date, peakClose: peak.close, close: bar.close, drawdown, drawdownPct: drawdown * 100 },
      });
    },
    finish(): GraphBatch {
      return { nodes: [], events: [], facts: [] };
    },
  };
}
