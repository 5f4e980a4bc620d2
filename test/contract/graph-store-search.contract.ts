/** Full-text search: hostile input never raises, BM25 ranking, prefixes, entities and events. */
import { describe, expect, it } from 'vitest';
import { NamePriority } from '../../schema/graph.ts';
import type { GraphContractContext } from './graph-store.contract.ts';
import { batch, chunk, event, node } from './graph-fixtures.ts';

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

  /**
   * Words as real data writes them. Lucene's own analyzers cut `20241227_bizness`, `15.7k`, `7,193`
   * and `euler's` as single words and drop stop words, FTS5 does neither: every store must index and
   * query the terms of graph/search-terms.ts instead, and so answer these alike.
   */
  describe('words as real data writes them (the same in every store)', () => {
    const parity = async () => {
      await ctx.store().writeBatch(batch({
        nodes: [
          node('ent:boa', { kind: 'Organization', name: 'Bank of America' }),
          node('ent:bankless', { kind: 'Protocol', name: 'Bankless' }),
          node('ent:orsted', { kind: 'Organization', name: 'Ørsted' }),
          node('ent:strasse', { kind: 'Organization', name: 'Straße Capital', aliases: ['Łódź Labs'] }),
          node('ent:aether', { kind: 'Protocol', name: 'Æther Œuvre' }),
          node('ent:dorde', { kind: 'Person', name: 'Đorđe Þórsson' }),
        ],
        events: [
          event('evt:bizness', { type: 'Incident', summary: '20241227_Bizness exploit on Base: ~15.7k USD lost' }),
          event('evt:euler', { type: 'Incident', summary: "Euler's exploit drained 7,193 ETH" }),
          event('evt:other', { type: 'Incident', summary: '7 ETH and 193 USDC, 15 days and 7k blocks later' }),
        ],
        chunks: [
          chunk('chunk:euler', "Euler's exploit drained 7,193 ETH; the 20241227_Bizness attacker later moved 15.7k USD."),
          chunk('chunk:other', 'Bankless covered 7 ETH moving, then 193 more.'),
        ],
      }));
    };
    const ids = async (text: string) => (await ctx.store().search(text, { first: 10 })).map((h) => h.id).sort();
    const chunkIds = async (text: string) => (await ctx.store().searchChunks(text, { first: 10 })).map((h) => h.chunk.id).sort();

    it('finds names with underscores, decimal points, thousands separators and apostrophes', async () => {
      await parity();
      expect(await ids('20241227_Bizness')).toEqual(['evt:bizness']);
      expect(await ids('bizness')).toEqual(['evt:bizness']);
      expect(await ids('15.7k USD')).toEqual(['evt:bizness']);
      expect(await ids('7,193 ETH')).toEqual(['evt:euler']);
      expect(await ids("Euler's exploit")).toEqual(['evt:euler']);
      expect(await ids('euler')).toEqual(['evt:euler']);
      expect(await chunkIds('20241227_Bizness')).toEqual(['chunk:euler']);
      expect(await chunkIds('7,193 ETH')).toEqual(['chunk:euler']);
      expect(await chunkIds("Euler's exploit")).toEqual(['chunk:euler']);
      expect(await chunkIds('15.7k')).toEqual(['chunk:euler']);
    });

    it('keeps stop words, as a word and as the prefix being typed', async () => {
      await parity();
      expect(await ids('bank of')).toEqual(['ent:boa']);
      expect(await ids('Bank of America')).toEqual(['ent:boa']);
      expect(await ids('bank o')).toEqual(['ent:boa']);
      expect(await ids('of')).toEqual(['ent:boa']);
      expect(await ids('bank')).toEqual(['ent:bankless', 'ent:boa']);
    });

    it('folds ø ß ł æ œ đ þ as Lucene ASCII folding does, written either way', async () => {
      await parity();
      for (const [text, id] of [
        ['orsted', 'ent:orsted'], ['Ørsted', 'ent:orsted'], ['ØRSTED', 'ent:orsted'],
        ['strasse', 'ent:strasse'], ['Straße', 'ent:strasse'], ['lodz labs', 'ent:strasse'], ['Łódź', 'ent:strasse'],
        ['aether oeuvre', 'ent:aether'], ['Æther', 'ent:aether'], ['œuvre', 'ent:aether'],
        ['dorde', 'ent:dorde'], ['Đorđe thorsson', 'ent:dorde'], ['Þórs', 'ent:dorde'],
      ] as const) {
        expect(await ids(text), text).toEqual([id]);
      }
    });
  });
}
