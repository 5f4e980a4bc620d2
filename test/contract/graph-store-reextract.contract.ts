/**
 * What re-extraction needs from a store (ARCHITECTURE.md §5): a source's live facts (and their ids
 * alone, for the fast path's digest), a page at a time in a stable order whatever their world time, retraction that hides rows from its time
 * on while reads as of earlier still see them, and which fact ids are retracted (revivals).
 */
import { expect, it } from 'vitest';
import type { GraphStore } from '../../graph/graph-store.ts';
import type { FactRecord } from '../../schema/graph.ts';
import type { GraphContractContext } from './graph-store.contract.ts';
import { batch, chunk, event, fact, HOUR, mention, node, participant, SRC, SRC_B, T0 } from './graph-fixtures.ts';

const at = (h: number) => T0 + h * HOUR;

async function allPages(store: GraphStore, sourceId: string, first: number): Promise<{ facts: FactRecord[]; totals: number[] }> {
  const facts: FactRecord[] = [];
  const totals: number[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await store.factsOfSource(sourceId, { first, after });
    facts.push(...page.edges.map((e) => e.node));
    totals.push(page.totalCount);
    if (!page.hasNextPage) return { facts, totals };
    after = page.edges.at(-1)!.cursor;
  }
}

export function reextractContract(ctx: GraphContractContext): void {
  it('factsOfSource pages through a source\'s live facts once each, whatever their world time', async () => {
    const store = ctx.store();
    const objects = Array.from({ length: 7 }, (_, i) => `o${i}`);
    const c = chunk('chunk:src-a', 'A passage.');
    const mine = [
      ...objects.map((o) => fact('a', 'HOLDS', o)),
      fact('a', 'RELATED_TO', 'later', { validFrom: at(100), recordedAt: at(90) }),
      fact('a', 'RELATED_TO', 'ended', { validFrom: at(0), validTo: at(1) }),
      fact('a', 'RELATED_TO', 'never-written'),
      participant('evt:1', 'from', 'a'),
      mention('a', c.id),
    ];
    const other = fact('a', 'HOLDS', 'o0', { sourceId: SRC_B });
    await store.writeBatch(batch({
      nodes: [node('a'), ...objects.map((o) => node(o)), node('later', { validFrom: at(100), recordedAt: at(90) }), node('ended')],
      events: [event('evt:1')],
      chunks: [c],
      facts: [...mine, other],
    }));
    const gone = mine[0]!;
    expect(await store.retract([gone.id], at(2))).toBe(1);
    const live = mine.slice(1);

    const paged = await allPages(store, SRC, 3);
    expect(paged.facts.map((f) => f.id).sort()).toEqual(live.map((f) => f.id).sort());
    expect(new Set(paged.facts.map((f) => f.id)).size).toBe(live.length);
    expect(paged.totals.every((t) => t === live.length)).toBe(true);
    expect(paged.facts.every((f) => f.sourceId === SRC && f.retractedAt === null)).toBe(true);
    expect(paged.facts.find((f) => f.object === 'later')).toMatchObject({ subject: 'a', type: 'RELATED_TO', validFrom: at(100) });
    // Stable: the same order twice, and in one page as in many.
    expect((await allPages(store, SRC, 3)).facts.map((f) => f.id)).toEqual(paged.facts.map((f) => f.id));
    expect((await allPages(store, SRC, 500)).facts.map((f) => f.id)).toEqual(paged.facts.map((f) => f.id));
    expect((await allPages(store, SRC_B, 10)).facts.map((f) => f.id)).toEqual([other.id]);
    expect(await store.factsOfSource('src:none', { first: 10 })).toEqual({ edges: [], totalCount: 0, hasNextPage: false });

    // factIdsOfSource: the same ids, order, cursors and totals, ids only.
    for (const first of [3, 500]) {
      const pages = await store.factsOfSource(SRC, { first });
      const idPages = await store.factIdsOfSource(SRC, { first });
      expect(idPages).toEqual({ ...pages, edges: pages.edges.map((e) => ({ node: e.node.id, cursor: e.cursor })) });
    }
    const ids: string[] = [];
    for (let after: string | null = null; ;) {
      const page = await store.factIdsOfSource(SRC, { first: 3, after });
      ids.push(...page.edges.map((e) => e.node));
      if (!page.hasNextPage) break;
      after = page.edges.at(-1)!.cursor;
    }
    expect(ids).toEqual(paged.facts.map((f) => f.id));
    expect(await store.factIdsOfSource('src:none', { first: 10 })).toEqual({ edges: [], totalCount: 0, hasNextPage: false });
  });

  it('retract hides rows from `at` on, keeps the first retraction, and counts what it changed', async () => {
    const store = ctx.store();
    const f = fact('a', 'HOLDS', 'b');
    const p = participant('evt:1', 'from', 'a');
    await store.writeBatch(batch({ nodes: [node('a'), node('b')], events: [event('evt:1')], facts: [f, p] }));
    expect(await store.retract([], at(1))).toBe(0);
    expect(await store.retract([f.id, 'evt:1', 'unknown'], at(5))).toBe(2);
    expect(await store.retract([f.id, 'evt:1', p.id], at(7))).toBe(1);
    expect((await store.factsOf('a')).map((x) => x.id)).toEqual([]);
    expect((await store.factsOf('a', { asOf: at(4) })).map((x) => x.id).sort()).toEqual([f.id, p.id].sort());
    expect((await store.factsOf('a', { asOf: at(6) })).map((x) => x.id)).toEqual([]);
    expect((await store.factsOf('a', { asOf: at(4), direction: 'out' }))[0]).toMatchObject({ id: f.id, retractedAt: at(5) });
    expect(await store.getEvent('evt:1')).toBeNull();
    expect(await store.getEvent('evt:1', { asOf: at(4) })).toMatchObject({ retractedAt: at(5) });
    expect((await store.factsOfSource(SRC, { first: 10 })).totalCount).toBe(0);
    expect((await store.factIdsOfSource(SRC, { first: 10 })).totalCount).toBe(0);
    expect((await store.stats({ asOf: at(4) })).facts).toBe(2);
    expect((await store.stats()).facts).toBe(0);
  });

  it('retractedFactIds names the stored facts that are retracted, and nothing else', async () => {
    const store = ctx.store();
    const gone = fact('a', 'HOLDS', 'b');
    const live = fact('a', 'RELATED_TO', 'b');
    const p = participant('evt:1', 'from', 'a');
    const other = fact('a', 'HOLDS', 'b', { sourceId: SRC_B });
    await store.writeBatch(batch({ nodes: [node('a'), node('b')], events: [event('evt:1')], facts: [gone, live, p, other] }));
    expect(await store.retractedFactIds([])).toEqual(new Set());
    expect(await store.retractedFactIds([gone.id, live.id, p.id])).toEqual(new Set());
    await store.retract([gone.id, p.id, other.id, 'evt:1', 'a'], at(3));
    expect(await store.retractedFactIds([gone.id, live.id, p.id, gone.id, 'fact:unknown', 'evt:1', 'a'])).toEqual(new Set([gone.id, p.id]));
    expect(await store.retractedFactIds([other.id, live.id])).toEqual(new Set([other.id]));
  });
}
