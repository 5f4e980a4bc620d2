/**
 * The `eth-logs` extractor: dispatches each log on its topic0 to the extractor that understands it.
 * Logs of events we do not model are the norm (approvals, syncs, protocol-specific events), so
 * an unknown topic is simply no output, not an issue.
 */
import type { EthLog } from '../../schema/records.ts';
import {
  ERC20_TRANSFER_EXTRACTOR, ERC20_TRANSFER_VERSION, TRANSFER_TOPIC, extractErc20TransferLog,
} from './erc20-transfer.ts';
import { emptyOutput } from './facts.ts';
import type { ExtractContext, ExtractOutput, RecordExtractor } from './types.ts';
import {
  UNISWAP_SWAP_EXTRACTOR, UNISWAP_SWAP_VERSION, UNISWAP_V2_SWAP_TOPIC, UNISWAP_V3_SWAP_TOPIC, extractUniswapSwap,
} from './uniswap-swap.ts';
import { WETH_DEPOSIT_TOPIC, WETH_EXTRACTOR, WETH_VERSION, WETH_WITHDRAWAL_TOPIC, extractWeth } from './weth.ts';

type LogHandler = (log: EthLog, line: number, ctx: ExtractContext) => ExtractOutput;

const HANDLERS = new Map<string, LogHandler>([
  [TRANSFER_TOPIC, extractErc20TransferLog],
  [UNISWAP_V2_SWAP_TOPIC, extractUniswapSwap],
  [UNISWAP_V3_SWAP_TOPIC, extractUniswapSwap],
  [WETH_DEPOSIT_TOPIC, extractWeth],
  [WETH_WITHDRAWAL_TOPIC, extractWeth],
]);

/** The topic0 values some extractor handles. */
export const KNOWN_LOG_TOPICS: readonly string[] = [...HANDLERS.keys()];

/** One log → whatever event its topic0 maps to; unknown or absent topic0 → empty output. */
export function extractLog(log: EthLog, line: number, ctx: ExtractContext): ExtractOutput {
  const topic0 = log.topics[0];
  const handler = topic0 === undefined ? undefined : HANDLERS.get(topic0);
  return handler ? handler(log, line, ctx) : emptyOutput();
}

export const LOGS_EXTRACTOR = 'eth-logs';
/**
 * The composite version changes whenever any sub-extractor's does, so a source processed by an
 * older set is recognisably stale. Each event still names its own sub-extractor and version.
 */
export const LOGS_VERSION = [
  `${ERC20_TRANSFER_EXTRACTOR}@${ERC20_TRANSFER_VERSION}`,
  `${UNISWAP_SWAP_EXTRACTOR}@${UNISWAP_SWAP_VERSION}`,
  `${WETH_EXTRACTOR}@${WETH_VERSION}`,
].join('+');

/** RecordExtractor for `eth-logs` files. */
export const logExtractor: RecordExtractor<EthLog> = {
  name: LOGS_EXTRACTOR,
  version: LOGS_VERSION,
  extract: extractLog,
};
