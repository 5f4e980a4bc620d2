/** writeBatch: idempotence, exact counts, and every node/event/fact merge rule. */
import { expect, it } from 'vitest';
import { MarketGraphError } from '../../schema/errors.ts';
import { emptyBatch, NamePriority, type GraphBatch, type WriteCounts } from '../../schema/graph.ts';
import type { GraphContractContext } from './graph-store.contract.ts';
import { batch, event, fact, HOUR, merged, node, participant, SRC_B, T0, transfer } from './graph-fixtures.ts';

const counts = (added: number, updated: number, unchanged: number): WriteCounts => ({ added, updated, unchanged });

export function writesContract(ctx: GraphContractContext): void {
  const write = (b: GraphBatch) => ctx.store().writeBatch(b);

  it('counts nothing for an empty batch', async () => {
    expect(await write(emptyBatch())).toEqual({
      nodes: counts(0, 0, 0), events: counts(0, 0, 0), facts: counts(0, 0, 0), chunks: counts(0, 0, 0),
    });
  });

  it('adds a batch once and changes nothing when it is written again', async () => {
    const b = merged(transfer(1, 'acct:a', 'acct:b', 'tok:x', T0), transfer(2, 'acct:b', 'acct:c', 'tok:x', T0 + HOUR));
    expect(await write(b)).toEqual({
      nodes: counts(4, 0, 0), events: counts(2, 0, 0), facts: counts(6, 0, 0), chunks: counts(0, 0, 0),
    });
    expect(await write(b)).toEqual({
      nodes: counts(0, 0, 4), events: counts(0, 0, 2), facts: counts(0, 0, 6), chunks: counts(0, 0, 0),
    });
    const stats = await ctx.store().stats();
    expect([stats.entities, stats.events, stats.facts]).toEqual([4, 2, 6]);
  });

  it('merges inputs with the same id within one batch before counting', async () => {
    const result = await write(batch({
      nodes: [
        node('n1', { name: 'first', aliases: ['one'] }),
        node('n1', { kind: 'Contract', name: 'better', namePriority: NamePriority.curated, aliases: ['two'] }),
        node('n1', { attrs: { k: 1 } }),
      ],
    }));
    expect(result.nodes).toEqual(counts(1, 0, 0));
    const n1 = await ctx.store().getNode('n1');
    expect(n1).toMatchObject({ kind: 'Contract', name: 'better', aliases: ['one', 'first', 'two'], attrs: { k: 1 } });
  });

  it('upgrades Account to a more specific kind, never back', async () => {
    await write(batch({ nodes: [node('n1')] }));
    expect((await write(batch({ nodes: [node('n1', { kind: 'Token' })] }))).nodes).toEqual(counts(0, 1, 0));
    expect((await write(batch({ nodes: [node('n1', { kind: 'Account' })] }))).nodes).toEqual(counts(0, 0, 1));
    // Two specific kinds: the one already stored stays.
    expect((await write(batch({ nodes: [node('n1', { kind: 'Contract' })] }))).nodes).toEqual(counts(0, 0, 1));
    expect((await ctx.store().getNode('n1'))?.kind).toBe('Token');
  });

  it('replaces a name only with a strictly higher priority and keeps the old one as an alias', async () => {
    await write(batch({ nodes: [node('n1', { name: '0xAbC', namePriority: NamePriority.fallback })] }));
    // Same priority: ignored entirely.
    expect((await write(batch({ nodes: [node('n1', { name: 'Other' })] }))).nodes).toEqual(counts(0, 0, 1));
    expect((await write(batch({ nodes: [node('n1', { name: 'WETH', namePriority: NamePriority.derived })] }))).nodes)
      .toEqual(counts(0, 1, 0));
    // Lower priority after a higher one: ignored.
    expect((await write(batch({ nodes: [node('n1', { name: '0xAbC' })] }))).nodes).toEqual(counts(0, 0, 1));
    await write(batch({
      nodes: [node('n1', { name: 'Wrapped Ether', namePriority: NamePriority.curated, aliases: ['WETH', 'wETH'] })],
    }));
    const n1 = await ctx.store().getNode('n1');
    expect(n1?.name).toBe('Wrapped Ether');
    expect(n1?.aliases).toEqual(['0xAbC', 'WETH', 'wETH']);
  });

  it('never keeps the current name among the aliases', async () => {
    await write(batch({ nodes: [node('n1', { name: 'Alpha', aliases: ['Alpha', 'Beta', 'Beta'] })] }));
    expect((await ctx.store().getNode('n1'))?.aliases).toEqual(['Beta']);
    // The alias Beta becomes the name: it leaves the alias list, Alpha joins it.
    await write(batch({ nodes: [node('n1', { name: 'Beta', namePriority: NamePriority.curated })] }));
    const n1 = await ctx.store().getNode('n1');
    expect(n1?.name).toBe('Beta');
    expect(n1?.aliases).toEqual(['Alpha']);
  });

  it('unions aliases in first-seen order without duplicates', async () => {
    await write(batch({ nodes: [node('n1', { aliases: ['b', 'a'] })] }));
    expect((await write(batch({ nodes: [node('n1', { aliases: ['a', 'c', 'b', 'd'] })] }))).nodes).toEqual(counts(0, 1, 0));
    expect((await write(batch({ nodes: [node('n1', { aliases: ['d', 'a'] })] }))).nodes).toEqual(counts(0, 0, 1));
    expect((await ctx.store().getNode('n1'))?.aliases).toEqual(['b', 'a', 'c', 'd']);
  });

  it('shallow-merges attrs, new keys over old', async () => {
    await write(batch({ nodes: [node('n1', { attrs: { a: 1, nested: { x: 1, y: 2 } } })] }));
    expect((await write(batch({ nodes: [node('n1', { attrs: { a: 1 } })] }))).nodes).toEqual(counts(0, 0, 1));
    expect((await write(batch({ nodes: [node('n1', { attrs: { b: 2, nested: { x: 9 } } })] }))).nodes).toEqual(counts(0, 1, 0));
    expect((await ctx.store().getNode('n1'))?.attrs).toEqual({ a: 1, nested: { x: 9 }, b: 2 });
  });

  it('keeps the earliest recordedAt and validFrom', async () => {
    await write(batch({ nodes: [node('n1', { recordedAt: T0 + 10 * HOUR, validFrom: T0 + 5 * HOUR })] }));
    expect((await write(batch({ nodes: [node('n1', { recordedAt: T0 + 20 * HOUR, validFrom: T0 + 9 * HOUR })] }))).nodes)
      .toEqual(counts(0, 0, 1));
    expect((await write(batch({ nodes: [node('n1', { recordedAt: T0 + 2 * HOUR, validFrom: T0 + 7 * HOUR })] }))).nodes)
      .toEqual(counts(0, 1, 0));
    expect((await write(batch({ nodes: [node('n1', { recordedAt: T0 + 3 * HOUR, validFrom: T0 + HOUR })] }))).nodes)
      .toEqual(counts(0, 1, 0));
    expect(await ctx.store().getNode('n1')).toMatchObject({ recordedAt: T0 + 2 * HOUR, validFrom: T0 + HOUR });
    // An open start (null) is the earliest start of all.
    await write(batch({ nodes: [node('n1', { validFrom: null })] }));
    expect((await ctx.store().getNode('n1'))?.validFrom).toBeNull();
  });

  it('keeps the first write of an event and merges only its attrs', async () => {
    await write(batch({ events: [event('evt:1', { summary: 'first', attrs: { a: 1 } })] }));
    const again = event('evt:1', { summary: 'second', occurredAt: T0 + HOUR, sourceId: SRC_B, attrs: { a: 1 } });
    expect((await write(batch({ events: [again] }))).events).toEqual(counts(0, 0, 1));
    expect((await write(batch({ events: [{ ...again, attrs: { b: 2 } }] }))).events).toEqual(counts(0, 1, 0));
    expect((await write(batch({ events: [{ ...again, attrs: { b: 2 } }] }))).events).toEqual(counts(0, 0, 1));
    expect(await ctx.store().getEvent('evt:1')).toMatchObject({
      summary: 'first', occurredAt: T0, sourceId: 'src:test:a', attrs: { a: 1, b: 2 },
    });
  });

  it('keeps the first write of a fact id', async () => {
    await write(batch({ nodes: [node('a'), node('b')] }));
    const f = fact('a', 'RELATED_TO', 'b', { confidence: 0.5 });
    expect((await write(batch({ facts: [f] }))).facts).toEqual(counts(1, 0, 0));
    expect((await write(batch({ facts: [{ ...f, confidence: 0.9, predicate: 'other' }] }))).facts).toEqual(counts(0, 0, 1));
    const [stored] = await ctx.store().factsOf('a');
    expect(stored).toMatchObject({ id: f.id, confidence: 0.5, predicate: 'related_to', retractedAt: null });
  });

  it('counts a row repeated within one batch as unchanged the second time', async () => {
    await write(batch({ nodes: [node('a'), node('b')] }));
    const f = fact('a', 'RELATED_TO', 'b');
    const result = await write(batch({ events: [event('evt:1'), event('evt:1')], facts: [f, f] }));
    expect(result.events).toEqual(counts(1, 0, 1));
    expect(result.facts).toEqual(counts(1, 0, 1));
  });

  it('keeps one event with both sources\' facts when two sources report the same transfer', async () => {
    const a = transfer(7, 'acct:a', 'acct:b', 'tok:x', T0);
    const b = transfer(7, 'acct:a', 'acct:b', 'tok:x', T0, SRC_B);
    await write(a);
    const second = await write(b);
    expect(second.events).toEqual(counts(0, 0, 1));
    expect(second.facts).toEqual(counts(3, 0, 0));
    const id = a.events[0]!.id;
    const stored = await ctx.store().getEvent(id);
    expect(stored?.sourceId).toBe('src:test:a');
    expect(stored?.participants).toHaveLength(6);
    expect(new Set(stored?.participants.map((p) => p.factId))).toEqual(new Set([...a.facts, ...b.facts].map((f) => f.id)));
    const page = await ctx.store().findEvents({}, { first: 10 });
    expect(page.totalCount).toBe(1);
  });

  it('rejects a batch with a type outside the ontology and writes none of it', async () => {
    const bad = merged(transfer(1, 'acct:a', 'acct:b', 'tok:x', T0), batch({
      facts: [fact('acct:a', 'NOT_A_TYPE' as never, 'acct:b')],
    }));
    await expect(write(bad)).rejects.toBeInstanceOf(MarketGraphError);
    expect((await ctx.store().stats()).entities).toBe(0);
    expect(await ctx.store().getNode('acct:a')).toBeNull();
  });

  it('keeps the evt: prefix for event ids only, and writes nothing of a batch that breaks it', async () => {
    await expect(write(batch({ events: [event('e1')] }))).rejects.toThrow(/event ids start with "evt:"/);
    await expect(write(batch({ nodes: [node('evt:not-a-node')] }))).rejects.toThrow(/reserved for event ids/);
    const stats = await ctx.store().stats();
    expect([stats.entities, stats.events]).toEqual([0, 0]);
  });

  it('round-trips Unicode names, aliases, attrs and amounts exactly', async () => {
    const name = 'Zürich Ünïcode 東京 Exchange 🚀';
    await write(batch({
      nodes: [node('ent:organization:zurich', { kind: 'Exchange', name, aliases: ['Ŝtraße', 'Ελληνικά'], attrs: { note: 'naïve “quotes”' } })],
      events: [event('evt:u', {
        summary: 'Überweisung 東京 → 🚀',
        amounts: [{ role: 'value', value: '115792089237316195423570985008687907853269984665640564039457.584007913129639935', raw: '115792089237316195423570985008687907853269984665640564039457584007913129639935', decimals: 18, unit: 'WETH', token: null }],
      })],
    }));
    const n = await ctx.store().getNode('ent:organization:zurich');
    expect(n).toMatchObject({ name, aliases: ['Ŝtraße', 'Ελληνικά'], attrs: { note: 'naïve “quotes”' } });
    const e = await ctx.store().getEvent('evt:u');
    expect(e?.summary).toBe('Überweisung 東京 → 🚀');
    expect(e?.amounts[0]?.raw).toBe('115792089237316195423570985008687907853269984665640564039457584007913129639935');
  });
}
