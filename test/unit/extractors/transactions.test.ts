import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceId } from '../../../schema/ids.ts';
import { EthTransaction } from '../../../schema/records.ts';
import { createChainRegistry } from '../../../extraction/structured/chain-registry.ts';
import { createTokenRegistry } from '../../../extraction/structured/token-registry.ts';
import { extractTransaction } from '../../../extraction/structured/transactions.ts';
import type { ExtractContext } from '../../../extraction/structured/types.ts';
import { SAMPLE_BLOCKS_DIR } from '../../fixtures/paths.ts';

/** JSON.parse that keeps integers beyond 2^53 as their exact decimal text. */
function parseExact(line: string): Record<string, unknown> {
  return JSON.parse(line, (_key: string, value: unknown, context?: { source?: string }) =>
    typeof value === 'number' && !Number.isSafeInteger(value) && context?.source ? context.source : value);
}

const lowerOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v).toLowerCase());

const TXS = readFileSync(join(SAMPLE_BLOCKS_DIR, 'expected_transactions.json'), 'utf8').split('\n')
  .filter((l) => l.trim() !== '').map(parseExact).map((r) => EthTransaction.parse({
    hash: lowerOrNull(r.hash), blockNumber: r.block_number, blockTimestamp: r.block_timestamp ?? null,
    transactionIndex: r.transaction_index, from: lowerOrNull(r.from_address), to: lowerOrNull(r.to_address),
    value: String(r.value), receiptContractAddress: lowerOrNull(r.receipt_contract_address),
    receiptStatus: r.receipt_status ?? null,
  }));

const ctx: ExtractContext = {
  sourceId: sourceId('eth-transactions', join(SAMPLE_BLOCKS_DIR, 'expected_transactions.json')),
  file: 'expected_transactions.json',
  ingestedAt: Date.UTC(2025, 0, 1),
  chainId: 1,
  tokens: createTokenRegistry(),
  chains: createChainRegistry(),
  blockTimes: new Map(),
};

describe('contract deployments from the real sample transactions', () => {
  it('finds the one contract creation and links deployer and contract', () => {
    expect(TXS).toHaveLength(298);
    const outs = TXS.map((tx, i) => extractTransaction(tx, i + 1, ctx));
    const events = outs.flatMap((o) => o.events);
    expect(outs.flatMap((o) => o.issues)).toEqual([]);
    expect(events).toHaveLength(1);
    const tx = '0xf9e4ca8a940bd7f192dd12e75b32938f187e8098a41817a8e611448e22cca9cc';
    const deployer = 'eip155:1:0x6cdeb3b685cdf7f2032040e9e8461a77bd9632a7';
    const contract = 'eip155:1:0x303abf64fe75964565d2b44b9e4518e6126f1f0e';
    const [event] = events;
    expect(event).toMatchObject({ id: `evt:deployment:eip155:1:${tx}:0`, type: 'Deployment' });
    const facts = outs.flatMap((o) => o.facts);
    expect(facts.filter((f) => f.type === 'PARTICIPANT').map((f) => [f.role, f.object])).toEqual([
      ['deployer', deployer], ['contract', contract],
    ]);
    expect(facts.find((f) => f.type === 'DEPLOYED')).toMatchObject({
      subject: deployer, object: contract, predicate: 'deployed', role: null, validFrom: event?.occurredAt,
    });
    const nodes = outs.flatMap((o) => o.nodes);
    expect(nodes.find((n) => n.id === contract)).toMatchObject({ kind: 'Contract', attrs: { deployTx: tx } });
  });

  it('ignores failed creations and ordinary transactions', () => {
    const creation = TXS.find((t) => t.receiptContractAddress !== null)!;
    expect(extractTransaction({ ...creation, receiptStatus: 0 }, 1, ctx).events).toEqual([]);
    expect(extractTransaction(TXS[0]!, 1, ctx)).toEqual({ nodes: [], events: [], facts: [], issues: [] });
  });
});
