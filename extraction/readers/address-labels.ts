/**
 * Address labels, two shapes:
 * - JSON document `{ "0xaddr": { name, labels: [...] } }` (Etherscan-label dumps), read whole
 *   (small by nature; see json-document.ts), `line` = 1-based index of the entry;
 * - CSV, streamed, with the columns given by `options.labelColumns` or detected from common
 *   headings (address; name / name tag / label / tag; category / labels / type). The category cell
 *   may hold several labels separated by `;` or `,`: all go to `labels`, the first is `category`.
 * Chain from `options.chainId`: label lists rarely say.
 */
import { InvalidArgumentError } from '../../schema/errors.ts';
import { AddressLabel } from '../../schema/records.ts';
import { compactHeading } from './csv.ts';
import { readMappedCsv } from './csv-mapped.ts';
import { attempt, failure, RowFields, validated } from './fields.ts';
import { documentEntries } from './json-document.ts';
import { describe, isPlainObject } from './rows.ts';
import type { Detection, LabelColumnMapping, ReadItem, ReadOptions, Reader } from './types.ts';

/** Headings (compacted: lower case, no spaces/underscores/dashes) recognised per role, by preference. */
export const LABEL_HEADINGS = {
  address: ['address', 'addr', 'walletaddress', 'contractaddress', 'wallet'],
  name: ['name', 'nametag', 'label', 'tag', 'entity', 'entityname'],
  category: ['category', 'labels', 'type', 'tags'],
} as const;

/** Columns of a label CSV found from its (compacted) header, or null without address and name. */
export function detectLabelColumns(names: readonly string[]): LabelColumnMapping | null {
  const pick = (aliases: readonly string[], not: string | null = null): string | null =>
    aliases.find((a) => a !== not && names.includes(a)) ?? null;
  const address = pick(LABEL_HEADINGS.address);
  const name = pick(LABEL_HEADINGS.name);
  if (address === null || name === null) return null;
  return { address, name, category: pick(LABEL_HEADINGS.category, name) };
}

/** Labels from a JSON array or a `;`/`,`-separated cell: trimmed, non-empty, de-duplicated. */
function labelList(f: RowFields, column: string): string[] {
  const value = f.get(column);
  if (value === undefined) return [];
  const parts = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[;,]/) : null;
  if (parts === null || parts.some((p) => typeof p !== 'string')) return f.failValue(column, JSON.stringify(value), 'expected a list of labels');
  return [...new Set((parts as string[]).map((p) => p.trim()).filter((p) => p !== ''))];
}

function toLabel(f: RowFields, columns: LabelColumnMapping, chainId: number, labelColumn: string | null): AddressLabel {
  const labels = labelColumn === null ? [] : labelList(f, labelColumn);
  return {
    chainId,
    address: f.address(columns.address),
    name: f.optText(columns.name)?.trim() || null,
    labels,
    category: columns.category ? (labels[0] ?? null) : null,
  };
}

async function* readLabelCsv(path: string, options: ReadOptions): AsyncGenerator<ReadItem<AddressLabel>> {
  const header = (names: string[]): LabelColumnMapping | string => {
    const given = options.labelColumns;
    const columns = given
      ? { address: compactHeading(given.address), name: compactHeading(given.name), category: given.category ? compactHeading(given.category) : null }
      : detectLabelColumns(names);
    if (columns === null) return 'no address and name columns found; pass labelColumns';
    const missing = [columns.address, columns.name, columns.category].filter((c): c is string => !!c && !names.includes(c));
    return missing.length > 0 ? `label column(s) ${missing.join(', ')} not in header` : columns;
  };
  yield* readMappedCsv(path, { signal: options.signal, normalizeHeader: compactHeading }, header, (f, cols) => ({
    record: validated(AddressLabel, toLabel(f, cols, options.chainId, cols.category ?? null), f),
  }));
}

async function* readLabelJson(path: string, options: ReadOptions): AsyncGenerator<ReadItem<AddressLabel>> {
  const locate = (doc: unknown): [string, unknown][] | string =>
    isPlainObject(doc) ? Object.entries(doc) : `expected a JSON object keyed by address, got ${describe(doc)}`;
  for await (const item of documentEntries(path, options.signal, locate)) {
    if ('failure' in item) {
      yield item.failure;
      continue;
    }
    const { line, key, value, raw } = item.entry;
    yield attempt(line, raw, () => {
      if (!isPlainObject(value)) return new RowFields({}, path, line).fail(`expected { name, labels }, got ${describe(value)}`);
      const f = new RowFields({ ...value, address: key }, path, line);
      const label = toLabel(f, { address: 'address', name: 'name' }, options.chainId, 'labels');
      return { record: validated(AddressLabel, label, f) };
    });
  }
}

export const addressLabelsReader: Reader<'address-labels'> = {
  kind: 'address-labels',
  version: '1',
  read: (path: string, format: Detection['format'], options: ReadOptions) =>
    format === 'json' ? readLabelJson(path, options) : format === 'csv' ? readLabelCsv(path, options) : unsupported(format),
};

async function* unsupported(format: string): AsyncGenerator<never> {
  throw new InvalidArgumentError('format', `address labels are read from a JSON document or CSV, not ${format}`);
}
