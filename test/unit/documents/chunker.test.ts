import { createHash } from 'node:crypto';
import { Tiktoken } from 'js-tiktoken/lite';
import o200k from 'js-tiktoken/ranks/o200k_base';
import { describe, expect, it } from 'vitest';
import type { DocumentRecord, TextChunk } from '../../../schema/documents.ts';
import { InvalidArgumentError } from '../../../schema/errors.ts';
import { chunkDocument, chunkId, countTokens } from '../../../extraction/documents/chunker.ts';

const reference = new Tiktoken(o200k);

function doc(text: string, extra: Partial<DocumentRecord> = {}): DocumentRecord {
  return { id: 'd1', title: null, text, publishedAt: null, url: null, ...extra };
}

/** The invariants every chunking must satisfy. */
function checkChunks(d: DocumentRecord, chunks: TextChunk[], maxTokens: number): void {
  chunks.forEach((c, i) => {
    expect(c.index).toBe(i);
    expect(c.documentId).toBe(d.id);
    expect(d.text.slice(c.span.start, c.span.end)).toBe(c.text);
    expect(c.tokens).toBe(reference.encode(c.text, [], []).length);
    expect(c.tokens).toBeLessThanOrEqual(maxTokens);
    expect(c.text.trim()).toBe(c.text);
    if (i > 0) expect(c.span.start).toBeGreaterThan(chunks[i - 1]!.span.start);
  });
}

const sentence = (n: number): string => `Sentence number ${n} says the pool lost ${n * 1000} USDC to an exploit.`;
const prose = (count: number): string => Array.from({ length: count }, (_, i) => sentence(i + 1)).join(' ');

describe('countTokens', () => {
  it('agrees with js-tiktoken o200k_base and treats special-token text as plain text', () => {
    for (const text of ['hello world', 'Взлом моста Ronin.', '黑客盗取了资金。', 'ETH 0xdeadbeef 1,000.5', '']) {
      expect(countTokens(text)).toBe(reference.encode(text).length);
    }
    expect(countTokens('a <|endoftext|> b')).toBe(reference.encode('a <|endoftext|> b', [], []).length);
  });
});

describe('chunkDocument', () => {
  it('keeps a short document in one chunk with an exact span', () => {
    const d = doc('  Curve was exploited. Funds were returned.  \n');
    const chunks = chunkDocument(d);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toMatchObject({ text: 'Curve was exploited. Funds were returned.', span: { start: 2, end: 43 }, index: 0 });
    checkChunks(d, chunks, 400);
  });

  it('packs whole sentences up to maxTokens and overlaps by whole trailing sentences', () => {
    const d = doc(prose(60));
    const chunks = chunkDocument(d, { maxTokens: 100, overlapTokens: 30 });
    expect(chunks.length).toBeGreaterThan(5);
    checkChunks(d, chunks, 100);
    const sentences = new Set(Array.from({ length: 60 }, (_, i) => sentence(i + 1)));
    for (const [i, c] of chunks.entries()) {
      // Chunks start and end on sentence boundaries.
      expect(c.text.startsWith('Sentence number')).toBe(true);
      expect(c.text.endsWith('exploit.')).toBe(true);
      if (i === 0) continue;
      const prev = chunks[i - 1]!;
      expect(c.span.start).toBeLessThan(prev.span.end); // overlapping
      const overlap = d.text.slice(c.span.start, prev.span.end);
      expect(sentences.has(overlap.split(/(?<=\.) /)[0]!)).toBe(true);
      expect(countTokens(overlap)).toBeLessThanOrEqual(30);
    }
    // Every sentence is in some chunk.
    expect(chunks.at(-1)!.text.endsWith(sentence(60))).toBe(true);
  });

  it('does not overlap when overlapTokens is 0', () => {
    const d = doc(prose(40));
    const chunks = chunkDocument(d, { maxTokens: 80, overlapTokens: 0 });
    checkChunks(d, chunks, 80);
    for (let i = 1; i < chunks.length; i++) expect(chunks[i]!.span.start).toBeGreaterThan(chunks[i - 1]!.span.end);
  });

  it('gives content-addressed ids: same text, same id across documents; whitespace-insensitive', () => {
    const a = chunkDocument(doc('The bridge was hacked.  Funds moved.', { id: 'a' }));
    const b = chunkDocument(doc('The bridge was hacked.\nFunds moved.', { id: 'b' }));
    expect(a[0]!.id).toBe(b[0]!.id);
    expect(a[0]!.id).toBe(`chunk:${createHash('sha256').update('The bridge was hacked. Funds moved.').digest('hex')}`);
    expect(chunkId('x')).not.toBe(chunkId('y'));
    expect(chunkDocument(doc(prose(30)), { maxTokens: 60 }).map((c) => c.id))
      .toEqual(chunkDocument(doc(prose(30), { id: 'other' }), { maxTokens: 60 }).map((c) => c.id));
  });

  it('parses publishedAt to epoch ms when it can and to null otherwise', () => {
    expect(chunkDocument(doc('x.', { publishedAt: '2024-03-01' }))[0]!.publishedAt).toBe(Date.UTC(2024, 2, 1));
    expect(chunkDocument(doc('x.', { publishedAt: '2024-03-01T12:30:00+02:00' }))[0]!.publishedAt).toBe(Date.UTC(2024, 2, 1, 10, 30));
    expect(chunkDocument(doc('x.', { publishedAt: 'March 1, 2024' }))[0]!.publishedAt).toBe(Date.UTC(2024, 2, 1));
    expect(chunkDocument(doc('x.', { publishedAt: 'someday' }))[0]!.publishedAt).toBeNull();
    expect(chunkDocument(doc('x.'))[0]!.publishedAt).toBeNull();
  });

  it('chunks CJK text at 。！？ boundaries', () => {
    const text = Array.from({ length: 80 }, (_, i) => `黑客在第${i + 1}个区块中从资金池盗取了大量代币！`).join('');
    const d = doc(text);
    const chunks = chunkDocument(d, { maxTokens: 60, overlapTokens: 15 });
    expect(chunks.length).toBeGreaterThan(3);
    checkChunks(d, chunks, 60);
    for (const c of chunks) expect(c.text.endsWith('！')).toBe(true);
  });

  it('chunks Cyrillic text at sentence boundaries', () => {
    const text = Array.from({ length: 50 }, (_, i) => `Злоумышленник вывел ${i + 1} млн долларов из моста.`).join(' ');
    const d = doc(text);
    const chunks = chunkDocument(d, { maxTokens: 50, overlapTokens: 10 });
    checkChunks(d, chunks, 50);
    for (const c of chunks) expect(c.text).toMatch(/^Злоумышленник.*моста\.$/su);
  });

  it('hard-splits a ~5 MB single line into chunks within maxTokens, covering the whole line', () => {
    const text = 'lorem ipsum dolor sit amet consectetur '.repeat(130_000); // ~5 MB, no sentence end
    const d = doc(text);
    const started = performance.now();
    const chunks = chunkDocument(d, { maxTokens: 400, overlapTokens: 60 });
    expect(performance.now() - started).toBeLessThan(30_000);
    expect(chunks.length).toBeGreaterThan(1000);
    expect(chunks[0]!.span.start).toBe(0);
    expect(chunks.at(-1)!.span.end).toBe(text.trimEnd().length);
    for (let i = 1; i < chunks.length; i++) {
      const prev = chunks[i - 1]!;
      const c = chunks[i]!;
      expect(c.span.start).toBeLessThanOrEqual(prev.span.end); // no gaps
      expect(c.span.start).toBeGreaterThan(prev.span.start);
    }
    // Checking every chunk against the reference tokenizer is slow; a sample pins the invariants.
    checkChunks(d, chunks.filter((_, i) => i % 97 === 0 || i === chunks.length - 1).map((c) => ({ ...c, index: 0 })).map((c, i) => ({ ...c, index: i })), 400);
    expect(chunks.every((c) => c.tokens <= 400 && d.text.slice(c.span.start, c.span.end) === c.text)).toBe(true);
  }, 60_000);

  it('hard-splits long unspaced text with multi-byte characters on character boundaries', () => {
    const text = `${'🚀ß中'.repeat(3000)}. Short tail.`;
    const d = doc(text);
    const chunks = chunkDocument(d, { maxTokens: 50, overlapTokens: 5 });
    checkChunks(d, chunks, 50);
    expect(chunks.at(-1)!.text).toBe('Short tail.');
    for (const c of chunks) expect(c.text).not.toContain('\uFFFD');
  });

  it('packs sentences after a hard-split one and keeps markdown headings as boundaries', () => {
    const text = `# Incident\n\n${'x'.repeat(4_000)}\n\nAfter one. After two.`;
    const d = doc(text);
    const chunks = chunkDocument(d, { maxTokens: 100, overlapTokens: 10 });
    checkChunks(d, chunks, 100);
    expect(chunks[0]!.text.startsWith('# Incident')).toBe(true);
    expect(chunks.at(-1)!.text).toBe('After one. After two.');
  });

  it('returns no chunks for blank text and rejects bad options', () => {
    expect(chunkDocument(doc(' \n '))).toEqual([]);
    expect(() => chunkDocument(doc('x'), { maxTokens: 0 })).toThrow(InvalidArgumentError);
    expect(() => chunkDocument(doc('x'), { maxTokens: 10, overlapTokens: 10 })).toThrow(InvalidArgumentError);
  });
});
