/**
 * Retry timing: exponential backoff with jitter, unless the server said how long to wait
 * (`retry-after-ms`, or `retry-after` in seconds or as an HTTP date), which wins.
 */

export interface BackoffOptions {
  /** First delay before jitter. @default 500 */
  baseMs?: number;
  /** Longest computed delay, and the most a server's retry-after is honoured. @default 30000 */
  capMs?: number;
}

/**
 * Milliseconds to wait before retry number `retry` (0 for the first retry).
 * @example backoffDelay(2, null) // between 1000 and 2000 with the defaults
 */
export function backoffDelay(
  retry: number,
  headers: { get(name: string): string | null } | null | undefined,
  options: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  const base = options.baseMs ?? 500;
  const cap = options.capMs ?? 30_000;
  const asked = retryAfterMs(headers);
  if (asked !== null) return Math.min(asked, cap) + Math.floor(random() * 50);
  const ceiling = Math.min(cap, base * 2 ** retry);
  // "Equal jitter": at least half the exponential delay, so retries never bunch up at zero.
  return Math.floor(ceiling / 2 + random() * (ceiling / 2));
}

/** The server's requested wait in milliseconds, or null when it gave none we can read. */
export function retryAfterMs(headers: { get(name: string): string | null } | null | undefined, now = Date.now()): number | null {
  if (!headers) return null;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms)) && Number(ms) >= 0) return Number(ms);
  const value = headers.get('retry-after')?.trim();
  if (!value) return null;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
