/**
 * WETH9 `Deposit(address indexed dst, uint wad)` and `Withdrawal(address indexed src, uint wad)`
 * → Deposit / Withdrawal events (wrapping and unwrapping ether). Any contract emitting these
 * signatures is treated as a WETH9-style wrapper; the emitting contract is the token.
 */
import { decodeEventLog, parseAbiItem } from 'viem';
import { logEventId } from '../../schema/ids.ts';
import type { EthLog } from '../../schema/records.ts';
import { issueOutput, participation, type Provenance } from './facts.ts';
import { accountNode, shortAddress, tokenNode } from './nodes.ts';
import { blockTimeMs, decodeErrorReason, malformedLogIssue, missingBlockTimeIssue, tokenQuantity } from './onchain.ts';
import type { ExtractContext, ExtractOutput } from './types.ts';

export const WETH_EXTRACTOR = 'weth';
export const WETH_VERSION = '1';
export const WETH_DEPOSIT_TOPIC = '0xe1fffcc4923d04b559f4d29a8bfc6cda04eb5b0d3c460751c2402c5c5cc9109c';
export const WETH_WITHDRAWAL_TOPIC = '0x7fcf532c15f0a6db0bd6d0e038bea71d30d808c7d98cb3bf7268a95bf5081b65';

const DEPOSIT = parseAbiItem('event Deposit(address indexed dst, uint256 wad)');
const WITHDRAWAL = parseAbiItem('event Withdrawal(address indexed src, uint256 wad)');

type Topics = [`0x${string}`, ...`0x${string}`[]];

function decode(log: EthLog): { type: 'Deposit' | 'Withdrawal'; owner: string; wad: bigint } {
  const data = log.data as `0x${string}`;
  const topics = log.topics as Topics;
  if (log.topics[0] === WETH_DEPOSIT_TOPIC) {
    const { args } = decodeEventLog({ abi: [DEPOSIT], data, topics });
    return { type: 'Deposit', owner: args.dst.toLowerCase(), wad: args.wad };
  }
  const { args } = decodeEventLog({ abi: [WITHDRAWAL], data, topics });
  return { type: 'Withdrawal', owner: args.src.toLowerCase(), wad: args.wad };
}

/** A Deposit or Withdrawal log → event with `owner` and `token` participants. */
export function extractWeth(log: EthLog, line: number, ctx: ExtractContext): ExtractOutput {
  const isDeposit = log.topics[0] === WETH_DEPOSIT_TOPIC;
  let decoded: ReturnType<typeof decode>;
  try {
    decoded = decode(log);
  } catch (err) {
    const event = isDeposit ? 'Deposit' : 'Withdrawal';
    return issueOutput(malformedLogIssue(line, log.transactionHash, log.logIndex, event, decodeErrorReason(err)));
  }
  const occurredAt = blockTimeMs(log.blockNumber, log.blockTimestamp, ctx);
  if (occurredAt === null) return issueOutput(missingBlockTimeIssue(line, log.blockNumber));

  const chain = ctx.chainId;
  const prov: Provenance = { sourceId: ctx.sourceId, extractor: WETH_EXTRACTOR, extractorVersion: WETH_VERSION };
  const id = logEventId(decoded.type.toLowerCase(), chain, log.transactionHash, log.logIndex);
  const qty = tokenQuantity(ctx, chain, log.address, decoded.wad, 'value', line);
  const owner = accountNode(chain, decoded.owner, occurredAt, ctx.sourceId);
  const token = tokenNode(chain, log.address, qty.info, occurredAt, ctx.sourceId);
  const verb = decoded.type === 'Deposit' ? 'wrapped into' : 'unwrapped from';
  return {
    nodes: [owner, token],
    events: [{
      id,
      type: decoded.type,
      occurredAt,
      summary: `${decoded.type} of ${qty.text} by ${shortAddress(decoded.owner)} (${verb} ${shortAddress(log.address)})`,
      amounts: [qty.amount],
      attrs: { txHash: log.transactionHash, logIndex: log.logIndex, blockNumber: log.blockNumber, chainId: chain },
      recordedAt: occurredAt,
      ...prov,
    }],
    facts: [
      participation(prov, id, 'owner', owner.id, occurredAt, occurredAt),
      participation(prov, id, 'token', token.id, occurredAt, occurredAt),
    ],
    issues: qty.issue ? [qty.issue] : [],
  };
}
