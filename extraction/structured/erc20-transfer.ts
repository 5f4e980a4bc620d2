/**
 * ERC-20 `Transfer(address indexed from, address indexed to, uint256 value)` → Transfer events,
 * and ERC-721 transfers, which share the topic and carry the token id as a 4th topic.
 *
 * The same transfer reaches us twice in ethereum-etl exports: as a raw log and as a decoded
 * token-transfer row. Both paths build the event through `transferOutput`, so the event id
 * (`logEventId('transfer', chain, tx, logIndex)`) and its content are identical and the store
 * merges them into one event.
 *
 * This runs once per transfer in bulk ingests, so the log is decoded by hand (3 topics, 32-byte
 * data) instead of through a generic ABI decoder; a test checks it against viem's decodeEventLog.
 */
import { logEventId, nftCollectionId } from '../../schema/ids.ts';
import type { EthLog, EthTokenTransfer } from '../../schema/records.ts';
import { emptyOutput, issueOutput, participation, type Provenance } from './facts.ts';
import { accountNode, shortAddress, tokenNode } from './nodes.ts';
import { blockTimeMs, malformedLogIssue, missingBlockTimeIssue, tokenQuantity, topicAddress, type TokenQuantity } from './onchain.ts';
import type { ExtractContext, ExtractOutput, RecordExtractor } from './types.ts';

export const ERC20_TRANSFER_EXTRACTOR = 'erc20-transfer';
export const ERC20_TRANSFER_VERSION = '1';
/** keccak256("Transfer(address,address,uint256)"); shared with ERC-721, told apart by topic count. */
export const TRANSFER_TOPIC = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';

/** The fields of a transfer common to both input shapes. */
export interface TransferFields {
  chain: number;
  token: string;
  from: string;
  to: string;
  raw: bigint;
  txHash: string;
  logIndex: number;
  blockNumber: number;
  blockTimestamp: number | null;
  /** ERC-721 transfers move one token id, not an amount. */
  standard: 'erc20' | 'erc721';
}

/** Builds the Transfer event, its nodes and participation facts (one path for logs and rows). */
export function transferOutput(t: TransferFields, line: number, ctx: ExtractContext): ExtractOutput {
  const occurredAt = blockTimeMs(t.blockNumber, t.blockTimestamp, ctx);
  if (occurredAt === null) return issueOutput(missingBlockTimeIssue(line, t.blockNumber));
  const prov: Provenance = {
    sourceId: ctx.sourceId, extractor: ERC20_TRANSFER_EXTRACTOR, extractorVersion: ERC20_TRANSFER_VERSION,
  };
  const id = logEventId('transfer', t.chain, t.txHash, t.logIndex);
  const qty = t.standard === 'erc721'
    ? nftQuantity(ctx, t.chain, t.token, t.raw)
    : tokenQuantity(ctx, t.chain, t.token, t.raw, 'value', line);
  const from = accountNode(t.chain, t.from, occurredAt, ctx.sourceId);
  const to = accountNode(t.chain, t.to, occurredAt, ctx.sourceId);
  const token = tokenNode(t.chain, t.token, qty.info, occurredAt, ctx.sourceId);
  if (t.standard === 'erc721') {
    token.id = nftCollectionId(t.chain, t.token);
    token.attrs = { ...token.attrs, standard: 'erc721' };
  }
  return {
    // A self-transfer names one account twice; keep the batch free of duplicate ids.
    nodes: from.id === to.id ? [from, token] : [from, to, token],
    events: [{
      id,
      type: 'Transfer',
      occurredAt,
      summary: `Transfer of ${qty.text} from ${shortAddress(t.from)} to ${shortAddress(t.to)}`,
      amounts: [qty.amount],
      attrs: { txHash: t.txHash, logIndex: t.logIndex, blockNumber: t.blockNumber, chainId: t.chain, standard: t.standard },
      recordedAt: occurredAt,
      ...prov,
    }],
    facts: [
      participation(prov, id, 'from', from.id, occurredAt, occurredAt),
      participation(prov, id, 'to', to.id, occurredAt, occurredAt),
      participation(prov, id, 'token', token.id, occurredAt, occurredAt),
    ],
    issues: qty.issue ? [qty.issue] : [],
  };
}

/** An ERC-721 token id as the transfer's one amount (role `tokenId`, never scaled). */
function nftQuantity(ctx: ExtractContext, chain: number, token: string, raw: bigint): TokenQuantity {
  const id = nftCollectionId(chain, token);
  const info = ctx.tokens.get(id);
  const tokenIdText = raw.toString();
  return {
    amount: { role: 'tokenId', value: tokenIdText, raw: tokenIdText, decimals: 0, unit: info?.symbol ?? null, token: id },
    text: `${info?.symbol ?? shortAddress(token)} #${tokenIdText}`,
    info,
    issue: null,
  };
}

/**
 * A Transfer log → event. ERC-20 logs have 3 topics and the amount as data; ERC-721 logs emit the
 * same topic0 with the token id as a 4th topic and no data. The ERC-721 contract is registered in
 * the run's token registry so that the token-transfer row of the same transfer (ethereum-etl
 * exports both, and a row cannot tell them apart) is recognised as an NFT transfer too.
 */
export function extractErc20TransferLog(log: EthLog, line: number, ctx: ExtractContext): ExtractOutput {
  if (log.topics[0] !== TRANSFER_TOPIC || (log.topics.length !== 3 && log.topics.length !== 4)) return emptyOutput();
  const from = topicAddress(log.topics[1] ?? '');
  const to = topicAddress(log.topics[2] ?? '');
  const bad = (reason: string) => issueOutput(malformedLogIssue(line, log.transactionHash, log.logIndex, 'Transfer', reason));
  if (from === null) return bad('topic 1 is not a zero-padded address');
  if (to === null) return bad('topic 2 is not a zero-padded address');
  const erc721 = log.topics.length === 4;
  if (erc721 && log.data !== '0x') return bad('an ERC-721 transfer carries no data');
  if (!erc721 && log.data.length !== 66) return bad(`expected 32 bytes of data, got ${(log.data.length - 2) / 2}`);
  if (erc721) ctx.tokens.set(nftCollectionId(ctx.chainId, log.address), { name: null, symbol: null, decimals: 0, standard: 'erc721' });
  return transferOutput({
    chain: ctx.chainId, token: log.address, from, to, raw: BigInt(erc721 ? log.topics[3]! : log.data),
    txHash: log.transactionHash, logIndex: log.logIndex, blockNumber: log.blockNumber, blockTimestamp: log.blockTimestamp,
    standard: erc721 ? 'erc721' : 'erc20',
  }, line, ctx);
}

/** A decoded ethereum-etl token-transfer row → the same event its log would give. */
export function extractTokenTransfer(row: EthTokenTransfer, line: number, ctx: ExtractContext): ExtractOutput {
  const erc721 = ctx.tokens.get(nftCollectionId(ctx.chainId, row.tokenAddress))?.standard === 'erc721';
  return transferOutput({
    standard: erc721 ? 'erc721' : 'erc20',
    chain: ctx.chainId, token: row.tokenAddress, from: row.from, to: row.to, raw: BigInt(row.value),
    txHash: row.transactionHash, logIndex: row.logIndex, blockNumber: row.blockNumber, blockTimestamp: row.blockTimestamp,
  }, line, ctx);
}

/** RecordExtractor for `eth-token-transfers` files. */
export const tokenTransferExtractor: RecordExtractor<EthTokenTransfer> = {
  name: ERC20_TRANSFER_EXTRACTOR,
  version: ERC20_TRANSFER_VERSION,
  extract: extractTokenTransfer,
};
