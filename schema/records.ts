/**
 * Typed input records: what readers produce and extractors consume. Readers validate raw rows
 * against these zod schemas (addresses already lower-cased and checked, big integers as decimal
 * strings); extractors trust them.
 */
import { z } from 'zod';

const address = z.string().regex(/^0x[0-9a-f]{40}$/, 'lower-case 0x address');
const txHash = z.string().regex(/^0x[0-9a-f]{64}$/, 'lower-case 0x transaction hash');
/** Unsigned integer of any size, as a decimal string. */
const uintString = z.string().regex(/^\d+$/, 'unsigned integer');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD date');
const positive = z.number().finite().positive();

export const FILE_KINDS = [
  'eth-blocks', 'eth-transactions', 'eth-logs', 'eth-token-transfers', 'ohlcv', 'price-closes',
  'incidents', 'token-metadata', 'token-list', 'chains', 'address-labels',
] as const;
export type FileKind = (typeof FILE_KINDS)[number];

export const EthBlock = z.object({
  number: z.number().int().nonnegative(),
  hash: txHash,
  timestamp: z.number().int().nonnegative(),
  miner: address.nullable(),
  transactionCount: z.number().int().nonnegative().nullable(),
});
export type EthBlock = z.infer<typeof EthBlock>;

export const EthTransaction = z.object({
  hash: txHash,
  blockNumber: z.number().int().nonnegative(),
  blockTimestamp: z.number().int().nonnegative().nullable(),
  transactionIndex: z.number().int().nonnegative(),
  from: address,
  to: address.nullable(),
  value: uintString,
  receiptContractAddress: address.nullable(),
  receiptStatus: z.number().int().nullable(),
});
export type EthTransaction = z.infer<typeof EthTransaction>;

export const EthLog = z.object({
  transactionHash: txHash,
  logIndex: z.number().int().nonnegative(),
  blockNumber: z.number().int().nonnegative(),
  blockTimestamp: z.number().int().nonnegative().nullable(),
  address,
  data: z.string().regex(/^0x([0-9a-f]{2})*$/, 'even-length lower-case hex data'),
  topics: z.array(txHash).max(4),
});
export type EthLog = z.infer<typeof EthLog>;

export const EthTokenTransfer = z.object({
  tokenAddress: address,
  from: address,
  to: address,
  value: uintString,
  transactionHash: txHash,
  logIndex: z.number().int().nonnegative(),
  blockNumber: z.number().int().nonnegative(),
  blockTimestamp: z.number().int().nonnegative().nullable(),
});
export type EthTokenTransfer = z.infer<typeof EthTokenTransfer>;

/** One bar of a price series; long-format closes have only `close`. */
export const PriceBar = z.object({
  symbol: z.string().min(1),
  date: isoDate,
  open: positive.nullable(),
  high: positive.nullable(),
  low: positive.nullable(),
  close: positive,
  adjClose: positive.nullable(),
  volume: z.number().finite().nonnegative().nullable(),
});
export type PriceBar = z.infer<typeof PriceBar>;

export const IncidentRow = z.object({
  incidentId: z.string().min(1),
  date: isoDate,
  protocol: z.string().min(1),
  attackType: z.string().nullable(),
  lossText: z.string().nullable(),
  /** Chain as written in the source (`base`, `bsc`, `ethereum`…); resolved by the extractor. */
  chain: z.string().nullable(),
  forkBlock: z.number().int().nonnegative().nullable(),
  attackerAddresses: z.array(address),
  attackContracts: z.array(address),
  vulnerableContracts: z.array(address),
  attackTxs: z.array(txHash),
  references: z.array(z.string()),
  /** `[name, address]` pairs named in the PoC. */
  namedAddresses: z.array(z.tuple([z.string(), address])),
});
export type IncidentRow = z.infer<typeof IncidentRow>;

export const TokenMeta = z.object({
  chainId: z.number().int().positive(),
  address,
  name: z.string().min(1),
  symbol: z.string().min(1),
  decimals: z.number().int().min(0).max(255).nullable(),
});
export type TokenMeta = z.infer<typeof TokenMeta>;

export const ChainMeta = z.object({
  chainId: z.number().int().positive(),
  name: z.string().min(1),
  shortName: z.string().nullable(),
  nativeSymbol: z.string().nullable(),
  nativeDecimals: z.number().int().nonnegative().nullable(),
});
export type ChainMeta = z.infer<typeof ChainMeta>;

export const AddressLabel = z.object({
  /** @default 1 — label lists rarely say; users pass --chain for others. */
  chainId: z.number().int().positive(),
  address,
  name: z.string().nullable(),
  labels: z.array(z.string().min(1)),
  category: z.string().nullable(),
});
export type AddressLabel = z.infer<typeof AddressLabel>;

/** The record type each file kind yields. */
export interface RecordOfKind {
  'eth-blocks': EthBlock;
  'eth-transactions': EthTransaction;
  'eth-logs': EthLog;
  'eth-token-transfers': EthTokenTransfer;
  ohlcv: PriceBar;
  'price-closes': PriceBar;
  incidents: IncidentRow;
  'token-metadata': TokenMeta;
  'token-list': TokenMeta;
  chains: ChainMeta;
  'address-labels': AddressLabel;
}
