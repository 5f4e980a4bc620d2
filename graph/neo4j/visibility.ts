/**
 * The bi-temporal visibility rules of schema/graph.ts as Cypher fragments, so every read applies
 * them the same way (and the same way as graph/sqlite/sql-visibility.ts). Each fragment reads the
 * parameter `$asOf`:
 * - with `asOf`, a record is visible iff recorded by then, its world time has begun
 *   (`validFrom`/`occurredAt` <= asOf) and not ended (`validTo` > asOf), and it was not retracted
 *   by then (`retractedAt` > asOf or null);
 * - with `$asOf = null` it is "everything currently believed": every record not retracted.
 *
 * One fragment serves both cases, so each read is one statement rather than two. With a null
 * `$asOf`, `x.retractedAt > $asOf` is null, which a WHERE treats as false: only unretracted records
 * pass. The fragments are never negated, so that three-valued logic cannot invert; where a value
 * is returned, wrap it in `coalesce(…, false)`.
 */
import { CHUNK, ENTITY, EVENT } from './model.ts';

/** Not retracted by `$asOf` (or at all, without one). */
function notRetracted(x: string): string {
  return `(${x}.retractedAt IS NULL OR ${x}.retractedAt > $asOf)`;
}

/** Entity nodes and fact relationships: `recordedAt`, `validFrom`, `validTo`, `retractedAt`. */
export function rowVisible(x: string): string {
  return `(${notRetracted(x)} AND ($asOf IS NULL OR (${x}.recordedAt <= $asOf`
    + ` AND (${x}.validFrom IS NULL OR ${x}.validFrom <= $asOf)`
    + ` AND (${x}.validTo IS NULL OR ${x}.validTo > $asOf))))`;
}

/** Events: world time is the instant `occurredAt`; they have no end. */
export function eventVisible(e: string): string {
  return `(${notRetracted(e)} AND ($asOf IS NULL OR (${e}.recordedAt <= $asOf AND ${e}.occurredAt <= $asOf)))`;
}

/** Chunks have no world time: recorded by `$asOf` and not retracted by then. */
export function chunkVisible(c: string): string {
  return `(${notRetracted(c)} AND ($asOf IS NULL OR ${c}.recordedAt <= $asOf))`;
}

/** A visible entity. */
export function entityVisible(n: string): string {
  return `(${n}:${ENTITY} AND ${rowVisible(n)})`;
}

/** A visible event. */
export function eventNodeVisible(e: string): string {
  return `(${e}:${EVENT} AND ${eventVisible(e)})`;
}

/** A visible chunk. */
export function chunkNodeVisible(c: string): string {
  return `(${c}:${CHUNK} AND ${chunkVisible(c)})`;
}

/** `x` is a visible entity or a visible event: what entity/event search may return. */
export function entityOrEventVisible(x: string): string {
  return `(${entityVisible(x)} OR ${eventNodeVisible(x)})`;
}

/**
 * `x` is a visible entity, event or chunk: a fact end that can be seen (a `MENTIONED_IN` fact only
 * while its chunk is visible). A placeholder (a bare `:Thing` that a fact named before anything
 * described it) is none of them, so facts pointing at nothing are never returned.
 */
export function endVisible(x: string): string {
  return `(${entityVisible(x)} OR ${eventNodeVisible(x)} OR ${chunkNodeVisible(x)})`;
}

/** The fact `f` from `s` to `o` is visible, and so are both of its ends. */
export function factVisible(f: string, s: string, o: string): string {
  return `(${rowVisible(f)} AND ${endVisible(s)} AND ${endVisible(o)})`;
}
