/**
 * Generated graph rows shaped like real ERC-20 transfers, for the write benchmarks: each transfer
 * goes through the real extractor (`transferOutput`: a Transfer event, its accounts and token, three
 * PARTICIPANT facts), over a Zipf-reused pool of accounts and the demo tokens, deterministically.
 *
 * The stream is cut into one-fact units: each unit holds one fact plus the event and nodes that
 * fact is the first to name, so every row of the stream is written exactly once whether the units
 * are written one per transaction or combined into batches — the two differ only in batching.
 */
import { createHash } from 'node:crypto';
import { createChainRegistry } from '../extraction/structured/chain-registry.ts';
import { transferOutput } from '../extraction/structured/erc20-transfer.ts';
import { createTokenRegistry } from '../extraction/structured/token-registry.ts';
import type { ExtractContext } from '../extraction/structured/types.ts';
import { createRandom, zipfIndex } from '../pipelines/demo/prng.ts';
import { DEMO_TOKENS, demoAddress } from '../pipelines/demo/transfers.ts';
import { emptyBatch, type GraphBatch } from '../schema/graph.ts';
import { sourceId, tokenId } from '../schema/ids.ts';

const SYMBOLS = ['WETH', 'USDC', 'USDT', 'DAI', 'WBTC', 'LINK'];
const PER_BLOCK = 150;
const START_BLOCK = 17_000_000;
const START_TS = 1_681_000_000;

export interface TransferUnitOptions {
  /** Transfers the account pool is sized for (accounts = transfers / 5, as in the ingest bench). */
  transfers: number;
  /** @default 1 */
  seed?: number;
}

/** Rows in a batch (nodes + events + facts), as the ingest batch writer counts them. */
export function rowsOf(batch: GraphBatch): number {
  return batch.nodes.length + batch.events.length + batch.facts.length;
}

function context(seed: number): ExtractContext {
  const tokens = createTokenRegistry(
    DEMO_TOKENS.map((t, i) => [tokenId(1, t.address), { name: SYMBOLS[i] ?? null, symbol: SYMBOLS[i] ?? null, decimals: t.decimals }] as const),
  );
  const file = `bench-transfers-${seed}.json`;
  return {
    sourceId: sourceId('eth-token-transfers', file), file, ingestedAt: Date.UTC(2024, 0, 1), chainId: 1, tokens,
    chains: createChainRegistry(), blockTimes: new Map(),
  };
}

/** An endless stream of one-fact units (three per transfer), deterministic for a seed. */
export function* transferUnits(options: TransferUnitOptions): Generator<GraphBatch> {
  const seed = options.seed ?? 1;
  const accounts = Math.max(10, Math.floor(options.transfers / 5));
  const random = createRandom(seed);
  const ctx = context(seed);
  const seen = new Set<string>();
  for (let n = 0; ; n++) {
    const block = START_BLOCK + Math.floor(n / PER_BLOCK);
    const token = DEMO_TOKENS[zipfIndex(random, DEMO_TOKENS.length, 0.6)]!;
    const from = demoAddress(seed, zipfIndex(random, accounts));
    let toIndex = zipfIndex(random, accounts);
    if (demoAddress(seed, toIndex) === from) toIndex = (toIndex + 1) % accounts;
    const raw = BigInt(Math.floor(random() * 1e12)) * 10n ** BigInt(Math.max(0, token.decimals - 6));
    const out = transferOutput({
      chain: 1, token: token.address, from, to: demoAddress(seed, toIndex), raw,
      txHash: `0x${createHash('sha256').update(`tx:${seed}:${n}`).digest('hex')}`, logIndex: n % PER_BLOCK,
      blockNumber: block, blockTimestamp: START_TS + (block - START_BLOCK) * 12, standard: 'erc20',
    }, n + 1, ctx);
    const byId = new Map(out.nodes.map((node) => [node.id, node]));
    for (const [i, fact] of out.facts.entries()) {
      const unit = emptyBatch();
      if (i === 0) unit.events.push(...out.events);
      const node = byId.get(fact.object);
      if (node !== undefined && !seen.has(node.id)) {
        seen.add(node.id);
        unit.nodes.push(node);
      }
      unit.facts.push(fact);
      yield unit;
    }
  }
}

/** The first `facts` one-fact units of the stream. */
export function factUnits(facts: number, options: TransferUnitOptions): GraphBatch[] {
  const units: GraphBatch[] = [];
  for (const unit of transferUnits(options)) {
    if (units.length >= facts) break;
    units.push(unit);
  }
  return units;
}

/** Units of whole transfers until they hold at least `rows` rows. */
export function unitsOfRows(rows: number, options: TransferUnitOptions): GraphBatch[] {
  const units: GraphBatch[] = [];
  let total = 0;
  for (const unit of transferUnits(options)) {
    // A transfer starts with the unit that carries its event; stop only at such a boundary.
    if (total >= rows && unit.events.length > 0) break;
    units.push(unit);
    total += rowsOf(unit);
  }
  return units;
}

/** Units concatenated into batches of about `maxRows` rows (whole units), as the ingest writer does. */
export function combine(units: readonly GraphBatch[], maxRows: number): GraphBatch[] {
  const batches: GraphBatch[] = [];
  let current = emptyBatch();
  let rows = 0;
  for (const unit of units) {
    current.nodes.push(...unit.nodes);
    current.events.push(...unit.events);
    current.facts.push(...unit.facts);
    rows += rowsOf(unit);
    if (rows >= maxRows) {
      batches.push(current);
      current = emptyBatch();
      rows = 0;
    }
  }
  if (rows > 0) batches.push(current);
  return batches;
}
