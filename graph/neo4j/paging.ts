/**
 * Keyset pagination for the Neo4j reads (schema/pagination.ts): a cursor carries the sort key of
 * the last edge, a read seeks past it instead of skipping, and fetches one extra row to learn
 * `hasNextPage`.
 */
import { InvalidArgumentError } from '../../schema/errors.ts';
import { checkFirst, decodeCursor, encodeCursor, type Page, type PageArgs } from '../../schema/pagination.ts';

/** Validated page size. @default 20 */
export function pageSize(page: PageArgs): number {
  return checkFirst(page.first ?? 20);
}

/**
 * Decodes `after` and checks it has the shape this list's sort key has.
 * @throws InvalidArgumentError for a cursor from another list or a forged one
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

/** A page from up to `first + 1` fetched items, each edge's cursor built from `keyOf`. */
export function toPage<T>(
  items: T[],
  first: number,
  totalCount: number,
  keyOf: (item: T) => readonly (string | number)[],
): Page<T> {
  const hasNextPage = items.length > first;
  const kept = hasNextPage ? items.slice(0, first) : items;
  return { edges: kept.map((node) => ({ node, cursor: encodeCursor(keyOf(node)) })), totalCount, hasNextPage };
}
