/**
 * Calendar dates as price and incident files write them, normalised to ISO `YYYY-MM-DD`.
 * Accepted: `2018-01-05`, `2018/01/05`, `Jan 5 2018`, `January 5, 2018`, and ISO timestamps
 * (`2018-01-05T00:00:00Z`, `2018-01-05 16:00:00-05:00`) whose date is taken as written — for a
 * daily bar that is the trading day, which converting to UTC could shift.
 */

const MONTHS: Readonly<Record<string, number>> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
  january: 1, february: 2, march: 3, april: 4, june: 6, july: 7, august: 8, september: 9, october: 10,
  november: 11, december: 12,
};

const NUMERIC = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|UTC|[+-]\d{2}:?\d{2})?$/i;
const NAMED = /^([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$/;

/** The ISO date, or null when the text is not one of the accepted forms or not a real day. */
export function parseDate(text: string): string | null {
  const value = text.trim();
  const numeric = NUMERIC.exec(value) ?? TIMESTAMP.exec(value);
  if (numeric) return isoDate(Number(numeric[1]), Number(numeric[2]), Number(numeric[3]));
  const named = NAMED.exec(value);
  if (named) {
    const month = MONTHS[named[1]!.toLowerCase()];
    return month === undefined ? null : isoDate(Number(named[3]), month, Number(named[2]));
  }
  return null;
}

/** `YYYY-MM-DD` if year/month/day name a real day (no 2019-02-30), else null. */
function isoDate(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
