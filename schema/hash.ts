import { createHash } from 'node:crypto';

/** Hex SHA-256 of the parts joined by U+001F (a separator that cannot occur in ids). */
export function hashParts(parts: readonly (string | number | null | undefined)[], length = 32): string {
  const h = createHash('sha256');
  h.update(parts.map((p) => (p === null || p === undefined ? '' : String(p))).join('\u001f'));
  return h.digest('hex').slice(0, length);
}
