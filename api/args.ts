/**
 * Argument checks shared by the resolvers. Failures are domain `InvalidArgumentError`s, which
 * api/errors.ts turns into BAD_USER_INPUT.
 */
import { InvalidArgumentError } from '../schema/errors.ts';
import type { Millis } from '../schema/graph.ts';
import { checkFirst, decodeCursor, type PageArgs } from '../schema/pagination.ts';

/**
 * Ids as users type them. Ids on `eip155` chains (accounts, tokens, on-chain events) are built
 * all lower-case (hex, namespaces, event type), so such an id is matched in any letter case, e.g.
 * with an EIP-55 checksummed address; other ids (`asset:crypto:ETH`) are only trimmed.
 * @example normalizeId('eip155:1:0xAbC…') === 'eip155:1:0xabc…'
 */
export function normalizeId(id: string): string {
  const trimmed = id.trim();
  return /eip155:/i.test(trimmed) ? trimmed.toLowerCase() : trimmed;
}

/** Checks `first` and that `after` is a cursor this API issued, before any store sees them. */
export function pageArgs(first: number, after: string | null | undefined): PageArgs {
  if (after !== null && after !== undefined) decodeCursor(after);
  return { first: checkFirst(first), after: after ?? null };
}

export function checkRange(argument: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidArgumentError(argument, `must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}

export function checkLength(argument: string, value: string, max: number): string {
  if (value.length > max) throw new InvalidArgumentError(argument, `at most ${max} characters, got ${value.length}`);
  return value;
}

/** `asOf` as passed down to nested fields (absent → null, i.e. "now"). */
export function asOfArg(asOf: Millis | null | undefined): Millis | null {
  return asOf ?? null;
}
