/**
 * Price series CSVs, streamed:
 * - `ohlcv`: one bar per row, Yahoo style `Date,Open,High,Low,Close,Adj Close,Volume` or
 *   `date,open,high,low,close,adjclose,volume` (headings matched ignoring case, spaces and
 *   underscores). One series per file — symbol from `options.symbol` or the file name's first
 *   token — unless the file has a `symbol`/`ticker` column.
 * - `price-closes`: long format `symbol,date,price`, only `close` set.
 * Bad prices, unparseable dates and per-symbol duplicate or out-of-order dates fail the row.
 */
import { InvalidArgumentError } from '../../schema/errors.ts';
import { PriceBar } from '../../schema/records.ts';
import { compactHeading } from './csv.ts';
import { readMappedCsv } from './csv-mapped.ts';
import { RowFields, validated } from './fields.ts';
import { date, pickColumn, price, SeriesOrder, symbolFromFileName, volume } from './price-fields.ts';
import type { Detection, ReadItem, ReadOptions, Reader } from './types.ts';

/** Accepted headings per role, compacted, in order of preference. */
export const PRICE_COLUMNS = {
  symbol: ['symbol', 'ticker'],
  date: ['date', 'timestamp', 'time'],
  open: ['open'],
  high: ['high'],
  low: ['low'],
  close: ['close'],
  adjClose: ['adjclose', 'adjustedclose'],
  volume: ['volume', 'vol'],
  price: ['price', 'close', 'value'],
} as const;

type Columns = Partial<Record<keyof typeof PRICE_COLUMNS, string | null>>;

/** Reads a price CSV; `toBar` builds the record from the row with the header's columns. */
async function* readPrices(
  kind: 'ohlcv' | 'price-closes',
  path: string,
  format: Detection['format'],
  options: ReadOptions,
  required: readonly (keyof typeof PRICE_COLUMNS)[],
  toBar: (f: RowFields, columns: Columns, fileSymbol: string) => PriceBar,
): AsyncGenerator<ReadItem<PriceBar>> {
  if (format !== 'csv') throw new InvalidArgumentError('format', `${kind} is read from CSV, not ${format}`);
  const fileSymbol = options.symbol?.trim().toUpperCase() || symbolFromFileName(path);
  const order = new SeriesOrder();
  const header = (names: string[]): Columns | string => {
    const found: Columns = {};
    for (const [role, aliases] of Object.entries(PRICE_COLUMNS)) found[role as keyof Columns] = pickColumn(names, aliases);
    const missing = required.filter((role) => found[role] === null);
    return missing.length > 0 ? `header lacks column(s) ${missing.join(', ')}` : found;
  };
  yield* readMappedCsv(path, { signal: options.signal, normalizeHeader: compactHeading }, header, (f, cols, line) => {
    const bar = validated(PriceBar, toBar(f, cols, fileSymbol), f);
    order.accept(f, bar.symbol, bar.date, line);
    return { record: bar };
  });
}

function ohlcvBar(f: RowFields, c: Columns, fileSymbol: string): PriceBar {
  const optional = (column: string | null | undefined, label: string): number | null =>
    column ? price(f, column, label) : null;
  const symbol = c.symbol ? f.text(c.symbol).trim().toUpperCase() : fileSymbol;
  const bar: PriceBar = {
    symbol,
    date: date(f, c.date!),
    open: optional(c.open, 'open'),
    high: optional(c.high, 'high'),
    low: optional(c.low, 'low'),
    close: price(f, c.close!, 'close'),
    // Adjusted close is often left blank by providers that do not adjust; blank is "unknown".
    adjClose: c.adjClose && f.has(c.adjClose) ? price(f, c.adjClose, 'adj close') : null,
    volume: volume(f, c.volume ?? null),
  };
  if (bar.high !== null && bar.low !== null && bar.high < bar.low) f.fail(`high ${bar.high} is below low ${bar.low}`);
  return bar;
}

function closeBar(f: RowFields, c: Columns): PriceBar {
  return {
    symbol: f.text(c.symbol!).trim().toUpperCase(),
    date: date(f, c.date!),
    open: null,
    high: null,
    low: null,
    close: price(f, c.price!, 'price'),
    adjClose: null,
    volume: null,
  };
}

export const ohlcvReader: Reader<'ohlcv'> = {
  kind: 'ohlcv',
  version: '1',
  read: (path, format, options) => readPrices('ohlcv', path, format, options, ['date', 'close'], ohlcvBar),
};

export const priceClosesReader: Reader<'price-closes'> = {
  kind: 'price-closes',
  version: '1',
  read: (path, format, options) => readPrices('price-closes', path, format, options, ['symbol', 'date', 'price'], closeBar),
};
