import { describe, expect, it } from 'vitest';
import { normalizeId } from '../../api/args.ts';
import { DateTimeScalar, JsonScalar, parseDateTime } from '../../api/scalars.ts';

describe('DateTime', () => {
  it.each([
    ['2024-05-01', Date.UTC(2024, 4, 1)],
    ['2024-05-01T12:30:00Z', Date.UTC(2024, 4, 1, 12, 30)],
    ['2024-05-01T12:30Z', Date.UTC(2024, 4, 1, 12, 30)],
    ['2024-05-01T12:30:00.123Z', Date.UTC(2024, 4, 1, 12, 30, 0, 123)],
    ['2024-05-01T12:30:00', Date.UTC(2024, 4, 1, 12, 30)],
    ['2024-05-01T14:30:00+02:00', Date.UTC(2024, 4, 1, 12, 30)],
    ['2024-05-01T10:30:00-0200', Date.UTC(2024, 4, 1, 12, 30)],
    ['2024-02-29', Date.UTC(2024, 1, 29)],
    [' 2024-05-01 ', Date.UTC(2024, 4, 1)],
  ])('parses %j', (text, millis) => {
    expect(parseDateTime(text)).toBe(millis);
  });

  it.each(['2023-02-29', '2024-13-01', '2024-05-01T24:00:00Z', '2024-05-01T12:60Z', '01/05/2024', 'now', '', '2024-05-01T12:00:00+25:00'])(
    'rejects %j with BAD_USER_INPUT naming the value',
    (text) => {
      let error: any;
      try {
        parseDateTime(text);
      } catch (e) {
        error = e;
      }
      expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(error.message).toContain(`"${text}"`);
    },
  );

  it('serializes epoch milliseconds as ISO-8601 UTC and refuses garbage', () => {
    expect(DateTimeScalar.serialize(Date.UTC(2024, 4, 1, 12))).toBe('2024-05-01T12:00:00.000Z');
    expect(() => DateTimeScalar.serialize('yesterday')).toThrow();
  });
});

describe('JSON', () => {
  it('passes JSON through and writes big integers as decimal strings', () => {
    expect(JsonScalar.serialize({ a: [1, 'x', null], b: 2n ** 200n })).toEqual({ a: [1, 'x', null], b: (2n ** 200n).toString() });
  });
});

describe('normalizeId', () => {
  it('lower-cases eip155 ids in any form and leaves other ids alone', () => {
    expect(normalizeId('eip155:1:0xAbCd')).toBe('eip155:1:0xabcd');
    expect(normalizeId('EIP155:1/ERC20:0XABCD')).toBe('eip155:1/erc20:0xabcd');
    expect(normalizeId(' evt:transfer:eip155:1:0xAB:3 ')).toBe('evt:transfer:eip155:1:0xab:3');
    expect(normalizeId('asset:crypto:ETH')).toBe('asset:crypto:ETH');
  });
});
