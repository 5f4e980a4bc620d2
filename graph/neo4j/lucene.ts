/**
 * Free text → Lucene query for the `mkg_text` full-text index, with the semantics of the SQLite
 * store's FTS5 search (graph/sqlite/search.ts): the text is cut into words, every word is required,
 * and the last one also matches as a prefix (search-as-you-type). User text never reaches Lucene
 * syntax: words hold only letters, digits and marks, each is escaped anyway, and operators such as
 * `AND`, `*`, `"`, `:` or `~` are just separators, so no input can raise a parse error.
 */

/** Characters FTS5's `unicode61` keeps inside tokens; everything else separates words. */
const WORD = /[\p{L}\p{N}\p{M}\p{Co}]+/gu;

/** Lucene's classic query syntax characters (`&&`/`||` are covered by `&` and `|`). */
const LUCENE_SPECIAL = /[+\-&|!(){}[\]^"~*?:\\/]/g;

/**
 * More words than anyone types; keeps the query far below Lucene's limit on boolean clauses
 * (1024), whatever is pasted into the search box.
 */
export const MAX_QUERY_WORDS = 64;

/** Backslash-escapes every Lucene special character. */
export function escapeLucene(text: string): string {
  return text.replace(LUCENE_SPECIAL, '\\$&');
}

/**
 * A word folded the way the `standard-folding` analyzer folds indexed text (lower case, accents
 * removed). Prefix terms bypass the analyzer, so they must arrive folded.
 */
export function foldWord(word: string): string {
  return word.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * The Lucene query for free text, or null when the text holds no word at all. Each word is a
 * required phrase (the analyzer splits it as it split the indexed text, e.g. CJK into characters);
 * the last is required as "the phrase or a prefix".
 * @example luceneQuery('Uniswap: Old "Rout') === '+"Uniswap" +"Old" +("Rout" rout*)'
 */
export function luceneQuery(text: string): string | null {
  const words = text.normalize('NFC').match(WORD)?.slice(0, MAX_QUERY_WORDS);
  if (!words || words.length === 0) return null;
  const last = words.length - 1;
  return words
    .map((word, i) => {
      const phrase = `"${escapeLucene(word)}"`;
      if (i < last) return `+${phrase}`;
      const prefix = escapeLucene(foldWord(word));
      return prefix === '' ? `+${phrase}` : `+(${phrase} ${prefix}*)`;
    })
    .join(' ');
}
