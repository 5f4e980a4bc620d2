/**
 * Token counting with the local o200k_base ranks shipped in js-tiktoken (never fetched), and the
 * hard split used for a sentence longer than a chunk. One encoder instance is shared: building it
 * parses ~200k ranks, so it is made on first use, not at import time.
 */
import { Tiktoken } from 'js-tiktoken/lite';
import o200k from 'js-tiktoken/ranks/o200k_base';

let encoder: Tiktoken | undefined;

function shared(): Tiktoken {
  encoder ??= new Tiktoken(o200k);
  return encoder;
}

/**
 * Token ids of `text`. Special-token strings such as `<|endoftext|>` are encoded as plain text,
 * because documents are data, not prompts.
 */
export function encodeTokens(text: string): number[] {
  return shared().encode(text, [], []);
}

/**
 * Number of o200k_base tokens in `text`.
 * @example countTokens('hello world') // 2
 */
export function countTokens(text: string): number {
  return text === '' ? 0 : encodeTokens(text).length;
}

/** A slice of a larger text by UTF-16 offsets, with its exact token count. */
export interface TokenSpan {
  start: number;
  end: number;
  tokens: number;
}

/** Narrows [start, end) of `text` so it neither starts nor ends with whitespace. */
export function trimSpan(text: string, start: number, end: number): { start: number; end: number } {
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  return { start, end };
}

function isSpace(code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d) || code === 0xa0 || code === 0x3000
    || code === 0x2028 || code === 0x2029 || code === 0xfeff || (code >= 0x2000 && code <= 0x200a);
}

/**
 * Cuts text[from, to) into trimmed spans of at most `maxTokens` tokens, each next span starting
 * about `overlapTokens` tokens before the previous one ended. Only a window a little larger than one
 * chunk is encoded at a time, so a 50 MB line costs time linear in its length, not quadratic.
 */
export function* splitByTokens(
  text: string, from: number, to: number, maxTokens: number, overlapTokens: number,
): Generator<TokenSpan> {
  let pos = from;
  // Characters to encode per window; adapted to the text's characters-per-token as we go.
  let windowChars = Math.max(64, maxTokens * 4);
  // BPE is quadratic in the length of an unspaced run, so a window never grows past this; a run of
  // characters that are very cheap in tokens then gives chunks below maxTokens, which is fine.
  const capChars = Math.max(256, maxTokens * 4);
  while (pos < to) {
    let window = windowAt(text, pos, to, windowChars);
    let tokens = encodeTokens(window);
    while (tokens.length <= maxTokens && pos + window.length < to && windowChars < capChars) {
      windowChars = Math.min(capChars, windowChars * 2);
      window = windowAt(text, pos, to, windowChars);
      tokens = encodeTokens(window);
    }
    windowChars = Math.min(capChars, Math.max(64, Math.ceil(((maxTokens * 1.25 + 8) * window.length) / Math.max(1, tokens.length))));
    let taken = Math.min(maxTokens, tokens.length);
    let cut = tokens.length <= maxTokens ? window.length : prefixChars(window, tokens, taken);
    let span = exactSpan(text, pos, pos + cut);
    if (pos + cut >= to && span !== null && span.tokens <= maxTokens) {
      yield span;
      return;
    }
    // A prefix can tokenize differently from the tokens it was cut at; shrink until it fits.
    while (span && span.tokens > maxTokens && taken > 1) {
      taken = Math.max(1, taken - (span.tokens - maxTokens));
      cut = prefixChars(window, tokens, taken);
      span = exactSpan(text, pos, pos + cut);
    }
    if (span && span.tokens > maxTokens) {
      // Unreachable in practice: a UTF-16 unit is at most 3 UTF-8 bytes, so this always fits.
      cut = safeCharCut(window, Math.max(1, Math.floor(maxTokens / 3)));
      span = exactSpan(text, pos, pos + cut);
      taken = 0;
    }
    if (span) yield span;
    const back = overlapTokens > 0 && taken > overlapTokens ? prefixChars(window, tokens, taken - overlapTokens) : cut;
    pos += back > 0 && back <= cut ? back : cut;
  }
}

function windowAt(text: string, pos: number, to: number, chars: number): string {
  return text.slice(pos, avoidSurrogateCut(text, Math.min(to, pos + chars), to));
}

/**
 * UTF-16 length of the text covered by the first `n` tokens of `window`, backing off to a token
 * boundary that is also a character boundary (a token may end inside a multi-byte character).
 * Falls back to a cut by characters that is sure to fit when no such boundary exists.
 */
function prefixChars(window: string, tokens: readonly number[], n: number): number {
  const tokenizer = shared();
  for (let k = Math.min(n, tokens.length); k > 0 && k > n - 8; k--) {
    const decoded = tokenizer.decode(tokens.slice(0, k));
    if (decoded.length > 0 && window.startsWith(decoded)) return decoded.length;
  }
  return safeCharCut(window, Math.max(1, Math.floor(n / 3)));
}

/** `chars` characters in, moved forward if that would split a surrogate pair. */
function safeCharCut(window: string, chars: number): number {
  const cut = Math.min(window.length, chars);
  return avoidSurrogateCut(window, cut, window.length);
}

function avoidSurrogateCut(text: string, end: number, limit: number): number {
  const code = text.charCodeAt(end - 1);
  return end < limit && code >= 0xd800 && code <= 0xdbff ? end + 1 : end;
}

function exactSpan(text: string, start: number, end: number): TokenSpan | null {
  const trimmed = trimSpan(text, start, end);
  if (trimmed.start === trimmed.end) return null;
  return { ...trimmed, tokens: countTokens(text.slice(trimmed.start, trimmed.end)) };
}
