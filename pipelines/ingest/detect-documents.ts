/**
 * Whether a `.jsonl`/`.ndjson` file that is not ethereum-etl data holds documents
 * (`{id?, title?, text, published_at?, url?}` per line). Looks at the first non-blank line only,
 * within the first 64 KB: a document line may be longer than that, so a cut line counts when it
 * opens a JSON object that has a `"text"` key before the cut.
 */
import { open } from 'node:fs/promises';

const SNIFF_BYTES = 64 * 1024;

export async function looksLikeJsonlDocuments(path: string): Promise<boolean> {
  const handle = await open(path, 'r').catch(() => null);
  if (handle === null) return false;
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    if (buffer.subarray(0, bytesRead).includes(0)) return false;
    const text = buffer.toString('utf8', 0, bytesRead).replace(/^\uFEFF/, '');
    const line = text.split(/\r?\n/).find((l) => l.trim() !== '')?.trim();
    if (line === undefined || !line.startsWith('{')) return false;
    try {
      const row: unknown = JSON.parse(line);
      return typeof row === 'object' && row !== null && typeof (row as { text?: unknown }).text === 'string';
    } catch {
      return bytesRead === SNIFF_BYTES && /^\{[^\n]*"text"\s*:\s*"/.test(line);
    }
  } finally {
    await handle.close();
  }
}
