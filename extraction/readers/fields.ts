/**
 * Typed access to the cells of one raw row — a JSON object or a CSV row of strings — that turns
 * each bad value into an InvalidRecordError whose reason names the field and the value. Readers
 * catch it and yield a failure item for the row (see `attempt`).
 */
import type { z } from 'zod';
import { InvalidIdError, InvalidRecordError, truncate } from '../../schema/errors.ts';
import { normalizeAddress, normalizeTxHash } from '../../schema/ids.ts';
import type { ReadItem } from './types.ts';
import { RAW_MAX } from './json-lines.ts';

type Hex = `0x${string}`;
const DIGITS = /^\d+$/;
const HEX_NUMBER = /^0x[0-9a-fA-F]+$/;
const HEX32 = /^0x[0-9a-fA-F]{64}$/;
const HEX_DATA = /^0x([0-9a-fA-F]{2})*$/;
/** `2023-05-02 12:19:59 UTC`, `2023-05-02T12:19:59Z`, `…+00:00` (BigQuery / ISO exports). */
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i;

export class RowFields {
  readonly #row: Readonly<Record<string, unknown>>;
  readonly #file: string;
  readonly #line: number | null;

  constructor(row: Readonly<Record<string, unknown>>, file: string, line: number | null) {
    this.#row = row;
    this.#file = file;
    this.#line = line;
  }

  /** Throws the row's failure, e.g. `close "-3": must be > 0`. */
  fail(reason: string): never {
    throw new InvalidRecordError(this.#file, this.#line, reason);
  }

  /** `name "value": why`, with the value shortened for the message. */
  failValue(name: string, value: unknown, why: string): never {
    return this.fail(`${name} ${JSON.stringify(truncate(String(value), 80))}: ${why}`);
  }

  /** The cell, or undefined when missing, null or an empty/blank string. */
  get(name: string): unknown {
    const value = Object.hasOwn(this.#row, name) ? this.#row[name] : undefined;
    if (value === null || (typeof value === 'string' && value.trim() === '')) return undefined;
    return value;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** A cell that must be present. */
  required(name: string): unknown {
    const value = this.get(name);
    return value === undefined ? this.fail(`${name}: missing`) : value;
  }

  /** Text as written (not trimmed), or null when empty. */
  optText(name: string): string | null {
    const value = this.get(name);
    if (value === undefined) return null;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return this.failValue(name, JSON.stringify(value), 'expected text');
  }

  text(name: string): string {
    return this.optText(name) ?? this.fail(`${name}: missing`);
  }

  /** Non-negative safe integer from a JSON number, a digit string or a 0x hex string. */
  uint(name: string): number {
    const value = this.required(name);
    const n = typeof value === 'number' ? value : typeof value === 'string' ? parseUint(value.trim()) : NaN;
    if (Number.isSafeInteger(n) && n >= 0) return n;
    return this.failValue(name, value, 'not a non-negative integer');
  }

  optUint(name: string): number | null {
    return this.has(name) ? this.uint(name) : null;
  }

  /** Unsigned integer of any size as an exact decimal string (from number, digits or 0x hex). */
  bigUint(name: string): string {
    const value = this.required(name);
    if (typeof value === 'number') {
      if (Number.isSafeInteger(value) && value >= 0) return String(value);
      return this.failValue(name, value, 'not an exact unsigned integer');
    }
    const text = typeof value === 'string' ? value.trim() : '';
    if (DIGITS.test(text) || HEX_NUMBER.test(text)) return BigInt(text).toString();
    return this.failValue(name, value, 'not an unsigned integer');
  }

  /** Unix seconds from an integer or a date-time string (`2023-05-02 12:19:59 UTC`). */
  timestamp(name: string): number {
    const value = this.required(name);
    const match = typeof value === 'string' ? DATE_TIME.exec(value.trim()) : null;
    if (match === null) return this.uint(name);
    const zone = match[3] === undefined || /^(z|utc)$/i.test(match[3]) ? 'Z' : match[3];
    const millis = Date.parse(`${match[1]}T${match[2]}${zone}`);
    return Number.isNaN(millis) ? this.failValue(name, value, 'not a valid date-time') : Math.floor(millis / 1000);
  }

  optTimestamp(name: string): number | null {
    return this.has(name) ? this.timestamp(name) : null;
  }

  /** Lower-cased, checked address; the reason is the InvalidIdError message. */
  address(name: string): Hex {
    const value = this.required(name);
    try {
      return normalizeAddress(typeof value === 'string' ? value.trim() : String(value));
    } catch (error) {
      if (error instanceof InvalidIdError) return this.fail(`${name}: ${error.message}`);
      throw error;
    }
  }

  optAddress(name: string): Hex | null {
    return this.has(name) ? this.address(name) : null;
  }

  /** Lower-cased, checked transaction hash. */
  txHash(name: string): Hex {
    const value = this.required(name);
    try {
      return normalizeTxHash(typeof value === 'string' ? value.trim() : String(value));
    } catch (error) {
      if (error instanceof InvalidIdError) return this.fail(`${name}: ${error.message}`);
      throw error;
    }
  }

  /** Any other 32-byte value (block hash, log topic), lower-cased. */
  hex32(name: string, value: unknown = this.required(name)): Hex {
    const text = typeof value === 'string' ? value.trim() : '';
    if (HEX32.test(text)) return text.toLowerCase() as Hex;
    return this.failValue(name, value, 'expected 0x and 64 hex digits');
  }

  /** Byte string (`0x` + even number of hex digits), lower-cased; `0x` is empty data. */
  hexData(name: string): Hex {
    const value = this.required(name);
    const text = typeof value === 'string' ? value.trim() : '';
    if (HEX_DATA.test(text)) return text.toLowerCase() as Hex;
    return this.failValue(name, value, 'not 0x-prefixed, even-length hexadecimal');
  }
}

function parseUint(text: string): number {
  if (DIGITS.test(text)) return Number(text);
  if (HEX_NUMBER.test(text)) return Number.parseInt(text.slice(2), 16);
  return NaN;
}

/**
 * Runs a row conversion and turns its InvalidRecordError into a failure item; other errors are bugs
 * and propagate.
 */
export function attempt<T>(line: number, raw: string, convert: () => { record: T; warnings?: string[] }): ReadItem<T> {
  try {
    const { record, warnings } = convert();
    return warnings && warnings.length > 0 ? { ok: true, line, record, warnings } : { ok: true, line, record };
  } catch (error) {
    if (error instanceof InvalidRecordError) return failure(line, error.reason, raw);
    throw error;
  }
}

export function failure(line: number | null, reason: string, raw: string | null): ReadItem<never> {
  return { ok: false, line, reason, raw: raw === null ? null : truncate(raw, RAW_MAX) };
}

/**
 * Final guard: the record must satisfy its zod schema (the field accessors should already have
 * made sure). The reason names the first failing field.
 */
export function validated<S extends z.ZodType>(schema: S, record: z.input<S>, fields: RowFields): z.output<S> {
  const result = schema.safeParse(record);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  return fields.fail(`${issue?.path.join('.') || 'record'}: ${issue?.message ?? 'invalid'}`);
}
