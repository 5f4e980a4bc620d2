/** User text → Lucene query: escaping, word splitting, folding of the prefix word. */
import { describe, expect, it } from 'vitest';
import { escapeLucene, foldWord, luceneQuery, MAX_QUERY_WORDS } from '../../../graph/neo4j/lucene.ts';

/** What luceneQuery may produce: required phrases, the last one OR'ed with a prefix term. */
const SHAPE = /^(\+"[^"\\]*"|\+\("[^"\\]*" [^\s"*\\]+\*\))( (\+"[^"\\]*"|\+\("[^"\\]*" [^\s"*\\]+\*\)))*$/u;

describe('escapeLucene', () => {
  it('backslash-escapes every special character of the classic query syntax', () => {
    expect(escapeLucene('+-&&||!(){}[]^"~*?:\\/')).toBe('\\+\\-\\&\\&\\|\\|\\!\\(\\)\\{\\}\\[\\]\\^\\"\\~\\*\\?\\:\\\\\\/');
    expect(escapeLucene('name:router AND (x)')).toBe('name\\:router AND \\(x\\)');
    expect(escapeLucene('Zürich 東京')).toBe('Zürich 東京');
  });
});

describe('foldWord', () => {
  it('lower-cases and removes accents as the standard-folding analyzer does', () => {
    expect(foldWord('ZÜRICH')).toBe('zurich');
    expect(foldWord('Börse')).toBe('borse');
    expect(foldWord('Ελληνικά')).toBe('ελληνικα');
    expect(foldWord('東京')).toBe('東京');
  });
});

describe('luceneQuery', () => {
  it('requires every word and matches the last one as a prefix too', () => {
    expect(luceneQuery('Uniswap: Old "Rout')).toBe('+"Uniswap" +"Old" +("Rout" rout*)');
    expect(luceneQuery('uniswap')).toBe('+("uniswap" uniswap*)');
    expect(luceneQuery('0xef1c…')).toBe('+("0xef1c" 0xef1c*)');
    expect(luceneQuery('borse ZÜRICH')).toBe('+"borse" +("ZÜRICH" zurich*)');
  });

  it('turns operators and syntax into separators, never into syntax', () => {
    expect(luceneQuery('AND')).toBe('+("AND" and*)');
    expect(luceneQuery('name:router')).toBe('+"name" +("router" router*)');
    expect(luceneQuery('a OR b~2^3')).toBe('+"a" +"OR" +"b" +"2" +("3" 3*)');
  });

  it('returns null when there is no word at all', () => {
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
      if (q !== null) expect(q, text).toMatch(SHAPE);
    }
  });

  it('keeps at most MAX_QUERY_WORDS words', () => {
    const q = luceneQuery(Array.from({ length: 200 }, (_, i) => `w${i}`).join(' '));
    expect(q?.split(' +').length).toBe(MAX_QUERY_WORDS);
  });
});
