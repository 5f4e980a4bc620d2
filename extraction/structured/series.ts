/**
 * The series extractor: price bars of any number of symbols, in file order, → detector events.
 * One detector set per symbol; the Asset node is emitted once, with the symbol's first bar. Memory
 * is O(symbols × window), never O(bars).
 */
import { NamePriority, type GraphBatch, type NodeInput } from '../../schema/graph.ts';
import type { PriceBar } from '../../schema/records.ts';
import { assetForSymbol, type AssetRef } from './assets.ts';
import { createDrawdownDetector, DRAWDOWN_DEFAULTS, drawdownParams, type DrawdownParams } from './drawdown.ts';
import { emptyOutput } from './facts.ts';
import { createPriceMoveDetector, PRICE_MOVE_DEFAULTS, priceMoveParams, type PriceMoveParams } from './price-move.ts';
import { dayEndMs } from './dates.ts';
import type { ExtractContext, ExtractOutput, SeriesDetector } from './types.ts';
import { createVolumeSpikeDetector, VOLUME_SPIKE_DEFAULTS, volumeSpikeParams, type VolumeSpikeParams } from './volume-spike.ts';

/** Per-detector parameter overrides; anything omitted keeps the detector's default. */
export interface SeriesParams {
  priceMove?: Partial<PriceMoveParams>;
  drawdown?: Partial<DrawdownParams>;
  volumeSpike?: Partial<VolumeSpikeParams>;
}

/** The detector parameters of an ingest or re-extraction run (defaults where absent). */
export type DetectorParams = SeriesParams;

/**
 * A short, stable description of the parameters that differ from the defaults, e.g.
 * `price-move(k=2.5)`; '' when all are defaults. Part of a source's `version`.
 * @throws InvalidArgumentError when a parameter is out of range
 */
export function describeDetectorParams(params: DetectorParams = {}): string {
  const parts: string[] = [];
  const add = (name: string, actual: Readonly<Record<string, number>>, defaults: Readonly<Record<string, number>>): void => {
    const changed = Object.keys(actual).sort().filter((key) => actual[key] !== defaults[key]);
    if (changed.length) parts.push(`${name}(${changed.map((key) => `${key}=${actual[key]}`).join(',')})`);
  };
  add('price-move', { ...priceMoveParams(params.priceMove) }, PRICE_MOVE_DEFAULTS);
  add('drawdown', { ...drawdownParams(params.drawdown) }, DRAWDOWN_DEFAULTS);
  add('volume-spike', { ...volumeSpikeParams(params.volumeSpike) }, VOLUME_SPIKE_DEFAULTS);
  return parts.join(',');
}

/** Streaming extractor over bars; `push` returns what each bar completes, `finish` the rest. */
export interface SeriesExtractor {
  push(bar: PriceBar, line: number): ExtractOutput;
  finish(): ExtractOutput;
}

interface SymbolState {
  asset: AssetRef;
  detectors: SeriesDetector<PriceBar>[];
  lastDate: string;
}

function append(into: ExtractOutput, batch: GraphBatch): void {
  into.nodes.push(...batch.nodes);
  into.events.push(...batch.events);
  into.facts.push(...batch.facts);
}

function assetNode(asset: AssetRef, symbol: string, recordedAt: number, sourceId: string): NodeInput {
  const aliases = [...new Set([asset.symbol, symbol.trim()])].filter((a) => a !== '' && a !== asset.name);
  return {
    id: asset.id,
    kind: 'Asset',
    name: asset.name,
    // A ticker standing in for a name is a fallback; a name we know for the ticker is derived.
    namePriority: asset.name === asset.symbol ? NamePriority.fallback : NamePriority.derived,
    aliases,
    attrs: { market: asset.market, symbol: asset.symbol },
    validFrom: null,
    recordedAt,
    sourceId,
  };
}

/**
 * Creates a series extractor for one source. Bars of a symbol must come in increasing date order
 * (interleaving symbols is fine); a bar at or before the symbol's previous date is rejected with
 * an error issue, since detectors cannot look back in time.
 * @throws InvalidArgumentError when a parameter is out of range
 */
export function createSeriesExtractor(ctx: ExtractContext, params: SeriesParams = {}): SeriesExtractor {
  const symbols = new Map<string, SymbolState>();
  const emittedAssets = new Set<string>();
  const sourceId = ctx.sourceId;
  // Resolved up front so bad parameters fail at creation, not on the first bar.
  const priceMove = priceMoveParams(params.priceMove);
  const drawdown = drawdownParams(params.drawdown);
  const volumeSpike = volumeSpikeParams(params.volumeSpike);
  const makeDetectors = (asset: AssetRef): SeriesDetector<PriceBar>[] => [
    createPriceMoveDetector(asset, sourceId, priceMove),
    createDrawdownDetector(asset, sourceId, drawdown),
    createVolumeSpikeDetector(asset, sourceId, volumeSpike),
  ];

  return {
    push(bar: PriceBar, line: number): ExtractOutput {
      const out = emptyOutput();
      let state = symbols.get(bar.symbol);
      if (state === undefined) {
        const asset = assetForSymbol(bar.symbol);
        state = { asset, detectors: makeDetectors(asset), lastDate: '' };
        symbols.set(bar.symbol, state);
        if (!emittedAssets.has(asset.id)) {
          emittedAssets.add(asset.id);
          out.nodes.push(assetNode(asset, bar.symbol, dayEndMs(bar.date), sourceId));
        }
      }
      if (bar.date <= state.lastDate) {
        out.issues.push({
          line, code: 'BAR_OUT_OF_ORDER', severity: 'error',
          reason: `${bar.symbol} bar dated ${bar.date} does not follow ${state.lastDate}; series must be in date order`,
        });
        return out;
      }
      state.lastDate = bar.date;
      for (const d of state.detectors) append(out, d.push(bar, line));
      return out;
    },
    finish(): ExtractOutput {
      const out = emptyOutput();
      for (const state of symbols.values()) for (const d of state.detectors) append(out, d.finish());
      return out;
    },
  };
}
