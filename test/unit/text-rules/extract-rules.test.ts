import { describe, expect, it } from 'vitest';
import type { TextChunk } from '../../../schema/documents.ts';
import { REL_TYPES, ROLES } from '../../../schema/ontology.ts';
import { extractWithRules, MAX_RULES_CHARS } from '../../../extraction/text/rules/extract-rules.ts';

function chunk(text: string, publishedAt: number | null = null): TextChunk {
  return { id: 'chunk:test', documentId: 'doc', index: 0, text, span: { start: 0, end: text.length }, tokens: 0, publishedAt };
}
const ctx = { sourceId: 'src:test', ingestedAt: Date.UTC(2025, 0, 1) };
const run = (text: string, publishedAt: number | null = null) => extractWithRules(chunk(text, publishedAt), ctx);
const rels = (out: ReturnType<typeof run>) => out.facts.filter((f) => f.type !== 'PARTICIPANT').map((f) => `${f.subject} ${f.type} ${f.object}`);
const roles = (out: ReturnType<typeof run>) => out.facts.filter((f) => f.type === 'PARTICIPANT').map((f) => `${f.role} ${f.object}`).sort();

describe('extractWithRules', () => {
  it('reads "X exploited Y" as a TextEvent with attacker/victim and an EXPLOITED fact', () => {
    const out = run('The Lazarus Group hacked Atomic Wallet on June 3, 2023.');
    expect(rels(out)).toEqual(['ent:organization:lazarus-group EXPLOITED ent:protocol:atomic-wallet']);
    expect(roles(out)).toEqual(['attacker ent:organization:lazarus-group', 'victim ent:protocol:atomic-wallet']);
    const [event] = out.events;
    expect(event?.id).toMatch(/^evt:text:[0-9a-f]{32}$/);
    expect(event?.type).toBe('TextEvent');
    expect(event?.summary).toBe('The Lazarus Group hacked Atomic Wallet on June 3, 2023.');
    expect(event?.occurredAt).toBe(Date.UTC(2023, 5, 3));
    expect(event?.attrs.occurredAtFrom).toBe('text');
    for (const f of out.facts) {
      expect(f.extractor).toBe('rules');
      expect(f.extractorVersion).toBe('1');
      expect(f.chunkId).toBe('chunk:test');
      expect(f.confidence).toBeGreaterThanOrEqual(0.5);
      expect(f.confidence).toBeLessThanOrEqual(0.7);
      expect(REL_TYPES).toContain(f.type);
      if (f.role !== null) expect(ROLES).toContain(f.role);
    }
  });

  it('reads the passive "Y was exploited by X" and falls back to publishedAt, then ingestedAt', () => {
    const published = Date.UTC(2024, 10, 20);
    const out = run('Polter Finance was exploited by Lazarus Group.', published);
    expect(rels(out)).toEqual(['ent:organization:lazarus-group EXPLOITED ent:protocol:polter-finance']);
    expect(out.events[0]?.occurredAt).toBe(published);
    expect(out.events[0]?.attrs.occurredAtFrom).toBe('publishedAt');
    const bare = run('Curve was exploited.');
    expect(roles(bare)).toEqual(['victim ent:protocol:curve']);
    expect(rels(bare)).toEqual([]);
    expect(bare.events[0]?.occurredAt).toBe(ctx.ingestedAt);
    expect(bare.events[0]?.attrs.occurredAtFrom).toBe('ingestedAt');
  });

  it('reads "X drained N TOKEN from Y" with amounts and token participants', () => {
    const out = run('An exploiter drained 1,048.1 ETH and 400,000 DAI from Platypus Finance on 2023-02-16.');
    expect(roles(out)).toEqual(['token ent:token:dai', 'token ent:token:eth', 'victim ent:protocol:platypus-finance']);
    expect(out.events[0]?.amounts.map((a) => [a.role, a.value, a.unit, a.token])).toEqual([
      ['loss', '1048.1', 'ETH', 'ent:token:eth'],
      ['loss', '400000', 'DAI', 'ent:token:dai'],
    ]);
    const named = run('The Lazarus Group drained 401,000 ETH from Bybit.');
    expect(rels(named)).toEqual(['ent:organization:lazarus-group EXPLOITED ent:exchange:bybit']);
  });

  it('reads "X moved N TOKEN to Y" as a transfer with TRANSFERRED_TO', () => {
    const out = run('Jump Crypto sent 10,000 ETH to Coinbase.');
    expect(rels(out)).toEqual(['ent:organization:jump-crypto TRANSFERRED_TO ent:exchange:coinbase']);
    expect(roles(out)).toEqual(['from ent:organization:jump-crypto', 'to ent:exchange:coinbase', 'token ent:token:eth']);
    expect(out.events[0]?.amounts[0]).toMatchObject({ role: 'value', value: '10000', unit: 'ETH' });
  });

  it('reads "X listed Y" and "Y was listed on X" as LISTED_ON token → exchange, with no event', () => {
    expect(rels(run('Binance listed PEPE.'))).toEqual(['ent:token:pepe LISTED_ON ent:exchange:binance']);
    expect(rels(run('WIF was listed on Coinbase.'))).toEqual(['ent:token:wif LISTED_ON ent:exchange:coinbase']);
    expect(run('Binance listed PEPE.').events).toEqual([]);
  });

  it('invents nothing for two entities without a known verb', () => {
    const out = run('Uniswap and Aave both published governance updates this week.');
    expect(out.facts).toEqual([]);
    expect(out.events).toEqual([]);
  });

  it('keeps addresses (checksum-validated) and tx hashes', () => {
    const tx = '0x984cb29cdb4e92e5899e9c94768f8a34047d0e1074f9c4109364e3682e488873';
    const out = run(`0x0F30AE8f41a5d3Cc96abd07Adf1550A9A0E557b5 drained 15 ETH from Bizness in ${tx}.`);
    expect(out.nodes.find((n) => n.kind === 'Account')?.id).toBe('eip155:1:0x0f30ae8f41a5d3cc96abd07adf1550a9a0e557b5');
    expect(out.events[0]?.attrs.txHashes).toEqual([tx]);
    expect(rels(out)).toEqual(['eip155:1:0x0f30ae8f41a5d3cc96abd07adf1550a9a0e557b5 EXPLOITED ent:protocol:bizness']);
    expect(out.issues).toEqual([]);
  });

  it('skips an address with a bad checksum and says so', () => {
    const bad = '0x0F30AE8f41a5d3Cc96abd07Adf1550A9A0E557B5';
    const out = run(`${bad} drained 15 ETH from Bizness.`);
    expect(out.nodes.some((n) => n.kind === 'Account')).toBe(false);
    expect(out.issues.map((i) => i.code)).toContain('bad-address');
    expect(rels(out)).toEqual([]);
    expect(roles(out)).toEqual(['token ent:token:eth', 'victim ent:protocol:bizness']);
    const other = extractWithRules(chunk('0x0f30ae8f41a5d3cc96abd07adf1550a9a0e557b5 was mentioned.'), { ...ctx, chainId: 8453 });
    expect(other.nodes.map((n) => n.id)).toEqual(['eip155:8453:0x0f30ae8f41a5d3cc96abd07adf1550a9a0e557b5']);
  });

  it('finds tickers and organisations outside the verb patterns', () => {
    const out = run('Traders bought $WIF and 200 SOL while Coinbase stayed quiet.');
    const ids = out.nodes.map((n) => n.id);
    expect(ids).toEqual(expect.arrayContaining(['ent:token:wif', 'ent:token:sol', 'ent:exchange:coinbase']));
    expect(out.facts).toEqual([]);
  });

  it('is deterministic: the same chunk gives the same ids', () => {
    const text = 'The Lazarus Group drained 401,000 ETH from Bybit. Binance listed PEPE.';
    const a = run(text);
    const b = run(text);
    expect(b).toEqual(a);
    expect(a.facts.map((f) => f.id)).toEqual(b.facts.map((f) => f.id));
  });

  it('never crashes on other languages, emoji, junk or very long text', () => {
    for (const text of ['', '   ', 'ハッカーがブリッジを攻撃し、資金を盗んだ。黑客窃取了资金！', '🚀🚀 $PEPE 🚀 exploited 🔥🔥 by 💀', '\u0000\uFFFF\uD800 broken', 'Ä'.repeat(5000), 'x exploited'.repeat(2000)]) {
      expect(() => run(text)).not.toThrow();
    }
    const sentence = 'The Lazarus Group hacked Atomic Wallet. ';
    const big = sentence.repeat(Math.ceil(1_048_576 / sentence.length));
    const out = run(big);
    expect(out.issues.map((i) => i.code)).toContain('text-truncated');
    expect(out.events).toHaveLength(1);
    expect(big.length).toBeGreaterThan(MAX_RULES_CHARS);
  });
});
