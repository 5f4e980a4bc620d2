/**
 * Reads documents — markdown, plain text or JSONL — as a stream of DocumentRecords or per-record
 * failures (the ReadItem contract of extraction/readers). Binary and empty inputs are failures,
 * not crashes; text in any language is kept as written.
 */
import { open, readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { DocumentRecord } from '../../schema/documents.ts';
import { UnknownFileKindError } from '../../schema/errors.ts';
import { unreadable } from '../readers/lines.ts';
import type { ReadItem } from '../readers/types.ts';
import { isBlank } from './fields.ts';
import { MAX_LINE_CHARS, readJsonlDocuments } from './jsonl-documents.ts';
import { markdownDocument, textDocument } from './markdown.ts';

export type DocumentFormat = 'markdown' | 'text' | 'jsonl';

export interface DocumentReadOptions {
  /** How to read the file. @default from the extension (.md/.markdown, .txt, .jsonl/.ndjson) */
  format?: DocumentFormat;
  /** Longest JSONL line, in UTF-16 code units; longer lines fail with "line too long". @default 16 MiB */
  maxLineChars?: number;
  signal?: AbortSignal;
}

/** Bytes sniffed for NUL: the same heuristic git and grep use to call a file binary. */
const SNIFF_BYTES = 8192;

const EXTENSIONS: Readonly<Record<string, DocumentFormat>> = {
  '.md': 'markdown', '.markdown': 'markdown', '.txt': 'text', '.text': 'text', '.jsonl': 'jsonl', '.ndjson': 'jsonl',
};

/** The document format a file name implies, or null. */
export function documentFormat(path: string): DocumentFormat | null {
  return EXTENSIONS[extname(path).toLowerCase()] ?? null;
}

/**
 * Streams the documents of one file. Markdown and text files are one document each, with id the
 * front matter `id` or the file's base name; JSONL lines default to `<base name>#<line>`.
 * @throws UnknownFileKindError when no format is given and the extension names none
 * @throws FileUnreadableError when the file cannot be opened or read
 * @example for await (const item of readDocuments('notes/exploit.md')) if (item.ok) use(item.record);
 */
export async function* readDocuments(path: string, options: DocumentReadOptions = {}): AsyncGenerator<ReadItem<DocumentRecord>> {
  const format = options.format ?? documentFormat(path);
  if (format === null) {
    throw new UnknownFileKindError(path, ['markdown', 'text', 'jsonl'], 'expected .md, .markdown, .txt, .jsonl or .ndjson');
  }
  options.signal?.throwIfAborted();
  const name = basename(path);
  if (await isBinary(path)) {
    yield { ok: false, line: null, reason: 'binary file', raw: null };
    return;
  }
  if (format === 'jsonl') {
    yield* readJsonlDocuments(path, name, { maxLineChars: options.maxLineChars ?? MAX_LINE_CHARS, signal: options.signal });
    return;
  }
  const text = await readText(path);
  options.signal?.throwIfAborted();
  if (format === 'markdown') {
    const { record, warnings } = markdownDocument(text, name);
    if (isBlank(record.text)) yield { ok: false, line: 1, reason: 'empty document', raw: null };
    else yield warnings.length > 0 ? { ok: true, line: 1, record, warnings } : { ok: true, line: 1, record };
    return;
  }
  if (isBlank(text)) yield { ok: false, line: 1, reason: 'empty document', raw: null };
  else yield { ok: true, line: 1, record: textDocument(text, name) };
}

async function isBinary(path: string): Promise<boolean> {
  const handle = await open(path, 'r').catch((error: unknown) => {
    throw unreadable(path, error);
  });
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead).includes(0);
  } catch (error) {
    throw unreadable(path, error);
  } finally {
    await handle.close();
  }
}

/** The whole file as text (UTF-8, invalid bytes replaced, BOM dropped): one document is one string. */
async function readText(path: string): Promise<string> {
  const bytes = await readFile(path).catch((error: unknown) => {
    throw unreadable(path, error);
  });
  return new TextDecoder('utf-8').decode(bytes);
}
