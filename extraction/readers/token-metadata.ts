/**
 * Token metadata documents (read whole; see json-document.ts). `line` of a record is the 1-based
 * index of its entry in the document.
 * - `token-metadata`: MetaMask contract map, `{ "0xChecksummed": { name, symbol, decimals, erc20, logo } }`.
 *   Entries not flagged `erc20: true` (NFT collections) fail as "not an ERC-20 entry"; an ERC-20
 *   entry without decimals is kept with `decimals: null`. Chain from `options.chainId` (the map is
 *   mainnet's).
 * - `token-list`: Uniswap token list, `{ name, tokens: [{ chainId, address, name, symbol, decimals }] }`.
 */
import { InvalidArgumentError } from '../../schema/errors.ts';
import { TokenMeta } from '../../schema/records.ts';
import { attempt, RowFields, validated } from './fields.ts';
import { documentEntries, type DocumentEntry } from './json-document.ts';
import { describe, isPlainObject } from './rows.ts';
import type { ReadItem, ReadOptions, Reader } from './types.ts';

async function* readTokens(
  kind: string,
  path: string,
  format: string,
  options: ReadOptions,
  locate: (doc: unknown) => [string | null, unknown][] | string,
  toToken: (f: RowFields, entry: DocumentEntry & { value: Record<string, unknown> }) => TokenMeta,
): AsyncGenerator<ReadItem<TokenMeta>> {
  if (format !== 'json') throw new InvalidArgumentError('format', `${kind} is read from a JSON document, not ${format}`);
  for await (const item of documentEntries(path, options.signal, locate)) {
    if ('failure' in item) {
      yield item.failure;
      continue;
    }
    const { entry } = item;
    yield attempt(entry.line, entry.raw, () => {
      const value = entry.value;
      if (!isPlainObject(value)) return new RowFields({}, path, entry.line).fail(`expected an object, got ${describe(value)}`);
      // A map's key is the token address; it wins over any `address` inside the entry.
      const f = new RowFields(entry.key === null ? value : { ...value, address: entry.key }, path, entry.line);
      return { record: validated(TokenMeta, toToken(f, { ...entry, value }), f) };
    });
  }
}

function nameAndSymbol(f: RowFields): Pick<TokenMeta, 'name' | 'symbol' | 'decimals'> {
  return { name: f.text('name').trim(), symbol: f.text('symbol').trim(), decimals: f.optUint('decimals') };
}

function contractMapToken(f: RowFields, entry: DocumentEntry & { value: Record<string, unknown> }, chainId: number): TokenMeta {
  if (entry.value.erc20 !== true) {
    f.fail(`not an ERC-20 entry${entry.value.erc721 === true ? ' (erc721: true)' : ''}`);
  }
  return { chainId, address: f.address('address'), ...nameAndSymbol(f) };
}

export const tokenMetadataReader: Reader<'token-metadata'> = {
  kind: 'token-metadata',
  version: '1',
  read: (path, format, options) =>
    readTokens('token-metadata', path, format, options,
      (doc) => isPlainObject(doc) ? Object.entries(doc) : `expected a JSON object keyed by token address, got ${describe(doc)}`,
      (f, entry) => contractMapToken(f, entry, options.chainId)),
};

export const tokenListReader: Reader<'token-list'> = {
  kind: 'token-list',
  version: '1',
  read: (path, format, options) =>
    readTokens('token-list', path, format, options,
      (doc) => isPlainObject(doc) && Array.isArray(doc.tokens)
        ? doc.tokens.map((token): [null, unknown] => [null, token])
        : `expected a token list ({ name, tokens: [...] }), got ${describe(doc)}${isPlainObject(doc) ? ' without a tokens array' : ''}`,
      (f) => ({
        // Token lists name each token's chain; options.chainId only fills in where one does not.
        chainId: f.optUint('chainId') ?? options.chainId,
        address: f.address('address'),
        ...nameAndSymbol(f),
      })),
};
