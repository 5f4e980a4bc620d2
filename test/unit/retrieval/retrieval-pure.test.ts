import { describe, expect, it } from 'vitest';
import { fuse } from '../../../pipelines/retrieval/fuse.ts';
import { extractMentions } from '../../../pipelines/retrieval/mentions.ts';
import { DAY_MS, personalizedPageRank, rankFacts, recencyWeight } from '../../../pipelines/retrieval/rank.ts';
import { serialize, type ContextEntry } from '../../../pipelines/retrieval/serialize.ts';
import { countTokens } from '../../../extraction/documents/tokens.ts';
import type { FactRecord } from '../../../schema/graph.ts';

function fact(id: string, subject: string, object: string, extra: Partial<FactRecord> = {}): FactRecord {
  return {
    id, subject, object, type: 'RELATED_TO', predicate: 'related to', role: null, confidence: 1, validFrom: 0, validTo: null,
    recordedAt: 0, retractedAt: null, sourceId: 'src:test:1', chunkId: null, extractor: 't', extractorVersion: '1', attrs: {}, ...extra,
  };
}

describe('fuse (RRF)', () => {
  it('sums 1/(60+rank) and ranks ids found by several retrievers first', () => {
    const out = fuse([{ via: 'exact', ids: ['a'] }, { via: 'bm25', ids: ['b', 'a', 'a'] }, { via: 'vector', ids: ['c', 'b'] }]);
    expect(out.map((o) => o.id)).toEqual(['a', 'b', 'c']);
    expect(out[0]!.score).toBeCloseTo(1 / 61 + 1 / 62);
    expect(out[0]!.via).toEqual(['exact', 'bm25']);
    expect(out[2]!.score).toBeCloseTo(1 / 61);
    expect(fuse([])).toEqual([]);
  });
});

describe('extractMentions', () => {
  it('keeps valid or unchecksummed addresses and drops bad checksums', () => {
    const m = extractMentions('0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2 vs 0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756CC2 and 0x3cc1edd8a25c912fcb51d7e61893e737c48cd98d');
    expect(m.addresses).toEqual(['0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2', '0x3cc1edd8a25c912fcb51d7e61893e737c48cd98d']);
  });
  it('finds tx hashes, tickers and CAIP / asset ids', () => {
    const m = extractMentions('Did $pepe, WETH and eth move in 0x984cb29cdb4e92e5899e9c94768f8a34047d0e1074f9c4109364e3682e488873 on eip155:8453 / eip155:1/erc20:0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2 or asset:crypto:btc?');
    expect(m.txHashes).toEqual(['0x984cb29cdb4e92e5899e9c94768f8a34047d0e1074f9c4109364e3682e488873']);
    expect(m.tickers).toEqual(['PEPE', 'WETH']);
    expect(m.ids).toEqual(['eip155:8453', 'eip155:1/erc20:0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2', 'asset:crypto:BTC']);
    expect(m.addresses).toEqual([]);
  });
});

describe('rank', () => {
  // s — a — b — c — d, plus an island x — y
  const facts = [fact('f1', 's', 'a'), fact('f2', 'a', 'b'), fact('f3', 'b', 'c'), fact('f4', 'c', 'd'), fact('f5', 'x', 'y')];
  it('personalised PageRank favours nodes near the seeds', () => {
    const ppr = personalizedPageRank(facts.map((f) => [f.subject, f.object] as const), new Map([['s', 1]]));
    expect(ppr.get('a')!).toBeGreaterThan(ppr.get('c')!);
    expect(ppr.get('b')!).toBeGreaterThan(ppr.get('d')!);
    expect(ppr.get('x')).toBe(0);
    expect([...ppr.values()].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });
  it('ranks seed-adjacent facts first and weighs recency and confidence', () => {
    const ranked = rankFacts(facts, new Map([['s', 1]]), { reference: 0 });
    expect(ranked.map((r) => r.fact.id)).toEqual(['f1', 'f2', 'f3', 'f4', 'f5']);
    const twins = [fact('old', 's', 'a', { validFrom: -2 * 365 * DAY_MS }), fact('new', 's', 'b'), fact('weak', 's', 'c', { confidence: 0.5 })];
    const r = rankFacts(twins, new Map([['s', 1]]), { reference: 0 });
    expect(r.map((x) => x.fact.id)).toEqual(['new', 'weak', 'old']);
    expect(r[1]!.score / r[0]!.score).toBeCloseTo(0.5);
    expect(recencyWeight(-365 * DAY_MS, 0)).toBeCloseTo(0.55);
    expect(recencyWeight(null, 0)).toBe(0.1);
  });
});

describe('serialize', () => {
  const entries: ContextEntry[] = Array.from({ length: 40 }, (_, i) => ({
    kind: 'fact',
    fact: {
      id: `fact:${i}`, subject: `s${i}`, subjectName: `Subject number ${i}`, predicate: i % 2 ? 'drained' : 'exploited', type: 'EXPLOITED',
      object: 'o', objectName: 'Bizness', time: Date.UTC(2024, 11, 27) + i * DAY_MS, confidence: 1 - i / 100,
      source: 'src:incidents:3c74ed498de6ca89', chunkId: i % 3 ? null : `chunk:${'ab'.repeat(32)}`, score: 1 - i / 50,
    },
  }));
  it('never exceeds the budget and keeps a best-first prefix', () => {
    let last = 0;
    for (let budget = 1; budget <= 500; budget++) {
      const out = serialize(entries, budget);
      expect(out.tokens).toBeLessThanOrEqual(budget);
      expect(out.tokens).toBe(countTokens(out.text));
      expect(out.facts.map((f) => f.id)).toEqual(entries.slice(0, out.facts.length).map((e) => (e.kind === 'fact' ? e.fact.id : '')));
      expect(out.facts.length).toBeGreaterThanOrEqual(last);
      last = out.facts.length;
    }
    expect(last).toBeGreaterThan(5);
  });
  it('writes compact cited lines numbered like the structured facts', () => {
    const out = serialize(entries.slice(0, 2), 1000);
    expect(out.text.split('\n')).toEqual([
      `[F1] 2024-12-27 Subject number 0 —EXPLOITED→ Bizness (conf 1.00) [src:incidents:3c74ed498de6ca89 chunk:abababababab]`,
      `[F2] 2024-12-28 Subject number 1 —EXPLOITED→ Bizness (drained, conf 0.99) [src:incidents:3c74ed498de6ca89]`,
    ]);
    expect(serialize([], 10)).toEqual({ text: '', tokens: 0, facts: [], summaries: [] });
  });
});
