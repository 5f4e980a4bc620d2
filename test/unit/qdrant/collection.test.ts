import { QdrantClientTimeoutError } from '@qdrant/js-client-rest';
import { describe, expect, it } from 'vitest';
import { checkCollection } from '../../../graph/qdrant/collection.ts';
import { classify, describeFailure, qdrantFailure, redactUrl } from '../../../graph/qdrant/failures.ts';
import { PAYLOAD_INDEXES } from '../../../graph/qdrant/payload.ts';
import { InvalidArgumentError, StoreAuthError, StoreError, StoreUnavailableError } from '../../../schema/errors.ts';

type Info = Parameters<typeof checkCollection>[1];

function info(vectors: unknown, indexed: Record<string, string> = {}): Info {
  const payload_schema = Object.fromEntries(Object.entries(indexed).map(([k, t]) => [k, { data_type: t, points: 0 }]));
  return { config: { params: { vectors } }, payload_schema } as unknown as Info;
}
const ALL = Object.fromEntries(PAYLOAD_INDEXES.map((i) => [i.field, i.type]));

describe('checkCollection', () => {
  it('accepts a matching collection and lists the payload indexes it lacks', () => {
    expect(checkCollection('c', info({ size: 4, distance: 'Cosine' }, ALL), 4)).toEqual([]);
    const missing = checkCollection('c', info({ size: 4, distance: 'Cosine' }, { nodeId: 'keyword', kind: 'keyword' }), 4);
    expect(missing.map((i) => i.field)).toEqual(['tenant', 'validFrom', 'validTo', 'retracted']);
  });

  it('names both sizes on a dimension mismatch', () => {
    expect(() => checkCollection('mkg_vectors', info({ size: 768, distance: 'Cosine' }, ALL), 384))
      .toThrow('dimension mismatch: collection "mkg_vectors" holds 768-dimensional vectors, the store was opened with 384');
  });

  it('refuses another distance, named vectors and a differently typed index', () => {
    expect(() => checkCollection('c', info({ size: 4, distance: 'Dot' }, ALL), 4)).toThrow(/Dot distance/);
    expect(() => checkCollection('c', info({ text: { size: 4, distance: 'Cosine' } }, ALL), 4)).toThrow(/named vectors: text/);
    expect(() => checkCollection('c', info(undefined, ALL), 4)).toThrow(/named vectors: none/);
    expect(() => checkCollection('c', info({ size: 4, distance: 'Cosine' }, { ...ALL, tenant: 'text' }), 4))
      .toThrow('collection "c" indexes payload field tenant as text, expected keyword');
  });
});

describe('failures', () => {
  const ctx = { url: 'http://q:6333', collection: 'mkg_vectors', hasApiKey: true, timeoutMs: 500 };
  const http = (status: number, error?: string) => Object.assign(new Error('x'), { status, statusText: 'S', data: error ? { status: { error } } : undefined });

  it('classifies HTTP answers by status and keeps Qdrant\'s own error text', () => {
    expect(classify(http(401))).toEqual({ kind: 'unauthorised', status: 401, detail: 'S' });
    expect(classify(http(403, 'read-only'))).toMatchObject({ kind: 'forbidden', detail: 'read-only' });
    expect(classify(http(404, 'Not found: Collection `c` doesn\'t exist!'))).toMatchObject({ kind: 'not-found' });
    expect(classify(http(400, 'Wrong input: Vector dimension error: expected dim: 4, got 3'))).toEqual({
      kind: 'rejected', status: 400, detail: 'Wrong input: Vector dimension error: expected dim: 4, got 3',
    });
    expect(classify(http(503))).toMatchObject({ kind: 'server', status: 503 });
    expect(classify(http(429))).toMatchObject({ kind: 'rate-limited' });
  });

  it('recognises network failures and timeouts', () => {
    const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }) });
    expect(classify(refused)).toEqual({ kind: 'unreachable', status: null, detail: 'ECONNREFUSED' });
    expect(classify(new QdrantClientTimeoutError('aborted'))).toMatchObject({ kind: 'timeout' });
    expect(classify(new Error('odd'))).toEqual({ kind: 'unknown', status: null, detail: 'odd' });
  });

  it('says what is wrong in one sentence, as the narrowest store error', () => {
    expect(describeFailure(classify(http(401)), ctx, 'count points')).toBe('Qdrant at http://q:6333 rejected the API key (401 Unauthorized) on count points');
    expect(describeFailure(classify(http(401)), { ...ctx, hasApiKey: false }, 'x')).toMatch(/requires an API key.*none was configured/);
    expect(describeFailure(classify(new QdrantClientTimeoutError('t')), ctx, 'search')).toBe('Qdrant at http://q:6333 did not answer search within 500 ms');
    const wrapped = qdrantFailure(ctx, 'search', http(404, 'Not found'));
    expect(wrapped).toBeInstanceOf(StoreError);
    expect(wrapped.message).toBe('qdrant vector store: collection "mkg_vectors" does not exist at http://q:6333 (404 on search: Not found)');
    expect(wrapped).toBeInstanceOf(StoreUnavailableError);
    expect(qdrantFailure(ctx, 'x', http(401))).toBeInstanceOf(StoreAuthError);
    expect(qdrantFailure(ctx, 'x', http(403))).toBeInstanceOf(StoreAuthError);
    expect(qdrantFailure(ctx, 'x', new QdrantClientTimeoutError('t'))).toBeInstanceOf(StoreUnavailableError);
    const rejected = qdrantFailure(ctx, 'x', http(400, 'Wrong input'));
    expect([rejected instanceof StoreError, rejected instanceof StoreUnavailableError, rejected instanceof StoreAuthError]).toEqual([true, false, false]);
    const own = new InvalidArgumentError('k', 'bad');
    expect(qdrantFailure(ctx, 'search', own)).toBe(own);
  });

  it('redacts credentials and query strings from URLs', () => {
    expect(redactUrl('https://user:secret@q.example.com:6333/prefix?api-key=k#x')).toBe('https://q.example.com:6333/prefix');
    expect(redactUrl('http://localhost:6333/')).toBe('http://localhost:6333');
    expect(redactUrl('nope')).toBe('(invalid URL)');
  });
});
