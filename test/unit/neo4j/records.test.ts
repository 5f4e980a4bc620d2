/** Values crossing the driver boundary: integers both ways, JSON properties, result maps → records. */
import neo4j from 'neo4j-driver';
import { describe, expect, it } from 'vitest';
import { cursorKey, pageSize, toPage } from '../../../graph/paging.ts';
import {
  int, intOrNull, parseJson, toEventRecord, toFactRecord, toNodeRecord, toNumber, toNumberOrNull, toRejectRecord,
  toSourceRecord,
} from '../../../graph/neo4j/records.ts';
import { InvalidArgumentError, StoreError } from '../../../schema/errors.ts';
import { encodeCursor } from '../../../schema/pagination.ts';

const T = Date.UTC(2023, 4, 1);

describe('integers', () => {
  it('reads driver Integers, bigints and numbers as exact JS numbers', () => {
    expect(toNumber(neo4j.int(T))).toBe(T);
    expect(toNumber(neo4j.int('9007199254740991'))).toBe(Number.MAX_SAFE_INTEGER);
    expect(toNumber(42n)).toBe(42);
    expect(toNumber(0.25)).toBe(0.25);
    expect(toNumberOrNull(null)).toBeNull();
    expect(toNumberOrNull(undefined)).toBeNull();
  });

  it('refuses integers a JS number cannot hold exactly, and non-numbers', () => {
    expect(() => toNumber(neo4j.int('9007199254740993'))).toThrow(StoreError);
    expect(() => toNumber(2n ** 60n)).toThrow(/does not fit/);
    expect(() => toNumber('12')).toThrow(StoreError);
  });

  it('sends whole numbers as INTEGER and keeps fractions as floats', () => {
    const sent = int(T);
    expect(neo4j.isInt(sent)).toBe(true);
    expect(sent.toString()).toBe(String(T));
    expect(int(1.5)).toBe(1.5);
    expect(intOrNull(null)).toBeNull();
    expect(intOrNull(undefined)).toBeNull();
    expect(neo4j.isInt(intOrNull(0))).toBe(true);
  });
});

describe('JSON properties', () => {
  it('parses JSON text and falls back for an absent property', () => {
    expect(parseJson('{"a":{"b":[1,"x"]}}', {})).toEqual({ a: { b: [1, 'x'] } });
    expect(parseJson(null, [])).toEqual([]);
    expect(() => parseJson(12, {})).toThrow(StoreError);
  });
});

describe('result maps → records', () => {
  it('maps an entity, with Integer times and absent optional properties', () => {
    expect(toNodeRecord({
      id: 'tok:x', kind: 'Token', name: 'WETH', aliases: ['Wrapped Ether'], attrs: '{"decimals":18}',
      validFrom: null, validTo: undefined, recordedAt: neo4j.int(T), retractedAt: null,
    })).toEqual({
      id: 'tok:x', kind: 'Token', name: 'WETH', aliases: ['Wrapped Ether'], attrs: { decimals: 18 },
      validFrom: null, validTo: null, recordedAt: T, retractedAt: null,
    });
  });

  it('maps an event, keeping 256-bit amounts as strings', () => {
    const raw = '115792089237316195423570985008687907853269984665640564039457584007913129639935';
    const event = toEventRecord({
      id: 'evt:1', type: 'Transfer', occurredAt: T, summary: 'Transfer', recordedAt: T, retractedAt: null,
      amounts: JSON.stringify([{ role: 'value', value: null, raw, decimals: 18, unit: 'WETH', token: null }]),
      attrs: '{}', sourceId: 'src:a', extractor: 'x', extractorVersion: '1',
    }, [{ role: 'from', entityId: 'acct:a', factId: 'fact:1' }]);
    expect(event.amounts[0]?.raw).toBe(raw);
    expect(event.participants).toEqual([{ role: 'from', entityId: 'acct:a', factId: 'fact:1' }]);
  });

  it('maps a fact: id from factId, type from the relationship type, ends from the nodes', () => {
    expect(toFactRecord({
      factId: 'fact:1', type: 'HOLDS', subject: 'a', object: 'b', predicate: 'holds', role: null, confidence: 0.5,
      validFrom: neo4j.int(T), validTo: null, recordedAt: T, retractedAt: null, sourceId: 'src:a', chunkId: null,
      extractor: 'x', extractorVersion: '1', attrs: '{"k":1}',
    })).toEqual({
      id: 'fact:1', type: 'HOLDS', subject: 'a', object: 'b', predicate: 'holds', role: null, confidence: 0.5,
      validFrom: T, validTo: null, recordedAt: T, retractedAt: null, sourceId: 'src:a', chunkId: null,
      extractor: 'x', extractorVersion: '1', attrs: { k: 1 },
    });
  });

  it('maps sources and rejects without their Neo4j-only properties', () => {
    // A source written before fact digests has no `factDigest` property: null.
    expect(toSourceRecord({
      id: 's', uri: 'file:///x', kind: 'eth-logs', contentHash: 'h', version: 'r1', recordedAt: T, records: neo4j.int(3),
      rejected: 0, name: 'file:///x',
    })).toEqual({ id: 's', uri: 'file:///x', kind: 'eth-logs', contentHash: 'h', version: 'r1', recordedAt: T, records: 3, rejected: 0, factDigest: null });
    expect(toSourceRecord({
      id: 's', uri: 'file:///x', kind: 'eth-logs', contentHash: 'h', version: 'r1', recordedAt: T, records: 3, rejected: 0,
      factDigest: '3:00000000000000ff',
    }).factDigest).toBe('3:00000000000000ff');
    expect(toRejectRecord({
      id: 'rej:1', sourceId: null, file: 'f', line: null, code: 'C', reason: 'r', raw: null, severity: 'error', recordedAt: T, seq: 5,
    })).toEqual({ id: 'rej:1', sourceId: null, file: 'f', line: null, code: 'C', reason: 'r', raw: null, severity: 'error', recordedAt: T });
  });
});

describe('cursors', () => {
  it('builds pages from first + 1 rows with cursors of the sort key', () => {
    const page = toPage([{ id: 'a', at: 1 }, { id: 'b', at: 2 }, { id: 'c', at: 3 }], 2, 7, (x) => [x.at, x.id]);
    expect(page.hasNextPage).toBe(true);
    expect(page.totalCount).toBe(7);
    expect(page.edges.map((e) => e.node.id)).toEqual(['a', 'b']);
    expect(cursorKey(page.edges[1]!.cursor, ['number', 'string'] as const)).toEqual([2, 'b']);
    expect(toPage([{ id: 'a' }], 1, 1, (x) => [x.id]).hasNextPage).toBe(false);
  });

  it('refuses cursors of another list and page sizes out of range', () => {
    expect(cursorKey(null, ['string'] as const)).toBeNull();
    expect(() => cursorKey(encodeCursor([1, 'x']), ['string'] as const)).toThrow(InvalidArgumentError);
    expect(() => cursorKey('garbage!', ['string'] as const)).toThrow(InvalidArgumentError);
    expect(() => pageSize({ first: 501 })).toThrow(InvalidArgumentError);
    expect(pageSize({ first: 0 })).toBe(0);
  });
});
