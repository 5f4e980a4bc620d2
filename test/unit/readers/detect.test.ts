import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileUnreadableError, UnknownFileKindError } from '../../../schema/errors.ts';
import { FILE_KINDS } from '../../../schema/records.ts';
import { detectFileKind, SNIFF_BYTES } from '../../../extraction/readers/detect.ts';
import { readerFor, readRecords } from '../../../extraction/readers/index.ts';
import { SAMPLE_BLOCKS_DIR, SAMPLE_DIR } from '../../fixtures/paths.ts';
import { useTempFiles } from '../../fixtures/temp-files.ts';

const tmp = useTempFiles();
const file = tmp.file;

describe('detectFileKind on the real sample', () => {
  it.each([
    ['eth_blocks_17173049_17173050/expected_blocks.json', 'eth-blocks', 'jsonl'],
    ['eth_blocks_17173049_17173050/expected_transactions.json', 'eth-transactions', 'jsonl'],
    ['eth_blocks_17173049_17173050/expected_logs.json', 'eth-logs', 'jsonl'],
    ['eth_blocks_17173049_17173050/expected_token_transfers.json', 'eth-token-transfers', 'jsonl'],
    ['eth_usd_daily_2017_2019.csv', 'ohlcv', 'csv'],
    ['sp500_daily_ohlcv_2000_2020.csv', 'ohlcv', 'csv'],
    ['stocks_monthly_2000_2010.csv', 'price-closes', 'csv'],
    ['incidents_2023_2024.csv', 'incidents', 'csv'],
    ['metamask-contract-map.json', 'token-metadata', 'json'],
    ['chains.json', 'chains', 'json'],
    ['address_labels_subset.json', 'address-labels', 'json'],
  ])('%s → %s (%s)', async (name, kind, format) => {
    expect(await detectFileKind(join(SAMPLE_DIR, name))).toEqual({ kind, format });
  });
});

describe('detectFileKind on other layouts', () => {
  const firstLine = (name: string): Record<string, unknown> =>
    JSON.parse(readFileSync(join(SAMPLE_BLOCKS_DIR, name), 'utf8').split('\n', 1)[0]!) as Record<string, unknown>;

  it('recognises ethereum-etl JSON lines without a type field by their keys', async () => {
    for (const [name, kind] of [
      ['expected_logs.json', 'eth-logs'], ['expected_token_transfers.json', 'eth-token-transfers'],
      ['expected_transactions.json', 'eth-transactions'], ['expected_blocks.json', 'eth-blocks'],
    ] as const) {
      const { type: _type, ...row } = firstLine(name);
      expect(await detectFileKind(file(`untyped-${name}`, `${JSON.stringify(row)}\n`))).toEqual({ kind, format: 'jsonl' });
    }
  });

  it('goes by `type` when the first JSON line is longer than the sniffed prefix', async () => {
    const row = { type: 'transaction', hash: '0x00', input: `0x${'ab'.repeat(SNIFF_BYTES)}` };
    expect(await detectFileKind(file('huge-line.json', `${JSON.stringify(row)}\n`))).toEqual({ kind: 'eth-transactions', format: 'jsonl' });
  });

  it('recognises ethereum-etl CSV exports and a label CSV by their headers', async () => {
    const cases = [
      ['logs.csv', 'log_index,transaction_hash,transaction_index,block_hash,block_number,address,data,topics', 'eth-logs'],
      ['tt.csv', 'token_address,from_address,to_address,value,transaction_hash,log_index,block_number', 'eth-token-transfers'],
      ['tx.csv', 'hash,nonce,block_hash,block_number,transaction_index,from_address,to_address,value,gas,gas_price,input', 'eth-transactions'],
      ['blocks.csv', 'number,hash,parent_hash,nonce,miner,timestamp,transaction_count', 'eth-blocks'],
      ['labels.csv', 'Address,Name Tag,Labels', 'address-labels'],
      ['closes.csv', 'Ticker,Date,Close', 'price-closes'],
    ] as const;
    for (const [name, header, kind] of cases) {
      expect(await detectFileKind(file(name, `\uFEFF${header}\r\n`)), name).toEqual({ kind, format: 'csv' });
    }
  });

  it('recognises a Uniswap token list and a pretty-printed label map', async () => {
    const list = { name: 'L', timestamp: 't', version: { major: 1 }, tokens: [{ chainId: 1, address: '0x', name: 'n', symbol: 's', decimals: 1 }] };
    expect(await detectFileKind(file('list.json', JSON.stringify(list, null, 2)))).toEqual({ kind: 'token-list', format: 'json' });
    const labels = { '0x28c6c06298d514db089934071355e5743bf21d60': { name: 'Binance 14', labels: ['exchange'] } };
    expect(await detectFileKind(file('labels.json', JSON.stringify(labels)))).toEqual({ kind: 'address-labels', format: 'json' });
  });

  it('recognises a token list whose tokens array runs past the sniffed prefix', async () => {
    const token = { chainId: 1, address: '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48', name: 'USD Coin', symbol: 'USDC', decimals: 6 };
    const list = { name: 'Big', tokens: Array.from({ length: 2000 }, () => token) };
    const text = JSON.stringify(list);
    expect(text.length).toBeGreaterThan(SNIFF_BYTES);
    expect(await detectFileKind(file('big-list.json', text))).toEqual({ kind: 'token-list', format: 'json' });
  });

  it('throws UnknownFileKindError with hint "empty file" for an empty or blank file', async () => {
    for (const content of ['', '\n  \r\n']) {
      const error = await detectFileKind(file('empty.csv', content)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnknownFileKindError);
      expect((error as Error).message).toContain('(empty file)');
    }
  });

  it('lists the candidates tried when nothing matches', async () => {
    const csv = await detectFileKind(file('other.csv', 'foo,bar,baz\n1,2,3\n')).catch((e: unknown) => e);
    expect(csv).toBeInstanceOf(UnknownFileKindError);
    expect((csv as Error).message).toContain('CSV header "foo, bar, baz" matches no known layout');
    expect((csv as UnknownFileKindError).tried).toEqual(expect.arrayContaining(['eth-logs (csv)', 'incidents (csv)', 'ohlcv (csv)', 'address-labels (csv)']));
    expect((csv as Error).message).toMatch(/tried eth-blocks \(csv\), .*price-closes \(csv\)/);

    const json = await detectFileKind(file('other.jsonl', '{"a": 1}\n{"a": 2}\n')).catch((e: unknown) => e);
    expect(json).toBeInstanceOf(UnknownFileKindError);
    expect((json as Error).message).toMatch(/JSON lines with keys a\); tried eth-blocks \(jsonl\)/);
    expect((json as UnknownFileKindError).tried).toEqual(expect.arrayContaining(['chains (json)', 'token-list (json)']));

    const text = await detectFileKind(file('notes.txt', 'just some words\n')).catch((e: unknown) => e);
    expect(text).toBeInstanceOf(UnknownFileKindError);
    // Every kind in every format it can come in: 4 JSON-lines, 8 CSV and 4 JSON-document layouts.
    expect((text as UnknownFileKindError).tried).toHaveLength(16);
    for (const kind of FILE_KINDS) expect((text as Error).message).toContain(`${kind} (`);

    const binary = await detectFileKind(file('blob.bin', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00]))).catch((e: unknown) => e);
    expect((binary as Error).message).toContain('(binary file)');
  });

  it('throws FileUnreadableError for a missing file', async () => {
    await expect(detectFileKind(tmp.path('missing.csv'))).rejects.toBeInstanceOf(FileUnreadableError);
  });
});

describe('readerFor / readRecords', () => {
  it('has a reader for every file kind', () => {
    for (const kind of FILE_KINDS) expect(readerFor(kind).kind).toBe(kind);
  });

  it('detects and reads in one call', async () => {
    const { detection, items } = await readRecords(join(SAMPLE_DIR, 'stocks_monthly_2000_2010.csv'), { chainId: 1 });
    expect(detection).toEqual({ kind: 'price-closes', format: 'csv' });
    let count = 0;
    for await (const item of items) if (item.ok) count++;
    expect(count).toBe(560);
  });

  it('rejects an unknown file before reading', async () => {
    await expect(readRecords(file('nothing.csv', 'x,y\n'), { chainId: 1 })).rejects.toBeInstanceOf(UnknownFileKindError);
  });
});
