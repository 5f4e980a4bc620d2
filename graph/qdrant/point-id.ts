/**
 * Qdrant point ids (ARCHITECTURE.md §4): a Qdrant id must be an unsigned integer or a UUID, so a
 * graph id becomes the name-based UUIDv5 of itself under a fixed MarketGraph namespace. The same
 * graph id always yields the same point, so re-upserting replaces and never duplicates.
 *
 * Tenants: the default tenant's point id is UUIDv5(graph id) exactly as §4 says; any other tenant's
 * is UUIDv5(`${tenant}\u001f${graph id}`), so the same graph id in two tenants is two points. U+001F
 * (the separator the rest of MarketGraph reserves, see schema/hash.ts) is refused in tenants and ids,
 * which keeps the mapping one-to-one: no (tenant, id) pair can spell another pair's name.
 */
import { createHash } from 'node:crypto';
import { InvalidArgumentError } from '../../schema/errors.ts';

/** RFC 4122 Appendix C: the DNS name space. */
export const NAMESPACE_DNS = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
/** RFC 4122 Appendix C: the URL name space. */
export const NAMESPACE_URL = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';
/**
 * MarketGraph's name space for point ids. Never change it: every stored point id depends on it,
 * and a new value would orphan every vector already written.
 */
export const MARKETGRAPH_NAMESPACE = 'eb26e969-ca31-4a91-8af0-379d6c9bbb57';

export const DEFAULT_TENANT = 'default';
const SEPARATOR = '\u001f';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function uuidBytes(uuid: string): Buffer {
  if (!UUID.test(uuid)) throw new InvalidArgumentError('namespace', `"${uuid}" is not a UUID`);
  return Buffer.from(uuid.replaceAll('-', ''), 'hex');
}

/**
 * RFC 4122 §4.3 name-based UUID, version 5 (SHA-1): the first 16 bytes of SHA-1(namespace ‖ name)
 * with the version nibble set to 5 and the variant bits to 10. `name` is hashed as UTF-8.
 * @example uuidV5('www.example.com', NAMESPACE_DNS) // '2ed6657d-e927-568b-95e1-2665a8aea6a2'
 */
export function uuidV5(name: string, namespace: string): string {
  const hash = createHash('sha1').update(uuidBytes(namespace)).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Refuses the one character that would make point ids ambiguous across tenants. */
export function checkKey(what: 'id' | 'tenant', value: string): void {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidArgumentError(what, 'must be a non-empty string');
  }
  if (value.includes(SEPARATOR)) {
    throw new InvalidArgumentError(what, `"${value.replaceAll(SEPARATOR, '\\u001f')}" contains U+001F, which is reserved`);
  }
}

/**
 * The Qdrant point id of graph id `id` in `tenant`.
 * @example pointId('eip155:1:0xabc…') // UUIDv5 of the graph id itself
 * @example pointId('eip155:1:0xabc…', 'acme') // UUIDv5 of 'acme\u001feip155:1:0xabc…'
 */
export function pointId(id: string, tenant: string = DEFAULT_TENANT): string {
  checkKey('id', id);
  checkKey('tenant', tenant);
  return uuidV5(tenant === DEFAULT_TENANT ? id : `${tenant}${SEPARATOR}${id}`, MARKETGRAPH_NAMESPACE);
}
