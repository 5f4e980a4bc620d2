import { describe, expect, it } from 'vitest';
import { idsFilter, searchFilter, tenantFilter } from '../../../graph/qdrant/filters.ts';
import { OPEN_END, OPEN_START, PAYLOAD_INDEXES, pointBatches, toQdrantPoint } from '../../../graph/qdrant/payload.ts';
import { pointId } from '../../../graph/qdrant/point-id.ts';

const T = Date.UTC(2024, 0, 1);
const tenant = (t: string) => ({ key: 'tenant', match: { value: t } });
const notRetracted = [{ key: 'retracted', match: { value: true } }];

describe('searchFilter', () => {
  it('defaults to the default tenant, every kind, any time, retracted excluded', () => {
    expect(searchFilter({})).toEqual({ must: [tenant('default')], must_not: notRetracted });
    expect(searchFilter({ kinds: null, asOf: null, includeRetracted: false })).toEqual(searchFilter({}));
  });

  it('adds kinds as match-any', () => {
    expect(searchFilter({ tenant: 'acme', kinds: ['Token', 'Chunk'] })).toEqual({
      must: [tenant('acme'), { key: 'kind', match: { any: ['Token', 'Chunk'] } }],
      must_not: notRetracted,
    });
  });

  it('turns asOf into validFrom <= asOf < validTo on whole milliseconds', () => {
    expect(searchFilter({ asOf: T + 0.7 })).toEqual({
      must: [tenant('default'), { key: 'validFrom', range: { lte: T } }, { key: 'validTo', range: { gt: T } }],
      must_not: notRetracted,
    });
  });

  it('drops the retraction condition only when asked', () => {
    expect(searchFilter({ includeRetracted: true })).toEqual({ must: [tenant('default')] });
  });

  it('combines every condition in one must list', () => {
    expect(searchFilter({ tenant: 't2', kinds: ['Rare'], asOf: T, includeRetracted: true })).toEqual({
      must: [
        tenant('t2'),
        { key: 'kind', match: { any: ['Rare'] } },
        { key: 'validFrom', range: { lte: T } },
        { key: 'validTo', range: { gt: T } },
      ],
    });
  });

  it('refuses what would match nothing or cannot be compared', () => {
    expect(() => searchFilter({ kinds: [] })).toThrow(/kinds/);
    expect(() => searchFilter({ asOf: Number.NaN })).toThrow(/asOf/);
    expect(() => searchFilter({ tenant: 'a\u001fb' })).toThrow(/U\+001F/);
  });
});

describe('tenantFilter and idsFilter', () => {
  it('select by tenant, and by graph id within a tenant', () => {
    expect(tenantFilter()).toEqual({ must: [tenant('default')] });
    expect(tenantFilter('acme')).toEqual({ must: [tenant('acme')] });
    expect(idsFilter(['a', 'b'], 'acme')).toEqual({
      must: [tenant('acme'), { key: 'nodeId', match: { any: ['a', 'b'] } }],
    });
    expect(idsFilter(['a'])).toEqual({ must: [tenant('default'), { key: 'nodeId', match: { any: ['a'] } }] });
    expect(() => idsFilter([])).toThrow(/ids/);
  });
});

describe('payload', () => {
  it('stores open validity as sentinels and keeps the graph id', () => {
    expect(toQdrantPoint({ id: 'a', vector: new Float32Array([0.5, 0]), kind: 'Account' }, 2)).toEqual({
      id: pointId('a'),
      vector: [0.5, 0],
      payload: { nodeId: 'a', kind: 'Account', tenant: 'default', validFrom: OPEN_START, validTo: OPEN_END, retracted: false },
    });
    expect(OPEN_START).toBe(-(2 ** 53 - 1));
    expect(OPEN_END).toBe(2 ** 53 - 1);
    const p = toQdrantPoint({ id: 'b', vector: [1, 2], kind: 'Token', tenant: 'acme', validFrom: T + 0.5, validTo: null, retracted: true }, 2);
    expect(p.id).toBe(pointId('b', 'acme'));
    expect(p.payload).toEqual({ nodeId: 'b', kind: 'Token', tenant: 'acme', validFrom: T, validTo: OPEN_END, retracted: true });
  });

  it('rejects wrong dimensions (naming both), non-finite entries, zero vectors and missing kinds', () => {
    expect(() => toQdrantPoint({ id: 'a', vector: [1, 0, 0], kind: 'K' }, 4)).toThrow(/expected 4 dimensions, got 3/);
    expect(() => toQdrantPoint({ id: 'a', vector: [1, Number.NaN], kind: 'K' }, 2)).toThrow(/finite/);
    expect(() => toQdrantPoint({ id: 'a', vector: [0, 0], kind: 'K' }, 2)).toThrow(/zero/);
    expect(() => toQdrantPoint({ id: 'a', vector: [1, 0], kind: 'K', validTo: Number.POSITIVE_INFINITY }, 2)).toThrow(/validTo/);
    expect(() => toQdrantPoint({ id: 'a', vector: [1, 0], kind: '' }, 2)).toThrow(/kind of a/);
  });

  it('batches after validating everything, keeping the last point per id', () => {
    const pts = Array.from({ length: 5 }, (_, i) => ({ id: `p${i}`, vector: [1, i], kind: 'K' }));
    const batches = pointBatches([...pts, { id: 'p1', vector: [9, 9], kind: 'Z' }], 2, 2);
    expect(batches.map((b) => b.map((p) => p.payload.nodeId))).toEqual([['p0', 'p2'], ['p3', 'p4'], ['p1']]);
    expect(batches[2]![0]!.vector).toEqual([9, 9]);
    expect(() => pointBatches([...pts, { id: 'bad', vector: [1], kind: 'K' }], 2, 2)).toThrow(/got 1/);
  });

  it('indexes every payload field with the type its filters need', () => {
    expect(PAYLOAD_INDEXES.map((i) => [i.field, i.type])).toEqual([
      ['nodeId', 'keyword'], ['kind', 'keyword'], ['tenant', 'keyword'],
      ['validFrom', 'integer'], ['validTo', 'integer'], ['retracted', 'bool'],
    ]);
    expect(PAYLOAD_INDEXES.find((i) => i.field === 'tenant')!.schema).toEqual({ type: 'keyword', is_tenant: true });
  });
});
