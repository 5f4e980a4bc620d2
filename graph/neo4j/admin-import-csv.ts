/**
 * CSV as `neo4j-admin database import full` reads it (Operations Manual, "Import"), written as a
 * stream: RFC 4180 fields (`,` between fields, `"` around a field that needs it, `""` for a quote
 * inside one), typed header columns (`recordedAt:long`), and arrays (`aliases:string[]`, `:LABEL`)
 * joined by {@link ARRAY_DELIMITER}.
 *
 * How values come out, and what the import tool makes of them (checked against the real tool in
 * test/integration/neo4j-admin-export.test.ts):
 * - null/undefined: an empty, unquoted field, which the tool reads as "no property";
 * - a string: as is, quoted when it is empty (`""` is the empty string, not a missing property),
 *   or holds a delimiter, a quote or a line break. Backslashes are plain characters (the tool's
 *   `--legacy-style-quoting=false`); line breaks need `--multiline-fields` for the file, so the
 *   writer notes whether a file has any ({@link CsvFileWriter.multiline});
 * - `long`: a safe JS integer, a bigint or a neo4j-driver Integer (what records.ts `int()` makes);
 *   `double`: any finite JS number, in the shortest form that reads back as the same double;
 * - `string[]`: the elements joined by U+001F (ASCII "unit separator"), a control character no
 *   name, alias or label contains; an element that does contain it is refused rather than split.
 *   The tool reads an empty field as no property, so an empty list is written as null: the
 *   adapter's readers treat a missing list as an empty one (records.ts).
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import neo4j from 'neo4j-driver';
import { StoreError } from '../../schema/errors.ts';

const WHAT = 'neo4j-admin export';

/** Between the elements of an array value (and the labels of `:LABEL`). */
export const ARRAY_DELIMITER = '\u001f';
/** How the import tool is told about {@link ARRAY_DELIMITER} (`--array-delimiter`). */
export const ARRAY_DELIMITER_OPTION = 'U+001F';

/** The value types a column can have; `string` columns carry no type suffix in the header. */
export type CsvType = 'string' | 'long' | 'double' | 'string[]';

export interface CsvColumn {
  /** The header field as the import tool reads it, e.g. `id:ID(Thing)`, `:LABEL`, `recordedAt:long`. */
  header: string;
  type: CsvType;
}

const NEEDS_QUOTES = /[",\r\n]/;
const LINE_BREAK = /[\r\n]/;

/** A string as one CSV field: quoted when empty or when it holds `,`, `"`, CR or LF. */
export function csvString(text: string): string {
  return text === '' || NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * One value as a CSV field of a column of `type`. `where` names the value in errors.
 * @throws StoreError for a value the column cannot hold (wrong type, not an exact integer, an
 *   array element holding the array delimiter, or a list of one empty string, which the tool
 *   would read back as no list at all)
 */
export function csvValue(value: unknown, type: CsvType, where: string): string {
  if (value === null || value === undefined) return '';
  switch (type) {
    case 'string':
      if (typeof value !== 'string') throw mismatch(where, type, value);
      return csvString(value);
    case 'long':
      if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
      if (typeof value === 'bigint') return value.toString();
      // The driver's Integer.toString divides digit by digit; through a JS number it is far cheaper.
      if (neo4j.isInt(value)) return neo4j.integer.inSafeRange(value) ? String(value.toNumber()) : value.toString();
      throw mismatch(where, type, value);
    case 'double':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw mismatch(where, type, value);
      return String(value);
    case 'string[]': {
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw mismatch(where, type, value);
      const items = value as string[];
      if (items.length === 0) return '';
      if (items.length === 1 && items[0] === '') {
        throw new StoreError(WHAT, `${where}: a list of one empty string cannot be told from no list in neo4j-admin CSV`);
      }
      if (items.some((item) => item.includes(ARRAY_DELIMITER))) {
        throw new StoreError(WHAT, `${where}: an element holds U+001F, the array delimiter of the export`);
      }
      return csvString(items.join(ARRAY_DELIMITER));
    }
  }
}

function mismatch(where: string, type: CsvType, value: unknown): StoreError {
  const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : typeof value;
  return new StoreError(WHAT, `${where}: ${shown} is not a ${type}`);
}

/** The header line of `columns`. */
export function csvHeader(columns: readonly CsvColumn[]): string {
  return `${columns.map((c) => csvString(c.header)).join(',')}\n`;
}

/** Text gathered before one write to the file: few large writes instead of one per row. */
const FLUSH_CHARS = 1 << 20;

/**
 * Writes one CSV file row by row with bounded memory: rows are gathered into ~1 MiB writes, and
 * `write` waits whenever the file stream asks it to (backpressure), so a producer can never run
 * ahead of the disk. Open with {@link CsvFileWriter.open}; finish with `close()`.
 */
export class CsvFileWriter {
  readonly path: string;
  readonly columns: readonly CsvColumn[];
  #stream: WriteStream;
  #pending: string[] = [];
  #pendingChars = 0;
  #failure: Error | null = null;
  #rows = 0;
  #multiline = false;

  private constructor(path: string, columns: readonly CsvColumn[], stream: WriteStream) {
    this.path = path;
    this.columns = columns;
    this.#stream = stream;
    stream.on('error', (error) => {
      this.#failure ??= error;
    });
  }

  /** Creates (or truncates) `path` and writes the header line. */
  static async open(path: string, columns: readonly CsvColumn[]): Promise<CsvFileWriter> {
    const stream = createWriteStream(path, { encoding: 'utf8' });
    await new Promise<void>((resolve, reject) => {
      const failed = (error: Error): void => reject(new StoreError(WHAT, `cannot write ${path}: ${error.message}`, { cause: error }));
      stream.once('error', failed);
      stream.once('open', () => {
        stream.off('error', failed);
        resolve();
      });
    });
    const writer = new CsvFileWriter(path, columns, stream);
    writer.#push(csvHeader(columns));
    return writer;
  }

  /** Data rows written so far (the header not counted). */
  get rows(): number {
    return this.#rows;
  }

  /** Whether some field written so far holds a line break (the tool must read the file as multi-line). */
  get multiline(): boolean {
    return this.#multiline;
  }

  /**
   * Appends one row: `values[i]` in column i's type (csvValue). `where` names the row in errors.
   * @throws StoreError for a value its column cannot hold, or when the file cannot be written
   */
  async write(values: readonly unknown[], where: string): Promise<void> {
    if (values.length !== this.columns.length) {
      throw new StoreError(WHAT, `${where}: ${values.length} values for ${this.columns.length} columns of ${this.path}`);
    }
    const fields = values.map((value, i) => {
      const column = this.columns[i]!;
      const field = csvValue(value, column.type, `${where} ${column.header}`);
      if (!this.#multiline && field.startsWith('"') && LINE_BREAK.test(field)) this.#multiline = true;
      return field;
    });
    this.#rows++;
    this.#push(`${fields.join(',')}\n`);
    if (this.#pendingChars >= FLUSH_CHARS) await this.#flush();
  }

  /** Writes what is pending and closes the file. */
  async close(): Promise<void> {
    await this.#flush();
    await new Promise<void>((resolve) => this.#stream.end(resolve));
    this.#check();
  }

  /** Closes the file without caring whether the rest could be written (after a failure elsewhere). */
  abort(): void {
    this.#stream.destroy();
  }

  #push(text: string): void {
    this.#pending.push(text);
    this.#pendingChars += text.length;
  }

  async #flush(): Promise<void> {
    this.#check();
    if (this.#pending.length === 0) return;
    const text = this.#pending.join('');
    this.#pending = [];
    this.#pendingChars = 0;
    if (!this.#stream.write(text)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.#stream.off('drain', done);
          this.#stream.off('error', done);
          resolve();
        };
        this.#stream.on('drain', done);
        this.#stream.on('error', done);
      });
    }
    this.#check();
  }

  #check(): void {
    if (this.#failure !== null) {
      throw new StoreError(WHAT, `cannot write ${this.path}: ${this.#failure.message}`, { cause: this.#failure });
    }
  }
}
