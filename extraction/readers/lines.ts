/**
 * Physical-line iteration shared by the line-oriented readers (JSON lines, CSV). Streams the file
 * through node:readline so a 1 GB input is never held in memory: only the current line is.
 */
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { FileUnreadableError } from '../../schema/errors.ts';

/** One physical line: its 1-based number and its text without the line ending. */
export interface PhysicalLine {
  line: number;
  text: string;
}

export interface LineOptions {
  signal?: AbortSignal | undefined;
  /** Drop lines that are empty or whitespace only (their numbers are still counted). */
  skipBlank?: boolean;
}

/**
 * Yields the lines of a UTF-8 text file one at a time. A UTF-8 BOM on line 1 is stripped; `\n`,
 * `\r\n` (and lone `\r`) all end a line, so CRLF files read like LF files.
 * @throws FileUnreadableError when the file cannot be opened or read (missing, a directory, no access)
 */
export async function* readLines(path: string, options: LineOptions = {}): AsyncGenerator<PhysicalLine> {
  const { signal, skipBlank = false } = options;
  signal?.throwIfAborted();
  // Opening first turns "no such file" into a clear error before any item is expected.
  const handle = await open(path, 'r').catch((error: unknown) => {
    throw unreadable(path, error);
  });
  const input = handle.createReadStream({ encoding: 'utf8', highWaterMark: 1 << 16 });
  // crlfDelay Infinity: a \r\n split across two chunks still counts as one line break.
  const lines = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const raw of lines) {
      line++;
      signal?.throwIfAborted();
      const text = line === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
      if (skipBlank && text.trim() === '') continue;
      yield { line, text };
    }
  } catch (error) {
    if (isSystemError(error)) throw unreadable(path, error);
    throw error;
  } finally {
    lines.close();
    input.destroy();
  }
}

/** Wraps an fs error (ENOENT, EISDIR, EACCES…) in the project's error type. */
export function unreadable(path: string, error: unknown): FileUnreadableError {
  const reason = error instanceof Error ? error.message : String(error);
  return new FileUnreadableError(path, reason, { cause: error });
}

function isSystemError(error: unknown): error is NodeJS.ErrnoException & { code: string } {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string'
    && (error as NodeJS.ErrnoException).code !== 'ABORT_ERR';
}
