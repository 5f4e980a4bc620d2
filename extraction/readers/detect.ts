/**
 * File kind detection from the first 64 KB only (never the whole file): JSON lines by the `type`
 * ethereum-etl writes or by key sets, CSV by header sets, JSON documents by shape.
 */
import { open } from 'node:fs/promises';
import { parse as parseCsvText } from 'csv-parse/sync';
import { UnknownFileKindError } from '../../schema/errors.ts';
import { detectLabelColumns } from './address-labels.ts';
import { compactHeading, missingColumns, snakeHeading } from './csv.ts';
import { ETH_JSON_TYPES, ETH_REQUIRED_COLUMNS, type EthKind } from './eth-etl.ts';
import { INCIDENT_REQUIRED_COLUMNS } from './incidents.ts';
import { unreadable } from './lines.ts';
import { PRICE_COLUMNS } from './prices.ts';
import { isPlainObject } from './rows.ts';
import { parseMember, sniffMembers } from './json-sniff.ts';
import type { Detection } from './types.ts';

export const SNIFF_BYTES = 64 * 1024;

const ETH_KINDS = Object.keys(ETH_REQUIRED_COLUMNS) as EthKind[];
const JSONL_CANDIDATES = ETH_KINDS.map((k) => `${k} (jsonl)`);
const CSV_CANDIDATES = [...ETH_KINDS, 'incidents', 'ohlcv', 'price-closes', 'address-labels'].map((k) => `${k} (csv)`);
const JSON_CANDIDATES = ['token-metadata', 'token-list', 'chains', 'address-labels'].map((k) => `${k} (json)`);
const ALL_CANDIDATES = [...JSONL_CANDIDATES, ...CSV_CANDIDATES, ...JSON_CANDIDATES];
const ADDRESS_KEY = /^0x[0-9a-fA-F]{40}$/;

/**
 * What a file is and how it is laid out.
 * @throws UnknownFileKindError listing the candidates tried (hint "empty file" for an empty one)
 * @throws FileUnreadableError when the file cannot be read
 */
export async function detectFileKind(path: string): Promise<Detection> {
  const { text, complete } = await sniff(path);
  if (text.trim() === '') throw new UnknownFileKindError(path, ALL_CANDIDATES, 'empty file');
  if (text.includes('\0')) throw new UnknownFileKindError(path, ALL_CANDIDATES, 'binary file');
  const start = text.trimStart()[0];
  if (start === '{' || start === '[') return detectJson(path, text.trimStart(), complete);
  return detectCsv(path, text);
}

async function sniff(path: string): Promise<{ text: string; complete: boolean }> {
  try {
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(SNIFF_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
      // A multi-byte character cut at the end decodes to U+FFFD, which nothing below looks at.
      const text = buffer.toString('utf8', 0, bytesRead).replace(/^\uFEFF/, '');
      return { text, complete: bytesRead < SNIFF_BYTES };
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw unreadable(path, error);
  }
}

function detectJson(path: string, text: string, complete: boolean): Detection {
  const newline = text.indexOf('\n');
  const firstLine = newline === -1 ? text : text.slice(0, newline);
  const first = parseOrUndefined(firstLine);
  if (isPlainObject(first)) {
    const kind = ethKindOfObject(first);
    if (kind !== null) return { kind, format: 'jsonl' };
  } else if (first === undefined && newline === -1 && !complete) {
    // One JSON line longer than the sniff (a contract deployment's input): go by its `type`.
    const type = /^\{\s*"type"\s*:\s*"(\w+)"/.exec(firstLine)?.[1];
    const kind = ETH_KINDS.find((k) => ETH_JSON_TYPES[k] === type);
    if (kind !== undefined) return { kind, format: 'jsonl' };
  }
  const kind = documentKind(text);
  if (kind !== null) return { kind, format: 'json' };
  const keys = isPlainObject(first) ? `JSON lines with keys ${Object.keys(first).slice(0, 8).join(', ')}` : 'JSON of unknown shape';
  throw new UnknownFileKindError(path, [...JSONL_CANDIDATES, ...JSON_CANDIDATES], keys);
}

/** ethereum-etl kind of one JSON-lines object, by its `type` or else by its keys. */
function ethKindOfObject(row: Record<string, unknown>): EthKind | null {
  if (typeof row.type === 'string') return ETH_KINDS.find((k) => ETH_JSON_TYPES[k] === row.type) ?? null;
  const has = (...keys: string[]): boolean => keys.every((k) => k in row);
  if (has('log_index', 'topics')) return 'eth-logs';
  if (has('token_address', 'log_index')) return 'eth-token-transfers';
  if (has('transaction_index', 'from_address')) return 'eth-transactions';
  if (has('number', 'hash', 'timestamp')) return 'eth-blocks';
  return null;
}

/** Kind of a JSON document from its top-level shape and first entry. */
function documentKind(text: string): Detection['kind'] | null {
  const members = sniffMembers(text);
  const head = members[0];
  if (text[0] === '[') {
    const entry = parseMember(head);
    return isPlainObject(entry) && 'chainId' in entry && ('nativeCurrency' in entry || 'shortName' in entry) ? 'chains' : null;
  }
  if (members.some((m) => m.key === 'tokens' && (m.text === null || m.text.startsWith('[')))) return 'token-list';
  if (head?.key == null || !ADDRESS_KEY.test(head.key)) return null;
  const entry = parseMember(head);
  if (!isPlainObject(entry)) return null;
  if ('erc20' in entry || 'decimals' in entry || 'symbol' in entry) return 'token-metadata';
  if ('labels' in entry || 'name' in entry) return 'address-labels';
  return null;
}

function detectCsv(path: string, text: string): Detection {
  const headerLine = text.split(/\r?\n|\r/, 1)[0] ?? '';
  let cells: string[] = [];
  try {
    cells = (parseCsvText(headerLine, { relax_column_count: true }) as string[][])[0] ?? [];
  } catch {
    // Not CSV: reported below with the rest.
  }
  if (cells.length >= 2) {
    const snake = cells.map(snakeHeading);
    const compact = cells.map(compactHeading);
    const hasAll = (names: string[], required: readonly string[]): boolean => missingColumns(names, required).length === 0;
    const hasAny = (aliases: readonly string[]): boolean => aliases.some((a) => compact.includes(a));
    for (const kind of ['eth-logs', 'eth-token-transfers', 'eth-transactions', 'eth-blocks'] as const) {
      if (hasAll(snake, ETH_REQUIRED_COLUMNS[kind])) return { kind, format: 'csv' };
    }
    if (hasAll(snake, INCIDENT_REQUIRED_COLUMNS)) return { kind: 'incidents', format: 'csv' };
    const { date, open: o, high, low, close, symbol, price } = PRICE_COLUMNS;
    if (hasAny(date) && hasAny(o) && hasAny(high) && hasAny(low) && hasAny(close)) return { kind: 'ohlcv', format: 'csv' };
    if (hasAny(symbol) && hasAny(date) && hasAny(price)) return { kind: 'price-closes', format: 'csv' };
    if (detectLabelColumns(compact) !== null) return { kind: 'address-labels', format: 'csv' };
  }
  const hint = cells.length >= 2 ? `CSV header "${cells.slice(0, 10).join(', ')}" matches no known layout` : 'neither JSON nor a CSV header';
  throw new UnknownFileKindError(path, cells.length >= 2 ? CSV_CANDIDATES : ALL_CANDIDATES, hint);
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
