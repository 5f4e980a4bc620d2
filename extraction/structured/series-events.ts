/**
 * What the series detectors share: the provenance block every detector event carries, parameter
 * checks, a fixed-size window of recent values, and the builder for a detector's event.
 *
 * Times: a daily bar's close is only known once its day is over, so detector events occur at the
 * bar's date 00:00Z but are recorded at the end of that day; an `asOf` inside the day does not see
 * them (no look-ahead).
 */
import { InvalidArgumentError } from '../../schema/errors.ts';
import { hashParts } from '../../schema/hash.ts';
import { seriesEventId } from '../../schema/ids.ts';
import type { Attrs, GraphBatch } from '../../schema/graph.ts';
import type { EventType } from '../../schema/ontology.ts';
import type { AssetRef } from './assets.ts';
import { dayEndMs, dayStartMs } from './dates.ts';
import { participation } from './facts.ts';

/** Who detected an event and how, stored on the event as `attrs.detector`. */
export interface DetectorInfo {
  name: string;
  version: string;
  params: Readonly<Record<string, number>>;
}

/** What one detector event needs beyond its detector and asset. */
export interface DetectionSpec {
  type: EventType;
  /** Short stable name of the detection method inside the event id, e.g. `ksigma`. */
  method: string;
  date: string;
  /** Dates of the first and last bar the decision looked at. */
  window: { from: string; to: string };
  summary: string;
  attrs: Attrs;
}

/** A detector's event on `asset`, with its `asset` participation fact. */
export function detectionBatch(detector: DetectorInfo, asset: AssetRef, sourceId: string, spec: DetectionSpec): GraphBatch {
  const id = seriesEventId(spec.type, asset.id, spec.date, spec.method);
  const occurredAt = dayStartMs(spec.date);
  const recordedAt = dayEndMs(spec.date);
  const prov = { sourceId, extractor: detector.name, extractorVersion: detector.version };
  return {
    nodes: [],
    events: [{
      id,
      type: spec.type,
      occurredAt,
      summary: spec.summary,
      amounts: [],
      attrs: {
        detector: { name: detector.name, version: detector.version, params: { ...detector.params }, window: spec.window },
        ...spec.attrs,
      },
      recordedAt,
      ...prov,
    }],
    facts: [participation(prov, id, 'asset', asset.id, occurredAt, recordedAt)],
  };
}

/**
 * The method tag of a detector's event ids: `method` itself with the default parameters (the ids
 * every store already has), else `method~<hash of the parameters>`, so that a 2.5σ and a 3σ price
 * move on the same day are different events, each with its own provenance, and re-extraction with
 * other parameters retracts what the old ones produced instead of relabelling it in place.
 * @example detectorMethod('ksigma', { window: 20, k: 2.5 }, { window: 20, k: 3 }) // 'ksigma~3f0c…'
 */
export function detectorMethod(
  method: string,
  params: Readonly<Record<string, number>>,
  defaults: Readonly<Record<string, number>>,
): string {
  const keys = Object.keys(params).sort();
  if (keys.every((key) => params[key] === defaults[key])) return method;
  return `${method}~${hashParts(keys.map((key) => `${key}=${params[key]}`), 8)}`;
}

/**
 * The last `size` values pushed, oldest first: the bounded state that keeps a detector's memory
 * O(window) however long the series.
 */
export class RecentWindow<T> {
  readonly size: number;
  private readonly items: T[] = [];
  private start = 0;

  constructor(size: number) {
    this.size = size;
  }

  get full(): boolean {
    return this.items.length === this.size;
  }

  push(item: T): void {
    if (this.items.length < this.size) {
      this.items.push(item);
      return;
    }
    this.items[this.start] = item;
    this.start = (this.start + 1) % this.size;
  }

  /** The values, oldest first. */
  values(): T[] {
    return [...this.items.slice(this.start), ...this.items.slice(0, this.start)];
  }
}

/** Validates an integer parameter at least `min`; detector parameters come from user options. */
export function intParam(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) throw new InvalidArgumentError(name, `must be an integer >= ${min}, got ${value}`);
  return value;
}

/** Validates a positive finite parameter, optionally below `below`. */
export function positiveParam(name: string, value: number, below = Number.POSITIVE_INFINITY): number {
  if (!Number.isFinite(value) || value <= 0 || value >= below) {
    throw new InvalidArgumentError(name, `must be > 0${below === Number.POSITIVE_INFINITY ? '' : ` and < ${below}`}, got ${value}`);
  }
  return value;
}

/** A label for summaries: the ticker for crypto and equities, the name for indices. */
export function assetLabel(asset: AssetRef): string {
  return asset.market === 'index' ? asset.name : asset.symbol;
}
