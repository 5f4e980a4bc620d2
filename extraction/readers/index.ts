/**
 * The readers' entry points: `readerFor(kind)` and `readRecords(path)` (detect, then read).
 */
import type { FileKind, RecordOfKind } from '../../schema/records.ts';
import { addressLabelsReader } from './address-labels.ts';
import { chainsReader } from './chains.ts';
import { detectFileKind } from './detect.ts';
import { ethBlocksReader, ethLogsReader, ethTokenTransfersReader, ethTransactionsReader } from './eth-etl.ts';
import { incidentsReader } from './incidents.ts';
import { ohlcvReader, priceClosesReader } from './prices.ts';
import { tokenListReader, tokenMetadataReader } from './token-metadata.ts';
import type { Detection, ReadItem, ReadOptions, Reader } from './types.ts';

export { detectFileKind } from './detect.ts';
export { parseJsonLine } from './json-lines.ts';
export type { Detection, ReadItem, ReadOptions, Reader, LabelColumnMapping } from './types.ts';

const READERS: { readonly [K in FileKind]: Reader<K> } = {
  'eth-blocks': ethBlocksReader,
  'eth-transactions': ethTransactionsReader,
  'eth-logs': ethLogsReader,
  'eth-token-transfers': ethTokenTransfersReader,
  ohlcv: ohlcvReader,
  'price-closes': priceClosesReader,
  incidents: incidentsReader,
  'token-metadata': tokenMetadataReader,
  'token-list': tokenListReader,
  chains: chainsReader,
  'address-labels': addressLabelsReader,
};

/** The reader of a file kind. */
export function readerFor<K extends FileKind>(kind: K): Reader<K> {
  return READERS[kind];
}

/** Any kind's records, for callers that go by detection. */
export type AnyRecord = RecordOfKind[FileKind];

/**
 * Detects a file's kind and starts reading it. Detection happens now (and throws
 * UnknownFileKindError / FileUnreadableError here); records stream as `items` is iterated.
 */
export async function readRecords(
  path: string,
  options: ReadOptions,
): Promise<{ detection: Detection; items: AsyncIterable<ReadItem<AnyRecord>> }> {
  const detection = await detectFileKind(path);
  const reader: Reader = readerFor(detection.kind);
  return { detection, items: reader.read(path, detection.format, options) };
}
