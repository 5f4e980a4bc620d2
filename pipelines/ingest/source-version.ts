/**
 * A source's `version`: the reader/extractor version set that processed it, followed by the run
 * settings that change what it produced when they are not the defaults (the chain of files that do
 * not name one, the symbol of price files without a symbol column, detector parameters), so that
 * re-extraction can read the file exactly as its ingest did. Default runs keep the plain version
 * (`ohlcv@1/ingest@1`), as every store already has it.
 */
import { describeDetectorParams, type DetectorParams } from '../../extraction/structured/series.ts';

export interface RunSettings {
  /** @default 1 */
  chainId?: number;
  symbol?: string | null;
  detectors?: DetectorParams;
}

/** `base` plus `/chain:<id>`, `/symbol:<s>` and `/detectors:<changed params>` where not defaults. */
export function sourceVersion(base: string, settings: RunSettings, withDetectors: boolean): string {
  const parts = [base];
  if (settings.chainId !== undefined && settings.chainId !== 1) parts.push(`chain:${settings.chainId}`);
  if (settings.symbol) parts.push(`symbol:${encodeURIComponent(settings.symbol)}`);
  const detectors = withDetectors ? describeDetectorParams(settings.detectors) : '';
  if (detectors) parts.push(`detectors:${detectors}`);
  return parts.join('/');
}

/** The chain and symbol a source was ingested with, read back from its `version`. */
export function runSettingsOf(version: string): { chainId: number; symbol: string | null } {
  const chain = /\/chain:(\d+)(?:\/|$)/.exec(version);
  const symbol = /\/symbol:([^/]*)(?:\/|$)/.exec(version);
  return {
    chainId: chain ? Number(chain[1]) : 1,
    symbol: symbol ? decodeURIComponent(symbol[1]!) : null,
  };
}
