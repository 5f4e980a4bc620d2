/**
 * The verb patterns of the rule extractor, over one sentence: "X exploited Y", "Y was exploited (by
 * X)", "X drained N TOKEN from Y", "X moved N TOKEN to Y", "X listed Y", "Y was listed on X". Each
 * names the spans it found by role; turning spans into entities is extract-rules.ts's job.
 *
 * A span is a run of name-like words (capitalised, `$TICKER`, `0x…` address, "dForce"-style)
 * directly next to the verb or its preposition. Anything looser (an appositive between name and
 * verb, "a bug in Y") is deliberately not matched: these rules trade recall for precision.
 */

export type PatternKind = 'exploit' | 'drain' | 'transfer' | 'listing';
export type SpanRole = 'attacker' | 'victim' | 'from' | 'to' | 'token' | 'exchange';

export interface PatternMatch {
  kind: PatternKind;
  /** The verb as written ("exploited", "was listed on"). */
  verb: string;
  /** Passive voice, which is read with a slightly lower confidence. */
  passive: boolean;
  spans: Partial<Record<SpanRole, string>>;
  /** Text holding the amounts ("8,877 ETH"), for parseLoss. */
  amountText: string | null;
}

interface Token {
  /** The word without surrounding punctuation or a trailing possessive. */
  word: string;
  lower: string;
  /** Punctuation after the word ends any name run (",", ";", ":", ")", "."). */
  breakAfter: boolean;
}

const ADDRESS_WORD = /^0x[0-9a-fA-F]{40}$/;
const NAME_WORD = /^(?:0x[0-9a-fA-F]{40}|\$[A-Za-z][A-Za-z0-9]{1,9}|\p{Lu}[\p{L}\p{N}._&-]*|[a-z]{1,3}\p{Lu}[\p{L}\p{N}._-]*|\p{N}+\p{Lu}[\p{L}\p{N}._-]*)$/u;
const LEADING = /^[("'“‘[]+/;
const TRAILING = /[)"'”’\].,;:!?]+$/;
const POSSESSIVE = /['’]s$/;

const EXPLOIT_VERBS = new Set(['exploited', 'exploits', 'hacked', 'hacks', 'attacked', 'attacks', 'compromised', 'compromises']);
const DRAIN_VERBS = new Set(['drained', 'drains', 'stole', 'steals', 'siphoned', 'siphons']);
const TRANSFER_VERBS = new Set(['moved', 'moves', 'sent', 'sends', 'transferred', 'transfers', 'bridged', 'bridges']);
const LIST_VERBS = new Set(['listed', 'lists', 'list']);
const PASSIVE_AUX = new Set(['was', 'were', 'is', 'are', 'been', 'got', 'gets', 'be']);
/** Words allowed between a subject and its verb ("Euler Finance was reportedly exploited"). */
const ADVERBS = new Set(['reportedly', 'allegedly', 'then', 'also', 'later', 'has', 'have', 'had', 'will', 'just', 'quickly', 'successfully', 'subsequently', 'finally', 'officially']);
const DETERMINERS = new Set(['the', 'a', 'an', 'its', 'their', 'his', 'her']);
/** How far a preposition may be from its verb ("drained 1,048.1 ETH and 400,000 DAI from"). */
const MAX_GAP = 14;

function tokenize(sentence: string): Token[] {
  const out: Token[] = [];
  for (const raw of sentence.split(/\s+/)) {
    if (raw === '') continue;
    const lead = LEADING.exec(raw)?.[0].length ?? 0;
    let word = raw.slice(lead);
    const trailing = TRAILING.exec(word)?.[0] ?? '';
    word = word.slice(0, word.length - trailing.length).replace(POSSESSIVE, '');
    out.push({ word, lower: word.toLowerCase(), breakAfter: trailing !== '' });
  }
  return out;
}

function isName(t: Token | undefined): boolean {
  return t !== undefined && t.word !== '' && NAME_WORD.test(t.word);
}

/** Joins tokens [from, to], dropping leading generic words ("The", "On"); null when nothing is left. */
function runText(tokens: readonly Token[], from: number, to: number, generic: ReadonlySet<string>): string | null {
  let a = from;
  let b = to;
  while (a <= b && generic.has(tokens[a]!.lower)) a++;
  if (a > b) return null;
  return tokens.slice(a, b + 1).map((t) => t.word).join(' ');
}

/** The name run ending right before `i` (skipping adverbs), or null. */
function nameBefore(tokens: readonly Token[], i: number, generic: ReadonlySet<string>): string | null {
  let j = i - 1;
  while (j >= 0 && ADVERBS.has(tokens[j]!.lower) && !tokens[j]!.breakAfter) j--;
  if (j < 0 || !isName(tokens[j]) || tokens[j]!.breakAfter) return null;
  if (ADDRESS_WORD.test(tokens[j]!.word)) return tokens[j]!.word;
  let start = j;
  while (start > 0 && isName(tokens[start - 1]) && !tokens[start - 1]!.breakAfter && !ADDRESS_WORD.test(tokens[start - 1]!.word)) start--;
  return runText(tokens, start, j, generic);
}

/** The name run starting right after `i` (skipping one determiner), or null. */
function nameAfter(tokens: readonly Token[], i: number, generic: ReadonlySet<string>): string | null {
  if (tokens[i]?.breakAfter) return null;
  let j = i + 1;
  if (tokens[j] && DETERMINERS.has(tokens[j]!.lower) && !tokens[j]!.breakAfter) j++;
  if (!isName(tokens[j])) return null;
  if (ADDRESS_WORD.test(tokens[j]!.word)) return tokens[j]!.word;
  let end = j;
  while (!tokens[end]!.breakAfter && isName(tokens[end + 1]) && !ADDRESS_WORD.test(tokens[end + 1]!.word)) end++;
  return runText(tokens, j, end, generic);
}

/** Index of the first `word` within MAX_GAP tokens after `i`, not crossing a sentence-internal ";". */
function findAfter(tokens: readonly Token[], i: number, words: ReadonlySet<string>): number {
  for (let k = i + 1; k < tokens.length && k <= i + MAX_GAP; k++) {
    if (words.has(tokens[k]!.lower)) return k;
  }
  return -1;
}

function slice(tokens: readonly Token[], from: number, to: number): string {
  return tokens.slice(from, to).map((t) => t.word).join(' ');
}

const FROM = new Set(['from']);
const TO = new Set(['to', 'into']);
const BY = new Set(['by']);
const ON = new Set(['on', 'at', 'by']);
const FOR = new Set(['for']);

/** "exploited for $7M" / "hacked for 1,200 ETH": the amount after "for", up to the next clause. */
function lossAfterFor(tokens: readonly Token[], i: number): string | null {
  const f = tokens[i + 1]?.lower === 'for' ? i + 1 : tokens[i + 2]?.lower === 'for' ? i + 2 : -1;
  if (f < 0 || !/\d/.test(tokens[f + 1]?.word ?? '')) return null;
  let end = f + 1;
  while (end < tokens.length && end < f + 6 && !tokens[end]!.breakAfter && !['on', 'in', 'by', 'after', 'from'].includes(tokens[end + 1]?.lower ?? 'on')) end++;
  return slice(tokens, f + 1, end + 1);
}

/**
 * Every verb pattern in one sentence. `generic` is the set of lower-case words that never form an
 * entity on their own (see lexicon.ts).
 */
export function matchPatterns(sentence: string, generic: ReadonlySet<string>): PatternMatch[] {
  const tokens = tokenize(sentence);
  const out: PatternMatch[] = [];
  const passiveAt = (i: number): boolean => i > 0 && PASSIVE_AUX.has(tokens[i - 1]!.lower);
  const subjectOf = (i: number): string | null => nameBefore(tokens, passiveAt(i) ? i - 1 : i, generic);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (EXPLOIT_VERBS.has(t.lower) || (DRAIN_VERBS.has(t.lower) && passiveAt(i))) {
      if (passiveAt(i)) {
        const by = tokens[i + 1]?.lower === 'by' ? i + 1 : -1;
        const of = tokens[i + 1]?.lower === 'of' ? i + 1 : -1;
        const byAfterOf = of >= 0 ? findAfter(tokens, of, BY) : -1;
        out.push({
          kind: of >= 0 ? 'drain' : 'exploit',
          verb: `${tokens[i - 1]!.word} ${t.word}`,
          passive: true,
          spans: {
            victim: subjectOf(i) ?? undefined,
            attacker: (by >= 0 ? nameAfter(tokens, by, generic) : byAfterOf >= 0 ? nameAfter(tokens, byAfterOf, generic) : null) ?? undefined,
          },
          amountText: of >= 0 ? slice(tokens, of + 1, byAfterOf >= 0 ? byAfterOf : tokens.length) : lossAfterFor(tokens, i),
        });
      } else {
        out.push({ kind: 'exploit', verb: t.word, passive: false, spans: { attacker: subjectOf(i) ?? undefined, victim: nameAfter(tokens, i, generic) ?? undefined }, amountText: lossAfterFor(tokens, i + 1) });
      }
    } else if (DRAIN_VERBS.has(t.lower)) {
      const from = findAfter(tokens, i, FROM);
      if (from < 0) continue;
      out.push({
        kind: 'drain', verb: t.word, passive: false,
        spans: { attacker: subjectOf(i) ?? undefined, victim: nameAfter(tokens, from, generic) ?? undefined },
        amountText: slice(tokens, i + 1, from),
      });
    } else if (TRANSFER_VERBS.has(t.lower) && !passiveAt(i)) {
      const to = findAfter(tokens, i, TO);
      if (to < 0) continue;
      const from = findAfter(tokens, i, FROM);
      const fromBeforeTo = from >= 0 && from < to;
      out.push({
        kind: 'transfer', verb: t.word, passive: false,
        spans: {
          from: (fromBeforeTo ? nameAfter(tokens, from, generic) : subjectOf(i)) ?? undefined,
          to: nameAfter(tokens, to, generic) ?? undefined,
        },
        amountText: slice(tokens, i + 1, fromBeforeTo ? from : to),
      });
    } else if (LIST_VERBS.has(t.lower)) {
      const on = ON.has(tokens[i + 1]?.lower ?? '') ? i + 1 : -1;
      if (on >= 0) {
        out.push({ kind: 'listing', verb: slice(tokens, passiveAt(i) ? i - 1 : i, on + 1), passive: true, spans: { token: subjectOf(i) ?? undefined, exchange: nameAfter(tokens, on, generic) ?? undefined }, amountText: null });
      } else if (!passiveAt(i)) {
        out.push({ kind: 'listing', verb: t.word, passive: false, spans: { exchange: subjectOf(i) ?? undefined, token: nameAfter(tokens, i, generic) ?? undefined }, amountText: null });
      }
    }
  }
  return out;
}

/** Splits text into sentences at `.!?` (and their CJK forms) followed by space, and at paragraph, list-item and heading breaks. */
export function splitSentences(text: string): string[] {
  return text
    // Paragraphs, list items and headings are boundaries; a single line break inside a paragraph
    // is a soft wrap (hard-wrapped markdown and e-mail), so it joins the lines instead.
    .split(/\n\s*\n|\n(?=[ \t]*(?:[-*+\u2022][ \t]|\d+[.)][ \t]|#))|(?<=^[ \t]*#[^\n]*)\n/mu)
    .flatMap((paragraph) => paragraph.replace(/[ \t]*\n[ \t]*/g, ' ').split(/(?<=[.!?])\s+(?=[^a-z\s])|(?<=[。！？])/u))
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
