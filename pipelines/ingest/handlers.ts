/**
 * Which extractor handles which detected file kind, and in which order kinds are ingested:
 * metadata first (chains, tokens, labels, blocks) so that later files in the same run can scale
 * token amounts and date rows that carry no block timestamp.
 */
import type { FileKind, RecordOfKind } from '../../schema/records.ts';
import { emptyOutput } from '../../extraction/structured/facts.ts';
import { chainMetaExtractor } from '../../extraction/structured/chains.ts';
import { incidentExtractor } from '../../extraction/structured/incidents.ts';
import { addressLabelExtractor } from '../../extraction/structured/labels.ts';
import { logExtractor } from '../../extraction/structured/logs.ts';
import { createSeriesExtractor, type DetectorParams } from '../../extraction/structured/series.ts';
import { tokenTransferExtractor } from '../../extraction/structured/erc20-transfer.ts';
import { tokenMetaExtractor } from '../../extraction/structured/tokens.ts';
import { transactionExtractor } from '../../extraction/structured/transactions.ts';
import type { ExtractContext, ExtractOutput, RecordExtractor } from '../../extraction/structured/types.ts';

export const KIND_ORDER: readonly FileKind[] = [
  'chains', 'token-metadata', 'token-list', 'address-labels', 'eth-blocks', 'eth-transactions',
  'eth-logs', 'eth-token-transfers', 'ohlcv', 'price-closes', 'incidents',
];

/** The run-wide part of the extract context (the per-file part is added by `createHandler`). */
export type RunContext = Omit<ExtractContext, 'sourceId' | 'file'>;

export interface RecordHandler<K extends FileKind> {
  handle(record: RecordOfKind[K], line: number): ExtractOutput;
  finish(): ExtractOutput;
}

const RECORD_EXTRACTORS: { [K in FileKind]?: RecordExtractor<RecordOfKind[K]> } = {
  chains: chainMetaExtractor,
  'token-metadata': tokenMetaExtractor,
  'token-list': tokenMetaExtractor,
  'address-labels': addressLabelExtractor,
  'eth-transactions': transactionExtractor,
  'eth-logs': logExtractor,
  'eth-token-transfers': tokenTransferExtractor,
  incidents: incidentExtractor,
};

/** @param detectors parameters of the series detectors (price files); defaults where absent */
export function createHandler<K extends FileKind>(kind: K, ctx: ExtractContext, detectors: DetectorParams = {}): RecordHandler<K> {
  if (kind === 'eth-blocks') {
    // Blocks add no graph rows of their own; their timestamps date the rows of later files.
    return {
      handle: (record) => {
        const block = record as RecordOfKind['eth-blocks'];
        ctx.blockTimes.set(block.number, block.timestamp);
        return emptyOutput();
      },
      finish: emptyOutput,
    };
  }
  if (kind === 'ohlcv' || kind === 'price-closes') {
    const series = createSeriesExtractor(ctx, detectors);
    return {
      handle: (record, line) => series.push(record as RecordOfKind['ohlcv'], line),
      finish: () => series.finish(),
    };
  }
  const extractor = RECORD_EXTRACTORS[kind];
  if (!extractor) throw new Error(`no extractor registered for file kind ${kind}`);
  return { handle: (record, line) => extractor.extract(record, line, ctx), finish: emptyOutput };
}
