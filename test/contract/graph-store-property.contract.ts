/**
 * Property: for a small random graph and a random `asOf`, what getNode, findEvents (with
 * participants) and factsOf return is exactly what the visibility rules of schema/graph.ts allow,
 * checked against a direct model of those rules. Times fall on whole hours so that boundaries
 * (recordedAt = asOf, validTo = asOf) come up often.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { EventInput, FactInput, GraphBatch, NodeInput } from '../../schema/graph.ts';
import { ROLES } from '../../schema/ontology.ts';
import type { GraphContractContext } from './graph-store.contract.ts';
import { event, fact, HOUR, node, T0 } from './graph-fixtures.ts';

const hour = fc.integer({ min: 0, max: 8 }).map((h) => T0 + h * HOUR);
const maybeHour = fc.option(hour, { nil: null });

interface Model {
  batch: GraphBatch;
  /** id → retractedAt, applied through the adapter's retract hook when it has one. */
  retractions: Map<string, number>;
}

const graphArb = fc
  .record({
    nodes: fc.array(fc.record({ recordedAt: hour, validFrom: maybeHour }), { minLength: 1, maxLength: 6 }),
    events: fc.array(fc.record({ occurredAt: hour, recordedAt: hour }), { minLength: 1, maxLength: 5 }),
    facts: fc.array(
      fc.record({
        participation: fc.boolean(),
        a: fc.nat(), b: fc.nat(),
        role: fc.constantFrom(...ROLES),
        recordedAt: hour, validFrom: maybeHour, validTo: maybeHour,
        dangling: fc.boolean(),
      }),
      { maxLength: 14 },
    ),
    retract: fc.array(fc.record({ pick: fc.nat(), at: hour }), { maxLength: 4 }),
  })
  .map((g): Model => {
    const nodes: NodeInput[] = g.nodes.map((n, i) => node(`n${i}`, n));
    const events: EventInput[] = g.events.map((e, i) => event(`evt:e${i}`, e));
    const facts: FactInput[] = g.facts.map((f, i) => {
      const object = f.dangling && i % 3 === 0 ? 'missing' : nodes[f.b % nodes.length]!.id;
      const times = { recordedAt: f.recordedAt, validFrom: f.validFrom, validTo: f.validTo, id: `f${i}` };
      return f.participation
        ? fact(events[f.a % events.length]!.id, 'PARTICIPANT', object, { role: f.role, ...times })
        : fact(nodes[f.a % nodes.length]!.id, 'HOLDS', object, times);
    });
    const ids = [...nodes, ...events, ...facts].map((x) => x.id);
    const retractions = new Map(g.retract.map((r) => [ids[r.pick % ids.length]!, r.at] as const));
    return { batch: { nodes, events, facts }, retractions };
  });

const asOfArb = fc.option(fc.integer({ min: -1, max: 9 }).map((h) => T0 + h * HOUR), { nil: undefined });

export function propertyContract(ctx: GraphContractContext): void {
  it('never returns anything the visibility rules hide, and returns everything they show', async () => {
    await fc.assert(
      fc.asyncProperty(graphArb, asOfArb, async (model, asOf) => {
        const retract = ctx.hooks.retract;
        const retractions = retract ? model.retractions : new Map<string, number>();
        const store = await ctx.open();
        try {
          await store.writeBatch(model.batch);
          for (const [id, at] of retractions) await retract!(store, [id], at);
          const retractedAt = (id: string) => retractions.get(id) ?? null;
          const live = (id: string) => {
            const r = retractedAt(id);
            return asOf === undefined ? r === null : r === null || r > asOf;
          };
          const nodeVisible = new Map(model.batch.nodes.map((n) => [n.id,
            live(n.id) && (asOf === undefined || (n.recordedAt <= asOf && (n.validFrom ?? -Infinity) <= asOf))]));
          const eventVisible = new Map(model.batch.events.map((e) => [e.id,
            live(e.id) && (asOf === undefined || (e.recordedAt <= asOf && e.occurredAt <= asOf))]));
          const endVisible = (id: string) => nodeVisible.get(id) === true || eventVisible.get(id) === true;
          const factVisible = (f: FactInput) =>
            live(f.id) && endVisible(f.subject) && endVisible(f.object) &&
            (asOf === undefined ||
              (f.recordedAt <= asOf && (f.validFrom ?? -Infinity) <= asOf && (f.validTo === null || f.validTo > asOf)));
          const opts = asOf === undefined ? {} : { asOf };

          for (const n of model.batch.nodes) {
            expect((await store.getNode(n.id, opts)) !== null, n.id).toBe(nodeVisible.get(n.id));
          }
          const page = await store.findEvents({}, { first: 100 }, opts);
          const expectedEvents = model.batch.events.filter((e) => eventVisible.get(e.id));
          expect(page.totalCount).toBe(expectedEvents.length);
          expect(new Set(page.edges.map((e) => e.node.id))).toEqual(new Set(expectedEvents.map((e) => e.id)));
          for (const { node: e } of page.edges) {
            const expected = model.batch.facts.filter((f) => f.subject === e.id && f.type === 'PARTICIPANT' && factVisible(f));
            expect(new Set(e.participants.map((p) => p.factId))).toEqual(new Set(expected.map((f) => f.id)));
          }
          for (const n of model.batch.nodes) {
            const got = await store.factsOf(n.id, { ...opts, limit: 1000 });
            const expected = model.batch.facts.filter((f) => (f.subject === n.id || f.object === n.id) && factVisible(f));
            expect(new Set(got.map((f) => f.id)), n.id).toEqual(new Set(expected.map((f) => f.id)));
          }
        } finally {
          await store.close();
        }
      }),
      { numRuns: 40 },
    );
  });
}
