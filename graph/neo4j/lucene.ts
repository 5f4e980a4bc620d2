/**
 * Free text → Lucene query for the full-text indexes, whose properties hold the terms of
 * graph/search-terms.ts (the analyzer only splits them at the spaces). The query is built from the same
 * terms ({@link queryGroups}), with the semantics of the SQLite store's FTS5 query: every group is
 * required, a group of several terms is a phrase, and the last group's terms are each required with
 * its last term also matching as a prefix (search-as-you-type). User text never reaches Lucene
 * syntax: terms hold only letters, digits and marks, and each is escaped anyway.
 */
import { queryGroups } from '../search-terms.ts';

/** Lucene's classic query syntax characters (`&&`/`||` are covered by `&` and `|`). */
const LUCENE_SPECIAL = /[+\-&|!(){}[\]^"~*?:\\/]/g;

/** Backslash-escapes every Lucene special character. */
export function escapeLucene(text: string): string {
  return text.replace(LUCENE_SPECIAL, '\\$&');
}

/**
 * The Lucene query for free text, or null when the text holds no term at all.
 * @example luceneQuery('Uniswap: Old Rout') === '+"uniswap" +"old" +(rout rout*)'
 * @example luceneQuery('7,193 ETH') === '+"7 193" +(eth eth*)'
 */
export function luceneQuery(text: string): string | null {
  const groups = queryGroups(text);
  if (groups === null) return null;
  return groups
    .map(({ terms, prefix }) => {
      if (!prefix) return `+"${terms.map(escapeLucene).join(' ')}"`;
      const exact = terms.slice(0, -1).map((t) => `+"${escapeLucene(t)}"`);
      // A prefix query scores every hit alike; the exact term beside it keeps BM25's ranking.
      const last = escapeLucene(terms.at(-1)!);
      return [...exact, `+(${last} ${last}*)`].join(' ');
    })
    .join(' ');
}
