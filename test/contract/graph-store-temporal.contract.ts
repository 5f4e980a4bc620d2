/**
 * The bi-temporal rules of schema/graph.ts: with `asOf`, a record is visible iff recorded by then,
 * its world time has begun and not ended, and it was not retracted by then; a fact also needs both
 * ends visible. Without `asOf`, everything not retracted is visible.
 */
import { expect, it } from 'vitest';
import type { GraphContractContext } from './graph-store.contract.ts';
import { batch, event, fact, HOUR, node, participant, T0 } from './graph-fixtures.ts';

const at = (h: number) => T0 + h * HOUR;

export function temporalContract(ctx: GraphContractContext): void {
  it('hides a node before it was recorded and before its validFrom', async () => {
    const store = ctx.store();
    await store.writeBatch(batch({
      nodes: [node('late-record', { recordedAt: at(5) }), node('late-valid', { recordedAt: at(0), validFrom: at(3) })],
    }));
    expect(await store.getNode('late-record', { asOf: at(4) })).toBeNull();
    expect(await store.getNode('late-record', { asOf: at(5) })).not.toBeNull();
    expect(await store.getNode('late-valid', { asOf: at(2) })).toBeNull();
    expect(await store.getNode('late-valid', { asOf: at(3) })).not.toBeNull();
    expect(await store.getNode('late-record')).not.toBeNull();
    const ids = async (asOf: number) => (await store.findNodes({}, { first: 10 }, { asOf })).edges.map((e) => e.node.id);
    expect(await ids(at(2))).toEqual([]);
    expect(await ids(at(4))).toEqual(['late-valid']);
    expect((await store.findNodes({}, { first: 10 }, { asOf: at(4) })).totalCount).toBe(1);
  });

  it('hides an event before it occurred and before it was recorded', async () => {
    const store = ctx.store();
    await store.writeBatch(batch({
      events: [
        event('evt:recorded-late', { occurredAt: at(1), recordedAt: at(6) }),
        event('evt:occurs-late', { occurredAt: at(4), recordedAt: at(0) }),
      ],
    }));
    const ids = async (asOf: number) => (await store.findEvents({}, { first: 10 }, { asOf })).edges.map((e) => e.node.id);
    expect(await ids(at(3))).toEqual([]);
    expect(await ids(at(4))).toEqual(['evt:occurs-late']);
    expect(await ids(at(6))).toEqual(['evt:occurs-late', 'evt:recorded-late']);
    expect(await store.getEvent('evt:recorded-late', { asOf: at(5) })).toBeNull();
    expect(await store.getEvent('evt:recorded-late', { asOf: at(6) })).not.toBeNull();
  });

  it('hides facts recorded later, valid later, or whose validTo has passed', async () => {
    const store = ctx.store();
    await store.writeBatch(batch({
      nodes: [node('a'), node('b'), node('c'), node('d')],
      facts: [
        fact('a', 'HOLDS', 'b', { recordedAt: at(5) }),
        fact('a', 'HOLDS', 'c', { validFrom: at(3) }),
        fact('a', 'HOLDS', 'd', { validFrom: at(0), validTo: at(4) }),
      ],
    }));
    const objects = async (asOf?: number) =>
      (await store.factsOf('a', asOf === undefined ? {} : { asOf })).map((f) => f.object).sort();
    expect(await objects(at(2))).toEqual(['d']);
    expect(await objects(at(3))).toEqual(['c', 'd']);
    // validTo is exclusive: at exactly validTo the fact has ended.
    expect(await objects(at(4))).toEqual(['c']);
    expect(await objects(at(5))).toEqual(['b', 'c']);
    // Without asOf: everything not retracted, ended facts included.
    expect(await objects()).toEqual(['b', 'c', 'd']);
  });

  it('hides a fact while either end is invisible, and participants with it', async () => {
    const store = ctx.store();
    await store.writeBatch(batch({
      nodes: [node('early'), node('late', { recordedAt: at(3) })],
      events: [event('evt:1', { occurredAt: at(1), recordedAt: at(1) })],
      facts: [
        participant('evt:1', 'from', 'early', { recordedAt: at(1) }),
        participant('evt:1', 'to', 'late', { recordedAt: at(1) }),
        fact('early', 'RELATED_TO', 'never-written'),
      ],
    }));
    expect((await store.getEvent('evt:1', { asOf: at(2) }))?.participants.map((p) => p.entityId)).toEqual(['early']);
    expect((await store.getEvent('evt:1', { asOf: at(3) }))?.participants.map((p) => p.entityId)).toEqual(['early', 'late']);
    expect((await store.factsOf('early', { asOf: at(0) }))).toEqual([]);
    expect((await store.factsOf('late', { asOf: at(2) }))).toEqual([]);
    expect((await store.factsOf('late', { asOf: at(3) })).map((f) => f.subject)).toEqual(['evt:1']);
    // A fact pointing at an id that was never written is never visible.
    expect((await store.factsOf('early')).map((f) => f.object)).toEqual(['early']);
    expect((await store.findEvents({ participant: 'late' }, { first: 5 }, { asOf: at(2) })).totalCount).toBe(0);
    expect((await store.findEvents({ participant: 'late' }, { first: 5 }, { asOf: at(3) })).totalCount).toBe(1);
    const hood = await store.neighborhood('early', { depth: 3, limit: 10, asOf: at(2) });
    expect(hood.nodes.map((n) => n.id)).toEqual(['early']);
    expect(hood.facts).toHaveLength(1);
  });

  it('hides retracted records from their retraction on', async (t) => {
    const retract = ctx.hooks.retract;
    if (!retract) return t.skip();
    const store = ctx.store();
    const f = fact('a', 'HOLDS', 'b');
    await store.writeBatch(batch({
      nodes: [node('a'), node('b'), node('gone')],
      events: [event('evt:1')],
      facts: [f, participant('evt:1', 'from', 'a'), participant('evt:1', 'to', 'gone')],
    }));
    await retract(store, [f.id, 'gone', 'evt:1'], at(5));
    expect((await store.factsOf('a', { asOf: at(4) })).map((x) => x.id)).toContain(f.id);
    expect((await store.factsOf('a', { asOf: at(5) })).map((x) => x.id)).not.toContain(f.id);
    expect((await store.factsOf('a')).map((x) => x.id)).not.toContain(f.id);
    expect(await store.getNode('gone', { asOf: at(4) })).toMatchObject({ retractedAt: at(5) });
    expect(await store.getNode('gone', { asOf: at(5) })).toBeNull();
    expect(await store.getNode('gone')).toBeNull();
    expect(await store.getEvent('evt:1', { asOf: at(4) })).not.toBeNull();
    expect(await store.getEvent('evt:1')).toBeNull();
    expect((await store.findEvents({}, { first: 5 })).totalCount).toBe(0);
    expect((await store.search('evt', { first: 5 })).map((h) => h.id)).not.toContain('evt:1');
    expect((await store.stats()).entities).toBe(2);
    expect((await store.stats({ asOf: at(4) })).entities).toBe(3);
  });

  it('exists names stored entities and events, retracted, ended or not yet valid, and nothing else', async (t) => {
    const store = ctx.store();
    const f = fact('a', 'HOLDS', 'never-described');
    await store.writeBatch(batch({
      nodes: [node('a'), node('gone'), node('later', { validFrom: at(50), recordedAt: at(40) })],
      events: [event('evt:1'), event('evt:2')],
      facts: [f],
    }));
    expect(await store.exists([])).toEqual(new Set());
    const asked = ['a', 'gone', 'later', 'evt:1', 'evt:2', 'unknown', 'evt:unknown', 'never-described', f.id, 'a'];
    const all = new Set(['a', 'gone', 'later', 'evt:1', 'evt:2']);
    expect(await store.exists(asked)).toEqual(all);
    const retract = ctx.hooks.retract;
    if (!retract) return t.skip();
    await retract(store, ['gone', 'evt:2'], at(1));
    expect(await store.getNode('gone')).toBeNull();
    expect(await store.exists(asked)).toEqual(all);
  });

  it('hides a node whose validity ended', async (t) => {
    const endValidity = ctx.hooks.endValidity;
    if (!endValidity) return t.skip();
    const store = ctx.store();
    await store.writeBatch(batch({ nodes: [node('a'), node('b')], facts: [fact('a', 'HOLDS', 'b')] }));
    await endValidity(store, ['b'], at(2));
    expect(await store.getNode('b', { asOf: at(1) })).toMatchObject({ validTo: at(2) });
    expect(await store.getNode('b', { asOf: at(2) })).toBeNull();
    expect(await store.factsOf('a', { asOf: at(2) })).toEqual([]);
    expect(await store.factsOf('a', { asOf: at(1) })).toHaveLength(1);
  });

  it('filters search hits and stats by asOf', async () => {
    const store = ctx.store();
    await store.writeBatch(batch({
      nodes: [node('n:early', { name: 'Curve Finance' }), node('n:late', { name: 'Curve DAO', recordedAt: at(5) })],
      events: [event('evt:curve', { type: 'Incident', summary: 'Curve pool exploit', occurredAt: at(3), recordedAt: at(3) })],
    }));
    const hits = async (asOf?: number) =>
      (await store.search('curve', asOf === undefined ? { first: 10 } : { first: 10, asOf })).map((h) => h.id).sort();
    expect(await hits(at(1))).toEqual(['n:early']);
    expect(await hits(at(3))).toEqual(['evt:curve', 'n:early']);
    expect(await hits()).toEqual(['evt:curve', 'n:early', 'n:late']);
    const early = await store.stats({ asOf: at(1) });
    expect([early.entities, early.events]).toEqual([1, 0]);
    const late = await store.stats({ asOf: at(5) });
    expect([late.entities, late.events]).toEqual([2, 1]);
  });
}
