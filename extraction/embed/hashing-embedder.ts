/**
 * Offline, deterministic embeddings by signed feature hashing (the "hashing trick"): no model, no
 * service, the same vector for the same text on every machine and every run. Good enough for
 * near-duplicate and lexical-overlap similarity (entity resolution, chunk search without an
 * embedding endpoint); it knows nothing of synonyms ("exploit" and "hack" share no features).
 *
 * Features of the NFKC-normalised, lower-cased text, in three groups:
 * - word unigrams and word bigrams (words are runs of letters, marks and digits, any script);
 * - character n-grams (3–5 by default) inside each word padded as `<word>`, which carry morphology
 *   ("exploited" ~ "exploit") and make unsegmented scripts (Chinese, Japanese) work at all.
 * Each feature gets a 32-bit FNV-1a hash for its bucket and an independent bit (a murmur3
 * finaliser of that hash) for its sign, so collisions cancel in expectation instead of piling up.
 * Each group is L2-normalised, weighted, summed, and the sum L2-normalised again, so long words do not
 * drown the word features. A text with no word characters (empty, whitespace, punctuation only)
 * maps to the zero vector — never NaN; its cosine with anything is 0.
 */
import { InvalidArgumentError } from '../../schema/errors.ts';
import type { Embedder } from './embedder.ts';

export interface HashingEmbedderOptions {
  /** Vector length; must equal MKG_VECTOR_DIM. Integer in [2, 8192]. @default 256 */
  dimensions?: number;
  /** Smallest and largest character n-gram, counted in code points of `<word>`. @default [3, 5] */
  charNgrams?: readonly [min: number, max: number];
  /** Weigh a feature seen n times as 1 + ln n instead of n. @default true */
  sublinearTf?: boolean;
  /** Relative weights of the three feature groups. @default { words: 1, bigrams: 0.5, chars: 1 } */
  weights?: { words?: number; bigrams?: number; chars?: number };
  /**
   * Only the first `maxChars` UTF-16 units of a text are read, which bounds the cost of a
   * pathological input (a 50 MB single line); chunks are far shorter. @default 1_000_000
   */
  maxChars?: number;
}

const WORD = /[\p{L}\p{M}\p{N}]+/gu;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over 32-bit units, continuing from `seed`. */
function fnvUnits(seed: number, units: ArrayLike<number>, start: number, end: number): number {
  let h = seed;
  for (let i = start; i < end; i++) h = Math.imul(h ^ units[i]!, FNV_PRIME);
  return h >>> 0;
}

function fnvString(seed: number, text: string): number {
  let h = seed;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

/** murmur3's 32-bit finaliser: decorrelates the sign bit from the bucket bits. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

// Distinct seeds keep the groups apart: the word "abc" and the trigram "abc" are different features.
const SEED_WORD = fnvString(FNV_OFFSET, 'w\u0000');
const SEED_BIGRAM = fnvString(FNV_OFFSET, 'b\u0000');
const SEED_CHAR = fnvString(FNV_OFFSET, 'c\u0000');
const LT = '<'.codePointAt(0)!;
const GT = '>'.codePointAt(0)!;

function count(counts: Map<number, number>, hash: number): void {
  counts.set(hash, (counts.get(hash) ?? 0) + 1);
}

/** The offline `Embedder`. `model` is `hashing-v1-d<dimensions>`; bump `v1` whenever features change. */
export class HashingEmbedder implements Embedder {
  readonly dimensions: number;
  readonly model: string;
  readonly #minN: number;
  readonly #maxN: number;
  readonly #sublinear: boolean;
  readonly #weights: { words: number; bigrams: number; chars: number };
  readonly #maxChars: number;

  constructor(options: HashingEmbedderOptions = {}) {
    const dimensions = options.dimensions ?? 256;
    if (!Number.isInteger(dimensions) || dimensions < 2 || dimensions > 8192) {
      throw new InvalidArgumentError('dimensions', `expected an integer in [2, 8192], got ${dimensions}`);
    }
    const [minN, maxN] = options.charNgrams ?? [3, 5];
    if (!Number.isInteger(minN) || !Number.isInteger(maxN) || minN < 1 || maxN < minN) {
      throw new InvalidArgumentError('charNgrams', `expected integers 1 <= min <= max, got [${minN}, ${maxN}]`);
    }
    this.dimensions = dimensions;
    this.model = `hashing-v1-d${dimensions}`;
    this.#minN = minN;
    this.#maxN = maxN;
    this.#sublinear = options.sublinearTf ?? true;
    this.#weights = { words: 1, bigrams: 0.5, chars: 1, ...options.weights };
    this.#maxChars = options.maxChars ?? 1_000_000;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    return texts.map((text) => this.embedOne(text));
  }

  /** Synchronous form of `embed` for one text. */
  embedOne(text: string): Float32Array {
    const words = text.slice(0, this.#maxChars).normalize('NFKC').toLowerCase().match(WORD) ?? [];
    const out = new Float32Array(this.dimensions);
    if (words.length === 0) return out;

    const unigrams = new Map<number, number>();
    const bigrams = new Map<number, number>();
    const chars = new Map<number, number>();
    const cps: number[] = [];
    for (let w = 0; w < words.length; w++) {
      const word = words[w]!;
      const wordHash = fnvString(SEED_WORD, word);
      count(unigrams, wordHash);
      if (w > 0) count(bigrams, fnvString(fnvString(SEED_BIGRAM, words[w - 1]!), `\u0000${word}`));
      // Code points, not UTF-16 units, so an n-gram never splits a surrogate pair.
      cps.length = 0;
      cps.push(LT);
      for (const ch of word) cps.push(ch.codePointAt(0)!);
      cps.push(GT);
      for (let n = this.#minN; n <= this.#maxN && n <= cps.length; n++) {
        for (let i = 0; i + n <= cps.length; i++) count(chars, fnvUnits(SEED_CHAR, cps, i, i + n));
      }
      // A word shorter than minN (after padding) still shows up in the char group as a whole.
      if (cps.length < this.#minN) count(chars, fnvUnits(SEED_CHAR, cps, 0, cps.length));
    }
    this.#addGroup(out, unigrams, this.#weights.words);
    this.#addGroup(out, bigrams, this.#weights.bigrams);
    this.#addGroup(out, chars, this.#weights.chars);
    normalise(out);
    return out;
  }

  #addGroup(out: Float32Array, counts: Map<number, number>, weight: number): void {
    if (counts.size === 0 || weight === 0) return;
    const group = new Float64Array(this.dimensions);
    for (const [hash, tf] of counts) {
      const value = this.#sublinear ? 1 + Math.log(tf) : tf;
      group[hash % this.dimensions]! += (fmix32(hash) & 1) === 0 ? value : -value;
    }
    let norm = 0;
    for (let i = 0; i < group.length; i++) norm += group[i]! * group[i]!;
    if (norm === 0) return; // every feature cancelled out: the group carries no direction
    const scale = weight / Math.sqrt(norm);
    for (let i = 0; i < group.length; i++) out[i]! += group[i]! * scale;
  }
}

function normalise(v: Float32Array): void {
  let norm = 0;
  for (let i = 0; i < v.length; i++) norm += v[i]! * v[i]!;
  if (norm === 0) return;
  const scale = 1 / Math.sqrt(norm);
  for (let i = 0; i < v.length; i++) v[i]! *= scale;
}
