/** The terms both stores index and query: cutting, folding, grouping. */
import { describe, expect, it } from 'vitest';
import {
  aliasTermText, foldTerm, MAX_QUERY_TERMS, MAX_TERM_LENGTH, queryGroups, searchTerms, termText,
} from '../../../graph/search-terms.ts';

describe('searchTerms', () => {
  it('cuts at everything but letters, digits and marks, as FTS5 unicode61 does', () => {
    expect(searchTerms('20241227_Bizness')).toEqual(['20241227', 'bizness']);
    expect(searchTerms('~15.7k USD')).toEqual(['15', '7k', 'usd']);
    expect(searchTerms('7,193 ETH')).toEqual(['7', '193', 'eth']);
    expect(searchTerms("Euler's exploit")).toEqual(['euler', 's', 'exploit']);
    expect(searchTerms('Uniswap V2: Router 2')).toEqual(['uniswap', 'v2', 'router', '2']);
    expect(searchTerms('eip155:1/erc20:0xAbC')).toEqual(['eip155', '1', 'erc20', '0xabc']);
    expect(searchTerms('  ')).toEqual([]);
  });

  it('folds case, accents and the letters Lucene ASCII-folds', () => {
    expect(searchTerms('Zürich Börse ÉCOLE')).toEqual(['zurich', 'borse', 'ecole']);
    expect(searchTerms('Ørsted Straße Łódź Æther Œuvre Đorđe Þór')).toEqual(['orsted', 'strasse', 'lodz', 'aether', 'oeuvre', 'dorde', 'thor']);
    expect(searchTerms('ＵＮＩＳＷＡＰ ｆｉ')).toEqual(['uniswap', 'fi']);
    expect(foldTerm('İSTANBUL')).toBe('istanbul');
    expect(foldTerm('Ελληνικά')).toBe('ελληνικα');
  });

  it('makes every Han, Hiragana and Katakana character a term of its own', () => {
    expect(searchTerms('東京 Börse')).toEqual(['東', '京', 'borse']);
    expect(searchTerms('攻击者地址0x3cc1')).toEqual(['攻', '击', '者', '地', '址', '0x3cc1']);
    expect(searchTerms('カタカナ')).toEqual(['カ', 'タ', 'カ', 'ナ']);
  });

  it('keeps stop words and caps long terms', () => {
    expect(searchTerms('Bank of the Future')).toEqual(['bank', 'of', 'the', 'future']);
    expect(searchTerms('x'.repeat(300))).toEqual(['x'.repeat(MAX_TERM_LENGTH)]);
  });
});

describe('termText', () => {
  it('joins terms with single spaces, and alias term texts with newlines', () => {
    expect(termText('Uniswap: Old "Router"')).toBe('uniswap old router');
    expect(termText('***')).toBe('');
    expect(aliasTermText(['WETH', '***', 'Wrapped Ether'])).toBe('weth\nwrapped ether');
  });
});

describe('queryGroups', () => {
  it('makes one required group per whitespace-separated piece, the last one a prefix group', () => {
    expect(queryGroups('Uniswap: Old "Rout')).toEqual([
      { terms: ['uniswap'], prefix: false }, { terms: ['old'], prefix: false }, { terms: ['rout'], prefix: true },
    ]);
    expect(queryGroups('20241227_Bizness')).toEqual([{ terms: ['20241227', 'bizness'], prefix: true }]);
    expect(queryGroups('7,193 ETH')).toEqual([{ terms: ['7', '193'], prefix: false }, { terms: ['eth'], prefix: true }]);
    expect(queryGroups('bank of')).toEqual([{ terms: ['bank'], prefix: false }, { terms: ['of'], prefix: true }]);
  });

  it('returns null when there is no term, and keeps at most MAX_QUERY_TERMS terms', () => {
    for (const text of ['', '   ', '*', '"', '""', '***', '(', '\u0000', '%', '\\', '\t\n', '+-!']) {
      expect(queryGroups(text), JSON.stringify(text)).toBeNull();
    }
    const groups = queryGroups(Array.from({ length: 200 }, (_, i) => `w${i}`).join(' '));
    expect(groups?.flatMap((g) => g.terms)).toHaveLength(MAX_QUERY_TERMS);
    expect(groups?.at(-1)?.prefix).toBe(true);
  });
});
