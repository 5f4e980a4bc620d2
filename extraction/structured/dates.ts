/** Day arithmetic for records dated by calendar day (bars, incidents), always in UTC. */
import type { Millis } from '../../schema/graph.ts';

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` at 00:00 UTC, in epoch ms. */
export function dayStartMs(date: string): Millis {
  return Date.parse(`${date}T00:00:00Z`);
}

/** The last millisecond of a `YYYY-MM-DD` day (UTC): when a daily close is known. */
export function dayEndMs(date: string): Millis {
  return dayStartMs(date) + DAY_MS - 1;
}
