import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EthBlock, EthLog, EthTokenTransfer, EthTransaction } from '../../../schema/records.ts';
import {
  BlockScopedKeys, ethBlocksReader, ethLogsReader, ethTokenTransfersReader, ethTransactionsReader,
} from '../../../extraction/readers/eth-etl.ts';
import { parseJsonLine } from '../../../extraction/readers/json-lines.ts';
import type { ReadItem, Reader } from '../../../extraction/readers/types.ts';
import { SAMPLE_BLOCKS_DIR, tempDir } from '../../fixtures/paths.ts';

type EthKind = 'eth-blocks' | 'eth-transactions' | 'eth-logs' | 'eth-token-transfers';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = tempDir()));
afterAll(() => cleanup());

const sample = (name: string): string => join(SAMPLE_BLOCKS_DIR, name);
/** The sample's JSON lines as objects (for building variants in temp files); big values stay exact strings. */
const sampleRows = (name: string): Record<string, unknown>[] =>
  readFileSync(sample(name), 'utf8').trim().split('\n').map((l) => parseJsonLine(l) as Record<string, unknown>);

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function collect<K extends EthKind>(reader: Reader<K>, path: string, format: 'jsonl' | 'csv' = 'jsonl') {
  const items: ReadItem<unknown>[] = [];
  for await (const item of reader.read(path, format, { chainId: 1 })) items.push(item);
  return { items, records: items.flatMap((i) => (i.ok ? [i.record] : [])), failures: items.filter((i) => !i.ok) };
}

const csvCell = (v: unknown): string => {
  const text = v === null || v === undefined ? '' : Array.isArray(v) ? v.join(',') : String(v);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};
const toCsv = (columns: string[], rows: Record<string, unknown>[]): string =>
  [columns.join(','), ...rows.map((r) => columns.map((c) => csvCell(r[c])).join(','))].join('\r\n') + '\r\n';

describe('ethereum-etl JSON lines (real sample)', () => {
  it('reads every row of the two sample blocks without a failure', async () => {
    const cases = [
      [ethBlocksReader, 'expected_blocks.json', 2, EthBlock],
      [ethTransactionsReader, 'expected_transactions.json', 298, EthTransaction],
      [ethLogsReader, 'expected_logs.json', 681, EthLog],
      [ethTokenTransfersReader, 'expected_token_transfers.json', 291, EthTokenTransfer],
    ] as const;
    for (const [reader, name, count, schema] of cases) {
      const { records, failures } = await collect(reader as Reader<EthKind>, sample(name));
      expect(failures, name).toEqual([]);
      expect(records, name).toHaveLength(count);
      for (const record of records) expect(schema.safeParse(record).success).toBe(true);
    }
  });

  it('keeps token amounts beyond 2^53 exact', async () => {
    const { items } = await collect(ethTokenTransfersReader, sample('expected_token_transfers.json'));
    expect(items[0]).toMatchObject({ ok: true, line: 1, record: { value: '7056176614974947328', logIndex: 0 } });
    expect(items[1]).toMatchObject({ ok: true, line: 2, record: { value: '150188698577042438264952193024' } });
  });

  it('maps snake_case to the camelCase records', async () => {
    const { records } = await collect(ethTransactionsReader, sample('expected_transactions.json'));
    expect(records[0]).toEqual({
      hash: '0xeb107a40ba73a50c79a9f2026e902d758d1c5e5e211f7a7db1b294f88f118dd0',
      blockNumber: 17173049,
      blockTimestamp: 1683029999,
      transactionIndex: 0,
      from: '0xae2fc483527b8ef99eb5d9b44875f005ba1fae13',
      to: '0x6b75d8af000000e20b7a7ddf000ba900b4009a80',
      value: '1642894143',
      receiptContractAddress: null,
      receiptStatus: 1,
    });
    const creation = records.find((t) => (t as EthTransaction).to === null) as EthTransaction;
    expect(creation.receiptContractAddress).toBe('0x303abf64fe75964565d2b44b9e4518e6126f1f0e');
    const { records: blocks } = await collect(ethBlocksReader, sample('expected_blocks.json'));
    expect(blocks[0]).toEqual({
      number: 17173049,
      hash: '0xaa5ab9bb22d8020d438496a7edb4eff508b1c5128b0dc01fdecf57f96aac1bb3',
      timestamp: 1683029999,
      miner: '0x1f9090aae28b8a3dceadf281b0f12828e676c326',
      transactionCount: 116,
    });
  });
});

describe('ethereum-etl bad rows', () => {
  const transfers = sampleRows('expected_token_transfers.json').slice(0, 5);
  const jsonl = (rows: Record<string, unknown>[]): string => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

  it('rejects non-hex, wrong-length and badly checksummed addresses and reads the other rows', async () => {
    const rows = transfers.map((r) => ({ ...r }));
    rows[1]!.to_address = '0x12zz' + '0'.repeat(36);
    rows[2]!.from_address = '0x1234';
    // USDC's checksummed address with the case of one letter flipped.
    rows[3]!.token_address = '0xa0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48';
    const { items } = await collect(ethTokenTransfersReader, file('bad-address.jsonl', jsonl(rows)));
    expect(items.map((i) => i.ok)).toEqual([true, false, false, false, true]);
    expect(items[1]).toMatchObject({ line: 2, reason: 'to_address: Invalid address "0x12zz000000000000000000000000000000000000": not hexadecimal' });
    expect(items[2]).toMatchObject({ line: 3, reason: 'from_address: Invalid address "0x1234": expected 40 hex digits, got 4' });
    expect(items[3]).toMatchObject({ line: 4, reason: expect.stringMatching(/^token_address: .*bad EIP-55 checksum$/) });
    expect(items[1]!.ok === false && items[1]!.raw).toContain('0x12zz');
  });

  it('accepts a properly checksummed address and lower-cases it', async () => {
    const rows = [{ ...transfers[0], token_address: '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48' }];
    const { records } = await collect(ethTokenTransfersReader, file('checksummed.jsonl', jsonl(rows)));
    expect(records[0]).toMatchObject({ tokenAddress: '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48' });
  });

  it('reads values written as numeric or 0x hex strings exactly, and rejects negative ones', async () => {
    const rows = [
      { ...transfers[0], value: '150188698577042438264952193024' },
      { ...transfers[1], value: '0x1bc16d674ec80000' },
      { ...transfers[2], value: '-5' },
      { ...transfers[3], value: 1.5 },
    ];
    const { items } = await collect(ethTokenTransfersReader, file('values.jsonl', jsonl(rows)));
    expect(items[0]).toMatchObject({ ok: true, record: { value: '150188698577042438264952193024' } });
    expect(items[1]).toMatchObject({ ok: true, record: { value: '2000000000000000000' } });
    expect(items[2]).toMatchObject({ ok: false, reason: 'value "-5": not an unsigned integer' });
    expect(items[3]).toMatchObject({ ok: false, reason: 'value "1.5": not an exact unsigned integer' });
  });

  it('turns a truncated JSON line into a failure and goes on', async () => {
    const lines = jsonl(transfers).split('\n');
    lines[2] = lines[2]!.slice(0, 120);
    const { items } = await collect(ethTokenTransfersReader, file('truncated.jsonl', lines.join('\n')));
    expect(items).toHaveLength(5);
    expect(items[2]).toMatchObject({ ok: false, line: 3, reason: expect.stringMatching(/^invalid JSON: /) });
    expect(items.filter((i) => i.ok)).toHaveLength(4);
  });

  it('rejects a duplicate row within a block, naming the first line', async () => {
    const rows = [transfers[0]!, transfers[1]!, transfers[0]!, transfers[2]!];
    const { items } = await collect(ethTokenTransfersReader, file('dup.jsonl', jsonl(rows)));
    expect(items.map((i) => i.ok)).toEqual([true, true, false, true]);
    expect(items[2]).toMatchObject({ line: 3, reason: 'duplicate of line 1' });
    const txs = sampleRows('expected_transactions.json').slice(0, 2);
    const { items: txItems } = await collect(ethTransactionsReader, file('dup-tx.jsonl', jsonl([txs[0]!, txs[1]!, txs[1]!])));
    expect(txItems[2]).toMatchObject({ ok: false, line: 3, reason: 'duplicate of line 2' });
  });

  it('rejects rows of another ethereum-etl type', async () => {
    const rows = [transfers[0]!, sampleRows('expected_logs.json')[0]!];
    const { items } = await collect(ethTokenTransfersReader, file('mixed.jsonl', jsonl(rows)));
    expect(items[1]).toMatchObject({ ok: false, line: 2, reason: 'type "log": expected "token_transfer"' });
  });

  it('rejects bad log data and topics', async () => {
    const logs = sampleRows('expected_logs.json').slice(0, 3);
    const rows = [{ ...logs[0], data: '0xabc' }, { ...logs[1], topics: ['0x1234'] }, logs[2]!];
    const { items } = await collect(ethLogsReader, file('bad-logs.jsonl', jsonl(rows)));
    expect(items[0]).toMatchObject({ ok: false, reason: 'data "0xabc": not 0x-prefixed, even-length hexadecimal' });
    expect(items[1]).toMatchObject({ ok: false, reason: 'topics[0] "0x1234": expected 0x and 64 hex digits' });
    expect(items[2]).toMatchObject({ ok: true });
  });
});

describe('BlockScopedKeys', () => {
  it('forgets keys when the block changes (bounded memory for block-ordered files)', () => {
    const keys = new BlockScopedKeys();
    expect(keys.check(1, 'a', 1)).toBeNull();
    expect(keys.check(1, 'a', 2)).toBe(1);
    expect(keys.check(2, 'b', 3)).toBeNull();
    expect(keys.check(1, 'a', 4)).toBeNull();
  });
});

describe('ethereum-etl CSV exports', () => {
  it('reads logs.csv with topics in one comma-separated field and no block_timestamp column', async () => {
    const logs = sampleRows('expected_logs.json');
    // ethereum-etl's logs.csv layout of older exports (no block_timestamp).
    const columns = ['log_index', 'transaction_hash', 'transaction_index', 'block_hash', 'block_number', 'address', 'data', 'topics'];
    const { records: fromCsv, failures } = await collect(ethLogsReader, file('logs.csv', toCsv(columns, logs)), 'csv');
    const { records: fromJson } = await collect(ethLogsReader, sample('expected_logs.json'));
    expect(failures).toEqual([]);
    expect(fromCsv).toHaveLength(681);
    expect(fromCsv).toEqual(fromJson.map((r) => ({ ...(r as EthLog), blockTimestamp: null })));
    expect((fromCsv[0] as EthLog).topics).toHaveLength(3);
  });

  it('reads token_transfers.csv with exact values', async () => {
    const transfers = sampleRows('expected_token_transfers.json');
    const columns = ['token_address', 'from_address', 'to_address', 'value', 'transaction_hash', 'log_index', 'block_number'];
    const { records: fromCsv, failures } = await collect(ethTokenTransfersReader, file('token_transfers.csv', toCsv(columns, transfers)), 'csv');
    const { records: fromJson } = await collect(ethTokenTransfersReader, sample('expected_token_transfers.json'));
    expect(failures).toEqual([]);
    expect(fromCsv).toEqual(fromJson.map((r) => ({ ...(r as EthTokenTransfer), blockTimestamp: null })));
    expect((fromCsv[1] as EthTokenTransfer).value).toBe('150188698577042438264952193024');
  });

  it('reads transactions.csv and blocks.csv with block timestamps', async () => {
    const txs = sampleRows('expected_transactions.json');
    const txColumns = ['hash', 'nonce', 'block_hash', 'block_number', 'transaction_index', 'from_address', 'to_address', 'value', 'gas', 'gas_price', 'input', 'block_timestamp'];
    const { records, failures } = await collect(ethTransactionsReader, file('transactions.csv', toCsv(txColumns, txs)), 'csv');
    expect(failures).toEqual([]);
    expect(records).toHaveLength(298);
    expect(records[0]).toMatchObject({ blockTimestamp: 1683029999, receiptStatus: null, receiptContractAddress: null });
    const blocks = sampleRows('expected_blocks.json');
    const { records: blockRecords } = await collect(ethBlocksReader, file('blocks.csv', toCsv(['number', 'hash', 'miner', 'timestamp', 'transaction_count'], blocks)), 'csv');
    expect(blockRecords).toHaveLength(2);
  });

  it('fails the header once when a required column is missing', async () => {
    const { items } = await collect(ethLogsReader, file('no-topics.csv', 'log_index,transaction_hash,block_number,address,data\n0,0x00,1,0x00,0x\n'), 'csv');
    expect(items).toEqual([{ ok: false, line: 1, reason: expect.stringContaining('header lacks column(s) topics'), raw: expect.any(String) }]);
  });

  it('reports a wrong column count and a malformed row of a CSV export and reads on', async () => {
    const transfers = sampleRows('expected_token_transfers.json').slice(0, 3);
    const columns = ['token_address', 'from_address', 'to_address', 'value', 'transaction_hash', 'log_index', 'block_number'];
    const lines = toCsv(columns, transfers).split('\r\n');
    lines[2] = lines[2]!.split(',').slice(0, 5).join(',');
    const { items } = await collect(ethTokenTransfersReader, file('short.csv', lines.join('\r\n')), 'csv');
    expect(items.map((i) => i.ok)).toEqual([true, false, true]);
    expect(items[1]).toMatchObject({ line: 3, reason: 'wrong number of columns: expected 7, got 5' });
  });
});
