/**
 * One stream of raw rows for readers that take both JSON lines and CSV (ethereum-etl exports come
 * in both): JSON objects and CSV rows keyed by header name look the same to a RowFields accessor.
 */
import { InvalidArgumentError, truncate } from '../../schema/errors.ts';
import { missingColumns, readCsv, type CsvOptions } from './csv.ts';
import { readJsonLines, RAW_MAX } from './json-lines.ts';
import type { Detection } from './types.ts';

export type RowItem =
  | { type: 'header'; line: number; names: string[] }
  | { type: 'row'; line: number; row: Record<string, unknown>; raw: string }
  | { type: 'bad'; line: number; reason: string; raw: string };

export interface RowOptions extends Pick<CsvOptions, 'normalizeHeader' | 'signal'> {
  /** CSV columns without which no row can be read; their absence fails the header and ends the file. */
  requiredColumns?: readonly string[];
}

/**
 * Streams the rows of a JSON-lines or CSV file. A JSON line that is not an object and a CSV header
 * that lacks a required column become `bad` items (the latter ends the file: no row could be read).
 * @throws InvalidArgumentError for the `json` (whole document) format
 */
export async function* readRows(path: string, format: Detection['format'], options: RowOptions = {}): AsyncGenerator<RowItem> {
  if (format === 'jsonl') {
    for await (const item of readJsonLines(path, { signal: options.signal })) {
      if (!item.ok) yield { type: 'bad', line: item.line, reason: item.reason, raw: item.raw };
      else if (isPlainObject(item.value)) yield { type: 'row', line: item.line, row: item.value, raw: item.raw };
      else yield { type: 'bad', line: item.line, reason: `expected a JSON object, got ${describe(item.value)}`, raw: truncate(item.raw, RAW_MAX) };
    }
    return;
  }
  if (format !== 'csv') throw new InvalidArgumentError('format', `expected jsonl or csv, got ${format}`);
  for await (const item of readCsv(path, options)) {
    if (item.type === 'header') {
      const missing = missingColumns(item.names, options.requiredColumns ?? []);
      if (missing.length > 0) {
        yield { type: 'bad', line: item.line, reason: `header lacks column(s) ${missing.join(', ')} (has ${item.names.join(', ')})`, raw: truncate(item.raw, RAW_MAX) };
        return;
      }
    }
    yield item;
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
