/**
 * Whole JSON documents for the metadata readers (token maps, token lists, chain lists, label
 * maps). These are small by nature — the largest public ones are a few MB — so they are read whole
 * and parsed at once; a size cap keeps a mislabelled 1 GB file from being loaded by mistake.
 */
import { readFile, stat } from 'node:fs/promises';
import { truncate } from '../../schema/errors.ts';
import { failure } from './fields.ts';
import { parseJsonLine, RAW_MAX } from './json-lines.ts';
import { unreadable } from './lines.ts';
import type { ReadItem } from './types.ts';

/** Metadata documents larger than this are refused rather than read into memory. */
export const MAX_DOCUMENT_BYTES = 256 * 1024 * 1024;

export type DocumentResult = { ok: true; value: unknown } | { ok: false; item: ReadItem<never> };

/**
 * Reads and parses a JSON document (BOM tolerated, big integers kept exact). Invalid JSON is a
 * failure item with line null — the document has no per-entry lines to blame.
 * @throws FileUnreadableError when the file cannot be read or is over MAX_DOCUMENT_BYTES
 */
export async function readJsonDocument(path: string, signal?: AbortSignal): Promise<DocumentResult> {
  let text: string;
  try {
    const { size } = await stat(path);
    if (size > MAX_DOCUMENT_BYTES) {
      throw Object.assign(new Error(`${size} bytes is over the ${MAX_DOCUMENT_BYTES}-byte limit for a JSON document`), { code: 'EFBIG' });
    }
    text = await readFile(path, { encoding: 'utf8', signal });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw unreadable(path, error);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return { ok: true, value: parseJsonLine(text) };
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    return { ok: false, item: failure(null, `invalid JSON: ${error.message}`, truncate(text, RAW_MAX)) };
  }
}

/** `raw` for one entry of a document: its JSON, shortened. */
export function entryRaw(key: string | null, value: unknown): string {
  const json = JSON.stringify(key === null ? value : { [key]: value }) ?? String(value);
  return truncate(json, RAW_MAX);
}

/** One entry of a document; `line` is its 1-based position among the entries (documents have no useful line numbers). */
export interface DocumentEntry {
  line: number;
  key: string | null;
  value: unknown;
  raw: string;
}

/**
 * Reads a document and yields its entries as located by `locate` (which returns `[key, value]`
 * pairs, or the reason the document has the wrong shape). A broken document yields one failure.
 */
export async function* documentEntries(
  path: string,
  signal: AbortSignal | undefined,
  locate: (doc: unknown) => [string | null, unknown][] | string,
): AsyncGenerator<{ entry: DocumentEntry } | { failure: ReadItem<never> }> {
  const doc = await readJsonDocument(path, signal);
  if (!doc.ok) {
    yield { failure: doc.item };
    return;
  }
  const entries = locate(doc.value);
  if (typeof entries === 'string') {
    yield { failure: failure(null, entries, entryRaw(null, doc.value)) };
    return;
  }
  let line = 0;
  for (const [key, value] of entries) {
    signal?.throwIfAborted();
    line++;
    yield { entry: { line, key, value, raw: entryRaw(key, value) } };
  }
}
