/**
 * Helpers shared by the on-chain extractors: block times, token amounts and the wording of the
 * issues they raise, so every extractor reports the same problem the same way.
 */
import { formatUnits } from 'viem';
import { tokenId } from '../../schema/ids.ts';
import type { Amount, Millis } from '../../schema/graph.ts';
import type { ExtractContext, ExtractIssue, TokenInfo } from './types.ts';
import { checksum, shortAddress } from './nodes.ts';

/** Issue codes raised by the on-chain extractors. */
export const ONCHAIN_ISSUES = {
  missingBlockTime: 'MISSING_BLOCK_TIME',
  unknownDecimals: 'UNKNOWN_DECIMALS',
  malformedLog: 'MALFORMED_LOG',
} as const;

/**
 * The block's time in epoch ms: the record's own timestamp, else one seen earlier in the run (a
 * blocks file ingested first), else null. ethereum-etl timestamps are seconds.
 */
export function blockTimeMs(blockNumber: number, blockTimestamp: number | null, ctx: ExtractContext): Millis | null {
  const seconds = blockTimestamp ?? ctx.blockTimes.get(blockNumber);
  return seconds === undefined ? null : seconds * 1000;
}

/** The error raised when neither the record nor the run knows when its block was mined. */
export function missingBlockTimeIssue(line: number, blockNumber: number): ExtractIssue {
  return {
    line,
    code: ONCHAIN_ISSUES.missingBlockTime,
    reason: `block ${blockNumber} has no timestamp; ingest its blocks file in the same run`,
    severity: 'error',
  };
}

/** The error raised when a log carries a known topic but cannot be decoded. */
export function malformedLogIssue(line: number, txHash: string, logIndex: number, event: string, reason: string): ExtractIssue {
  return {
    line,
    code: ONCHAIN_ISSUES.malformedLog,
    reason: `${event} log ${txHash} #${logIndex}: ${reason}`,
    severity: 'error',
  };
}

/** One line saying why a decoder threw (viem errors carry a one-line `shortMessage`). */
export function decodeErrorReason(err: unknown): string {
  const e = err as { shortMessage?: unknown; message?: unknown } | null;
  if (typeof e?.shortMessage === 'string') return e.shortMessage;
  return String(e?.message ?? err).split('\n')[0] || 'undecodable';
}

/** A token quantity resolved against the registry, with how to show it and any caveat. */
export interface TokenQuantity {
  amount: Amount;
  /** `7.056 WETH`, or `123 raw units of 0xAbCd…1234` when decimals are unknown. */
  text: string;
  info: TokenInfo | undefined;
  issue: ExtractIssue | null;
}

/**
 * Scales a raw on-chain integer by the token's decimals. Unknown decimals keep the raw value (value
 * null) and raise a warning rather than guessing 18: a wrong scale is worse than none.
 */
export function tokenQuantity(
  ctx: ExtractContext,
  chain: number,
  token: string,
  raw: bigint,
  role: string,
  line: number,
): TokenQuantity {
  const id = tokenId(chain, token);
  const info = ctx.tokens.get(id);
  const symbol = info?.symbol ?? null;
  const decimals = info?.decimals ?? null;
  const rawText = raw.toString();
  const unitText = symbol ?? shortAddress(token);
  if (decimals === null) {
    return {
      amount: { role, value: null, raw: rawText, decimals: null, unit: symbol, token: id },
      text: `${rawText} raw units of ${unitText}`,
      info,
      issue: {
        line,
        code: ONCHAIN_ISSUES.unknownDecimals,
        reason: `token ${checksum(token)} has unknown decimals; raw value ${rawText} kept`,
        severity: 'warning',
      },
    };
  }
  const value = formatUnits(raw, decimals);
  return {
    amount: { role, value, raw: rawText, decimals, unit: symbol, token: id },
    text: `${value} ${unitText}`,
    info,
    issue: null,
  };
}

/** Address held in an indexed `address` topic: 12 zero bytes then 20 address bytes. */
export function topicAddress(topic: string): `0x${string}` | null {
  // Topics are validated lower-case 0x + 64 hex by the reader; the padding must be zero or the
  // topic is not an address at all (and decoding it as one would invent a participant).
  if (topic.length !== 66 || !topic.startsWith('0x000000000000000000000000')) return null;
  return `0x${topic.slice(26)}`;
}
