/**
 * An order-independent digest of a set of fact ids (SourceRecord.factDigest): `<count>:<sum>`,
 * where `sum` is the sum mod 2^64 of the ids' first 16 hex digits, written as 16 lower-case hex
 * digits. A fact id is already a hash (`fact:<hex>`, schema/ids.ts `factId`), so its own hex is
 * used; any other id is hashed first (sha-256). Ingest records the digest of every fact id it
 * produced for a source; re-extraction compares it with the digest of the source's live facts
 * (the fast path of pipelines/reextract/reextract.ts). Ids count by their base (schema/ids.ts
 * `baseFactId`): a fact re-extraction revived under `fact:<hex>~r<ms>` is the fact ingest produced as
 * `fact:<hex>`, so both sides digest the same set.
 *
 * Being a sum, the digest means "the set" only when each id is added once. A plain `FactDigest`
 * trusts its caller (the ids of live facts are distinct); `new FactDigest({ distinct: true })`
 * drops repeats itself (ingest, where a file may yield the same fact twice) by remembering the
 * 64-bit keys it has added in a flat hash table, 20 to 40 bytes per id instead of the ~80 a Set
 * of the id strings would cost. Two ids sharing a key would be counted once: the digest then no longer
 * matches the live facts and re-extraction simply takes its full path.
 *
 * @example FactDigest.of(['fact:0000000000000001ffff', 'fact:0000000000000002ffff']) // '2:0000000000000003'
 */
import { createHash } from 'node:crypto';
import { baseFactId } from '../../schema/ids.ts';

const FACT_HEX = /^fact:[0-9a-f]{16}/;
const TWO_32 = 2 ** 32;

export class FactDigest {
  #count = 0;
  /** The high and low 32 bits of the running sum; `#lo` may exceed 2^32 until normalised. */
  #hi = 0;
  #lo = 0;
  readonly #seen: KeySet | null;

  /** @param options.distinct count each id once however often it is added */
  constructor(options: { distinct?: boolean } = {}) {
    this.#seen = options.distinct ? new KeySet() : null;
  }

  /** The digest of these (distinct) ids. */
  static of(ids: Iterable<string>): string {
    const digest = new FactDigest();
    for (const id of ids) digest.add(id);
    return digest.value();
  }

  /** Adds one id, by its base id (a repeat counts again unless the digest is `distinct`). */
  add(fact: string): void {
    const id = baseFactId(fact);
    let hi: number;
    let lo: number;
    if (FACT_HEX.test(id)) {
      hi = Number.parseInt(id.slice(5, 13), 16);
      lo = Number.parseInt(id.slice(13, 21), 16);
    } else {
      const hex = createHash('sha256').update(id).digest('hex');
      hi = Number.parseInt(hex.slice(0, 8), 16);
      lo = Number.parseInt(hex.slice(8, 16), 16);
    }
    if (this.#seen && !this.#seen.add(hi, lo)) return;
    this.#count++;
    this.#hi += hi;
    this.#lo += lo;
    // Carry out of the low word, drop what overflows 2^64; both stay far below 2^53.
    if (this.#lo >= TWO_32) {
      this.#hi += Math.floor(this.#lo / TWO_32);
      this.#lo %= TWO_32;
    }
    if (this.#hi >= TWO_32) this.#hi %= TWO_32;
  }

  /** Ids added (distinct ones, for a `distinct` digest). */
  get count(): number {
    return this.#count;
  }

  /** `<count>:<16 hex digits>`. */
  value(): string {
    return `${this.#count}:${this.#hi.toString(16).padStart(8, '0')}${this.#lo.toString(16).padStart(8, '0')}`;
  }
}

/** A set of 64-bit keys (two 32-bit words): open addressing, linear probing, at most half full. */
class KeySet {
  #capacity = 1024;
  #size = 0;
  #words = new Uint32Array(this.#capacity * 2);
  #used = new Uint8Array(this.#capacity);

  /** Adds the key; false when it was already there. */
  add(hi: number, lo: number): boolean {
    if ((this.#size + 1) * 2 > this.#capacity) this.#grow();
    if (!this.#insert(hi, lo)) return false;
    this.#size++;
    return true;
  }

  #insert(hi: number, lo: number): boolean {
    const mask = this.#capacity - 1;
    // The words are hash output already: the low word is as good an index as any.
    for (let i = (lo ^ hi) & mask; ; i = (i + 1) & mask) {
      if (this.#used[i] === 0) {
        this.#used[i] = 1;
        this.#words[2 * i] = hi;
        this.#words[2 * i + 1] = lo;
        return true;
      }
      if (this.#words[2 * i] === hi && this.#words[2 * i + 1] === lo) return false;
    }
  }

  #grow(): void {
    const words = this.#words;
    const used = this.#used;
    this.#capacity *= 2;
    this.#words = new Uint32Array(this.#capacity * 2);
    this.#used = new Uint8Array(this.#capacity);
    for (let i = 0; i < used.length; i++) if (used[i] === 1) this.#insert(words[2 * i]!, words[2 * i + 1]!);
  }
}
