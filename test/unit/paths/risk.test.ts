import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { riskExposure } from '../../../pipelines/paths/risk.ts';
import { InvalidArgumentError, NodeNotFoundError } from '../../../schema/errors.ts';
import type { SqliteGraphStore } from '../../../graph/sqlite/sqlite-graph-store.ts';
import { HOUR, T0, acct, incident, labelled, paid, storeWith, txOf } from './graph.ts';

const ATTACKER = acct(0xbad);
const ATTACK_CONTRACT = acct(0xbadc);
const MIXER = acct(0x111);
const [NEAR, MID, FAR, CLEAN, OTHER] = [1, 2, 3, 4, 5].map(acct) as [string, string, string, string, string];
const LATER = T0 + 10 * HOUR;

describe('riskExposure', () => {
  let store: SqliteGraphStore;
  let close: () => Promise<void>;
  beforeAll(async () => {
    // NEAR paid the attacker directly; FAR paid MID, which paid the attacker; CLEAN only paid OTHER.
    // The incident became known at +5h, after the transfers.
    ({ store, close } = await storeWith(
      incident('Foo', T0 + 5 * HOUR, ATTACKER, ATTACK_CONTRACT),
      paid(1, NEAR, ATTACKER, T0 + HOUR, '10'),
      paid(2, FAR, MID, T0 + HOUR, '3'),
      paid(3, MID, ATTACKER, T0 + 2 * HOUR, '2'),
      paid(4, CLEAN, OTHER, T0 + HOUR, '1'),
      paid(5, OTHER, MIXER, T0 + HOUR, '1'),
      labelled(MIXER, 'tornado-cash'),
    ));
  });
  afterAll(() => close());

  it('scores a direct neighbour of an attacker above one two hops away, with the evidence path', async () => {
    const near = await riskExposure(store, { subject: NEAR, asOf: LATER });
    const far = await riskExposure(store, { subject: FAR, asOf: LATER });
    expect(near.score).toBeGreaterThan(far.score);
    expect(near.score).toBe(1);
    expect(near.flagged).toHaveLength(1);
    expect(near.flagged[0]).toMatchObject({ id: ATTACKER, hops: 1, weight: 1, reasons: ['attacker in Incident Foo'] });
    expect(near.flagged[0]!.path.steps[0]!.via).toMatchObject({ type: 'Transfer', txHash: txOf(1), role: 'to' });
    expect(far.flagged[0]).toMatchObject({ id: ATTACKER, hops: 2, weight: 0.5 });
    expect(far.score).toBeCloseTo(0.5);
    expect(far.flagged[0]!.path.steps.map((s) => [s.from, s.to, s.via.txHash])).toEqual([
      [FAR, MID, txOf(2)], [MID, ATTACKER, txOf(3)],
    ]);
    expect(far.evidence).toBe(5); // four participations on the path + the attacker's incident role
    expect(far.truncated).toBe(false);
  });

  it('flags the subject itself at hops 0 with the base weight', async () => {
    const self = await riskExposure(store, { subject: ATTACKER, asOf: LATER, maxHops: 1 });
    const me = self.flagged.find((f) => f.id === ATTACKER);
    expect(me).toMatchObject({ hops: 0, weight: 1, path: { hops: 0, steps: [] } });
    expect(self.score).toBe(1);
    const contract = await riskExposure(store, { subject: ATTACK_CONTRACT, asOf: LATER });
    expect(contract.flagged).toEqual([expect.objectContaining({ hops: 0, weight: 0.9, reasons: ['attack contract in Incident Foo'] })]);
  });

  it('flags mixers by label, with their weight halved per hop beyond the first', async () => {
    const r = await riskExposure(store, { subject: CLEAN, asOf: LATER });
    expect(r.flagged).toEqual([expect.objectContaining({ id: MIXER, hops: 2, reasons: ['label: tornado-cash'], weight: 0.4 })]);
    expect(r.score).toBeCloseTo(0.4);
    expect((await riskExposure(store, { subject: CLEAN, asOf: LATER, maxHops: 1 })).flagged).toEqual([]);
  });

  it('does not look ahead: before the incident was known nothing is flagged', async () => {
    const before = await riskExposure(store, { subject: NEAR, asOf: T0 + 3 * HOUR });
    expect(before.flagged).toEqual([]);
    expect(before.score).toBe(0);
    const early = await riskExposure(store, { subject: FAR, asOf: T0 + 90 * 60_000, maxHops: 4 });
    expect(early.flagged).toEqual([]);
  });

  it('rejects an unknown subject and maxHops above the maximum', async () => {
    await expect(riskExposure(store, { subject: acct(999) })).rejects.toThrow(NodeNotFoundError);
    const tooFar = riskExposure(store, { subject: NEAR, maxHops: 9 });
    await expect(tooFar).rejects.toThrow(InvalidArgumentError);
    await expect(tooFar).rejects.toThrow(/maxHops.*1 to 4/);
  });
});
