import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PriceBar } from '../../../schema/records.ts';
import { parseDate } from '../../../extraction/readers/dates.ts';
import { symbolFromFileName } from '../../../extraction/readers/price-fields.ts';
import { ohlcvReader, priceClosesReader } from '../../../extraction/readers/prices.ts';
import type { ReadItem, ReadOptions, Reader } from '../../../extraction/readers/types.ts';
import { SAMPLE_DIR } from '../../fixtures/paths.ts';
import { useTempFiles } from '../../fixtures/temp-files.ts';

const tmp = useTempFiles();
const file = tmp.file;

async function collect(reader: Reader<'ohlcv' | 'price-closes'>, path: string, options: Partial<ReadOptions> = {}) {
  const items: ReadItem<PriceBar>[] = [];
  for await (const item of reader.read(path, 'csv', { chainId: 1, ...options })) items.push(item as ReadItem<PriceBar>);
  return { items, records: items.flatMap((i) => (i.ok ? [i.record] : [])), failures: items.filter((i) => !i.ok) };
}

const YAHOO = 'Date,Open,High,Low,Close,Adj Close,Volume';

describe('OHLCV (real sample)', () => {
  it('reads the ETH-USD daily file: 783 bars, symbol ETH from the file name', async () => {
    const { records, failures } = await collect(ohlcvReader, join(SAMPLE_DIR, 'eth_usd_daily_2017_2019.csv'));
    expect(failures).toEqual([]);
    expect(records).toHaveLength(783);
    expect(records[0]).toEqual({
      symbol: 'ETH', date: '2017-11-09', open: 308.644989, high: 329.451996, low: 307.056, close: 320.884003,
      adjClose: 320.884003, volume: 893249984,
    });
    for (const r of records) expect(PriceBar.safeParse(r).success).toBe(true);
  });

  it('reads the lower-case S&P 500 file: 5105 bars, symbol SP500', async () => {
    const { records, failures } = await collect(ohlcvReader, join(SAMPLE_DIR, 'sp500_daily_ohlcv_2000_2020.csv'));
    expect(failures).toEqual([]);
    expect(records).toHaveLength(5105);
    expect(new Set(records.map((r) => r.symbol))).toEqual(new Set(['SP500']));
    expect(records.at(-1)?.date.startsWith('2020')).toBe(true);
  });

  it('uses options.symbol when given', async () => {
    const { records } = await collect(ohlcvReader, join(SAMPLE_DIR, 'eth_usd_daily_2017_2019.csv'), { symbol: 'eth-usd' });
    expect(records[0]?.symbol).toBe('ETH-USD');
  });
});

describe('price closes (real sample)', () => {
  it('reads the long-format monthly closes: 560 rows over 5 symbols', async () => {
    const { records, failures } = await collect(priceClosesReader, join(SAMPLE_DIR, 'stocks_monthly_2000_2010.csv'));
    expect(failures).toEqual([]);
    expect(records).toHaveLength(560);
    expect(records[0]).toEqual({ symbol: 'MSFT', date: '2000-01-01', open: null, high: null, low: null, close: 39.81, adjClose: null, volume: null });
    expect(new Set(records.map((r) => r.symbol))).toEqual(new Set(['MSFT', 'AMZN', 'IBM', 'GOOG', 'AAPL']));
  });
});

describe('OHLCV bad rows', () => {
  it('rejects NaN, empty, negative and zero prices, high below low and bad dates, and reads the rest', async () => {
    const path = file('eth_bad.csv', [
      YAHOO,
      '2018-01-01,10,12,9,11,11,100',
      '2018-01-02,NaN,12,9,11,11,100',
      '2018-01-03,10,12,9,,11,100',
      '2018-01-04,10,12,9,-3,-3,100',
      '2018-01-05,10,12,9,0,0,100',
      '2018-01-06,10,8,9,11,11,100',
      '2018-13-45,10,12,9,11,11,100',
      'yesterday,10,12,9,11,11,100',
      '2018-01-07,10,12,9,11,11,-1',
      '2018-01-08,null,12,9,11,11,100',
      '2018-01-09,10,12,9,11,,',
    ].join('\n'));
    const { items } = await collect(ohlcvReader, path);
    expect(items.map((i) => (i.ok ? `${i.line} ok` : `${i.line} ${i.reason}`))).toEqual([
      '2 ok',
      '3 open "NaN": not a number',
      '4 close: empty',
      '5 close "-3": must be > 0',
      '6 close "0": must be > 0',
      '7 high 8 is below low 9',
      '8 date "2018-13-45": unparseable date',
      '9 date "yesterday": unparseable date',
      '10 volume "-1": must be >= 0',
      '11 open "null": not a number',
      '12 ok',
    ]);
    expect(items.at(-1)).toMatchObject({ record: { adjClose: null, volume: null } });
  });

  it('rejects out-of-order and duplicate dates per symbol', async () => {
    const path = file('btc.csv', [
      'date,open,high,low,close,adjclose,volume',
      '2018-01-01,1,2,1,2,2,5',
      '2018-01-05,1,2,1,2,2,5',
      '2018-01-03,1,2,1,2,2,5',
      '2018-01-05,1,2,1,2,2,5',
      '2018-01-06,1,2,1,2,2,5',
    ].join('\r\n'));
    const { items } = await collect(ohlcvReader, path);
    expect(items.map((i) => (i.ok ? 'ok' : i.reason))).toEqual([
      'ok',
      'ok',
      "date 2018-01-03 is before the previous row's 2018-01-05",
      'duplicate of line 3 (BTC 2018-01-05)',
      'ok',
    ]);
  });

  it('matches headings ignoring case, spaces and underscores, and reads several date forms', async () => {
    const path = file('spx_x.csv', [
      'DATE,OPEN,HIGH,LOW,CLOSE,ADJ_CLOSE,VOLUME',
      '2019/01/02,1,2,1,2,2,5',
      'Jan 3 2019,1,2,1,2,2,5',
      '"January 4, 2019",1,2,1,2,2,5',
      '2019-01-07T00:00:00Z,1,2,1,2,2,5',
    ].join('\n'));
    const { records, failures } = await collect(ohlcvReader, path);
    expect(failures).toEqual([]);
    expect(records.map((r) => `${r.symbol} ${r.date} ${r.adjClose}`)).toEqual([
      'SPX 2019-01-02 2', 'SPX 2019-01-03 2', 'SPX 2019-01-04 2', 'SPX 2019-01-07 2',
    ]);
  });

  it('fails the header once when the close column is missing', async () => {
    const { items } = await collect(ohlcvReader, file('noclose.csv', 'date,open,high,low\n2019-01-01,1,2,1\n'));
    expect(items).toEqual([{ ok: false, line: 1, reason: expect.stringContaining('header lacks column(s) close'), raw: 'date,open,high,low' }]);
  });

  it('reports a malformed quoted row and a short row and goes on', async () => {
    const path = file('eth_q.csv', [YAHOO, '2018-01-01,10,12,9,11,11,100', '"2018-01-02"x,10,12,9,11,11,100', '2018-01-03,10,12', '2018-01-04,10,12,9,11,11,100'].join('\n'));
    const { items } = await collect(ohlcvReader, path);
    expect(items.map((i) => (i.ok ? `${i.line} ok` : `${i.line} ${i.reason}`))).toEqual([
      '2 ok',
      '3 malformed quoting in column 1 (date): "x" after a closing quote',
      '4 wrong number of columns: expected 7, got 3',
      '5 ok',
    ]);
  });
});

describe('price closes bad rows', () => {
  it('orders dates per symbol and rejects bad prices', async () => {
    const path = file('closes.csv', [
      'symbol,date,price',
      'MSFT,Jan 1 2000,39.81',
      'MSFT,Feb 1 2000,abc',
      'AMZN,Jan 1 2000,64.56',
      'MSFT,Jan 1 2000,39.81',
      'MSFT,Mar 1 2000,43.22',
    ].join('\n'));
    const { items } = await collect(priceClosesReader, path);
    expect(items.map((i) => (i.ok ? 'ok' : i.reason))).toEqual([
      'ok', 'price "abc": not a number', 'ok', 'duplicate of line 2 (MSFT 2000-01-01)', 'ok',
    ]);
  });
});

describe('parseDate', () => {
  it('normalises the accepted forms to ISO dates', () => {
    expect(parseDate('2018-01-05')).toBe('2018-01-05');
    expect(parseDate('2018/1/5')).toBe('2018-01-05');
    expect(parseDate('Jan 5 2018')).toBe('2018-01-05');
    expect(parseDate('January 5, 2018')).toBe('2018-01-05');
    expect(parseDate('Sept 30 2018')).toBe('2018-09-30');
    expect(parseDate('2018-01-05T23:30:00-05:00')).toBe('2018-01-05');
    expect(parseDate('2018-01-05 16:00:00')).toBe('2018-01-05');
  });

  it('returns null for anything else, including impossible days', () => {
    for (const bad of ['', '05/01/2018', '2019-02-29', 'Foo 1 2000', '2018-01-05x', '1514764800']) expect(parseDate(bad), bad).toBeNull();
    expect(parseDate('2020-02-29')).toBe('2020-02-29');
  });
});

describe('symbolFromFileName', () => {
  it('takes the first token of the file name', () => {
    expect(symbolFromFileName('/data/eth_usd_daily_2017_2019.csv')).toBe('ETH');
    expect(symbolFromFileName('sp500_daily_ohlcv_2000_2020.csv')).toBe('SP500');
    expect(symbolFromFileName('BTC-USD.csv')).toBe('BTC');
  });
});
