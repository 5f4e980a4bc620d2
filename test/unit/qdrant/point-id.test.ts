import { describe, expect, it } from 'vitest';
import {
  MARKETGRAPH_NAMESPACE, NAMESPACE_DNS, NAMESPACE_URL, pointId, uuidV5,
} from '../../../graph/qdrant/point-id.ts';
import { InvalidArgumentError } from '../../../schema/errors.ts';

const NAMESPACE_OID = '6ba7b812-9dad-11d1-80b4-00c04fd430c8';
const V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuidV5 (RFC 4122 §4.3, SHA-1)', () => {
  it('matches published and independently computed vectors', () => {
    // The RFC 4122 errata / RFC 9562 example for the DNS name space.
    expect(uuidV5('www.example.com', NAMESPACE_DNS)).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
    // Python's documentation example: uuid.uuid5(uuid.NAMESPACE_DNS, 'python.org').
    expect(uuidV5('python.org', NAMESPACE_DNS)).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
    // Computed with CPython's uuid module: URL name space, and UTF-8 hashing of non-ASCII names.
    expect(uuidV5('https://marketgraph.dev/', NAMESPACE_URL)).toBe('3777a573-88af-5011-86fb-8123f46e064e');
    expect(uuidV5('zürich-東京', NAMESPACE_OID)).toBe('7b8f9340-8d03-5de4-bfae-d8429f23b1f5');
  });

  it('sets version 5 and the RFC variant, and accepts upper-case namespaces', () => {
    for (const name of ['', 'a', 'x'.repeat(1000), '🙂']) expect(uuidV5(name, NAMESPACE_DNS)).toMatch(V5);
    expect(uuidV5('python.org', NAMESPACE_DNS.toUpperCase())).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
  });

  it('refuses a namespace that is not a UUID', () => {
    expect(() => uuidV5('a', 'not-a-uuid')).toThrow(InvalidArgumentError);
  });
});

describe('pointId', () => {
  const id = 'eip155:1:0x00000000219ab540356cbb839cbe05303d7705fa';

  it('is the UUIDv5 of the graph id under the MarketGraph namespace for the default tenant', () => {
    expect(pointId(id)).toBe(uuidV5(id, MARKETGRAPH_NAMESPACE));
    expect(pointId(id, 'default')).toBe(pointId(id));
    expect(pointId(id)).toMatch(V5);
  });

  it('is stable: stored points depend on these exact values', () => {
    // A change here orphans every vector already in Qdrant; it must never happen silently.
    expect(MARKETGRAPH_NAMESPACE).toBe('eb26e969-ca31-4a91-8af0-379d6c9bbb57');
    expect(pointId('a')).toBe(uuidV5('a', 'eb26e969-ca31-4a91-8af0-379d6c9bbb57'));
    expect(pointId('a', 'acme')).toBe(uuidV5('acme\u001fa', 'eb26e969-ca31-4a91-8af0-379d6c9bbb57'));
    expect(pointId(id)).toBe(pointId(`${id}`));
  });

  it('separates tenants and ids', () => {
    const ids = new Set([
      pointId(id), pointId(id, 'acme'), pointId(id, 'acme2'), pointId('x'), pointId('x', 'acme'),
      pointId('acme', 'x'), pointId('ent:organization:zürich-東京', 'tenant-ü'),
    ]);
    expect(ids.size).toBe(7);
    expect(pointId('ent:organization:zürich-東京', 'tenant-ü')).toBe(uuidV5('tenant-ü\u001fent:organization:zürich-東京', MARKETGRAPH_NAMESPACE));
  });

  it('refuses U+001F and empty strings, which would make ids ambiguous', () => {
    // Without this, tenant "acme" + id "a" and default tenant + id "acme\u001fa" would be one point.
    expect(() => pointId('acme\u001fa')).toThrow(/U\+001F/);
    expect(() => pointId('a', 'ac\u001fme')).toThrow(/U\+001F/);
    expect(() => pointId('')).toThrow(InvalidArgumentError);
    expect(() => pointId('a', '')).toThrow(InvalidArgumentError);
  });
});
