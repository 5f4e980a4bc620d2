/**
 * Keyset pagination shared by every store adapter: cursors carry the sort key of the last edge
 * (schema/pagination.ts), reads seek past it instead of offsetting, and fetch one extra row to
 * learn `hasNextPage`.
 */
import { InvalidArgumentError } from '../schema/errors.ts';
import { checkFirst, decodeCursor, encodeCursor, type Page, type PageArgs } from '../schema/pagination.ts';

/** Validated page size. @default 20 */
export function pageSize(page: PageArgs): number {
  return checkFirst(page.first ?? 20);
}

/**
 * Decodes `after` and checks it has the shape this read's sort key has.
 * @throws InvalidArgumentError for a cursor from another read or a forged one
 */
export function cursorKey<const S extends readonly ('string' | 'number')[]>(
  after: string | null | undefined,
  shape: S,
): { [I in keyof S]: S[I] extends 'string' ? string : number } | null {
  if (after === null || after === undefined) return null;
  const key = decodeCursor(after);
  if (key.length !== shape.length || key.some((k, i) => typeof k !== shape[i])) {
    throw new InvalidArgumentError('after', 'cursor does not belong to this list');
  }
  return key as { [I in keyof S]: S[I] extends 'string' ? string : number };
}

/** Builds a page from up to `first + 1` fetched items. */
export function toPage<T>(
  items: T[],
  first: number,
  totalCount: number,
  keyOf: (item: T) => readonly (string | number)[],
): Page<T> {
  const hasNextPage = items.length > first;
  const kept = hasNextPage ? items.slice(0, first) : items;
  return {
    edges: kept.map((node) => ({ node, cursor: encodeCursor(keyOf(node)) })),
    totalCount,
    hasNextPage,
  };
}
