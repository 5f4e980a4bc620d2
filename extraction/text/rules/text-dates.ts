/**
 * Dates written in prose: ISO ("2024-11-19"), "March 13, 2023", "Mar 13 2023" and "13 March 2023".
 * compromise-dates is not installed, and these three shapes cover incident write-ups; anything
 * vaguer ("last Tuesday") is left alone rather than guessed.
 */
import type { Millis } from '../../../schema/graph.ts';

const MONTHS: Readonly<Record<string, number>> = {
  jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11,
};
const MONTH = String.raw`(?<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?`;
const DAY = String.raw`(?<day>[0-3]?\d)(?:st|nd|rd|th)?`;
const YEAR = String.raw`(?<year>(?:19|20)\d\d)`;

const PATTERNS: readonly RegExp[] = [
  new RegExp(String.raw`\b(?<year>(?:19|20)\d\d)-(?<month>[01]\d)-(?<day>[0-3]\d)\b`),
  new RegExp(String.raw`\b${MONTH}\s+${DAY},?\s+${YEAR}\b`, 'i'),
  new RegExp(String.raw`\b${DAY}\s+${MONTH},?\s+${YEAR}\b`, 'i'),
];

/** UTC midnight of a valid calendar date, else null (Feb 30 is rejected, not rolled over). */
function utcDate(year: number, month: number, day: number): Millis | null {
  const t = Date.UTC(year, month, day);
  const d = new Date(t);
  return d.getUTCFullYear() === year && d.getUTCMonth() === month && d.getUTCDate() === day ? t : null;
}

/** The first date written in `text`, as UTC midnight; null when there is none. */
export function findDate(text: string): Millis | null {
  for (const re of PATTERNS) {
    const g = re.exec(text)?.groups;
    if (!g?.year || !g.day) continue;
    const month = g.month !== undefined ? Number(g.month) - 1 : MONTHS[(g.mon ?? '').slice(0, 3).toLowerCase()];
    if (month === undefined) continue;
    const t = utcDate(Number(g.year), month, Number(g.day));
    if (t !== null) return t;
  }
  return null;
}
