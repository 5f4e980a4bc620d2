/**
 * Readers for ethereum-etl exports — blocks, transactions, logs, token transfers — in JSON lines
 * (`export_blocks_and_transactions --blocks-output x.json`, one object per line with a `type`) or
 * CSV (same column names as the JSON keys). Streaming: one row in memory at a time.
 */
import type { z } from 'zod';
import { InvalidArgumentError } from '../../schema/errors.ts';
import { EthBlock, EthLog, EthTokenTransfer, EthTransaction, type RecordOfKind } from '../../schema/records.ts';
import { attempt, failure, RowFields, validated } from './fields.ts';
import { toBlock, toLog, toTokenTransfer, toTransaction } from './eth-records.ts';
import { readRows } from './rows.ts';
import type { Detection, ReadItem, ReadOptions, Reader } from './types.ts';

export type EthKind = 'eth-blocks' | 'eth-transactions' | 'eth-logs' | 'eth-token-transfers';

/**
 * Duplicate-row detection with bounded memory. ethereum-etl writes rows in block order, so a
 * duplicate (a re-exported or overlapping range) sits in the same block as its original; keys are
 * remembered for the current block only and forgotten when the block number changes. Duplicates
 * in a file that is not block-ordered are therefore not all caught — by design, to keep a 1 GB
 * export in constant memory.
 */
export class BlockScopedKeys {
  #block: number | null = null;
  #lines = new Map<string, number>();

  /** Line of an earlier row with this key in the same block, or null (and this row is remembered). */
  check(block: number, key: string, line: number): number | null {
    if (block !== this.#block) {
      this.#block = block;
      this.#lines.clear();
    }
    const earlier = this.#lines.get(key);
    if (earlier !== undefined) return earlier;
    this.#lines.set(key, line);
    return null;
  }
}

/** CSV columns without which no row of each kind can be read (also what detection looks for). */
export const ETH_REQUIRED_COLUMNS: Readonly<Record<EthKind, readonly string[]>> = {
  'eth-blocks': ['number', 'hash', 'timestamp'],
  'eth-transactions': ['hash', 'block_number', 'transaction_index', 'from_address', 'to_address', 'value'],
  'eth-logs': ['log_index', 'transaction_hash', 'block_number', 'address', 'data', 'topics'],
  'eth-token-transfers': ['token_address', 'from_address', 'to_address', 'value', 'transaction_hash', 'log_index', 'block_number'],
};

/** The `type` ethereum-etl writes into each JSON line. */
export const ETH_JSON_TYPES: Readonly<Record<EthKind, string>> = {
  'eth-blocks': 'block',
  'eth-transactions': 'transaction',
  'eth-logs': 'log',
  'eth-token-transfers': 'token_transfer',
};

interface EthSpec<K extends EthKind> {
  kind: K;
  schema: z.ZodType<RecordOfKind[K]>;
  convert: (fields: RowFields) => RecordOfKind[K];
  /** The row's block and its identity within the block, for duplicate detection. */
  identity: (record: RecordOfKind[K]) => [block: number, key: string];
}

function ethReader<K extends EthKind>(spec: EthSpec<K>): Reader<K> {
  return { kind: spec.kind, version: '1', read: (path, format, options) => readEth(spec, path, format, options) };
}

async function* readEth<K extends EthKind>(
  spec: EthSpec<K>,
  path: string,
  format: Detection['format'],
  options: ReadOptions,
): AsyncGenerator<ReadItem<RecordOfKind[K]>> {
  if (format === 'json') throw new InvalidArgumentError('format', `${spec.kind} is read from JSON lines or CSV, not a JSON document`);
  const seen = new BlockScopedKeys();
  const expectedType = ETH_JSON_TYPES[spec.kind];
  const requiredColumns = ETH_REQUIRED_COLUMNS[spec.kind];
  for await (const item of readRows(path, format, { signal: options.signal, requiredColumns })) {
    if (item.type === 'header') continue;
    if (item.type === 'bad') {
      yield failure(item.line, item.reason, item.raw);
      continue;
    }
    yield attempt(item.line, item.raw, () => {
      const fields = new RowFields(item.row, path, item.line);
      const type = fields.optText('type');
      // A mixed ethereum-etl stream holds several kinds; rows of another kind are not this reader's.
      if (type !== null && type !== expectedType) fields.failValue('type', type, `expected "${expectedType}"`);
      const record = validated(spec.schema, spec.convert(fields), fields);
      const [block, key] = spec.identity(record);
      const earlier = seen.check(block, key, item.line);
      if (earlier !== null) fields.fail(`duplicate of line ${earlier}`);
      return { record };
    });
  }
}

export const ethBlocksReader = ethReader({
  kind: 'eth-blocks',
  schema: EthBlock,
  convert: toBlock,
  identity: (b) => [b.number, String(b.number)],
});

export const ethTransactionsReader = ethReader({
  kind: 'eth-transactions',
  schema: EthTransaction,
  convert: toTransaction,
  identity: (t) => [t.blockNumber, t.hash],
});

export const ethLogsReader = ethReader({
  kind: 'eth-logs',
  schema: EthLog,
  convert: toLog,
  identity: (l) => [l.blockNumber, `${l.transactionHash}:${l.logIndex}`],
});

export const ethTokenTransfersReader = ethReader({
  kind: 'eth-token-transfers',
  schema: EthTokenTransfer,
  convert: toTokenTransfer,
  identity: (t) => [t.blockNumber, `${t.transactionHash}:${t.logIndex}`],
});
