/**
 * Document dates: sources write `2024-03-01`, `March 1, 2024` or full ISO timestamps. Parsing is
 * explicit rather than `Date.parse` on anything, because `Date.parse` reads zone-less and named
 * forms in the machine's local time zone, which would make chunk times depend on the host.
 */
import type { Millis } from '../../schema/graph.ts';
import { parseDate } from '../readers/dates.ts';

const ISO_TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Epoch milliseconds of a document date, or null when it is not a date we recognise. Date-only
 * values are midnight UTC; timestamps without a zone are read as UTC.
 * @example publishedAtMillis('2024-03-01') // 1709251200000
 */
export function publishedAtMillis(value: string | null): Millis | null {
  if (value === null) return null;
  const text = value.trim();
  const stamp = ISO_TIMESTAMP.exec(text);
  if (stamp) {
    const zone = stamp[3] === undefined ? 'Z' : stamp[3].toUpperCase() === 'Z' ? 'Z' : normaliseOffset(stamp[3]);
    const ms = Date.parse(`${stamp[1]}T${stamp[2]}${zone}`);
    return Number.isNaN(ms) || parseDate(stamp[1]!) === null ? null : ms;
  }
  const day = parseDate(text);
  return day === null ? null : Date.parse(`${day}T00:00:00Z`);
}

function normaliseOffset(offset: string): string {
  return offset.includes(':') ? offset : `${offset.slice(0, 3)}:${offset.slice(3)}`;
}
