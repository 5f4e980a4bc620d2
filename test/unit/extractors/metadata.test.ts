import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceId, tokenId } from '../../../schema/ids.ts';
import { AddressLabel, ChainMeta, TokenMeta } from '../../../schema/records.ts';
import { createChainRegistry } from '../../../extraction/structured/chain-registry.ts';
import { extractChainMeta } from '../../../extraction/structured/chains.ts';
import { extractTokenTransfer } from '../../../extraction/structured/erc20-transfer.ts';
import { extractAddressLabel } from '../../../extraction/structured/labels.ts';
import { createTokenRegistry } from '../../../extraction/structured/token-registry.ts';
import { extractTokenMeta } from '../../../extraction/structured/tokens.ts';
import type { ExtractContext } from '../../../extraction/structured/types.ts';
import { SAMPLE_DIR } from '../../fixtures/paths.ts';

const INGESTED_AT = Date.UTC(2025, 0, 1);

function context(kind: string): ExtractContext {
  return {
    sourceId: sourceId(kind, join(SAMPLE_DIR, kind)),
    file: kind,
    ingestedAt: INGESTED_AT,
    chainId: 1,
    tokens: createTokenRegistry(),
    chains: createChainRegistry(),
    blockTimes: new Map(),
  };
}

const readJson = (file: string): unknown => JSON.parse(readFileSync(join(SAMPLE_DIR, file), 'utf8'));

describe('token metadata', () => {
  const map = readJson('metamask-contract-map.json') as Record<string, { name: string; symbol: string; decimals?: number; erc20?: boolean }>;
  const [wethAddress, weth] = Object.entries(map).find(([, v]) => v.symbol === 'WETH')!;
  const meta = TokenMeta.parse({
    chainId: 1, address: wethAddress.toLowerCase(), name: weth.name, symbol: weth.symbol, decimals: weth.decimals ?? null,
  });

  it('makes a curated Token node, an ON_CHAIN fact, and registers the token for later transfers', () => {
    const ctx = context('token-metadata');
    const out = extractTokenMeta(meta, 1, ctx);
    const id = tokenId(1, meta.address);
    expect(out.nodes[0]).toEqual({
      id, kind: 'Token', name: 'Wrapped Ether', namePriority: 2, aliases: ['WETH'],
      attrs: { address: '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2', chainId: 1, symbol: 'WETH', decimals: 18 },
      validFrom: null, recordedAt: INGESTED_AT, sourceId: ctx.sourceId,
    });
    expect(out.nodes[1]).toMatchObject({ id: 'eip155:1', kind: 'Chain', name: 'Ethereum Mainnet' });
    expect(out.facts).toHaveLength(1);
    expect(out.facts[0]).toMatchObject({ subject: id, type: 'ON_CHAIN', object: 'eip155:1', recordedAt: INGESTED_AT });
    expect(ctx.tokens.get(id)).toEqual({ name: 'Wrapped Ether', symbol: 'WETH', decimals: 18 });

    const transfer = extractTokenTransfer({
      tokenAddress: meta.address, from: `0x${'1'.repeat(40)}`, to: `0x${'2'.repeat(40)}`, value: '1500000000000000000',
      transactionHash: `0x${'a'.repeat(64)}`, logIndex: 3, blockNumber: 1, blockTimestamp: 1_700_000_000,
    }, 1, ctx);
    expect(transfer.events[0]?.amounts[0]).toMatchObject({ value: '1.5', unit: 'WETH', decimals: 18 });
    expect(transfer.issues).toEqual([]);
  });

  it('never lets a later null erase known decimals', () => {
    const registry = createTokenRegistry();
    registry.set('t', { name: 'A', symbol: 'A', decimals: 6 });
    registry.set('t', { name: null, symbol: 'B', decimals: null });
    expect(registry.get('t')).toEqual({ name: 'A', symbol: 'B', decimals: 6 });
  });
});

describe('chains', () => {
  const chains = (readJson('chains.json') as Record<string, unknown>[]).map((c) => ChainMeta.parse({
    chainId: c.chainId, name: c.name, shortName: c.shortName ?? null,
    nativeSymbol: (c.nativeCurrency as { symbol?: string } | undefined)?.symbol ?? null,
    nativeDecimals: (c.nativeCurrency as { decimals?: number } | undefined)?.decimals ?? null,
  }));

  it('turns every sample chain into a curated Chain node', () => {
    const ctx = context('chains');
    const nodes = chains.flatMap((c, i) => extractChainMeta(c, i + 1, ctx).nodes);
    expect(nodes).toHaveLength(chains.length);
    expect(nodes.find((n) => n.id === 'eip155:8453')).toEqual({
      id: 'eip155:8453', kind: 'Chain', name: 'Base', namePriority: 2, aliases: ['base'],
      attrs: { chainId: 8453, nativeSymbol: 'ETH', nativeDecimals: 18 },
      validFrom: null, recordedAt: INGESTED_AT, sourceId: ctx.sourceId,
    });
  });

  it('resolves names as sources write them', () => {
    const registry = createChainRegistry();
    const cases: [string, number | null][] = [
      ['ethereum', 1], ['ETH', 1], ['Mainnet', 1], ['bsc', 56], ['BNB', 56], ['binance', 56], ['base', 8453],
      ['Arbitrum', 42161], ['arb', 42161], ['optimism', 10], ['op', 10], ['polygon', 137], ['matic', 137],
      ['avalanche', 43114], ['avax', 43114], ['fantom', 250], ['ftm', 250], ['gnosis', 100], ['xdai', 100],
      ['blast', 81457], ['linea', 59144], ['zksync', 324], ['era', 324], ['scroll', 534352], ['mantle', 5000],
      ['celo', 42220], ['cronos', 25], ['moonbeam', 1284], ['metis', 1088], ['mode', 34443], ['sonic', 146],
      ['sei', 1329], ['8453', 8453], ['eip155:10', 10], ['0x2105', 8453], ['BNB Smart Chain Mainnet', 56],
      ['  Arbitrum One ', 42161], ['no-such-chain', null], ['', null], ['0', null],
    ];
    for (const [text, id] of cases) expect([text, registry.resolve(text)]).toEqual([text, id]);
    expect(registry.name(8453)).toBe('Base');
    expect(registry.name(146)).toBe('Sonic');
    expect(registry.name(999_999_999_999)).toBeNull();
  });

  it('lets chains from the run add names and win over the bundled list', () => {
    const registry = createChainRegistry([
      { chainId: 999_001, name: 'Private Net', shortName: 'pnet', nativeSymbol: null, nativeDecimals: null },
      { chainId: 8453, name: 'Base (ours)', shortName: null, nativeSymbol: 'ETH', nativeDecimals: 18 },
    ]);
    expect(registry.resolve('pnet')).toBe(999_001);
    expect(registry.resolve('private net')).toBe(999_001);
    expect(registry.name(8453)).toBe('Base (ours)');
  });
});

describe('address labels', () => {
  const labels = Object.entries(readJson('address_labels_subset.json') as Record<string, { name?: string; labels?: string[] }>)
    .map(([address, v]) => AddressLabel.parse({
      chainId: 1, address: address.toLowerCase(), name: v.name ?? null, labels: v.labels ?? [], category: null,
    }));

  it('names accounts and links each label as a concept', () => {
    const ctx = context('address-labels');
    const usdc = labels.find((l) => l.address === '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48')!;
    const out = extractAddressLabel(usdc, 1, ctx);
    expect(out.nodes[0]).toMatchObject({
      id: 'eip155:1:0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48', kind: 'Account', name: 'USD Coin (USDC)', namePriority: 2,
      attrs: { address: '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48', chainId: 1 }, recordedAt: INGESTED_AT,
    });
    expect(out.nodes.slice(1).map((n) => [n.id, n.kind, n.name])).toEqual([
      ['concept:label:centre', 'Concept', 'centre'], ['concept:label:stablecoin', 'Concept', 'stablecoin'],
    ]);
    expect(out.facts.map((f) => [f.subject, f.type, f.predicate, f.object, f.recordedAt])).toEqual([
      [out.nodes[0]?.id, 'HAS_LABEL', 'label', 'concept:label:centre', INGESTED_AT],
      [out.nodes[0]?.id, 'HAS_LABEL', 'label', 'concept:label:stablecoin', INGESTED_AT],
    ]);
  });

  it('handles every sample label and a category, without duplicate facts', () => {
    const ctx = context('address-labels');
    const outs = labels.map((l, i) => extractAddressLabel(l, i + 1, ctx));
    expect(labels).toHaveLength(84);
    expect(outs.flatMap((o) => o.issues)).toEqual([]);
    expect(outs.flatMap((o) => o.facts)).toHaveLength(labels.reduce((n, l) => n + new Set(l.labels).size, 0));
    const withCategory = extractAddressLabel({ ...labels[0]!, name: null, category: 'Exchange', labels: ['exchange', 'cex'] }, 1, ctx);
    expect(withCategory.nodes[0]?.namePriority).toBe(0);
    // The category names the same concept as a label here, so it adds no second fact.
    expect(withCategory.facts.map((f) => [f.predicate, f.object])).toEqual([
      ['label', 'concept:label:exchange'], ['label', 'concept:label:cex'],
    ]);
    const distinct = extractAddressLabel({ ...labels[0]!, category: 'Exchange', labels: ['cex'] }, 1, ctx);
    expect(distinct.facts.map((f) => [f.predicate, f.object])).toEqual([
      ['label', 'concept:label:cex'], ['category', 'concept:label:exchange'],
    ]);
  });
});
