/** Point reads, filtered lists with keyset pagination, factsOf and neighborhood. */
import { expect, it } from 'vitest';
import type { GraphStore } from '../../graph/graph-store.ts';
import { InvalidArgumentError } from '../../schema/errors.ts';
import type { FactInput } from '../../schema/graph.ts';
import type { Page, PageArgs } from '../../schema/pagination.ts';
import type { GraphContractContext } from './graph-store.contract.ts';
import { batch, event, fact, HOUR, merged, node, participant, SRC_B, T0, transfer } from './graph-fixtures.ts';

/** Follows `after` cursors to the end, checking totalCount is the same on every page. */
async function walk<T>(fetch: (page: PageArgs) => Promise<Page<T>>, first: number): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let after: string | null = null;
  let total: number | null = null;
  for (let pages = 1; ; pages++) {
    const page: Page<T> = await fetch({ first, after });
    total ??= page.totalCount;
    expect(page.totalCount).toBe(total);
    expect(page.edges.length).toBeLessThanOrEqual(first);
    items.push(...page.edges.map((e) => e.node));
    if (!page.hasNextPage) {
      expect(items).toHaveLength(total);
      return { items, pages };
    }
    after = page.edges.at(-1)!.cursor;
  }
}

async function labelled(store: GraphStore): Promise<void> {
  await store.writeBatch(batch({
    nodes: [
      node('acct:router', { kind: 'Contract', name: 'Uniswap V2: Router 2', aliases: ['UniswapV2Router02'] }),
      node('acct:hot', { name: 'Binance 14', aliases: ['binance hot wallet'] }),
      node('acct:plain', { name: '0x1111' }),
      node('tok:weth', { kind: 'Token', name: 'WETH', aliases: ['Wrapped Ether'] }),
      node('concept:label:dex', { kind: 'Concept', name: 'dex' }),
      node('concept:label:exchange', { kind: 'Concept', name: 'exchange' }),
    ],
    facts: [
      fact('acct:router', 'HAS_LABEL', 'concept:label:dex'),
      fact('acct:hot', 'HAS_LABEL', 'concept:label:exchange'),
    ],
  }));
}

export function readsContract(ctx: GraphContractContext): void {
  it('getNode returns null for unknown ids and for event ids; getEvent for node ids', async () => {
    await ctx.store().writeBatch(transfer(1, 'acct:a', 'acct:b', 'tok:x', T0));
    const eventId = (await ctx.store().findEvents({}, { first: 1 })).edges[0]!.node.id;
    expect(await ctx.store().getNode('nope')).toBeNull();
    expect(await ctx.store().getNode(eventId)).toBeNull();
    expect(await ctx.store().getEvent('acct:a')).toBeNull();
    expect(await ctx.store().getEvent(eventId)).not.toBeNull();
    expect(await ctx.store().getNode('acct:a')).toMatchObject({ id: 'acct:a', kind: 'Account', validTo: null, retractedAt: null });
  });

  it('findNodes filters by kind, name or alias substring (case-insensitive), label and ids', async () => {
    const store = ctx.store();
    await labelled(store);
    const ids = async (filter: Parameters<GraphStore['findNodes']>[0]) =>
      (await store.findNodes(filter, { first: 50 })).edges.map((e) => e.node.id);
    expect(await ids({ kind: 'Contract' })).toEqual(['acct:router']);
    expect(await ids({ nameContains: 'UNISWAP' })).toEqual(['acct:router']);
    expect(await ids({ nameContains: 'hot wallet' })).toEqual(['acct:hot']);
    expect(await ids({ nameContains: 'wrapped' })).toEqual(['tok:weth']);
    expect(await ids({ label: 'dex' })).toEqual(['acct:router']);
    expect(await ids({ label: 'concept:label:exchange' })).toEqual(['acct:hot']);
    expect(await ids({ label: 'nothing-has-this' })).toEqual([]);
    expect(await ids({ ids: ['tok:weth', 'acct:plain', 'missing'] })).toEqual(['acct:plain', 'tok:weth']);
    expect(await ids({ ids: [] })).toEqual([]);
    expect(await ids({ kind: 'Account', nameContains: 'b' })).toEqual(['acct:hot']);
    expect(await ids({})).toEqual([
      'acct:hot', 'acct:plain', 'acct:router', 'concept:label:dex', 'concept:label:exchange', 'tok:weth',
    ]);
  });

  it('findNodes matches non-ASCII names case-insensitively', async () => {
    await ctx.store().writeBatch(batch({ nodes: [node('ent:z', { name: 'ZÜRICH Ünïcode 東京' }), node('ent:y', { name: 'Ελληνικά' })] }));
    const ids = async (nameContains: string) =>
      (await ctx.store().findNodes({ nameContains }, { first: 10 })).edges.map((e) => e.node.id);
    expect(await ids('zürich')).toEqual(['ent:z']);
    expect(await ids('東京')).toEqual(['ent:z']);
    expect(await ids('ελλην')).toEqual(['ent:y']);
  });

  it('findNodes pages through every node exactly once, in id order', async () => {
    const nodes = Array.from({ length: 23 }, (_, i) => node(`n:${String((i * 7) % 23).padStart(2, '0')}`));
    await ctx.store().writeBatch(batch({ nodes }));
    const { items, pages } = await walk((page) => ctx.store().findNodes({}, page), 5);
    expect(pages).toBe(5);
    expect(items.map((n) => n.id)).toEqual(nodes.map((n) => n.id).sort());
    const filtered = await walk((page) => ctx.store().findNodes({ nameContains: 'n:1' }, page), 3);
    expect(filtered.items.map((n) => n.id)).toEqual(Array.from({ length: 10 }, (_, i) => `n:1${i}`));
  });

  it('rejects page sizes out of range and cursors it did not issue', async () => {
    await expect(ctx.store().findNodes({}, { first: 501 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(ctx.store().findNodes({}, { first: -1 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(ctx.store().findNodes({}, { first: 5, after: 'garbage!' })).rejects.toBeInstanceOf(InvalidArgumentError);
    const eventCursor = Buffer.from(JSON.stringify([1, 'x'])).toString('base64url');
    await expect(ctx.store().findNodes({}, { first: 5, after: eventCursor })).rejects.toBeInstanceOf(InvalidArgumentError);
    expect((await ctx.store().findNodes({}, { first: 0 })).edges).toEqual([]);
  });

  it('findEvents orders by occurredAt descending then id, and pages across ties exactly once', async () => {
    const times = [5, 1, 3, 3, 3, 3, 0, 5, 2, 3, 4, 1];
    const events = times.map((h, i) => event(`evt:${String.fromCharCode(97 + ((i * 5) % 12))}`, { occurredAt: T0 + h * HOUR }));
    await ctx.store().writeBatch(batch({ events }));
    const expected = [...events]
      .sort((a, b) => b.occurredAt - a.occurredAt || (a.id < b.id ? -1 : 1))
      .map((e) => e.id);
    for (const first of [1, 2, 5, 12, 50]) {
      const { items } = await walk((page) => ctx.store().findEvents({}, page), first);
      expect(items.map((e) => e.id)).toEqual(expected);
    }
  });

  it('findEvents filters by type, participant, role, time range and source', async () => {
    const store = ctx.store();
    await store.writeBatch(merged(
      transfer(1, 'acct:a', 'acct:b', 'tok:x', T0),
      transfer(2, 'acct:b', 'acct:c', 'tok:x', T0 + HOUR),
      transfer(3, 'acct:c', 'acct:a', 'tok:y', T0 + 2 * HOUR, SRC_B),
      batch({
        nodes: [node('pool:1', { kind: 'Pool' })],
        events: [event('evt:swap', { type: 'Swap', occurredAt: T0 + 3 * HOUR })],
        facts: [participant('evt:swap', 'pool', 'pool:1'), participant('evt:swap', 'sender', 'acct:a')],
      }),
    ));
    const find = async (filter: Parameters<GraphStore['findEvents']>[0]) => {
      const page = await store.findEvents(filter, { first: 50 });
      expect(page.totalCount).toBe(page.edges.length);
      return page.edges.map((e) => e.node.id.replace(/^evt:transfer:.*0(\d):0$/, 't$1'));
    };
    expect(await find({})).toEqual(['evt:swap', 't3', 't2', 't1']);
    expect(await find({ type: 'Swap' })).toEqual(['evt:swap']);
    expect(await find({ type: 'Transfer' })).toEqual(['t3', 't2', 't1']);
    expect(await find({ participant: 'acct:a' })).toEqual(['evt:swap', 't3', 't1']);
    expect(await find({ participant: 'acct:a', role: 'from' })).toEqual(['t1']);
    expect(await find({ participant: 'acct:a', role: 'to' })).toEqual(['t3']);
    expect(await find({ participant: 'tok:x', type: 'Transfer' })).toEqual(['t2', 't1']);
    expect(await find({ from: T0 + HOUR, to: T0 + 2 * HOUR })).toEqual(['t3', 't2']);
    expect(await find({ from: T0 + 4 * HOUR })).toEqual([]);
    expect(await find({ sourceId: SRC_B })).toEqual(['t3']);
    expect(await find({ participant: 'nobody' })).toEqual([]);
    const swap = (await store.findEvents({ type: 'Swap' }, { first: 1 })).edges[0]!.node;
    expect(swap.participants.map((p) => [p.role, p.entityId])).toEqual([['pool', 'pool:1'], ['sender', 'acct:a']]);
  });

  /** Three nodes and their facts, at distinct recordedAt times. */
  const aroundABC = (extra: FactInput[] = []) => ctx.store().writeBatch(batch({
    nodes: [node('a'), node('b'), node('c')],
    facts: [
      fact('a', 'HOLDS', 'b', { recordedAt: T0 + 1 }),
      fact('c', 'RELATED_TO', 'a', { recordedAt: T0 + 3 }),
      fact('a', 'RELATED_TO', 'c', { recordedAt: T0 + 2 }),
      fact('b', 'RELATED_TO', 'c', { recordedAt: T0 + 4 }),
      ...extra,
    ],
  }));

  it('factsOf follows direction and types, newest recordedAt first, up to limit', async () => {
    const store = ctx.store();
    await aroundABC();
    const key = (fs: { subject: string; object: string }[]) => fs.map((f) => `${f.subject}>${f.object}`);
    expect(key(await store.factsOf('a'))).toEqual(['c>a', 'a>c', 'a>b']);
    expect(key(await store.factsOf('a', { direction: 'out' }))).toEqual(['a>c', 'a>b']);
    expect(key(await store.factsOf('a', { direction: 'in' }))).toEqual(['c>a']);
    expect(key(await store.factsOf('a', { types: ['HOLDS'] }))).toEqual(['a>b']);
    expect(key(await store.factsOf('a', { limit: 2 }))).toEqual(['c>a', 'a>c']);
    expect(await store.factsOf('nobody')).toEqual([]);
  });

  it('factsOfEach answers, per id, what factsOf answers, limit per id, unknown ids with []', async () => {
    const store = ctx.store();
    await aroundABC([fact('b', 'HAS_LABEL', 'c', { recordedAt: T0 + 5 })]);
    const ids = ['a', 'b', 'c', 'nobody', 'a'];
    for (const q of [
      {}, { direction: 'out' as const }, { direction: 'in' as const }, { types: ['HOLDS' as const] },
      { types: ['RELATED_TO' as const, 'HAS_LABEL' as const] }, { limit: 1 }, { asOf: T0 + 3 }, { types: [] },
    ]) {
      const each = await store.factsOfEach(ids, q);
      expect([...each.keys()].sort(), JSON.stringify(q)).toEqual(['a', 'b', 'c', 'nobody']);
      for (const id of each.keys()) expect(each.get(id), `${id} ${JSON.stringify(q)}`).toEqual(await store.factsOf(id, q));
    }
    expect((await store.factsOfEach([], {})).size).toBe(0);
  });

  it('neighborhood expands breadth-first within depth and limit and says when it was cut', async () => {
    const store = ctx.store();
    // a —e1— b —e2— c —e3— d : entities two hops apart through events.
    await store.writeBatch(merged(
      transfer(1, 'a', 'b', 'tok', T0),
      transfer(2, 'b', 'c', 'tok', T0 + HOUR),
      transfer(3, 'c', 'd', 'tok', T0 + 2 * HOUR),
    ));
    const e1 = (await store.findEvents({ participant: 'a' }, { first: 1 })).edges[0]!.node.id;
    const one = await store.neighborhood('a', { depth: 1, limit: 100 });
    expect(one.truncated).toBe(false);
    expect(one.events.map((e) => e.id)).toEqual([e1]);
    expect(one.nodes.map((n) => n.id)).toEqual(['a']);
    expect(one.facts).toHaveLength(1);
    const two = await store.neighborhood('a', { depth: 2, limit: 100 });
    expect(new Set(two.nodes.map((n) => n.id))).toEqual(new Set(['a', 'b', 'tok']));
    expect(two.events[0]?.participants).toHaveLength(3);
    expect(two.facts).toHaveLength(3);
    const all = await store.neighborhood('a', { depth: 10, limit: 100 });
    expect(all.truncated).toBe(false);
    expect(all.facts).toHaveLength(9);
    expect(all.events).toHaveLength(3);
    expect(new Set(all.nodes.map((n) => n.id))).toEqual(new Set(['a', 'b', 'c', 'd', 'tok']));
    const exact = await store.neighborhood('a', { depth: 10, limit: 9 });
    expect(exact.truncated).toBe(false);
    const cut = await store.neighborhood('a', { depth: 10, limit: 4 });
    expect(cut.truncated).toBe(true);
    expect(cut.facts).toHaveLength(4);
    const reached = new Set([...cut.nodes.map((n) => n.id), ...cut.events.map((e) => e.id)]);
    for (const f of cut.facts) expect(reached.has(f.subject) && reached.has(f.object)).toBe(true);
    const fromEvent = await store.neighborhood(e1, { depth: 1, limit: 100 });
    expect(new Set(fromEvent.nodes.map((n) => n.id))).toEqual(new Set(['a', 'b', 'tok']));
    expect(await store.neighborhood('nobody', { depth: 2, limit: 10 })).toEqual({ nodes: [], events: [], facts: [], truncated: false });
    expect((await store.neighborhood('a', { depth: 0, limit: 10 })).nodes.map((n) => n.id)).toEqual(['a']);
  });
}
