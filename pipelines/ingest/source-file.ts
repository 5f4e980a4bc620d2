/** A source file's resolved location and content hash, as ingest and re-extraction record them. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { FileUnreadableError } from '../../schema/errors.ts';

/** @throws FileUnreadableError when the path does not resolve */
export async function resolveLocation(file: string): Promise<string> {
  return realpath(file).catch((cause: NodeJS.ErrnoException) => {
    throw new FileUnreadableError(file, cause.code === 'ENOENT' ? 'no such file or directory' : cause.message, { cause });
  });
}

/** The `contentHash` ingest records for a file: `sha256:<hex>` of its bytes. */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}
