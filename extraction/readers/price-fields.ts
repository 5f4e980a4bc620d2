/**
 * Cell parsing and per-symbol ordering for price series files (prices.ts).
 */
import { basename } from 'node:path';
import { parseDate } from './dates.ts';
import type { RowFields } from './fields.ts';

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** First heading of `aliases` the header has (headings compacted: `Adj Close` → `adjclose`). */
export function pickColumn(names: readonly string[], aliases: readonly string[]): string | null {
  return aliases.find((alias) => names.includes(alias)) ?? null;
}

/** A price: a finite decimal number > 0. `label` is what the reason calls it (`close`, `adj close`). */
export function price(f: RowFields, column: string, label: string): number {
  const value = f.get(column);
  if (value === undefined) return f.fail(`${label}: empty`);
  const n = decimal(f, value, label);
  return n > 0 ? n : f.failValue(label, value, 'must be > 0');
}

/** Volume: a finite number ≥ 0, or null when the cell is empty. */
export function volume(f: RowFields, column: string | null): number | null {
  const value = column === null ? undefined : f.get(column);
  if (value === undefined) return null;
  const n = decimal(f, value, 'volume');
  return n >= 0 ? n : f.failValue('volume', value, 'must be >= 0');
}

function decimal(f: RowFields, value: unknown, label: string): number {
  const text = String(value).trim();
  const n = DECIMAL.test(text) ? Number(text) : NaN;
  return Number.isFinite(n) ? n : f.failValue(label, value, 'not a number');
}

export function date(f: RowFields, column: string): string {
  const value = f.get(column);
  if (value === undefined) return f.fail('date: empty');
  return parseDate(String(value)) ?? f.failValue('date', value, 'unparseable date');
}

/** `eth_usd_daily_2017_2019.csv` → `ETH`, `sp500_daily_ohlcv.csv` → `SP500`. */
export function symbolFromFileName(path: string): string {
  const token = basename(path).split(/[_\-. ]+/).find((t) => t !== '') ?? '';
  return token.toUpperCase();
}

/**
 * Rows of each symbol must come in strictly increasing date order. Because of that, a duplicate
 * date can only equal the previous accepted date of its symbol, so only that one is remembered:
 * memory grows with the number of symbols, not of rows.
 */
export class SeriesOrder {
  #last = new Map<string, { date: string; line: number }>();

  /** Throws (via `f`) when the row is a duplicate or out of order; otherwise remembers it. */
  accept(f: RowFields, symbol: string, date: string, line: number): void {
    const last = this.#last.get(symbol);
    if (last !== undefined && date === last.date) f.fail(`duplicate of line ${last.line} (${symbol} ${date})`);
    if (last !== undefined && date < last.date) f.fail(`date ${date} is before the previous row's ${last.date}`);
    this.#last.set(symbol, { date, line });
  }
}
