import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compactHeading, readCsv, snakeHeading, type CsvItem } from '../../../extraction/readers/csv.ts';
import { MAX_QUOTED_LINES } from '../../../extraction/readers/csv-records.ts';
import { useTempFiles } from '../../fixtures/temp-files.ts';


const tmp = useTempFiles();
const file = tmp.file;

async function collect(path: string, normalizeHeader?: (h: string) => string): Promise<CsvItem[]> {
  const out: CsvItem[] = [];
  for await (const item of readCsv(path, normalizeHeader ? { normalizeHeader } : {})) out.push(item);
  return out;
}

const summary = (items: CsvItem[]): string[] =>
  items.map((i) => (i.type === 'row' ? `${i.line} row ${Object.values(i.row).join('|')}` : i.type === 'bad' ? `${i.line} bad ${i.reason}` : `${i.line} header ${i.names.join('|')}`));

describe('readCsv', () => {
  it('matches headers case-insensitively, strips a BOM and reads CRLF files', async () => {
    const path = file('crlf.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Block Number,TO_ADDRESS\r\n1,0xab\r\n2,0xcd\r\n')]));
    const items = await collect(path);
    expect(items[0]).toMatchObject({ type: 'header', line: 1, names: ['block_number', 'to_address'] });
    expect(items.slice(1)).toEqual([
      { type: 'row', line: 2, row: { block_number: '1', to_address: '0xab' }, raw: '1,0xab' },
      { type: 'row', line: 3, row: { block_number: '2', to_address: '0xcd' }, raw: '2,0xcd' },
    ]);
  });

  it('reports a wrong column count and malformed quoting with their lines and reads the rest', async () => {
    const path = file('broken.csv', [
      'a,b,c',
      '1,2,3',
      '4,5',
      '6,"x"y,7',
      '8,9,10,11',
      '12,q"r,13',
      '14,"quoted, with comma and ""quotes""",15',
      '16,17,18',
    ].join('\n'));
    expect(summary(await collect(path))).toEqual([
      '1 header a|b|c',
      '2 row 1|2|3',
      '3 bad wrong number of columns: expected 3, got 2',
      '4 bad malformed quoting in column 2 (b): "y" after a closing quote',
      '5 bad wrong number of columns: expected 3, got 4',
      '6 bad malformed quoting in column 2 (b): a quote inside an unquoted field',
      '7 row 14|quoted, with comma and "quotes"|15',
      '8 row 16|17|18',
    ]);
  });

  it('joins a quoted field over several lines and numbers the record by its first line', async () => {
    const path = file('multiline.csv', 'id,note\r\n1,"first\r\n\r\nsecond"\r\n2,plain\r\n');
    const items = await collect(path);
    expect(items.slice(1)).toMatchObject([
      { type: 'row', line: 2, row: { id: '1', note: 'first\n\nsecond' } },
      { type: 'row', line: 5, row: { id: '2', note: 'plain' } },
    ]);
  });

  it('recovers from a quote that is never closed by re-reading the lines after it', async () => {
    const path = file('unclosed.csv', 'a,b\n1,"oops\n2,3\n4,5\n');
    expect(summary(await collect(path))).toEqual([
      '1 header a|b',
      '2 bad malformed quoting in column 2 (b): the quoted field opened on this line is never closed',
      '3 row 2|3',
      '4 row 4|5',
    ]);
  });

  it('gives up on a stray quote after MAX_QUOTED_LINES lines, keeping memory bounded', async () => {
    const body = Array.from({ length: MAX_QUOTED_LINES + 10 }, (_, i) => `${i},v${i}`);
    const path = file('stray.csv', ['a,b', '0,"stray', ...body.slice(1)].join('\n'));
    const items = await collect(path);
    expect(items[1]).toMatchObject({ type: 'bad', line: 2, reason: expect.stringContaining(`not closed within ${MAX_QUOTED_LINES} lines`) });
    const rows = items.filter((i) => i.type === 'row');
    expect(rows).toHaveLength(MAX_QUOTED_LINES + 9);
    expect(rows[0]).toMatchObject({ line: 3, row: { a: '1', b: 'v1' } });
  });

  it('skips blank lines between records and yields nothing for an empty file', async () => {
    expect(summary(await collect(file('blank.csv', 'a,b\n\n1,2\n   \n3,4\n')))).toEqual(['1 header a|b', '3 row 1|2', '5 row 3|4']);
    expect(await collect(file('empty.csv', ''))).toEqual([]);
  });

  it('accepts a custom header normaliser', async () => {
    const items = await collect(file('adj.csv', 'Date,Adj Close\n2020-01-01,1\n'), compactHeading);
    expect(items[1]).toMatchObject({ row: { date: '2020-01-01', adjclose: '1' } });
  });

  it('treats headings like __proto__ as plain column names', async () => {
    const items = await collect(file('proto.csv', '__proto__,constructor\n1,2\n'));
    expect(items[1]).toMatchObject({ type: 'row' });
    if (items[1]?.type === 'row') {
      expect(Object.keys(items[1].row)).toEqual(['__proto__', 'constructor']);
      expect(items[1].row['__proto__']).toBe('1');
    }
  });
});

describe('heading normalisers', () => {
  it('snake_case and compact forms', () => {
    expect(snakeHeading(' Block Number ')).toBe('block_number');
    expect(snakeHeading('block-number')).toBe('block_number');
    expect(compactHeading('Adj Close')).toBe('adjclose');
    expect(compactHeading('adj_close')).toBe('adjclose');
  });
});
