/**
 * Uniswap V2 and V3 `Swap` logs → Swap events. Decoded with viem (these are far rarer than
 * transfers, so a generic decoder costs nothing that matters and gets signed ints right).
 *
 * Amounts stay raw: a swap log names neither of the pool's two tokens, so the decimals to scale by
 * are unknown here. V3 amounts are signed from the pool's point of view (positive = paid in).
 */
import { decodeEventLog, parseAbiItem } from 'viem';
import { logEventId } from '../../schema/ids.ts';
import type { Amount } from '../../schema/graph.ts';
import type { EthLog } from '../../schema/records.ts';
import { issueOutput, participation, type Provenance } from './facts.ts';
import { accountNode, addressNode, shortAddress, uniqueNodes } from './nodes.ts';
import { blockTimeMs, decodeErrorReason, malformedLogIssue, missingBlockTimeIssue } from './onchain.ts';
import type { ExtractContext, ExtractOutput } from './types.ts';

export const UNISWAP_SWAP_EXTRACTOR = 'uniswap-swap';
export const UNISWAP_SWAP_VERSION = '1';
export const UNISWAP_V2_SWAP_TOPIC = '0xd78ad95fa46c994b6551d0da85fc275fe613ce37657fb8d5e3d130840159d822';
export const UNISWAP_V3_SWAP_TOPIC = '0xc42079f94a6350d7e6235f29174924f928cc2ac818eb64fed8004e115fbcca67';

const V2_SWAP = parseAbiItem(
  'event Swap(address indexed sender, uint256 amount0In, uint256 amount1In, uint256 amount0Out, uint256 amount1Out, address indexed to)',
);
const V3_SWAP = parseAbiItem(
  'event Swap(address indexed sender, address indexed recipient, int256 amount0, int256 amount1, uint160 sqrtPriceX96, uint128 liquidity, int24 tick)',
);

type Topics = [`0x${string}`, ...`0x${string}`[]];

/** What both pool versions reduce to before the event is built. */
interface DecodedSwap {
  protocol: 'uniswap-v2' | 'uniswap-v3';
  sender: string;
  recipient: string;
  amounts: Amount[];
  extraAttrs: Record<string, unknown>;
}

function rawAmount(role: string, value: bigint): Amount {
  return { role, value: null, raw: value.toString(), decimals: null, unit: null, token: null };
}

function decode(log: EthLog): DecodedSwap {
  const topics = log.topics as Topics;
  if (log.topics[0] === UNISWAP_V2_SWAP_TOPIC) {
    const { args } = decodeEventLog({ abi: [V2_SWAP], data: log.data as `0x${string}`, topics });
    return {
      protocol: 'uniswap-v2',
      sender: args.sender.toLowerCase(),
      recipient: args.to.toLowerCase(),
      amounts: [
        rawAmount('amount0In', args.amount0In), rawAmount('amount1In', args.amount1In),
        rawAmount('amount0Out', args.amount0Out), rawAmount('amount1Out', args.amount1Out),
      ],
      extraAttrs: {},
    };
  }
  const { args } = decodeEventLog({ abi: [V3_SWAP], data: log.data as `0x${string}`, topics });
  return {
    protocol: 'uniswap-v3',
    sender: args.sender.toLowerCase(),
    recipient: args.recipient.toLowerCase(),
    amounts: [rawAmount('amount0', args.amount0), rawAmount('amount1', args.amount1)],
    extraAttrs: { sqrtPriceX96: args.sqrtPriceX96.toString(), liquidity: args.liquidity.toString(), tick: args.tick },
  };
}

/** A V2 or V3 Swap log → Swap event with pool, sender and recipient participants. */
export function extractUniswapSwap(log: EthLog, line: number, ctx: ExtractContext): ExtractOutput {
  let swap: DecodedSwap;
  try {
    swap = decode(log);
  } catch (err) {
    return issueOutput(malformedLogIssue(line, log.transactionHash, log.logIndex, 'Swap', decodeErrorReason(err)));
  }
  const occurredAt = blockTimeMs(log.blockNumber, log.blockTimestamp, ctx);
  if (occurredAt === null) return issueOutput(missingBlockTimeIssue(line, log.blockNumber));

  const chain = ctx.chainId;
  const prov: Provenance = { sourceId: ctx.sourceId, extractor: UNISWAP_SWAP_EXTRACTOR, extractorVersion: UNISWAP_SWAP_VERSION };
  const id = logEventId('swap', chain, log.transactionHash, log.logIndex);
  const pool = addressNode('Pool', chain, log.address, occurredAt, ctx.sourceId, { protocol: swap.protocol });
  const sender = accountNode(chain, swap.sender, occurredAt, ctx.sourceId);
  const recipient = accountNode(chain, swap.recipient, occurredAt, ctx.sourceId);
  const version = swap.protocol === 'uniswap-v2' ? 'V2' : 'V3';
  const amountText = swap.amounts.map((a) => `${a.role} ${a.raw}`).join(', ');
  return {
    nodes: uniqueNodes([pool, sender, recipient]),
    events: [{
      id,
      type: 'Swap',
      occurredAt,
      summary: `Uniswap ${version} swap in pool ${shortAddress(log.address)} by ${shortAddress(swap.sender)} `
        + `to ${shortAddress(swap.recipient)} (raw ${amountText})`,
      amounts: swap.amounts,
      attrs: {
        protocol: swap.protocol, ...swap.extraAttrs,
        txHash: log.transactionHash, logIndex: log.logIndex, blockNumber: log.blockNumber, chainId: chain,
      },
      recordedAt: occurredAt,
      ...prov,
    }],
    facts: [
      participation(prov, id, 'pool', pool.id, occurredAt, occurredAt),
      participation(prov, id, 'sender', sender.id, occurredAt, occurredAt),
      participation(prov, id, 'recipient', recipient.id, occurredAt, occurredAt),
    ],
    issues: [],
  };
}
