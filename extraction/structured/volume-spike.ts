/**
 * Volume spikes: a bar whose volume exceeds `multiple` × the mean volume of the previous `window`
 * bars that had one (the current bar excluded). Defaults window 20 (about a trading month, the
 * usual average-volume baseline) and multiple 3 (well beyond ordinary day-to-day variation of
 * traded volume, which commonly swings by ±50%).
 */
import type { GraphBatch } from '../../schema/graph.ts';
import type { PriceBar } from '../../schema/records.ts';
import type { AssetRef } from './assets.ts';
import { assetLabel, detectionBatch, detectorMethod, intParam, positiveParam, RecentWindow, type DetectorInfo } from './series-events.ts';
import type { SeriesDetector } from './types.ts';

export const VOLUME_SPIKE_DETECTOR = 'volume-spike';
export const VOLUME_SPIKE_VERSION = '1';

export interface VolumeSpikeParams {
  /** Number of previous volumes averaged. @default 20 */
  window: number;
  /** How many times the average counts as a spike. @default 3 */
  multiple: number;
}

export const VOLUME_SPIKE_DEFAULTS: Readonly<VolumeSpikeParams> = { window: 20, multiple: 3 };

/** Fills in defaults and validates. @throws InvalidArgumentError for out-of-range values */
export function volumeSpikeParams(params: Partial<VolumeSpikeParams> = {}): VolumeSpikeParams {
  return {
    window: intParam('volumeSpike.window', params.window ?? VOLUME_SPIKE_DEFAULTS.window, 1),
    multiple: positiveParam('volumeSpike.multiple', params.multiple ?? VOLUME_SPIKE_DEFAULTS.multiple),
  };
}

/**
 * A streaming VolumeSpike detector for one asset. Bars without a volume (close-only series) are
 * neither tested nor averaged; an all-zero baseline has no scale and reports nothing.
 */
export function createVolumeSpikeDetector(
  asset: AssetRef,
  sourceId: string,
  params: Partial<VolumeSpikeParams> = {},
): SeriesDetector<PriceBar> {
  const { window, multiple } = volumeSpikeParams(params);
  const info: DetectorInfo = { name: VOLUME_SPIKE_DETECTOR, version: VOLUME_SPIKE_VERSION, params: { window, multiple } };
  const method = detectorMethod('mean', info.params, VOLUME_SPIKE_DEFAULTS);
  const recent = new RecentWindow<{ volume: number; date: string }>(window);

  return {
    ...info,
    push(bar: PriceBar): GraphBatch {
      const volume = bar.volume;
      if (volume === null) return { nodes: [], events: [], facts: [] };
      let out: GraphBatch = { nodes: [], events: [], facts: [] };
      if (recent.full) {
        const past = recent.values();
        const mean = past.reduce((sum, p) => sum + p.volume, 0) / past.length;
        if (mean > 0 && volume > multiple * mean) {
          const ratio = volume / mean;
          out = detectionBatch(info, asset, sourceId, {
            type: 'VolumeSpike',
            method,
            date: bar.date,
            window: { from: past[0]?.date ?? bar.date, to: bar.date },
            summary: `${assetLabel(asset)} traded ${ratio.toFixed(1)}× its ${window}-bar average volume on ${bar.date}`,
            attrs: { volume, meanVolume: mean, ratio, close: bar.close },
          });
        }
      }
      recent.push({ volume, date: bar.date });
      return out;
    },
    finish(): GraphBatch {
      return { nodes: [], events: [], facts: [] };
    },
  };
}
