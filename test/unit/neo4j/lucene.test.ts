/** User text → Lucene query over pre-cut terms: escaping, phrases, the prefix group. */
import { describe, expect, it } from 'vitest';
import { escapeLucene, luceneQuery } from '../../../graph/neo4j/lucene.ts';
import { MAX_QUERY_TERMS } from '../../../graph/search-terms.ts';

/** What luceneQuery may produce: required phrases, then required terms with a final prefix term. */
const CLAUSE = /^\+("[^"\\]+"|\(([^\s"*\\+()]+) \2\*\))$/u;

describe('escapeLucene', () => {
  it('backslash-escapes every special character of the classic query syntax', () => {
    expect(escapeLucene('+-&&||!(){}[]^"~*?:\\/')).toBe('\\+\\-\\&\\&\\|\\|\\!\\(\\)\\{\\}\\[\\]\\^\\"\\~\\*\\?\\:\\\\\\/');
    expect(escapeLucene('name:router AND (x)')).toBe('name\\:router AND \\(x\\)');
    expect(escapeLucene('Zürich 東京')).toBe('Zürich 東京');
  });
});

describe('luceneQuery', () => {
  it('requires every group, as a phrase, and the last group term by term with a prefix', () => {
    expect(luceneQuery('Uniswap: Old "Rout')).toBe('+"uniswap" +"old" +(rout rout*)');
    expect(luceneQuery('uniswap')).toBe('+(uniswap uniswap*)');
    expect(luceneQuery('0xef1c…')).toBe('+(0xef1c 0xef1c*)');
    expect(luceneQuery('borse ZÜRICH')).toBe('+"borse" +(zurich zurich*)');
    expect(luceneQuery('7,193 ETH')).toBe('+"7 193" +(eth eth*)');
    expect(luceneQuery('20241227_Bizness')).toBe('+"20241227" +(bizness bizness*)');
    expect(luceneQuery('東京')).toBe('+"東" +(京 京*)');
  });

  it('turns operators and syntax into separators, never into syntax', () => {
    expect(luceneQuery('AND')).toBe('+(and and*)');
    expect(luceneQuery('name:router')).toBe('+"name" +(router router*)');
    expect(luceneQuery('a OR b~2^3')).toBe('+"a" +"or" +"b" +"2" +(3 3*)');
  });

  it('returns null when there is no term at all', () => {
    for (const text of ['', '   ', '*', '"', '""', '***', '(', '\u0000', '%', '\\', '\t\n', '+-!']) {
      expect(luceneQuery(text), JSON.stringify(text)).toBeNull();
    }
  });

  it('produces only well-formed queries for hostile input', () => {
    const hostile = [
      'Uniswap: Old "Router', '0xef1c…', 'NEAR(a b)', 'a OR', '-x', '^start', '{name}: x', 'x AND', 'AND OR NOT',
      ';DROP TABLE nodes;--', '🚀', '東京', 'Zürich*', 'a"b"c', 'router*', 'near/3', '1e5', '0x', 'e\u0301', '\u0301',
      'x'.repeat(300), 'a\\"b', "O'Reilly",
    ];
    for (const text of hostile) {
      const q = luceneQuery(text);
      if (q === null) continue;
      for (const clause of q.match(/\+("[^"]*"|\([^)]*\))/gu) ?? []) expect(clause, text).toMatch(CLAUSE);
    }
  });

  it('keeps at most MAX_QUERY_TERMS terms', () => {
    const q = luceneQuery(Array.from({ length: 200 }, (_, i) => `w${i}`).join(' '));
    expect(q?.split(' +').length).toBe(MAX_QUERY_TERMS);
  });
});
