import { checksumAddress } from 'viem';
import { describe, expect, it } from 'vitest';
import { InvalidIdError } from '../../../schema/errors.ts';
import {
  accountId, assetId, chainId, conceptId, displayAddress, factId, incidentEventId, logEventId, namedEntityId,
  nftCollectionId, normalizeAddress, normalizeTxHash, seriesEventId, sourceId, tokenId,
} from '../../../schema/ids.ts';

const USDC = '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48';
const USDC_CHECKSUM = checksumAddress(USDC);
const TX = '0xEB107A40BA73A50C79A9F2026E902D758D1C5E5E211F7A7DB1B294F88F118DD0';

describe('addresses', () => {
  it('accepts lower, upper and correctly checksummed input, returning lower case', () => {
    expect(normalizeAddress(USDC)).toBe(USDC);
    expect(normalizeAddress(`0x${USDC.slice(2).toUpperCase()}`)).toBe(USDC);
    expect(normalizeAddress(USDC_CHECKSUM)).toBe(USDC);
    expect(displayAddress(USDC)).toBe(USDC_CHECKSUM);
  });

  it('rejects non-hex, wrong length and bad checksums with the reason', () => {
    const flipped = USDC_CHECKSUM.replace(/[a-f]/, (c) => c.toUpperCase());
    const cases: [string, RegExp][] = [
      ['a0b86991c6218b36c1d19d4a2e9eb0ce3606eb48', /must start with 0x/],
      ['0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb4z', /not hexadecimal/],
      ['0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb', /expected 40 hex digits, got 38/],
      [flipped, /bad EIP-55 checksum/],
    ];
    for (const [input, reason] of cases) {
      expect(() => normalizeAddress(input)).toThrow(InvalidIdError);
      expect(() => normalizeAddress(input)).toThrow(reason);
    }
  });

  it('validates transaction hashes', () => {
    expect(normalizeTxHash(TX)).toBe(TX.toLowerCase().replace('0X', '0x'));
    expect(() => normalizeTxHash('0x1234')).toThrow(/expected 64 hex digits, got 4/);
    expect(() => normalizeTxHash('0xzz')).toThrow(/hexadecimal/);
  });
});

describe('ids', () => {
  it('builds CAIP-style ids with lower-case hex', () => {
    expect(chainId(8453)).toBe('eip155:8453');
    expect(accountId(1, USDC_CHECKSUM)).toBe(`eip155:1:${USDC}`);
    expect(tokenId(1, USDC_CHECKSUM)).toBe(`eip155:1/erc20:${USDC}`);
    expect(nftCollectionId(1, USDC)).toBe(`eip155:1/erc721:${USDC}`);
    expect(() => chainId(0)).toThrow(InvalidIdError);
  });

  it('builds event ids from natural keys', () => {
    expect(logEventId('Transfer', 1, TX, 0)).toBe(`evt:transfer:eip155:1:${TX.toLowerCase().replace('0X', '0x')}:0`);
    expect(seriesEventId('PriceMove', 'asset:crypto:ETH', '2018-09-05', 'ksigma')).toBe('evt:pricemove:asset:crypto:ETH:2018-09-05:ksigma');
    expect(incidentEventId('2024-12-27', 'Bizness')).toBe('evt:incident:2024-12-27:bizness');
    expect(incidentEventId('2024-12-27', '  ')).toBe('evt:incident:2024-12-27:unknown');
  });

  it('normalises names for text-derived entities and concepts', () => {
    expect(namedEntityId('Protocol', 'Curve Finance')).toBe('ent:protocol:curve-finance');
    expect(namedEntityId('Exchange', 'Zürich  Börse')).toBe('ent:exchange:zurich-borse');
    expect(conceptId('label', 'Layer-2')).toBe('concept:label:layer-2');
    expect(assetId('Crypto', 'eth')).toBe('asset:crypto:ETH');
    expect(() => namedEntityId('Person', '!!!')).toThrow(/empty after normalisation/);
    expect(() => assetId('crypto', 'E TH')).toThrow(InvalidIdError);
  });

  it('derives fact ids from subject, predicate, object, role, source and extractor version', () => {
    const base = { subject: 'a', type: 'PARTICIPANT', object: 'b', role: 'to', sourceId: 's', extractor: 'x', extractorVersion: '1' };
    const id = factId(base);
    expect(id).toMatch(/^fact:[0-9a-f]{32}$/);
    expect(factId({ ...base })).toBe(id);
    for (const k of Object.keys(base) as (keyof typeof base)[]) {
      expect(factId({ ...base, [k]: `${base[k]}'` }), k).not.toBe(id);
    }
    expect(sourceId('eth-logs', '/a')).toBe(sourceId('eth-logs', '/a'));
    expect(sourceId('eth-logs', '/a')).not.toBe(sourceId('eth-logs', '/b'));
  });
});
