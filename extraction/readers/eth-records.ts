/**
 * ethereum-etl rows (snake_case, JSON lines or CSV export) → the camelCase records of
 * schema/records.ts. Only the fields the records need are read; the rest of a row is ignored.
 */
import type { EthBlock, EthLog, EthTokenTransfer, EthTransaction } from '../../schema/records.ts';
import type { RowFields } from './fields.ts';
import { parseJsonLine } from './json-lines.ts';

export function toBlock(f: RowFields): EthBlock {
  return {
    number: f.uint('number'),
    hash: f.hex32('hash'),
    timestamp: f.timestamp('timestamp'),
    miner: f.optAddress('miner'),
    transactionCount: f.optUint('transaction_count'),
  };
}

export function toTransaction(f: RowFields): EthTransaction {
  return {
    hash: f.txHash('hash'),
    blockNumber: f.uint('block_number'),
    // Older CSV exports have no block_timestamp column; the extractor fills it from blocks.
    blockTimestamp: f.optTimestamp('block_timestamp'),
    transactionIndex: f.uint('transaction_index'),
    from: f.address('from_address'),
    // Contract creations have no recipient.
    to: f.optAddress('to_address'),
    value: f.bigUint('value'),
    // Receipt columns live in a separate receipts file in older exports.
    receiptContractAddress: f.optAddress('receipt_contract_address'),
    receiptStatus: f.optUint('receipt_status'),
  };
}

export function toLog(f: RowFields): EthLog {
  return {
    transactionHash: f.txHash('transaction_hash'),
    logIndex: f.uint('log_index'),
    blockNumber: f.uint('block_number'),
    blockTimestamp: f.optTimestamp('block_timestamp'),
    address: f.address('address'),
    data: f.hexData('data'),
    topics: topics(f),
  };
}

export function toTokenTransfer(f: RowFields): EthTokenTransfer {
  return {
    tokenAddress: f.address('token_address'),
    from: f.address('from_address'),
    to: f.address('to_address'),
    value: f.bigUint('value'),
    transactionHash: f.txHash('transaction_hash'),
    logIndex: f.uint('log_index'),
    blockNumber: f.uint('block_number'),
    blockTimestamp: f.optTimestamp('block_timestamp'),
  };
}

/**
 * `topics` is a JSON array in JSON lines and one comma-separated cell in ethereum-etl's logs.csv
 * (some re-exports write that cell as a JSON array string; both are accepted).
 */
function topics(f: RowFields): `0x${string}`[] {
  const value = f.get('topics');
  let list: unknown[];
  if (value === undefined) list = [];
  else if (Array.isArray(value)) list = value;
  else if (typeof value === 'string' && value.trim().startsWith('[')) list = jsonArray(f, value);
  else if (typeof value === 'string') list = value.split(',').map((t) => t.trim()).filter((t) => t !== '');
  else return f.failValue('topics', value, 'expected a list of topics');
  if (list.length > 4) return f.failValue('topics', list.join(','), `a log has at most 4 topics, got ${list.length}`);
  return list.map((topic, i) => f.hex32(`topics[${i}]`, topic));
}

function jsonArray(f: RowFields, text: string): unknown[] {
  try {
    const parsed = parseJsonLine(text);
    if (Array.isArray(parsed)) return parsed;
  } catch {
    // Reported below with the value.
  }
  return f.failValue('topics', text, 'not a JSON array of topics');
}
