/**
 * JSONL documents: one `{id?, title?, text, published_at?, url?}` object per line, read through the
 * shared streaming line reader so only the current line is in memory. A line longer than the cap
 * is rejected before it is parsed.
 */
import type { DocumentRecord } from '../../schema/documents.ts';
import { truncate } from '../../schema/errors.ts';
import { parseJsonLine, RAW_MAX } from '../readers/json-lines.ts';
import { readLines } from '../readers/lines.ts';
import type { ReadItem } from '../readers/types.ts';
import { checkedDate, isBlank } from './fields.ts';

/** Default longest JSONL line, in UTF-16 code units (16 MiB). */
export const MAX_LINE_CHARS = 16 * 1024 * 1024;

/** Reads a JSONL document file; `name` (the file's base name) makes default ids `<name>#<line>`. */
export async function* readJsonlDocuments(
  path: string, name: string, options: { maxLineChars: number; signal?: AbortSignal | undefined },
): AsyncGenerator<ReadItem<DocumentRecord>> {
  let lines = 0;
  for await (const { line, text } of readLines(path, { signal: options.signal, skipBlank: true })) {
    lines++;
    if (text.length > options.maxLineChars) {
      yield fail(line, `line too long (${text.length} characters; the limit is ${options.maxLineChars})`, text);
      continue;
    }
    let value: unknown;
    try {
      value = parseJsonLine(text);
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      yield fail(line, `invalid JSON: ${error.message}`, text);
      continue;
    }
    yield documentOfLine(value, `${name}#${line}`, line, text);
  }
  if (lines === 0) yield { ok: false, line: null, reason: 'empty document', raw: null };
}

/** One parsed line as a document, or a failure naming the field that is wrong. */
export function documentOfLine(value: unknown, defaultId: string, line: number, raw: string): ReadItem<DocumentRecord> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail(line, 'expected a JSON object', raw);
  const fields = value as Record<string, unknown>;
  if (!('text' in fields) || fields.text === null || fields.text === undefined) return fail(line, 'missing field "text"', raw);
  if (typeof fields.text !== 'string') return fail(line, `field "text" must be a string, got ${typeName(fields.text)}`, raw);
  if (isBlank(fields.text)) return fail(line, 'empty document', raw);
  const id = fields.id;
  if (id !== undefined && id !== null && typeof id !== 'string' && !Number.isSafeInteger(id)) {
    return fail(line, `field "id" must be a string, got ${typeName(id)}`, raw);
  }
  for (const key of ['title', 'published_at', 'url'] as const) {
    const v = fields[key];
    if (v !== undefined && v !== null && typeof v !== 'string') return fail(line, `field "${key}" must be a string, got ${typeName(v)}`, raw);
  }
  const warnings: string[] = [];
  const record: DocumentRecord = {
    id: id === undefined || id === null || id === '' ? defaultId : String(id),
    title: optional(fields.title),
    text: fields.text,
    publishedAt: checkedDate(optional(fields.published_at), warnings),
    url: optional(fields.url),
  };
  return warnings.length > 0 ? { ok: true, line, record, warnings } : { ok: true, line, record };
}

function optional(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function typeName(value: unknown): string {
  return Array.isArray(value) ? 'array' : typeof value;
}

function fail(line: number, reason: string, raw: string): ReadItem<DocumentRecord> {
  return { ok: false, line, reason, raw: truncate(raw, RAW_MAX) };
}
