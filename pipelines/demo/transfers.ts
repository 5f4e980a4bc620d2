/**
 * Deterministic ERC-20 transfer data in the ethereum-etl JSON-lines layout (token_transfers +
 * blocks), for the `npm start` demo and the ingest benchmark. Nothing here is real chain data:
 * addresses and hashes are derived from a seed, tokens are real contract addresses so that token
 * metadata from @metamask/contract-metadata applies.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { createRandom, zipfIndex } from './prng.ts';

export interface DemoToken {
  address: string;
  decimals: number;
}

/** Well-known mainnet tokens (lower-case); decimals as their contracts define them. */
export const DEMO_TOKENS: readonly DemoToken[] = [
  { address: '0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2', decimals: 18 }, // WETH
  { address: '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48', decimals: 6 }, // USDC
  { address: '0xdac17f958d2ee523a2206206994597c13d831ec7', decimals: 6 }, // USDT
  { address: '0x6b175474e89094c44da98b954eedeac495271d0f', decimals: 18 }, // DAI
  { address: '0x2260fac5e5542a773aa44fbcfedf7c193bc2c599', decimals: 8 }, // WBTC
  { address: '0x514910771af9ca656af840dff83e8264ecf986ca', decimals: 18 }, // LINK
];

export interface TransferGenOptions {
  /** @default 10_000 */
  transfers?: number;
  /** Distinct accounts to draw from. @default transfers / 5 */
  accounts?: number;
  /** @default 17_000_000 */
  startBlock?: number;
  /** @default 1_681_000_000 (2023-04-09) */
  startTimestamp?: number;
  /** @default 150 */
  transfersPerBlock?: number;
  /** @default 42 */
  seed?: number;
}

export interface GeneratedFiles {
  transfersFile: string;
  blocksFile: string;
  transfers: number;
  blocks: number;
}

/** Deterministic 20-byte address for account number `i`. */
export function demoAddress(seed: number, i: number): string {
  return `0x${createHash('sha256').update(`acct:${seed}:${i}`).digest('hex').slice(0, 40)}`;
}

function txHash(seed: number, block: number, i: number): string {
  return `0x${createHash('sha256').update(`tx:${seed}:${block}:${i}`).digest('hex')}`;
}

/** A raw token amount as an integer string, log-uniform over a realistic range for its decimals. */
function rawAmount(random: () => number, decimals: number): string {
  const wholeDigits = 1 + Math.floor(random() * 6); // 1 … 999,999 whole units
  const whole = Math.floor(Math.pow(10, wholeDigits - 1 + random()));
  const frac = Math.floor(random() * 10 ** Math.min(decimals, 6));
  const raw = BigInt(whole) * 10n ** BigInt(decimals) + BigInt(frac) * 10n ** BigInt(Math.max(0, decimals - 6));
  return raw.toString();
}

async function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

/**
 * Writes `token_transfers.json` and `blocks.json` (ethereum-etl JSON lines) into `dir`. Values are
 * bare JSON numbers even above 2^53, exactly as ethereum-etl writes them.
 */
export async function writeDemoTransfers(dir: string, options: TransferGenOptions = {}): Promise<GeneratedFiles> {
  const transfers = options.transfers ?? 10_000;
  const accounts = options.accounts ?? Math.max(10, Math.floor(transfers / 5));
  const startBlock = options.startBlock ?? 17_000_000;
  const startTs = options.startTimestamp ?? 1_681_000_000;
  const perBlock = options.transfersPerBlock ?? 150;
  const seed = options.seed ?? 42;
  const random = createRandom(seed);
  const addressCache = new Map<number, string>();
  const address = (i: number): string => {
    let a = addressCache.get(i);
    if (a === undefined) {
      a = demoAddress(seed, i);
      if (addressCache.size < 500_000) addressCache.set(i, a);
    }
    return a;
  };

  const transfersFile = join(dir, 'token_transfers.json');
  const blocksFile = join(dir, 'blocks.json');
  const out = createWriteStream(transfersFile);
  const blocksOut = createWriteStream(blocksFile);
  let blocks = 0;
  for (let n = 0; n < transfers; n++) {
    const block = startBlock + Math.floor(n / perBlock);
    const ts = startTs + (block - startBlock) * 12;
    const logIndex = n % perBlock;
    if (logIndex === 0) {
      blocks++;
      const hash = `0x${createHash('sha256').update(`block:${seed}:${block}`).digest('hex')}`;
      await write(blocksOut, `{"type": "block", "number": ${block}, "hash": "${hash}", "timestamp": ${ts}, "miner": null, "transaction_count": ${perBlock}}\n`);
    }
    const token = DEMO_TOKENS[zipfIndex(random, DEMO_TOKENS.length, 0.6)]!;
    const from = address(zipfIndex(random, accounts));
    let toIndex = zipfIndex(random, accounts);
    if (address(toIndex) === from) toIndex = (toIndex + 1) % accounts;
    const value = rawAmount(random, token.decimals);
    await write(
      out,
      `{"type": "token_transfer", "token_address": "${token.address}", "from_address": "${from}", "to_address": "${address(toIndex)}", "value": ${value}, "transaction_hash": "${txHash(seed, block, logIndex)}", "log_index": ${logIndex}, "block_number": ${block}, "block_timestamp": ${ts}}\n`,
    );
  }
  out.end();
  blocksOut.end();
  await Promise.all([once(out, 'finish'), once(blocksOut, 'finish')]);
  return { transfersFile, blocksFile, transfers, blocks };
}
