/**
 * The VectorStore contract: every adapter runs this suite through its own test file with a factory
 * that opens a fresh, empty store of the given dimension count. Nothing is shared between tests.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { VectorPoint, VectorStore } from '../../graph/vector-store.ts';

const T0 = Date.UTC(2023, 4, 1);
const DAY = 86_400_000;

/** A unit-ish vector pointing mostly along axis `i` of `dims`, tilted by `tilt` towards axis i+1. */
function axis(dims: number, i: number, tilt = 0): number[] {
  const v = new Array<number>(dims).fill(0);
  v[i % dims] = 1;
  v[(i + 1) % dims] = tilt;
  return v;
}

function point(id: string, vector: number[], over: Partial<VectorPoint> = {}): VectorPoint {
  return { id, vector, kind: 'Account', ...over };
}

export function vectorStoreContract(name: string, open: (dimensions: number) => Promise<VectorStore>): void {
  describe(`VectorStore contract: ${name}`, () => {
    const opened: VectorStore[] = [];
    const fresh = async (dims = 4) => {
      const store = await open(dims);
      opened.push(store);
      return store;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });

    it('reports its dimensions, counts upserts and replaces by id', async () => {
      const store = await fresh(4);
      expect(store.dimensions).toBe(4);
      await store.upsert([point('a', axis(4, 0)), point('b', axis(4, 1))]);
      expect(await store.count()).toBe(2);
      await store.upsert([point('a', axis(4, 2), { kind: 'Token' })]);
      expect(await store.count()).toBe(2);
      const hits = await store.search({ vector: axis(4, 2), k: 1 });
      expect(hits).toEqual([{ id: 'a', kind: 'Token', score: expect.closeTo(1, 5) }]);
    });

    it('orders hits best first with score = cosine similarity', async () => {
      const store = await fresh(4);
      await store.upsert([
        point('same', [2, 0, 0, 0]),
        point('near', axis(4, 0, 0.5)),
        point('orthogonal', [0, 3, 0, 0]),
        point('opposite', [-1, 0, 0, 0]),
      ]);
      const hits = await store.search({ vector: new Float32Array([1, 0, 0, 0]), k: 10 });
      expect(hits.map((h) => h.id)).toEqual(['same', 'near', 'orthogonal', 'opposite']);
      expect(hits[0]!.score).toBeCloseTo(1, 5);
      expect(hits[1]!.score).toBeCloseTo(1 / Math.sqrt(1.25), 5);
      expect(hits[2]!.score).toBeCloseTo(0, 5);
      expect(hits[3]!.score).toBeCloseTo(-1, 5);
      expect(await store.search({ vector: [1, 0, 0, 0], k: 2 })).toHaveLength(2);
      expect(await store.search({ vector: [1, 0, 0, 0], k: 0 })).toEqual([]);
    });

    it('filters by kinds', async () => {
      const store = await fresh(4);
      await store.upsert([
        point('acct', axis(4, 0), { kind: 'Account' }),
        point('tok', axis(4, 0, 0.1), { kind: 'Token' }),
        point('chunk', axis(4, 0, 0.2), { kind: 'Chunk' }),
      ]);
      const ids = async (kinds: string[] | null) => (await store.search({ vector: axis(4, 0), k: 10, kinds })).map((h) => h.id);
      expect(await ids(['Token', 'Chunk'])).toEqual(['tok', 'chunk']);
      expect(await ids(['Chunk'])).toEqual(['chunk']);
      expect(await ids(null)).toEqual(['acct', 'tok', 'chunk']);
      expect(await ids([])).toEqual([]);
    });

    it('returns k hits even when the filter matches only a few far-away points', async () => {
      const store = await fresh(8);
      const crowd = Array.from({ length: 600 }, (_, i) => point(`c${i}`, axis(8, 0, (i % 50) / 100)));
      const rare = [1, 2, 3].map((i) => point(`rare${i}`, axis(8, 4 + i), { kind: 'Rare' }));
      await store.upsert([...crowd, ...rare]);
      const hits = await store.search({ vector: axis(8, 0), k: 3, kinds: ['Rare'] });
      expect(hits.map((h) => h.id).sort()).toEqual(['rare1', 'rare2', 'rare3']);
      await store.upsert([point('other-tenant', axis(8, 0), { tenant: 't2' })]);
      expect((await store.search({ vector: axis(8, 0), k: 5, tenant: 't2' })).map((h) => h.id)).toEqual(['other-tenant']);
    });

    it('isolates tenants', async () => {
      const store = await fresh(4);
      await store.upsert([
        point('x', axis(4, 0)),
        point('x', axis(4, 1), { tenant: 'acme', kind: 'Token' }),
        point('y', axis(4, 2), { tenant: 'acme' }),
      ]);
      expect(await store.count()).toBe(1);
      expect(await store.count('acme')).toBe(2);
      expect(await store.count('nobody')).toBe(0);
      expect((await store.search({ vector: axis(4, 1), k: 10 })).map((h) => h.id)).toEqual(['x']);
      expect(await store.search({ vector: axis(4, 1), k: 10, tenant: 'acme' })).toEqual([
        { id: 'x', kind: 'Token', score: expect.closeTo(1, 5) },
        { id: 'y', kind: 'Account', score: expect.closeTo(0, 5) },
      ]);
      await store.delete(['x'], 'acme');
      expect(await store.count('acme')).toBe(1);
      expect(await store.count()).toBe(1);
      // Retracting in one tenant leaves another tenant's point with the same id alone.
      await store.setRetracted(['y'], true, 'default');
      await store.upsert([point('y', axis(4, 3))]);
      await store.setRetracted(['y'], true);
      expect((await store.search({ vector: axis(4, 2), k: 10, tenant: 'acme' })).map((h) => h.id)).toEqual(['y']);
    });

    it('filters by asOf on validFrom (inclusive) and validTo (exclusive), open ends always valid', async () => {
      const store = await fresh(4);
      await store.upsert([
        point('always', axis(4, 0)),
        point('from-day-2', axis(4, 0, 0.1), { validFrom: T0 + 2 * DAY }),
        point('until-day-2', axis(4, 0, 0.2), { validFrom: T0, validTo: T0 + 2 * DAY }),
      ]);
      const ids = async (asOf?: number | null) =>
        (await store.search({ vector: axis(4, 0), k: 10, asOf })).map((h) => h.id);
      expect(await ids(T0 + DAY)).toEqual(['always', 'until-day-2']);
      expect(await ids(T0 + 2 * DAY)).toEqual(['always', 'from-day-2']);
      expect(await ids(T0 - DAY)).toEqual(['always']);
      expect(await ids(null)).toEqual(['always', 'from-day-2', 'until-day-2']);
      expect(await ids(undefined)).toEqual(['always', 'from-day-2', 'until-day-2']);
    });

    it('excludes retracted points unless asked, and can un-retract', async () => {
      const store = await fresh(4);
      await store.upsert([point('a', axis(4, 0)), point('b', axis(4, 0, 0.3), { retracted: true })]);
      const ids = async (includeRetracted?: boolean) =>
        (await store.search({ vector: axis(4, 0), k: 10, includeRetracted })).map((h) => h.id);
      expect(await ids()).toEqual(['a']);
      expect(await ids(true)).toEqual(['a', 'b']);
      await store.setRetracted(['a'], true);
      expect(await ids()).toEqual([]);
      await store.setRetracted(['a', 'b', 'unknown'], false);
      expect(await ids()).toEqual(['a', 'b']);
      expect(await store.count()).toBe(2);
    });

    it('deletes by id, ignoring unknown ids', async () => {
      const store = await fresh(4);
      await store.upsert([point('a', axis(4, 0)), point('b', axis(4, 1))]);
      await store.delete(['a', 'unknown']);
      expect(await store.count()).toBe(1);
      expect((await store.search({ vector: axis(4, 0), k: 10 })).map((h) => h.id)).toEqual(['b']);
      await store.upsert([point('a', axis(4, 0))]);
      expect((await store.search({ vector: axis(4, 0), k: 1 })).map((h) => h.id)).toEqual(['a']);
    });

    it('rejects vectors of the wrong dimension, naming expected and actual', async () => {
      const store = await fresh(4);
      await expect(store.upsert([point('a', [1, 0, 0])])).rejects.toThrow(/expected 4\b.*\b3\b|4.*got 3/);
      await expect(store.search({ vector: [1, 0, 0, 0, 0], k: 1 })).rejects.toThrow(/expected 4\b.*\b5\b|4.*got 5/);
      expect(await store.count()).toBe(0);
      // A failing point leaves the rest of its upsert unwritten.
      await expect(store.upsert([point('ok', axis(4, 0)), point('bad', [1])])).rejects.toThrow();
      expect(await store.count()).toBe(0);
    });

    it('lists every id of a tenant exactly once across pages, with its retracted flag', async () => {
      const store = await fresh(4);
      const ids = Array.from({ length: 23 }, (_, i) => `ent:account:${String(i).padStart(2, '0')}`);
      await store.upsert(ids.map((id, i) => point(id, axis(4, i), { retracted: i % 5 === 0 })));
      await store.upsert([point('ent:account:05', axis(4, 1), { tenant: 'acme' }), point('acme-only', axis(4, 2), { tenant: 'acme' })]);
      const all = async (tenant: string | undefined, limit: number) => {
        const seen: { id: string; retracted: boolean }[] = [];
        let after: string | null = null;
        let pages = 0;
        do {
          const page: Awaited<ReturnType<VectorStore['listIds']>> = await store.listIds({ tenant, after, limit });
          expect(page.ids.length).toBeLessThanOrEqual(limit);
          seen.push(...page.ids);
          after = page.next;
          pages += 1;
          expect(pages).toBeLessThan(100);
        } while (after !== null);
        return { seen, pages };
      };
      const { seen, pages } = await all(undefined, 5);
      expect(pages).toBeGreaterThanOrEqual(5);
      expect(seen.map((e) => e.id).sort()).toEqual(ids);
      expect(seen.filter((e) => e.retracted).map((e) => e.id).sort()).toEqual(['ent:account:00', 'ent:account:05', 'ent:account:10', 'ent:account:15', 'ent:account:20']);
      // The order is stable: listing again with another page size gives the same sequence.
      expect((await all('default', 7)).seen).toEqual(seen);
      // Tenants are isolated, and a flag set later shows up.
      await store.setRetracted(['ent:account:00'], false);
      await store.setRetracted(['acme-only'], true, 'acme');
      expect((await all('acme', 1)).seen.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
        { id: 'acme-only', retracted: true }, { id: 'ent:account:05', retracted: false },
      ]);
      expect((await all(undefined, 100)).seen.find((e) => e.id === 'ent:account:00')).toEqual({ id: 'ent:account:00', retracted: false });
      expect(await store.listIds({ tenant: 'nobody', after: null, limit: 10 })).toEqual({ ids: [], next: null });
      await expect(store.listIds({ limit: 0 })).rejects.toThrow(/limit/);
    });

    it('accepts Unicode ids and tenants', async () => {
      const store = await fresh(4);
      await store.upsert([point('ent:organization:zürich-東京', axis(4, 0), { tenant: 'tenant-ü' })]);
      expect((await store.search({ vector: axis(4, 0), k: 1, tenant: 'tenant-ü' })).map((h) => h.id))
        .toEqual(['ent:organization:zürich-東京']);
    });
  });
}
