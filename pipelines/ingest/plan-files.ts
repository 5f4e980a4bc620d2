/**
 * What each input file is and in which order files are ingested: metadata (chains, tokens, labels,
 * blocks) first so later files can scale amounts and date rows, documents last so their addresses
 * and tickers link to what the data files wrote. A file of no known kind is planned as an error.
 */
import { documentFormat, type DocumentFormat } from '../../extraction/documents/read-documents.ts';
import { detectFileKind } from '../../extraction/readers/index.ts';
import { MarketGraphError, UnknownFileKindError } from '../../schema/errors.ts';
import type { FileKind } from '../../schema/records.ts';
import { looksLikeJsonlDocuments } from './detect-documents.ts';
import { DOCUMENTS_KIND } from './documents.ts';
import { KIND_ORDER } from './handlers.ts';

export type Planned =
  | { file: string; kind: FileKind; format: 'jsonl' | 'csv' | 'json' }
  | { file: string; kind: typeof DOCUMENTS_KIND; format: DocumentFormat }
  | { file: string; error: string };

/**
 * Detects every file's kind and orders them: metadata (chains, tokens, labels, blocks) first,
 * documents last.
 */
export async function planFiles(files: string[]): Promise<Planned[]> {
  const planned: Planned[] = [];
  for (const file of files) {
    try {
      planned.push(await planFile(file));
    } catch (error) {
      if (!(error instanceof MarketGraphError)) throw error;
      planned.push({ file, error: error.message });
    }
  }
  const rank = (p: Planned): number => {
    if (!('kind' in p)) return -1;
    return p.kind === DOCUMENTS_KIND ? KIND_ORDER.length : KIND_ORDER.indexOf(p.kind);
  };
  return planned.sort((a, b) => rank(a) - rank(b) || a.file.localeCompare(b.file));
}

/**
 * Markdown and text files are documents by their extension. A `.jsonl`/`.ndjson` file is data when
 * its lines look like ethereum-etl rows, and documents when they carry a `text` field.
 */
async function planFile(file: string): Promise<Planned> {
  const docFormat = documentFormat(file);
  if (docFormat === 'markdown' || docFormat === 'text') return { file, kind: DOCUMENTS_KIND, format: docFormat };
  try {
    const d = await detectFileKind(file);
    return { file, kind: d.kind, format: d.format };
  } catch (error) {
    if (docFormat === 'jsonl' && error instanceof UnknownFileKindError && await looksLikeJsonlDocuments(file)) {
      return { file, kind: DOCUMENTS_KIND, format: 'jsonl' };
    }
    throw error;
  }
}

