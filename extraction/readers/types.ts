/** Reader contract: a file in, a stream of typed records (or per-record failures) out. */
import type { FileKind, RecordOfKind } from '../../schema/records.ts';

/** One physical record of a file: a typed record, or the reason it could not be read. */
export type ReadItem<T> =
  | { ok: true; line: number; record: T; /** Parts of the record that were dropped, with why. */ warnings?: string[] }
  | { ok: false; line: number | null; reason: string; raw: string | null };

/** Which CSV columns of a label list hold what (providers name them differently). */
export interface LabelColumnMapping {
  address: string;
  name: string;
  category?: string | null;
}

export interface ReadOptions {
  /** Chain the file's addresses live on when the file does not say. @default 1 */
  chainId: number;
  /** For label CSVs; auto-detected from common headings when absent. */
  labelColumns?: LabelColumnMapping | null;
  /** Symbol of a single-series OHLCV file; inferred from the file name when absent. */
  symbol?: string | null;
  signal?: AbortSignal;
}

export interface Detection {
  kind: FileKind;
  format: 'jsonl' | 'csv' | 'json';
}

export interface Reader<K extends FileKind = FileKind> {
  readonly kind: K;
  /** Bumped whenever the reader's output for the same input can change. */
  readonly version: string;
  read(path: string, format: Detection['format'], options: ReadOptions): AsyncIterable<ReadItem<RecordOfKind[K]>>;
}
