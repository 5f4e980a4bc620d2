/**
 * JSON lines: one JSON value per physical line, read as a stream (see lines.ts). Integers too big
 * for a double keep their exact digits, because ethereum-etl writes token amounts such as
 * `150188698577042438264952193024` as bare JSON numbers.
 */
import { truncate } from '../../schema/errors.ts';
import { readLines, type LineOptions } from './lines.ts';

/** Longest `raw` kept on a failure item; enough to recognise the row, bounded for the rejects table. */
export const RAW_MAX = 300;

const INTEGER_LITERAL = /^-?\d+$/;

/** What Node 24's JSON.parse passes a reviver as its third argument for primitive values. */
interface ReviverContext {
  source?: string;
}

/**
 * Reviver that returns any integer literal outside ±2^53 as its exact decimal string (from the
 * source text) instead of a rounded double. Fractions and exponent forms stay numbers.
 */
function keepBigIntegers(_key: string, value: unknown, context?: ReviverContext): unknown {
  if (
    typeof value === 'number' && !Number.isSafeInteger(value)
    && context?.source !== undefined && INTEGER_LITERAL.test(context.source)
  ) {
    return context.source;
  }
  return value;
}

/**
 * JSON.parse with exact big integers: `{"v": 7056176614974947328}` → `{ v: '7056176614974947328' }`.
 * @throws SyntaxError for invalid or truncated JSON
 */
export function parseJsonLine(text: string): unknown {
  return JSON.parse(text, keepBigIntegers);
}

/** One line of a JSON-lines file: its parsed value, or why it is not JSON. */
export type JsonLineItem =
  | { ok: true; line: number; value: unknown; raw: string }
  | { ok: false; line: number; reason: string; raw: string };

/**
 * Streams a JSON-lines file: 1-based physical line numbers, BOM stripped, CRLF tolerated, blank
 * lines skipped. A line that is not valid JSON yields a failure ("invalid JSON: …") and reading
 * goes on with the next line.
 */
export async function* readJsonLines(path: string, options: Omit<LineOptions, 'skipBlank'> = {}): AsyncGenerator<JsonLineItem> {
  for await (const { line, text } of readLines(path, { ...options, skipBlank: true })) {
    let value: unknown;
    try {
      value = parseJsonLine(text);
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      yield { ok: false, line, reason: `invalid JSON: ${error.message}`, raw: truncate(text, RAW_MAX) };
      continue;
    }
    yield { ok: true, line, value, raw: text };
  }
}
