/**
 * Sentence-aware chunking. Sentences come from `Intl.Segmenter` (ICU rules, which also break at
 * CJK `。！？` and at line ends); they are packed into chunks of at most `maxTokens` o200k tokens,
 * each chunk repeating whole trailing sentences of the one before (up to `overlapTokens`) so a fact
 * that straddles a boundary is seen whole once. A sentence longer than a chunk is cut by tokens.
 */
import type { DocumentRecord, TextChunk } from '../../schema/documents.ts';
import { InvalidArgumentError } from '../../schema/errors.ts';
import { hashParts } from '../../schema/hash.ts';
import { publishedAtMillis } from './published-at.ts';
import { countTokens, splitByTokens, trimSpan, type TokenSpan } from './tokens.ts';

export { countTokens } from './tokens.ts';

export interface ChunkOptions {
  /** Most tokens (o200k_base) in one chunk. @default 400 */
  maxTokens?: number;
  /**
   * Most tokens of whole trailing sentences repeated at the start of the next chunk.
   * @default 60, or a quarter of maxTokens when that is smaller
   */
  overlapTokens?: number;
}

/** A sentence longer than this many characters per allowed token is cut without counting it whole. */
const LONG_CHARS_PER_TOKEN = 12;

const segmenter = new Intl.Segmenter('und', { granularity: 'sentence' });

/**
 * Cuts a document into content-addressed chunks whose spans are exact UTF-16 offsets into
 * `doc.text` (`doc.text.slice(span.start, span.end) === chunk.text`).
 * @throws InvalidArgumentError when maxTokens is not a positive integer or overlapTokens is not in [0, maxTokens)
 * @example chunkDocument(doc, { maxTokens: 200, overlapTokens: 30 })
 */
export function chunkDocument(doc: DocumentRecord, options: ChunkOptions = {}): TextChunk[] {
  const maxTokens = options.maxTokens ?? 400;
  const overlapTokens = options.overlapTokens ?? Math.min(60, Math.floor(maxTokens / 4));
  if (!Number.isInteger(maxTokens) || maxTokens < 1) throw new InvalidArgumentError('maxTokens', 'must be a positive integer');
  if (!Number.isInteger(overlapTokens) || overlapTokens < 0 || overlapTokens >= maxTokens) {
    throw new InvalidArgumentError('overlapTokens', 'must be an integer from 0 to maxTokens - 1');
  }
  const publishedAt = publishedAtMillis(doc.publishedAt);
  return packSentences(doc.text, maxTokens, overlapTokens).map((span, index) => {
    const text = doc.text.slice(span.start, span.end);
    return {
      id: chunkId(text),
      documentId: doc.id,
      index,
      text,
      span: { start: span.start, end: span.end },
      tokens: span.tokens,
      publishedAt,
    };
  });
}

/**
 * `chunk:<hex sha-256>` of the text with whitespace runs collapsed to one space and trimmed, so
 * the same passage gets the same id in any document and regardless of re-wrapping.
 */
export function chunkId(text: string): string {
  return `chunk:${hashParts([text.replace(/\s+/gu, ' ').trim()], 64)}`;
}

interface Sentence {
  start: number;
  end: number;
  /** Tokens of the sentence alone; Infinity for one too long to be worth counting whole. */
  tokens: number;
}

/** Trimmed, non-empty sentences of `text` with their token counts. */
function sentencesOf(text: string, maxTokens: number): Sentence[] {
  const out: Sentence[] = [];
  for (const { index, segment } of segmenter.segment(text)) {
    const { start, end } = trimSpan(text, index, index + segment.length);
    if (start === end) continue;
    const long = end - start > maxTokens * LONG_CHARS_PER_TOKEN;
    out.push({ start, end, tokens: long ? Infinity : countTokens(text.slice(start, end)) });
  }
  return out;
}

function packSentences(text: string, maxTokens: number, overlapTokens: number): TokenSpan[] {
  const sentences = sentencesOf(text, maxTokens);
  const chunks: TokenSpan[] = [];
  let i = 0;
  // Index of the first sentence not yet in any chunk: each chunk must contain at least one.
  let fresh = 0;
  while (i < sentences.length) {
    const first = sentences[i]!;
    if (first.tokens > maxTokens) {
      chunks.push(...splitByTokens(text, first.start, first.end, maxTokens, overlapTokens));
      i = fresh = i + 1;
      continue;
    }
    let j = i;
    let sum = 0;
    while (j < sentences.length && sum + sentences[j]!.tokens <= maxTokens) sum += sentences[j++]!.tokens;
    let span = spanOf(text, sentences, i, j);
    // Sentence counts are estimates of the joined text; drop sentences if the joined text is over.
    while (span.tokens > maxTokens && j - 1 > Math.max(i, fresh)) span = spanOf(text, sentences, i, --j);
    if (span.tokens > maxTokens && i < fresh) {
      i = fresh; // the overlap is what does not fit: start this chunk without it
      continue;
    }
    chunks.push(span);
    fresh = j;
    i = overlapStart(sentences, i, j, overlapTokens, maxTokens);
  }
  return chunks;
}

/** First sentence of the next chunk: whole trailing sentences of [i, j) worth ≤ overlapTokens. */
function overlapStart(sentences: readonly Sentence[], i: number, j: number, overlapTokens: number, maxTokens: number): number {
  const next = sentences[j];
  if (next === undefined || next.tokens > maxTokens) return j;
  let k = j;
  let overlap = 0;
  while (k - 1 > i) {
    const tokens = sentences[k - 1]!.tokens;
    if (overlap + tokens > overlapTokens || overlap + tokens + next.tokens > maxTokens) break;
    overlap += tokens;
    k--;
  }
  return k;
}

function spanOf(text: string, sentences: readonly Sentence[], i: number, j: number): TokenSpan {
  const start = sentences[i]!.start;
  const end = sentences[j - 1]!.end;
  return { start, end, tokens: countTokens(text.slice(start, end)) };
}
