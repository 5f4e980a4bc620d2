/**
 * The bi-temporal visibility rules of schema/graph.ts as SQL fragments, so every read applies them
 * the same way. With `asOf` (bound as the named parameter `:asOf`) a row is visible iff it was
 * recorded by then, its world time has begun, has not ended and it was not retracted by then.
 * Without `asOf` the read is "everything currently believed": every row not retracted, whatever
 * its world time (history stays readable; a retraction means the row is no longer believed).
 */
import { InvalidArgumentError } from '../../schema/errors.ts';
import { CHUNK_ID_PREFIX, EVENT_ID_PREFIX } from '../../schema/ids.ts';

/** Nodes and facts: `recordedAt`, `validFrom`, `validTo`, `retractedAt`. */
export function rowVisible(alias: string, withAsOf: boolean): string {
  if (!withAsOf) return `${alias}.retracted_at IS NULL`;
  return `(${alias}.recorded_at <= :asOf
    AND (${alias}.valid_from IS NULL OR ${alias}.valid_from <= :asOf)
    AND (${alias}.valid_to IS NULL OR ${alias}.valid_to > :asOf)
    AND (${alias}.retracted_at IS NULL OR ${alias}.retracted_at > :asOf))`;
}

/** Events: world time is the instant `occurredAt`; they have no end. */
export function eventVisible(alias: string, withAsOf: boolean): string {
  if (!withAsOf) return `${alias}.retracted_at IS NULL`;
  return `(${alias}.recorded_at <= :asOf AND ${alias}.occurred_at <= :asOf
    AND (${alias}.retracted_at IS NULL OR ${alias}.retracted_at > :asOf))`;
}

/** Chunks have no world time: recorded by `asOf` and not retracted by then. */
export function chunkVisible(alias: string, withAsOf: boolean): string {
  if (!withAsOf) return `${alias}.retracted_at IS NULL`;
  return `(${alias}.recorded_at <= :asOf AND (${alias}.retracted_at IS NULL OR ${alias}.retracted_at > :asOf))`;
}

/** `substr(column, 1, n) = 'prefix'`: a prefix test SQLite evaluates without a LIKE pattern. */
function hasPrefix(column: string, prefix: string): string {
  return `substr(${column}, 1, ${prefix.length}) = '${prefix}'`;
}

/**
 * The id in `column` names a visible node, event or chunk. An end that was never written is not
 * visible, so facts pointing at nothing are never returned. Event ids always start with `evt:`,
 * chunk ids with `chunk:`, and node ids with neither (schema/ids.ts), so each end costs one index
 * lookup, not three — this predicate runs once per fact in counts and neighbourhood reads.
 */
export function endVisible(column: string, withAsOf: boolean, tag: string): string {
  const n = `vn_${tag}`;
  const e = `ve_${tag}`;
  const c = `vc_${tag}`;
  return `(CASE WHEN ${hasPrefix(column, EVENT_ID_PREFIX)}
    THEN EXISTS (SELECT 1 FROM events ${e} WHERE ${e}.id = ${column} AND ${eventVisible(e, withAsOf)})
    WHEN ${hasPrefix(column, CHUNK_ID_PREFIX)}
    THEN EXISTS (SELECT 1 FROM chunks ${c} WHERE ${c}.id = ${column} AND ${chunkVisible(c, withAsOf)})
    ELSE EXISTS (SELECT 1 FROM nodes ${n} WHERE ${n}.id = ${column} AND ${rowVisible(n, withAsOf)}) END)`;
}

/** A fact row is visible, and so are both of its ends. */
export function factVisible(alias: string, withAsOf: boolean): string {
  return `(${rowVisible(alias, withAsOf)}
    AND ${endVisible(`${alias}.subject`, withAsOf, `${alias}_s`)}
    AND ${endVisible(`${alias}.object`, withAsOf, `${alias}_o`)})`;
}

/** Normalises the optional `asOf` of a read; rejects values that are not finite numbers. */
export function asOfParam(asOf: number | null | undefined): number | null {
  if (asOf === null || asOf === undefined) return null;
  if (typeof asOf !== 'number' || !Number.isFinite(asOf)) {
    throw new InvalidArgumentError('asOf', 'must be a finite number of epoch milliseconds');
  }
  return asOf;
}
