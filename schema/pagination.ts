/** Relay-style pagination shared by every store adapter and the API. */
import { InvalidArgumentError } from './errors.ts';

export interface PageArgs {
  /** @default 20 */
  first: number;
  /** Opaque cursor of the last edge already seen. */
  after?: string | null;
}

export interface Edge<T> {
  node: T;
  cursor: string;
}

export interface Page<T> {
  edges: Edge<T>[];
  totalCount: number;
  hasNextPage: boolean;
}

export const MAX_PAGE_SIZE = 500;

/** Cursors are base64url JSON arrays of the sort key, so adapters can seek instead of offsetting. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): (string | number)[] {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.every((k) => typeof k === 'string' || typeof k === 'number')) return key;
  } catch {
    // fall through to the error below
  }
  throw new InvalidArgumentError('after', 'not a cursor returned by this API');
}

export function checkFirst(first: number): number {
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw new InvalidArgumentError('first', `must be an integer from 0 to ${MAX_PAGE_SIZE}`);
  }
  return first;
}
