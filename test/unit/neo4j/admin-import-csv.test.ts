/**
 * The neo4j-admin CSV writer: field quoting, typed values, arrays, nulls, and the streaming file
 * writer (read back with csv-parse, an independent RFC 4180 parser). Whether the real import tool
 * reads it the same way is test/integration/neo4j-admin-export.test.ts's question.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import neo4j from 'neo4j-driver';
import { describe, expect, it } from 'vitest';
import {
  ARRAY_DELIMITER, CsvFileWriter, csvHeader, csvString, csvValue, type CsvColumn,
} from '../../../graph/neo4j/admin-import-csv.ts';
import { StoreError } from '../../../schema/errors.ts';
import { useTempFiles } from '../../fixtures/temp-files.ts';

const NASTY = ['plain', '', ' spaced ', 'a,b', 'semi;colon', 'say "hi"', '"', '""', 'back\\slash\\"', 'line\nbreak', 'cr\r\nlf',
  'tab\there', 'ünïcödé 😀 日本語', '\u0000nul', 'trailing,'];

describe('csvString', () => {
  it('leaves fields that need no quotes as they are', () => {
    expect(csvString('plain')).toBe('plain');
    expect(csvString(' spaced ')).toBe(' spaced ');
    expect(csvString('semi;colon')).toBe('semi;colon');
    expect(csvString('back\\slash')).toBe('back\\slash');
    expect(csvString('ünï 😀')).toBe('ünï 😀');
  });

  it('quotes the empty string, delimiters, quotes and line breaks, doubling inner quotes', () => {
    expect(csvString('')).toBe('""');
    expect(csvString('a,b')).toBe('"a,b"');
    expect(csvString('say "hi"')).toBe('"say ""hi"""');
    expect(csvString('line\nbreak')).toBe('"line\nbreak"');
    expect(csvString('cr\rret')).toBe('"cr\rret"');
  });
});

describe('csvValue', () => {
  it('writes null and undefined as an empty, unquoted field (no property), in every type', () => {
    for (const type of ['string', 'long', 'double', 'string[]'] as const) {
      expect(csvValue(null, type, 'x')).toBe('');
      expect(csvValue(undefined, type, 'x')).toBe('');
    }
  });

  it('writes longs from safe integers, bigints and driver Integers, exactly', () => {
    expect(csvValue(1_700_000_000_000, 'long', 'x')).toBe('1700000000000');
    expect(csvValue(-3, 'long', 'x')).toBe('-3');
    expect(csvValue(neo4j.int(Number.MAX_SAFE_INTEGER), 'long', 'x')).toBe('9007199254740991');
    expect(csvValue(2n ** 62n, 'long', 'x')).toBe('4611686018427387904');
    expect(() => csvValue(1.5, 'long', 'row 7 line:long')).toThrow(/row 7 line:long: number is not a long/);
    expect(() => csvValue(2 ** 53, 'long', 'x')).toThrow(StoreError);
    expect(() => csvValue('12', 'long', 'x')).toThrow(/"12" is not a long/);
  });

  it('writes doubles in a form that reads back as the same number', () => {
    for (const d of [0.7, 1, 0, -0.25, 1 / 3, 1e21, 5e-324]) expect(Number(csvValue(d, 'double', 'x'))).toBe(d);
    expect(() => csvValue(Number.NaN, 'double', 'x')).toThrow(StoreError);
    expect(() => csvValue(Infinity, 'double', 'x')).toThrow(StoreError);
    expect(() => csvValue(neo4j.int(1), 'double', 'x')).toThrow(StoreError);
  });

  it('joins arrays with U+001F, quoting the joined field when an element needs it', () => {
    expect(csvValue(['a', 'b'], 'string[]', 'x')).toBe(`a${ARRAY_DELIMITER}b`);
    expect(csvValue(['a,b', 'say "hi"'], 'string[]', 'x')).toBe(`"a,b${ARRAY_DELIMITER}say ""hi"""`);
    expect(csvValue(['x', ''], 'string[]', 'x')).toBe(`x${ARRAY_DELIMITER}`);
  });

  it('writes an empty list as null and refuses lists it could not write faithfully', () => {
    expect(csvValue([], 'string[]', 'x')).toBe('');
    expect(() => csvValue([''], 'string[]', 'x')).toThrow(/one empty string/);
    expect(() => csvValue([`a${ARRAY_DELIMITER}b`], 'string[]', 'alias of n1')).toThrow(/alias of n1: an element holds U\+001F/);
    expect(() => csvValue(['a', 1], 'string[]', 'x')).toThrow(/is not a string\[\]/);
    expect(() => csvValue('a', 'string[]', 'x')).toThrow(StoreError);
  });

  it('refuses non-strings in string columns', () => {
    expect(() => csvValue(12, 'string', 'x')).toThrow(/number is not a string/);
    expect(() => csvValue({ a: 1 }, 'string', 'x')).toThrow(StoreError);
  });
});

describe('csvHeader', () => {
  it('writes the header fields in order', () => {
    const columns: CsvColumn[] = [
      { header: 'id:ID(Thing)', type: 'string' }, { header: ':LABEL', type: 'string[]' }, { header: 'recordedAt:long', type: 'long' },
    ];
    expect(csvHeader(columns)).toBe('id:ID(Thing),:LABEL,recordedAt:long\n');
  });
});

describe('CsvFileWriter', () => {
  const tmp = useTempFiles('mkg-csv-');
  const COLUMNS: CsvColumn[] = [
    { header: 'id:ID(Thing)', type: 'string' },
    { header: 'aliases:string[]', type: 'string[]' },
    { header: 'n:long', type: 'long' },
    { header: 'd:double', type: 'double' },
  ];
  const read = (path: string): string[][] => parse(readFileSync(path, 'utf8'), { relax_column_count: false });

  it('writes rows that an RFC 4180 parser reads back exactly, nulls as empty fields', async () => {
    const path = tmp.path('rows.csv');
    const writer = await CsvFileWriter.open(path, COLUMNS);
    for (const [i, text] of NASTY.entries()) await writer.write([text, [text, 'x'], neo4j.int(i), i / 4], `row ${i}`);
    await writer.write(['nulls', null, null, undefined], 'nulls');
    await writer.close();
    expect(writer.rows).toBe(NASTY.length + 1);
    const [header, ...rows] = read(path);
    expect(header).toEqual(COLUMNS.map((c) => c.header));
    expect(rows.map((r) => r[0])).toEqual([...NASTY, 'nulls']);
    expect(rows.slice(0, -1).map((r) => r[1]!.split(ARRAY_DELIMITER))).toEqual(NASTY.map((t) => [t, 'x']));
    expect(rows.map((r) => r[2])).toEqual([...NASTY.map((_, i) => String(i)), '']);
    expect(rows.at(-1)).toEqual(['nulls', '', '', '']);
    // The empty string is quoted, null is not: that is how the import tool tells them apart.
    expect(readFileSync(path, 'utf8')).toContain('\n"",\u001fx,1,0.25\n');
    expect(readFileSync(path, 'utf8').endsWith('\nnulls,,,\n')).toBe(true);
  });

  it('says whether a field spans lines', async () => {
    const single = await CsvFileWriter.open(tmp.path('single.csv'), COLUMNS);
    await single.write(['a,b "c"', ['x;y'], 1, 1], 'r');
    expect(single.multiline).toBe(false);
    await single.write(['a\r\nb', null, null, null], 'r');
    expect(single.multiline).toBe(true);
    await single.close();
  });

  it('streams more than its buffer and keeps every row, in order', async () => {
    const path = tmp.path('big.csv');
    const writer = await CsvFileWriter.open(path, COLUMNS);
    const long = 'x,"y"\n'.repeat(100);
    for (let i = 0; i < 5000; i++) await writer.write([`${i}:${long}`, null, i, null], `row ${i}`);
    await writer.close();
    const rows = read(path).slice(1);
    expect(rows).toHaveLength(5000);
    expect(rows.every((r, i) => r[0] === `${i}:${long}` && r[2] === String(i))).toBe(true);
  });

  it('refuses a row with the wrong number of values, naming it', async () => {
    const writer = await CsvFileWriter.open(tmp.path('short.csv'), COLUMNS);
    await expect(writer.write(['a'], 'row a')).rejects.toThrow(/row a: 1 values for 4 columns/);
    await expect(writer.write(['a', null, 'no', null], 'row b')).rejects.toThrow(/row b n:long: "no" is not a long/);
    await writer.close();
  });

  it('says which file it cannot create', async () => {
    await expect(CsvFileWriter.open(tmp.path('missing/dir/x.csv'), COLUMNS)).rejects.toThrow(/cannot write .*missing\/dir\/x\.csv/);
  });
});
