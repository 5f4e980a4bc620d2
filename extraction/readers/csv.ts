/**
 * Streaming CSV: physical lines (lines.ts) → records with checked quoting (csv-records.ts) →
 * csv-parse for field splitting and unescaping. The first record is the header; every later
 * record comes out keyed by the normalised header names, or as a failure with its first line
 * number. Nothing is read whole: memory is bounded by one batch of records in flight.
 *
 * csv-parse options, and why some usual ones are not used: the header is taken from the first
 * record here rather than by `columns`, so names can be normalised and column counts reported
 * as "expected 7, got 5" (`relax_column_count` lets such rows through to that check); the BOM is
 * stripped by the line reader, so `bom` has nothing to do; `info.lines` drifts on CRLF inside quoted
 * fields, so each record's line number rides along as an extra leading field instead;
 * `skip_records_with_error` + `on_skip` keep any parse error local to its record.
 */
import { Readable } from 'node:stream';
import { parse, type Options as CsvParseOptions } from 'csv-parse';
import { truncate } from '../../schema/errors.ts';
import { CsvRecordSplitter, type SplitRecord } from './csv-records.ts';
import { RAW_MAX } from './json-lines.ts';
import { readLines } from './lines.ts';

export type CsvItem =
  | { type: 'header'; line: number; names: string[]; raw: string }
  | { type: 'row'; line: number; row: Record<string, string>; raw: string }
  | { type: 'bad'; line: number; reason: string; raw: string };

export interface CsvOptions {
  signal?: AbortSignal | undefined;
  delimiter?: string;
  /** Maps a header cell to the key rows are given under. @default snakeHeading */
  normalizeHeader?: (heading: string) => string;
}

/** `Block Number` / `block_number` / ` BLOCK-NUMBER ` → `block_number`. */
export function snakeHeading(heading: string): string {
  return heading.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

/** `Adj Close` / `adj_close` / `adjclose` → `adjclose`: for providers that agree on little. */
export function compactHeading(heading: string): string {
  return heading.toLowerCase().replace(/[\s_-]+/g, '');
}

/** Records are handed to csv-parse in batches of about this many characters. */
const BATCH_CHARS = 1 << 16;

/** What our on_record hook turns each parsed record into. */
interface Parsed {
  line: number;
  fields: string[];
}

/**
 * Streams a CSV file. Blank lines are skipped, CRLF and a BOM are handled by the line reader,
 * header names go through `normalizeHeader` (case-insensitive matching by default). Malformed
 * quoting and a wrong number of columns become `bad` items; the rest of the file is still read.
 */
export async function* readCsv(path: string, options: CsvOptions = {}): AsyncGenerator<CsvItem> {
  const { signal, delimiter = ',', normalizeHeader = snakeHeading } = options;
  const splitter = new CsvRecordSplitter(delimiter);
  /** Raw text of records handed to csv-parse and not yet back, by first line. */
  const inFlight = new Map<number, string>();
  /** Bad records waiting for their turn, in line order, so output stays in file order. */
  const bad: { line: number; reason: string; raw: string; column?: number }[] = [];

  async function* batches(): AsyncGenerator<string> {
    let batch = '';
    const take = (records: SplitRecord[]): void => {
      for (const r of records) {
        if (!r.ok) {
          bad.push({ line: r.line, reason: r.reason, raw: r.text, column: r.column });
          continue;
        }
        inFlight.set(r.line, r.text);
        // The line number rides along as an extra first field, so records and line numbers cannot
        // drift apart even if csv-parse were to skip a record.
        batch += `${r.line}${delimiter}${r.text}\n`;
      }
    };
    for await (const line of readLines(path, { signal })) {
      take(splitter.push(line));
      if (batch.length >= BATCH_CHARS) {
        yield batch;
        batch = '';
      }
    }
    take(splitter.end());
    if (batch) yield batch;
  }

  const parserOptions: CsvParseOptions<Parsed, { record: string[] }> = {
    delimiter,
    record_delimiter: '\n',
    // Column counts are checked below, against the header, with a precise message.
    relax_column_count: true,
    // Safety net only: quoting was validated by the splitter. Keeps one record's error local.
    skip_records_with_error: true,
    raw: true,
    on_skip: (error, raw) => {
      const line = Number.parseInt(raw ?? '', 10);
      const text = inFlight.get(line);
      if (text === undefined) return;
      inFlight.delete(line);
      const at = bad.findIndex((b) => b.line > line);
      bad.splice(at === -1 ? bad.length : at, 0, { line, reason: `malformed CSV: ${error?.message ?? 'unknown error'}`, raw: text });
    },
    // With `raw` on, csv-parse hands on_record `{ record, raw }`; the raw text is kept in inFlight.
    on_record: ({ record }) => ({ line: Number(record[0]), fields: record.slice(1) }),
  };
  // The non-generic overload is the one for options without `columns`; the records are ours.
  const parser = parse(parserOptions as unknown as CsvParseOptions);
  const source = Readable.from(batches());
  source.on('error', (error) => parser.destroy(error));
  source.pipe(parser);

  let header: string[] | null = null;
  const badItem = (b: (typeof bad)[number]): CsvItem => ({
    type: 'bad',
    line: b.line,
    reason: b.column !== undefined ? `malformed quoting in ${columnName(header, b.column)}: ${b.reason}` : b.reason,
    raw: truncate(b.raw, RAW_MAX),
  });
  try {
    for await (const parsed of parser as AsyncIterable<Parsed>) {
      // Also checked here, not only in the line reader, which runs a batch ahead.
      signal?.throwIfAborted();
      while (bad.length > 0 && bad[0]!.line < parsed.line) yield badItem(bad.shift()!);
      const raw = inFlight.get(parsed.line) ?? '';
      inFlight.delete(parsed.line);
      if (header === null) {
        header = parsed.fields.map(normalizeHeader);
        yield { type: 'header', line: parsed.line, names: header, raw };
      } else if (parsed.fields.length !== header.length) {
        const reason = `wrong number of columns: expected ${header.length}, got ${parsed.fields.length}`;
        yield { type: 'bad', line: parsed.line, reason, raw: truncate(raw, RAW_MAX) };
      } else {
        // No prototype: a heading such as `__proto__` or `constructor` is just a column name.
        const row: Record<string, string> = Object.create(null);
        for (let i = 0; i < header.length; i++) {
          // First occurrence wins when two headings normalise to the same name.
          if (!Object.hasOwn(row, header[i]!)) row[header[i]!] = parsed.fields[i]!;
        }
        yield { type: 'row', line: parsed.line, row, raw };
      }
    }
    for (const b of bad.splice(0)) yield badItem(b);
  } finally {
    source.destroy();
    parser.destroy();
  }
}

function columnName(header: string[] | null, column: number): string {
  const name = header?.[column - 1];
  return name === undefined ? `column ${column}` : `column ${column} (${name})`;
}

/** Header names a reader needs that the file lacks. */
export function missingColumns(names: readonly string[], required: readonly string[]): string[] {
  const have = new Set(names);
  return required.filter((name) => !have.has(name));
}
