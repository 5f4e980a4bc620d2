/**
 * Markdown and plain-text documents: a whole file is one document. Markdown may open with YAML
 * front matter (`---` … `---`); only flat `key: value` lines are read from it (title, id, url,
 * date/published_at), which is all the documents we ingest use, so no YAML library is needed.
 */
import type { DocumentRecord } from '../../schema/documents.ts';
import { checkedDate } from './fields.ts';

const FRONT_MATTER = /^---[ \t]*\r?\n(?:([\s\S]*?)\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;
const FRONT_MATTER_LINE = /^([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*?)[ \t]*$/;
const ATX_H1 = /^ {0,3}#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$/m;
/** A first line longer than this is prose, not a title. */
const TITLE_MAX = 120;
/** How far into a plain-text file to look for a title line (a 50 MB line is never scanned whole). */
const TITLE_SCAN = 4096;

/** The flat keys of YAML front matter (lower-cased, quotes removed) and the text after it. */
export function splitFrontMatter(text: string): { fields: Map<string, string>; body: string } {
  const match = FRONT_MATTER.exec(text);
  const fields = new Map<string, string>();
  if (!match) return { fields, body: text };
  for (const line of (match[1] ?? '').split(/\r?\n/)) {
    const field = FRONT_MATTER_LINE.exec(line);
    if (!field) continue;
    const value = unquote(field[2]!);
    if (value !== '') fields.set(field[1]!.toLowerCase(), value);
  }
  return { fields, body: text.slice(match[0].length) };
}

function unquote(value: string): string {
  const quoted = /^(["'])(.*)\1$/.exec(value);
  return quoted ? quoted[2]! : value.replace(/[ \t]+#.*$/, '');
}

/** A markdown file as a document: front matter removed from the text, title from it or the first `# `. */
export function markdownDocument(text: string, defaultId: string): { record: DocumentRecord; warnings: string[] } {
  const { fields, body } = splitFrontMatter(text);
  const warnings: string[] = [];
  const rawDate = fields.get('published_at') ?? fields.get('publishedat') ?? fields.get('date') ?? null;
  const record: DocumentRecord = {
    id: fields.get('id') ?? defaultId,
    title: fields.get('title') ?? ATX_H1.exec(body)?.[1] ?? null,
    text: body,
    publishedAt: checkedDate(rawDate, warnings),
    url: fields.get('url') ?? null,
  };
  return { record, warnings };
}

/** A plain-text file as a document: the title is the first non-empty line when it is short. */
export function textDocument(text: string, id: string): DocumentRecord {
  return { id, title: firstLineTitle(text), text, publishedAt: null, url: null };
}

function firstLineTitle(text: string): string | null {
  const head = text.slice(0, TITLE_SCAN);
  const lines = head.split(/\r?\n|\r/);
  // The last piece of the head may be cut off mid-line, unless the head is the whole text.
  const complete = head.length === text.length ? lines.length : lines.length - 1;
  for (let i = 0; i < complete; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    return line.length <= TITLE_MAX ? line : null;
  }
  return null;
}
