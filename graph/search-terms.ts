/**
 * How every store cuts and folds text for full-text search, so that SQLite (FTS5) and Neo4j
 * (Lucene) find the same things for the same words. Neither engine's own analysis is used: each
 * indexes the *term text* built here (folded terms separated by single spaces), FTS5 with its
 * `unicode61` tokenizer and Lucene with its `standard-no-stop-words` analyzer, both of which split
 * that text back into exactly these terms. Queries are built from the same terms ({@link queryGroups}).
 *
 * The rules:
 * - a term is a run of letters, digits, marks or private-use characters (what FTS5's `unicode61`
 *   keeps); everything else separates terms. `20241227_Bizness` holds the terms `20241227` and
 *   `bizness`, `15.7k` holds `15` and `7k`, `Euler's` holds `euler` and `s`;
 * - Han, Hiragana and Katakana characters are one term each (no dictionary is needed, and a
 *   phrase of them still finds the word);
 * - folding: compatibility forms unified (NFKC), lower case, accents removed, and the letters
 *   that have no decomposition mapped as Lucene's ASCII folding maps them (ø→o, ß→ss, ł→l, æ→ae,
 *   œ→oe, đ→d, þ→th, …);
 * - a term is at most {@link MAX_TERM_LENGTH} characters (Lucene's tokenizer splits longer
 *   ones); no stop words are dropped (`bank of` means what it says).
 */

/** Lucene's standard tokenizer cuts tokens at 255 characters; terms never reach that. */
export const MAX_TERM_LENGTH = 255;

/**
 * More terms than anyone types; keeps a query far below Lucene's limit on boolean clauses (1024)
 * and FTS5's expression depth, whatever is pasted into a search box.
 */
export const MAX_QUERY_TERMS = 64;

const WORD = /[\p{L}\p{N}\p{M}\p{Co}]+/gu;
const IDEOGRAPHIC = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const IDEOGRAPHIC_SPLIT = /([\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}])/u;
const MARKS = /\p{M}/gu;

/** Letters that survive NFKD but that Lucene's ASCIIFoldingFilter maps (lower case only). */
const LETTERS: Readonly<Record<string, string>> = {
  ø: 'o', ß: 'ss', ẞ: 'ss', ł: 'l', ŀ: 'l', æ: 'ae', œ: 'oe', đ: 'd', ð: 'd', þ: 'th', ı: 'i', ħ: 'h', ŧ: 't',
  ĸ: 'q', ŋ: 'n', ƒ: 'f', ǝ: 'e', ə: 'e', ɨ: 'i', ʉ: 'u', ɵ: 'o', ƀ: 'b', ƈ: 'c', ɗ: 'd', ɠ: 'g', ƙ: 'k',
  ƚ: 'l', ɲ: 'n', ƥ: 'p', ʠ: 'q', ƫ: 't', ƭ: 't', ʈ: 't', ȥ: 'z', ɀ: 'z', ĳ: 'ij', ǆ: 'dz', ǉ: 'lj', ǌ: 'nj',
};
const LETTER_PATTERN = new RegExp(`[${Object.keys(LETTERS).join('')}]`, 'gu');

/** One word folded: lower case, no accents, special letters mapped. May be empty (marks only). */
export function foldTerm(word: string): string {
  return word
    .toLowerCase()
    .replace(LETTER_PATTERN, (letter) => LETTERS[letter] ?? letter)
    .normalize('NFKD')
    .replace(MARKS, '')
    .replace(LETTER_PATTERN, (letter) => LETTERS[letter] ?? letter)
    .slice(0, MAX_TERM_LENGTH);
}

/** The folded terms of `text`, in order. */
export function searchTerms(text: string): string[] {
  const words = text.normalize('NFKC').match(WORD);
  if (words === null) return [];
  const terms: string[] = [];
  for (const word of words) {
    const pieces = IDEOGRAPHIC.test(word) ? word.split(IDEOGRAPHIC_SPLIT) : [word];
    for (const piece of pieces) {
      const term = foldTerm(piece);
      if (term !== '') terms.push(term);
    }
  }
  return terms;
}

/** What a store indexes for `text`: its terms separated by single spaces ('' when it has none). */
export function termText(text: string): string {
  return searchTerms(text).join(' ');
}

/** The term text of a name and its aliases, one line per alias (aliases of one node). */
export function aliasTermText(aliases: readonly string[]): string {
  return aliases.map(termText).filter((t) => t !== '').join('\n');
}

/**
 * One part of a query: terms that must occur, next to each other and in this order (a phrase),
 * unless `prefix` is set, which only the last group of a query has: then each term must occur and
 * the last one may be the start of a longer term (search-as-you-type), in any position.
 */
export interface QueryGroup {
  terms: string[];
  prefix: boolean;
}

/**
 * The query for free text: one group per whitespace-separated piece that holds a term, every group
 * required; the last group's last term matches as a prefix. Null when the text holds no term.
 * User text never reaches an engine's syntax: terms hold only letters, digits and marks.
 * @example queryGroups('Uniswap: Old Rout') → [{terms:['uniswap']}, {terms:['old']}, {terms:['rout'], prefix:true}]
 * @example queryGroups('20241227_Bizness') → [{terms:['20241227','bizness'], prefix:true}]
 */
export function queryGroups(text: string): QueryGroup[] | null {
  const groups: QueryGroup[] = [];
  let budget = MAX_QUERY_TERMS;
  for (const piece of text.split(/\s+/u)) {
    if (budget === 0) break;
    const terms = searchTerms(piece).slice(0, budget);
    if (terms.length === 0) continue;
    budget -= terms.length;
    groups.push({ terms, prefix: false });
  }
  if (groups.length === 0) return null;
  groups[groups.length - 1]!.prefix = true;
  return groups;
}
