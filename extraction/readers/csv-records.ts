/**
 * Splits a stream of physical lines into CSV records and checks their quoting (RFC 4180: a field
 * is quoted only if it starts with `"`, inside it `""` is a quote, and the closing quote must be
 * followed by the delimiter or the end of the line).
 *
 * Why this exists next to csv-parse: csv-parse's own recovery after a bad closing quote leaves it in
 * quoted mode, so it swallows the following lines into the broken record, and its line counter
 * drifts on CRLF inside quoted fields. Owning record boundaries here gives exact first-line numbers
 * and confines malformed quoting to the one record; csv-parse then only splits well-formed records.
 */
import type { PhysicalLine } from './lines.ts';

/** A well-formed record (possibly several physical lines joined by `\n`) or a malformed one. */
export type SplitRecord =
  | { ok: true; line: number; text: string }
  | { ok: false; line: number; text: string; reason: string; column: number };

/** A quoted field still open after this many lines is taken to be a stray quote, not data. */
export const MAX_QUOTED_LINES = 1000;
/** …or after this many characters, which also bounds the memory one record can take. */
export const MAX_RECORD_CHARS = 1 << 20;

type State = 'start' | 'unquoted' | 'quoted' | 'quote';

/** Incremental splitter: feed lines with `push`, then call `end` once. */
export class CsvRecordSplitter {
  readonly #delimiter: string;
  #pending: PhysicalLine[] = [];
  #chars = 0;
  #state: State = 'start';
  #column = 1;

  constructor(delimiter = ',') {
    this.#delimiter = delimiter;
  }

  /** Records completed by this line (usually zero or one; more after abandoning a stray quote). */
  push(line: PhysicalLine): SplitRecord[] {
    const out: SplitRecord[] = [];
    const work = [line];
    for (let next = work.shift(); next !== undefined; next = work.shift()) {
      if (this.#pending.length === 0) {
        // Blank lines between records carry nothing; inside a quoted field they are data.
        if (next.text.trim() === '') continue;
        // Fast path: a line without quotes is a complete, well-formed record.
        if (!next.text.includes('"')) {
          out.push({ ok: true, line: next.line, text: next.text });
          continue;
        }
        this.#state = 'start';
        this.#column = 1;
      }
      this.#pending.push(next);
      this.#chars += next.text.length + 1;
      const reason = this.#scan(next.text);
      if (reason !== null && this.#pending.length > 1) {
        // A record that spans lines and then breaks is most likely a stray quote on its first
        // line: fail that line alone and re-read the others, which are probably fine.
        work.unshift(...this.#abandon(out, `is not closed properly (line ${next.line} breaks it)`));
      } else if (reason !== null) {
        out.push(this.#fail(reason));
      } else if (this.#state !== 'quoted') {
        out.push(this.#complete());
      } else if (this.#pending.length >= MAX_QUOTED_LINES || this.#chars >= MAX_RECORD_CHARS) {
        work.unshift(...this.#abandon(out, `is not closed within ${this.#pending.length} lines`));
      }
    }
    return out;
  }

  /** Flushes a record left open at the end of the file (an unterminated quote) and re-reads its lines. */
  end(): SplitRecord[] {
    const out: SplitRecord[] = [];
    // Each round fails one first line, so this ends; re-read lines may open another stray quote.
    while (this.#pending.length > 0) {
      for (const line of this.#abandon(out, 'is never closed')) out.push(...this.push(line));
    }
    return out;
  }

  /** Advances the quote state over one line; returns why the quoting is malformed, or null. */
  #scan(text: string): string | null {
    const d = this.#delimiter;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      switch (this.#state) {
        case 'start':
          if (ch === '"') this.#state = 'quoted';
          else if (ch === d) this.#column++;
          else this.#state = 'unquoted';
          break;
        case 'unquoted':
          if (ch === d) { this.#state = 'start'; this.#column++; }
          else if (ch === '"') return 'a quote inside an unquoted field';
          break;
        case 'quoted':
          if (ch === '"') this.#state = 'quote';
          break;
        case 'quote':
          if (ch === '"') this.#state = 'quoted';
          else if (ch === d) { this.#state = 'start'; this.#column++; }
          else return `${JSON.stringify(ch)} after a closing quote`;
          break;
      }
    }
    return null;
  }

  #complete(): SplitRecord {
    const first = this.#pending[0]!;
    const text = this.#pending.length === 1 ? first.text : this.#pending.map((l) => l.text).join('\n');
    this.#reset();
    return { ok: true, line: first.line, text };
  }

  #fail(reason: string): SplitRecord {
    const record = this.#complete();
    return { ...record, ok: false, reason, column: this.#column };
  }

  /** Fails the record's first line as a stray quote and hands back its other lines to re-read. */
  #abandon(out: SplitRecord[], why: string): PhysicalLine[] {
    const [first, ...rest] = this.#pending;
    const column = this.#openColumn(first!.text);
    this.#reset();
    out.push({ ok: false, line: first!.line, text: first!.text, reason: `the quoted field opened on this line ${why}`, column });
    return rest;
  }

  /** Column where the unclosed quoted field of a single line starts. */
  #openColumn(text: string): number {
    this.#state = 'start';
    this.#column = 1;
    this.#scan(text);
    return this.#column;
  }

  #reset(): void {
    this.#pending = [];
    this.#chars = 0;
  }
}
