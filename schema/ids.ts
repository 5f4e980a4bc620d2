/**
 * Deterministic identifiers (ARCHITECTURE.md §3). CAIP conventions for on-chain things, lower-case
 * hex inside ids; EIP-55 checksums only for display. Re-running an extractor over the same input
 * yields the same ids, which is what makes ingestion idempotent.
 */
import { checksumAddress } from 'viem';
import { InvalidIdError } from './errors.ts';
import { hashParts } from './hash.ts';

const HEX_BODY = /^[0-9a-fA-F]*$/;

/**
 * Validates an EVM address and returns it lower-cased. Mixed-case input must carry a valid EIP-55
 * checksum; all-lower or all-upper input carries none and is accepted as is.
 * @throws InvalidIdError naming the reason (not hex, wrong length, bad checksum)
 */
export function normalizeAddress(value: string): `0x${string}` {
  if (typeof value !== 'string' || !value.startsWith('0x')) {
    throw new InvalidIdError('address', String(value), 'must start with 0x');
  }
  const body = value.slice(2);
  if (!HEX_BODY.test(body)) throw new InvalidIdError('address', value, 'not hexadecimal');
  if (body.length !== 40) {
    throw new InvalidIdError('address', value, `expected 40 hex digits, got ${body.length}`);
  }
  const lower = value.toLowerCase() as `0x${string}`;
  const isMixed = body !== body.toLowerCase() && body !== body.toUpperCase();
  if (isMixed && checksumAddress(lower) !== value) {
    throw new InvalidIdError('address', value, 'bad EIP-55 checksum');
  }
  return lower;
}

/** EIP-55 checksummed form of an address, for display (`name` of unlabelled accounts). */
export function displayAddress(address: string): string {
  return checksumAddress(normalizeAddress(address));
}

/** Validates a 32-byte transaction hash and returns it lower-cased. */
export function normalizeTxHash(value: string): `0x${string}` {
  if (typeof value !== 'string' || !value.startsWith('0x') || !HEX_BODY.test(value.slice(2))) {
    throw new InvalidIdError('transaction hash', String(value), 'not 0x-prefixed hexadecimal');
  }
  if (value.length !== 66) {
    throw new InvalidIdError('transaction hash', value, `expected 64 hex digits, got ${value.length - 2}`);
  }
  return value.toLowerCase() as `0x${string}`;
}

/** `eip155:<chainId>` (CAIP-2). */
export function chainId(chain: number): string {
  if (!Number.isSafeInteger(chain) || chain <= 0) {
    throw new InvalidIdError('chain id', String(chain), 'must be a positive integer');
  }
  return `eip155:${chain}`;
}

/** `eip155:<chainId>:<address>` (CAIP-10). Used for accounts, contracts and pools alike. */
export function accountId(chain: number, address: string): string {
  return `${chainId(chain)}:${normalizeAddress(address)}`;
}

/** `eip155:<chainId>/erc20:<address>` (CAIP-19). */
export function tokenId(chain: number, address: string): string {
  return `${chainId(chain)}/erc20:${normalizeAddress(address)}`;
}

/** `eip155:<chainId>/erc721:<address>` (CAIP-19): an NFT collection contract. */
export function nftCollectionId(chain: number, address: string): string {
  return `${chainId(chain)}/erc721:${normalizeAddress(address)}`;
}

/** `asset:<market>:<SYMBOL>`, e.g. `asset:crypto:ETH`, `asset:index:SPX`, `asset:equity:MSFT`. */
export function assetId(market: string, symbol: string): string {
  const m = market.trim().toLowerCase();
  const s = symbol.trim().toUpperCase();
  if (!/^[a-z0-9_-]+$/.test(m)) throw new InvalidIdError('asset market', market, 'use letters, digits, - or _');
  if (!/^[A-Z0-9._^=-]+$/.test(s)) throw new InvalidIdError('asset symbol', symbol, 'use letters, digits, ., -, ^ or =');
  return `asset:${m}:${s}`;
}

/** Lower-cased, accent-free, single-spaced name used as a key for text-derived entities. */
export function normalizeName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** `ent:<kind>:<normalised name>` for organisations, protocols and people until resolved. */
export function namedEntityId(kind: string, name: string): string {
  const key = normalizeName(name).replace(/ /g, '-');
  if (!key) throw new InvalidIdError('entity name', name, 'empty after normalisation');
  return `ent:${kind.toLowerCase()}:${key}`;
}

/** `concept:<namespace>:<slug>`, e.g. `concept:label:dex`. */
export function conceptId(namespace: string, name: string): string {
  const key = normalizeName(name).replace(/ /g, '-');
  if (!key) throw new InvalidIdError('concept name', name, 'empty after normalisation');
  return `concept:${namespace}:${key}`;
}

/** Every event id starts with this; no entity or concept id does (stores rely on it). */
export const EVENT_ID_PREFIX = 'evt:';

/**
 * Every document chunk id starts with this (`chunk:<hex sha-256 of the normalised text>`); no
 * entity, concept or event id does, so stores tell a chunk end of a `MENTIONED_IN` fact by prefix.
 */
export const CHUNK_ID_PREFIX = 'chunk:';

export function isChunkId(id: string): boolean {
  return id.startsWith(CHUNK_ID_PREFIX);
}

/** On-chain event ids: `evt:<type>:eip155:<chain>:<txhash>:<logIndex>`. */
export function logEventId(type: string, chain: number, txHash: string, logIndex: number): string {
  return `evt:${type.toLowerCase()}:${chainId(chain)}:${normalizeTxHash(txHash)}:${logIndex}`;
}

/** Series detector event ids: `evt:<type>:<asset>:<YYYY-MM-DD>:<detector>`. */
export function seriesEventId(type: string, asset: string, date: string, detector: string): string {
  return `evt:${type.toLowerCase()}:${asset}:${date}:${detector}`;
}

/** Incident ids: `evt:incident:<YYYY-MM-DD>:<protocol slug>`. */
export function incidentEventId(date: string, protocol: string): string {
  const key = normalizeName(protocol).replace(/ /g, '-') || 'unknown';
  return `evt:incident:${date}:${key}`;
}

/** Fact id = hash(subject, predicate, object, role, source id, extractor version). */
export function factId(p: {
  subject: string;
  type: string;
  object: string;
  role?: string | null;
  sourceId: string;
  extractor: string;
  extractorVersion: string;
}): string {
  return `fact:${hashParts([p.subject, p.type, p.object, p.role, p.sourceId, p.extractor, p.extractorVersion])}`;
}

/** A revival suffix: `~r` and the epoch ms of the re-extraction that re-asserted the fact. */
const REVIVAL_SUFFIX = /~r\d+$/;

/**
 * The id under which re-extraction re-asserts a fact whose `baseId` row is retracted: a new row, so
 * the retracted one keeps its history (a read as of the gap still sees neither).
 * @example revivalFactId('fact:ab12', 1767225600000) // 'fact:ab12~r1767225600000'
 */
export function revivalFactId(baseId: string, at: number): string {
  return `${baseFactId(baseId)}~r${at}`;
}

/** The content-hash id of a fact, its revival suffix (see `revivalFactId`) stripped if it has one. */
export function baseFactId(id: string): string {
  // Most ids have no suffix: skip the regex for them (ingest digests every fact id it produces).
  return id.includes('~r') ? id.replace(REVIVAL_SUFFIX, '') : id;
}

/**
 * The id under which re-extraction re-asserts an event whose `baseId` row is retracted (a new row,
 * like `revivalFactId`); keeps the `evt:` prefix.
 * @example revivalEventId('evt:pricemove:ab12:ksigma', 1767225600000) // 'evt:pricemove:ab12:ksigma~r1767225600000'
 */
export function revivalEventId(baseId: string, at: number): string {
  return `${baseEventId(baseId)}~r${at}`;
}

/** The id an extractor gives an event, its revival suffix (see `revivalEventId`) stripped if it has one. */
export function baseEventId(id: string): string {
  return id.includes('~r') ? id.replace(REVIVAL_SUFFIX, '') : id;
}

/** Source id from the source's kind and its resolved location (stable across content changes). */
export function sourceId(kind: string, location: string): string {
  return `src:${kind}:${hashParts([location], 16)}`;
}
