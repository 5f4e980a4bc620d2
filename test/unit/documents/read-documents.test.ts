import { describe, expect, it } from 'vitest';
import type { DocumentRecord } from '../../../schema/documents.ts';
import { FileUnreadableError, UnknownFileKindError } from '../../../schema/errors.ts';
import { documentFormat, readDocuments, type DocumentReadOptions } from '../../../extraction/documents/read-documents.ts';
import type { ReadItem } from '../../../extraction/readers/types.ts';
import { useTempFiles } from '../../fixtures/temp-files.ts';

const tmp = useTempFiles();

async function collect(path: string, options?: DocumentReadOptions): Promise<ReadItem<DocumentRecord>[]> {
  const out: ReadItem<DocumentRecord>[] = [];
  for await (const item of readDocuments(path, options)) out.push(item);
  return out;
}

async function only(path: string): Promise<DocumentRecord> {
  const items = await collect(path);
  expect(items).toHaveLength(1);
  const [item] = items;
  if (!item?.ok) throw new Error(`expected a record, got ${JSON.stringify(item)}`);
  return item.record;
}

describe('readDocuments: markdown', () => {
  it('takes title, id, date and url from front matter and drops the front matter from the text', async () => {
    const path = tmp.file('curve.md', '---\ntitle: "Curve pools drained"\ndate: 2023-07-30\nid: curve-2023\nurl: https://example.org/c\ntags: [defi]\n---\n# Heading\n\nVyper reentrancy.\n');
    expect(await only(path)).toEqual({
      id: 'curve-2023', title: 'Curve pools drained', text: '# Heading\n\nVyper reentrancy.\n',
      publishedAt: '2023-07-30', url: 'https://example.org/c',
    });
  });

  it('falls back to the first # heading and the base name, and prefers published_at over date', async () => {
    const path = tmp.file('note.markdown', '---\npublished_at: 2024-01-02T10:00:00Z\ndate: 1999-01-01\n---\nIntro\n## Sub\n# Real title #\ntext\n');
    const doc = await only(path);
    expect(doc).toMatchObject({ id: 'note.markdown', title: 'Real title', publishedAt: '2024-01-02T10:00:00Z', url: null });
    expect(doc.text.startsWith('Intro')).toBe(true);
  });

  it('reads markdown without front matter and drops an unreadable date with a warning', async () => {
    expect(await only(tmp.file('plain.md', 'No heading here.\n'))).toMatchObject({ title: null, publishedAt: null, text: 'No heading here.\n' });
    const items = await collect(tmp.file('bad-date.md', '---\ndate: soon\n---\n# T\nbody\n'));
    expect(items[0]).toMatchObject({ ok: true, record: { publishedAt: null, title: 'T' } });
    expect(items[0]?.ok && items[0].warnings?.[0]).toContain('"soon"');
  });

  it('fails a markdown file that is only front matter as an empty document', async () => {
    expect(await collect(tmp.file('fm-only.md', '---\ntitle: x\n---\n\n  \n'))).toEqual([{ ok: false, line: 1, reason: 'empty document', raw: null }]);
  });
});

describe('readDocuments: plain text', () => {
  it('uses a short first non-empty line as the title and keeps the text as is', async () => {
    const text = '\n\n  Binance hot wallet incident  \nBody line.\n';
    expect(await only(tmp.file('bnb.txt', text))).toEqual({ id: 'bnb.txt', title: 'Binance hot wallet incident', text, publishedAt: null, url: null });
  });

  it('has no title when the first line is long, and keeps other languages verbatim', async () => {
    expect((await only(tmp.file('long.txt', `${'word '.repeat(100)}\nnext`))).title).toBeNull();
    const text = 'Взлом моста Ronin.\n黑客盗取了资金。\n';
    expect(await only(tmp.file('multi.txt', text))).toMatchObject({ title: 'Взлом моста Ronin.', text });
  });

  it('drops a UTF-8 BOM', async () => {
    const path = tmp.file('bom.txt', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Title\nbody')]));
    expect((await only(path)).text).toBe('Title\nbody');
  });
});

describe('readDocuments: JSONL', () => {
  it('reads records with defaults for missing fields and ids <basename>#<line>', async () => {
    const path = tmp.file('docs.jsonl', [
      JSON.stringify({ id: 'a', title: 'A', text: 'Alpha.', published_at: '2024-05-01', url: 'https://x/a' }),
      '',
      JSON.stringify({ text: 'Beta.' }),
      JSON.stringify({ id: 7, text: 'Gamma.', title: null }),
    ].join('\n'));
    expect(await collect(path)).toEqual([
      { ok: true, line: 1, record: { id: 'a', title: 'A', text: 'Alpha.', publishedAt: '2024-05-01', url: 'https://x/a' } },
      { ok: true, line: 3, record: { id: 'docs.jsonl#3', title: null, text: 'Beta.', publishedAt: null, url: null } },
      { ok: true, line: 4, record: { id: '7', title: null, text: 'Gamma.', publishedAt: null, url: null } },
    ]);
  });

  it('fails bad lines naming the field and goes on', async () => {
    const path = tmp.file('bad.jsonl', [
      JSON.stringify({ title: 'no text' }),
      JSON.stringify({ text: 42 }),
      JSON.stringify({ text: 'ok', title: ['x'] }),
      JSON.stringify({ text: 'ok', id: { x: 1 } }),
      JSON.stringify({ text: 'ok', published_at: 1700000000 }),
      JSON.stringify({ text: '   ' }),
      '[1,2]',
      '{"text": "trunc',
      JSON.stringify({ text: 'fine' }),
    ].join('\n'));
    const items = await collect(path);
    expect(items.map((i) => (i.ok ? `${i.line} ok` : `${i.line} ${i.reason}`))).toEqual([
      '1 missing field "text"',
      '2 field "text" must be a string, got number',
      '3 field "title" must be a string, got array',
      '4 field "id" must be a string, got object',
      '5 field "published_at" must be a string, got number',
      '6 empty document',
      '7 expected a JSON object',
      expect.stringMatching(/^8 invalid JSON: /),
      '9 ok',
    ]);
    expect(items[0]).toMatchObject({ raw: '{"title":"no text"}' });
  });

  it('rejects a line over the cap as "line too long" without parsing it', async () => {
    const path = tmp.file('big.jsonl', `${JSON.stringify({ text: 'x'.repeat(5000) })}\n${JSON.stringify({ text: 'small' })}\n`);
    const items = await collect(path, { maxLineChars: 1000 });
    expect(items[0]).toMatchObject({ ok: false, line: 1, reason: expect.stringMatching(/^line too long/) });
    expect((items[0] as { raw: string }).raw.length).toBeLessThanOrEqual(300);
    expect(items[1]).toMatchObject({ ok: true, record: { text: 'small' } });
  });

  it('fails an empty JSONL file once', async () => {
    expect(await collect(tmp.file('empty.jsonl', '\n \n'))).toEqual([{ ok: false, line: null, reason: 'empty document', raw: null }]);
  });
});

describe('readDocuments: bad input', () => {
  it('fails a binary file once, whatever its extension', async () => {
    const binary = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x0d, 0x0a, 0x41]);
    for (const name of ['img.txt', 'img.md', 'img.jsonl']) {
      expect(await collect(tmp.file(name, binary))).toEqual([{ ok: false, line: null, reason: 'binary file', raw: null }]);
    }
  });

  it('fails empty and whitespace-only files as "empty document"', async () => {
    for (const [name, content] of [['e.txt', ''], ['w.txt', ' \n\t\r\n'], ['e.md', '']] as const) {
      expect(await collect(tmp.file(name, content))).toEqual([{ ok: false, line: 1, reason: 'empty document', raw: null }]);
    }
  });

  it('throws for an unknown extension and for a missing file', async () => {
    await expect(collect(tmp.file('x.pdf', 'x'))).rejects.toBeInstanceOf(UnknownFileKindError);
    await expect(collect(tmp.path('missing.md'))).rejects.toBeInstanceOf(FileUnreadableError);
    expect(await collect(tmp.file('x.pdf', 'text'), { format: 'text' })).toHaveLength(1);
    expect(documentFormat('A.MD')).toBe('markdown');
  });

  it('reads a 5 MB single-line text file as one document', async () => {
    const text = 'lorem ipsum dolor sit amet '.repeat(200_000);
    const doc = await only(tmp.file('line.txt', text));
    expect(doc.text.length).toBe(text.length);
    expect(doc.title).toBeNull();
  });
});
