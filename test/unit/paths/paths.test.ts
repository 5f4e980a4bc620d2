import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPaths } from '../../../pipelines/paths/paths.ts';
import { InvalidArgumentError, NodeNotFoundError } from '../../../schema/errors.ts';
import type { SqliteGraphStore } from '../../../graph/sqlite/sqlite-graph-store.ts';
import { HOUR, T0, acct, paid, storeWith, txOf } from './graph.ts';

const [A, B, C, D, E] = [1, 2, 3, 4, 5].map(acct) as [string, string, string, string, string];

describe('findPaths', () => {
  let store: SqliteGraphStore;
  let close: () => Promise<void>;
  beforeAll(async () => {
    // A → B at +1h, B → C at +2h; D → E shares only the token with them.
    ({ store, close } = await storeWith(
      paid(1, A, B, T0 + HOUR, '1.5'), paid(2, B, C, T0 + 2 * HOUR, '0.75'), paid(3, D, E, T0 + HOUR, '9'),
    ));
  });
  afterAll(() => close());

  it('finds a 2-hop path through two transfers, with amounts, times and tx hashes', async () => {
    const r = await findPaths(store, { from: A, to: C, asOf: T0 + 3 * HOUR });
    expect(r.truncated).toBe(false);
    expect(r.paths).toHaveLength(1);
    const [path] = r.paths;
    expect(path!.hops).toBe(2);
    expect(path!.steps.map((s) => [s.from, s.to, s.via.type, s.via.fromRole, s.via.role])).toEqual([
      [A, B, 'Transfer', 'from', 'to'],
      [B, C, 'Transfer', 'from', 'to'],
    ]);
    const [first, second] = path!.steps;
    expect(first!.via).toMatchObject({
      txHash: txOf(1), time: T0 + HOUR, eventId: `evt:transfer:eip155:1:${txOf(1)}:0`,
      amounts: [expect.objectContaining({ value: '1.5', unit: 'TKN' })],
    });
    expect(first!.via.factIds).toHaveLength(2);
    expect(second!.via).toMatchObject({ txHash: txOf(2), time: T0 + 2 * HOUR, amounts: [expect.objectContaining({ value: '0.75' })] });
  });

  it('walks a transfer against its direction too (the roles tell which way value went)', async () => {
    const r = await findPaths(store, { from: C, to: A, asOf: T0 + 3 * HOUR });
    expect(r.paths[0]!.steps.map((s) => [s.from, s.to, s.via.fromRole, s.via.role])).toEqual([[C, B, 'to', 'from'], [B, A, 'to', 'from']]);
  });

  it('finds nothing beyond maxHops', async () => {
    expect((await findPaths(store, { from: A, to: C, maxHops: 1, asOf: T0 + 3 * HOUR })).paths).toEqual([]);
    expect((await findPaths(store, { from: A, to: B, maxHops: 1, asOf: T0 + 3 * HOUR })).paths).toHaveLength(1);
  });

  it('does not look ahead: as of before the second transfer there is no path', async () => {
    expect((await findPaths(store, { from: A, to: C, asOf: T0 + 90 * 60_000 })).paths).toEqual([]);
    expect((await findPaths(store, { from: A, to: B, asOf: T0 + 90 * 60_000 })).paths).toHaveLength(1);
  });

  it('does not join two transfers through the token they share', async () => {
    expect((await findPaths(store, { from: A, to: E, maxHops: 4, asOf: T0 + 3 * HOUR })).paths).toEqual([]);
  });

  it('rejects an unknown endpoint and maxHops above the maximum', async () => {
    await expect(findPaths(store, { from: A, to: acct(999) })).rejects.toThrow(NodeNotFoundError);
    await expect(findPaths(store, { from: acct(999), to: A })).rejects.toThrow(NodeNotFoundError);
    const tooFar = findPaths(store, { from: A, to: C, maxHops: 9 });
    await expect(tooFar).rejects.toThrow(InvalidArgumentError);
    await expect(tooFar).rejects.toThrow(/maxHops.*1 to 4/);
    await expect(findPaths(store, { from: A, to: C, maxHops: 0 })).rejects.toThrow(InvalidArgumentError);
  });
});

describe('findPaths with parallel routes', () => {
  it('returns every shortest path up to the limit', async () => {
    const { store, close } = await storeWith(
      paid(1, A, B, T0, '1'), paid(2, A, B, T0, '2'), paid(3, B, C, T0, '3'), paid(4, A, D, T0, '4'), paid(5, D, C, T0, '5'),
    );
    try {
      const all = await findPaths(store, { from: A, to: C });
      expect(all.paths).toHaveLength(3);
      expect(all.paths.every((p) => p.hops === 2)).toBe(true);
      const tx = all.paths.map((p) => p.steps.map((s) => s.via.txHash).join(' ')).sort();
      expect(tx).toEqual([`${txOf(1)} ${txOf(3)}`, `${txOf(2)} ${txOf(3)}`, `${txOf(4)} ${txOf(5)}`]);
      expect((await findPaths(store, { from: A, to: C, limit: 2 })).paths).toHaveLength(2);
    } finally {
      await close();
    }
  });

  it('marks the search truncated when the fan-out cap cuts it', async () => {
    const { store, close } = await storeWith(paid(1, A, B, T0, '1'), paid(2, A, D, T0, '1'), paid(3, A, E, T0, '1'));
    try {
      expect((await findPaths(store, { from: A, to: E, fanOut: 1 })).truncated).toBe(true);
    } finally {
      await close();
    }
  });
});
