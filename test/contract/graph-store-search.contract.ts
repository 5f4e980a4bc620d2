/** Full-text search: hostile input never raises, BM25 ranking, prefixes, entities and events. */
import { expect, it } from 'vitest';
import { NamePriority } from '../../schema/graph.ts';
import type { GraphContractContext } from './graph-store.contract.ts';
import { batch, event, node } from './graph-fixtures.ts';

/** Search text that must never raise, whatever the engine. */
export const HOSTILE = [
  'Uniswap: Old "Router', '0xef1c…', 'AND', 'OR', 'NOT', '*', '"', '""', "'", '(', ')', 'NEAR(a b)', 'a OR', '-x',
  '^start', 'name:router', '{name}: x', 'x AND', 'AND OR NOT', '', '   ', '\u0000', '%', '_', '\\', ';DROP TABLE nodes;--',
  '🚀', '東京', 'Zürich*', 'a"b"c', '***', 'router*', '+', 'NEAR', 'near/3', '1e5', '0x', '\t\n',
];

export function searchContract(ctx: GraphContractContext): void {
  const seed = async () => {
    await ctx.store().writeBatch(batch({
      nodes: [
        node('acct:router', { kind: 'Contract', name: 'Uniswap V2: Router 2', namePriority: NamePriority.curated, aliases: ['0xEf1c6E67703c7BD7107eed8303Fbe6EC2554BF6B'] }),
        node('acct:old', { kind: 'Contract', name: 'Uniswap: Old Router' }),
        node('proto:uni', { kind: 'Protocol', name: 'Uniswap' }),
        node('ent:zurich', { kind: 'Exchange', name: 'Zürich Börse 東京' }),
        ...['Aave', 'Compound', 'Maker', 'Curve', 'Balancer', 'Lido', 'Sushi', 'Yearn'].map((name) =>
          node(`proto:${name.toLowerCase()}`, { kind: 'Protocol', name })),
      ],
      events: [
        event('evt:swap', { type: 'Incident', summary: 'Exploit draining 10 WETH, 18,000 USDC from a Uniswap pool via a router contract' }),
        event('evt:other', { type: 'PriceMove', summary: 'DAI fell 5% on Maker vault liquidations' }),
        // Bulk on-chain events are found by type/participant/time, never by words.
        event('evt:bulk', { type: 'Transfer', summary: 'Transfer of 5 WETH and USDC via Uniswap router' }),
      ],
    }));
  };

  it('never raises on hostile input', async () => {
    await seed();
    for (const text of HOSTILE) {
      const hits = await ctx.store().search(text, { first: 5 });
      expect(Array.isArray(hits), text).toBe(true);
    }
  });

  it('finds entities and events, best BM25 match first, with a higher score for a better hit', async () => {
    await seed();
    const hits = await ctx.store().search('uniswap', { first: 10 });
    expect(hits[0]).toMatchObject({ id: 'proto:uni', target: 'entity', label: 'Protocol', name: 'Uniswap' });
    expect(new Set(hits.map((h) => h.id))).toEqual(new Set(['proto:uni', 'acct:router', 'acct:old', 'evt:swap']));
    expect(hits.find((h) => h.id === 'evt:swap')).toMatchObject({ target: 'event', label: 'Incident' });
    for (let i = 1; i < hits.length; i++) expect(hits[i - 1]!.score).toBeGreaterThanOrEqual(hits[i]!.score);
    expect(hits.at(-1)?.id).toBe('evt:swap');
  });

  it('requires every word, matches the last as a prefix, ignores case and diacritics', async () => {
    await seed();
    const ids = async (text: string) => (await ctx.store().search(text, { first: 10 })).map((h) => h.id).sort();
    expect(await ids('Uniswap: Old "Router')).toEqual(['acct:old']);
    expect(await ids('uniswap rout')).toEqual(['acct:old', 'acct:router', 'evt:swap']);
    expect(await ids('0xef1c…')).toEqual(['acct:router']);
    expect(await ids('ZURICH')).toEqual(['ent:zurich']);
    expect(await ids('borse')).toEqual(['ent:zurich']);
    expect(await ids('東京')).toEqual(['ent:zurich']);
    expect(await ids('weth usdc')).toEqual(['evt:swap']);
    expect(await ids('transfer')).toEqual([]);
    expect(await ids('AND')).toEqual([]);
    expect(await ids('*')).toEqual([]);
  });

  it('limits hits to first', async () => {
    await seed();
    expect(await ctx.store().search('uniswap', { first: 2 })).toHaveLength(2);
    expect(await ctx.store().search('uniswap', { first: 0 })).toEqual([]);
  });

  it('finds renamed nodes by their new name and keeps the old one searchable as an alias', async () => {
    await ctx.store().writeBatch(batch({ nodes: [node('acct:x', { name: '0xAbCdEf0123' })] }));
    await ctx.store().writeBatch(batch({ nodes: [node('acct:x', { name: 'Tornado Cash', namePriority: NamePriority.curated })] }));
    expect((await ctx.store().search('tornado', { first: 5 })).map((h) => [h.id, h.name])).toEqual([['acct:x', 'Tornado Cash']]);
    expect((await ctx.store().search('0xabcdef', { first: 5 })).map((h) => h.id)).toEqual(['acct:x']);
  });
}
