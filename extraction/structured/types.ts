/** Extractor contract: typed records in, graph batches out. Pure: no store I/O. */
import type { GraphBatch, Millis } from '../../schema/graph.ts';

export interface TokenInfo {
  name: string | null;
  symbol: string | null;
  decimals: number | null;
  /** Set for ERC-721 collections (registered under their `/erc721:` id); ERC-20 otherwise. */
  standard?: 'erc20' | 'erc721';
}

/** Token decimals/symbols known so far (from the store and from token files earlier in the run). */
export interface TokenRegistry {
  get(tokenId: string): TokenInfo | undefined;
  set(tokenId: string, info: TokenInfo): void;
  /** Every known token (text extraction links tickers by symbol through it). */
  entries(): Iterable<readonly [string, TokenInfo]>;
}

/** Resolves chain names as sources write them (`base`, `bsc`, `Ethereum`, `8453`) to chain ids. */
export interface ChainRegistry {
  resolve(nameOrId: string): number | null;
  name(chainId: number): string | null;
}

export interface ExtractContext {
  sourceId: string;
  /** Path of the file being extracted, for reject messages. */
  file: string;
  /** The time of this ingest run: `recordedAt` of records that carry no time of their own. */
  ingestedAt: Millis;
  /** Chain of on-chain files that do not say (ethereum-etl does not). */
  chainId: number;
  tokens: TokenRegistry;
  chains: ChainRegistry;
  /** Block timestamps (seconds) seen earlier in the run, for files whose rows lack one. */
  blockTimes: Map<number, number>;
}

/** A record an extractor could not use (error) or used with a caveat (warning). */
export interface ExtractIssue {
  line: number | null;
  code: string;
  reason: string;
  severity: 'error' | 'warning';
}

export interface ExtractOutput extends GraphBatch {
  issues: ExtractIssue[];
}

/** A deterministic, versioned, per-record extractor. */
export interface RecordExtractor<R> {
  readonly name: string;
  readonly version: string;
  extract(record: R, line: number, ctx: ExtractContext): ExtractOutput;
}

/**
 * A streaming detector over one ordered series (one symbol). `push` returns the events that the
 * new bar completes; `finish` flushes anything pending at the end of the series.
 */
export interface SeriesDetector<Bar> {
  readonly name: string;
  readonly version: string;
  readonly params: Readonly<Record<string, number>>;
  push(bar: Bar, line: number): GraphBatch;
  finish(): GraphBatch;
}
