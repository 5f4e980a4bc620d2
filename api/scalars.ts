/**
 * `DateTime` and `JSON`. Inside MarketGraph a time is epoch milliseconds (UTC); the API shows
 * ISO-8601 and accepts an ISO-8601 timestamp or a bare date (00:00Z of that day).
 */
import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import type { Millis } from '../schema/graph.ts';
import { truncate } from '../schema/errors.ts';
import { badUserInput } from './errors.ts';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;
const EXPECTED = 'expected an ISO-8601 timestamp (2024-05-01T12:00:00Z) or a date (2024-05-01)';

function invalid(value: unknown, reason?: string): never {
  const shown = typeof value === 'string' ? `"${truncate(value, 60)}"` : truncate(JSON.stringify(value) ?? String(value), 60);
  throw badUserInput(`DateTime cannot represent ${shown}: ${reason ? `${reason}; ` : ''}${EXPECTED}`);
}

/** Epoch ms of a UTC calendar time, or null when a field is out of range (2024-02-30, 25:00). */
function utc(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): Millis | null {
  const t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const back = new Date(t);
  const ok = back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d &&
    back.getUTCHours() === h && back.getUTCMinutes() === mi && back.getUTCSeconds() === s;
  return ok ? t : null;
}

/**
 * Parses a user-supplied instant.
 * @example parseDateTime('2024-05-01') === Date.UTC(2024, 4, 1)
 * @throws GraphQLError BAD_USER_INPUT naming the value
 */
export function parseDateTime(value: unknown): Millis {
  if (typeof value !== 'string') invalid(value, 'not a string');
  const text = value.trim();
  const date = DATE.exec(text);
  if (date) {
    const t = utc(Number(date[1]), Number(date[2]), Number(date[3]));
    return t ?? invalid(value, 'no such calendar date');
  }
  const m = TIMESTAMP.exec(text);
  if (!m) invalid(value);
  const [, y, mo, d, h, mi, s, frac, , sign, oh, om] = m;
  const ms = frac ? Math.floor(Number(`0${frac}`) * 1000) : 0;
  const t = utc(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s ?? 0), ms);
  if (t === null) invalid(value, 'a date or time field is out of range');
  if (!sign) return t;
  if (Number(oh) > 23 || Number(om) > 59) invalid(value, 'bad zone offset');
  const offset = (Number(oh) * 60 + Number(om)) * 60_000;
  return sign === '+' ? t - offset : t + offset;
}

function serializeDateTime(value: unknown): string {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value).toISOString();
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
  // A bug on our side, not the caller's: a plain error, masked and logged.
  throw new TypeError(`DateTime cannot serialize ${String(value)}`);
}

export const DateTimeScalar = new GraphQLScalarType<Millis, string>({
  name: 'DateTime',
  serialize: serializeDateTime,
  parseValue: parseDateTime,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) invalid(literalText(ast), 'not a string');
    return parseDateTime(ast.value);
  },
});

function literalText(ast: ValueNode): string {
  return 'value' in ast ? String(ast.value) : ast.kind;
}

function literalValue(ast: ValueNode, variables: Record<string, unknown> | null | undefined): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
    case Kind.ENUM:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map((v) => literalValue(v, variables));
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, literalValue(f.value, variables)]));
    case Kind.VARIABLE:
      return variables?.[ast.name.value];
  }
}

/** Exact big integers (kept by the stores as bigint) go out as decimal strings. */
function jsonSafe(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonSafe(v)]));
  }
  return value;
}

export const JsonScalar = new GraphQLScalarType<unknown, unknown>({
  name: 'JSON',
  serialize: jsonSafe,
  parseValue: (value) => value,
  parseLiteral: literalValue,
});
