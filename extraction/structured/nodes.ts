/**
 * Node builders shared by the structured extractors. Addresses in ids are lower-case (schema/ids.ts);
 * names and `attrs.address` use the EIP-55 checksummed form because that is what people paste and
 * what explorers show.
 */
import { checksumAddress } from 'viem';
import { accountId, chainId, normalizeAddress, tokenId } from '../../schema/ids.ts';
import { NamePriority, type Millis, type NodeInput } from '../../schema/graph.ts';
import { kindRank, type EntityKind } from '../../schema/ontology.ts';
import type { TokenInfo } from './types.ts';

/**
 * Checksumming costs a keccak hash; busy addresses (routers, WETH, pools) recur in almost every
 * transfer, so a bounded cache pays for itself. When full, the oldest entry is dropped (Map keeps
 * insertion order), which keeps memory flat however long the run.
 */
const CHECKSUM_CACHE_LIMIT = 65_536;
const checksumCache = new Map<string, string>();

/** EIP-55 form of a lower-case (or any valid) address, cached. */
export function checksum(address: string): string {
  const cached = checksumCache.get(address);
  if (cached !== undefined) return cached;
  const lower = normalizeAddress(address);
  const value = checksumAddress(lower);
  if (checksumCache.size >= CHECKSUM_CACHE_LIMIT) {
    const oldest = checksumCache.keys().next().value;
    if (oldest !== undefined) checksumCache.delete(oldest);
  }
  checksumCache.set(address, value);
  return value;
}

/** `0x6b75…9A80`: enough of an address to tell it apart in a one-line summary. */
export function shortAddress(address: string): string {
  const c = checksum(address);
  return `${c.slice(0, 6)}…${c.slice(-4)}`;
}

/**
 * A node for an on-chain address we know only by its address. Named by its checksummed address at
 * fallback priority, so any curated or derived name (a label, a token name) replaces it.
 */
export function addressNode(
  kind: Extract<EntityKind, 'Account' | 'Contract' | 'Pool'>,
  chain: number,
  address: string,
  recordedAt: Millis,
  sourceId: string,
  extraAttrs?: Record<string, unknown>,
): NodeInput {
  const display = checksum(address);
  return {
    id: accountId(chain, address),
    kind,
    name: display,
    namePriority: NamePriority.fallback,
    attrs: { address: display, chainId: chain, ...extraAttrs },
    validFrom: null,
    recordedAt,
    sourceId,
  };
}

/** An externally owned or unknown account (the least specific kind; others upgrade it). */
export function accountNode(chain: number, address: string, recordedAt: Millis, sourceId: string): NodeInput {
  return addressNode('Account', chain, address, recordedAt, sourceId);
}

/**
 * A token as seen from a transfer: named by its symbol when the registry knows it (derived), else
 * by its address (fallback). A token-metadata file supplies the curated name later or earlier.
 */
export function tokenNode(
  chain: number,
  address: string,
  info: TokenInfo | undefined,
  recordedAt: Millis,
  sourceId: string,
): NodeInput {
  const display = checksum(address);
  const attrs: Record<string, unknown> = { address: display, chainId: chain };
  if (info?.symbol) attrs.symbol = info.symbol;
  if (info?.decimals !== null && info?.decimals !== undefined) attrs.decimals = info.decimals;
  return {
    id: tokenId(chain, address),
    kind: 'Token',
    name: info?.symbol ?? display,
    namePriority: info?.symbol ? NamePriority.derived : NamePriority.fallback,
    attrs,
    validFrom: null,
    recordedAt,
    sourceId,
  };
}

/**
 * A chain referred to by id. The name comes from the chain registry at fallback priority; a chains
 * file (chains.ts) supplies the curated node.
 */
export function chainNode(chain: number, name: string | null, recordedAt: Millis, sourceId: string): NodeInput {
  return {
    id: chainId(chain),
    kind: 'Chain',
    name: name ?? `Chain ${chain}`,
    namePriority: NamePriority.fallback,
    attrs: { chainId: chain },
    validFrom: null,
    recordedAt,
    sourceId,
  };
}

/**
 * Drops repeated ids from one batch (a self-transfer names the same account twice), keeping the
 * more specific kind when they differ (an attacker that is also listed as a contract is a Contract).
 */
export function uniqueNodes(nodes: readonly NodeInput[]): NodeInput[] {
  const byId = new Map<string, NodeInput>();
  for (const node of nodes) {
    const seen = byId.get(node.id);
    if (seen === undefined || kindRank(node.kind) > kindRank(seen.kind)) byId.set(node.id, node);
  }
  return [...byId.values()];
}
