/** Field checks shared by the document readers. */
import { publishedAtMillis } from './published-at.ts';

/**
 * The date as given when it is one we can read, else null with a warning saying it was dropped
 * (a document without a date is still useful; a wrong one would misplace it in time).
 */
export function checkedDate(value: string | null, warnings: string[]): string | null {
  if (value === null) return null;
  if (publishedAtMillis(value) !== null) return value.trim();
  warnings.push(`published_at "${value.slice(0, 80)}" is not a date we can read; dropped`);
  return null;
}

/** True when the text has nothing but whitespace (such a document has nothing to extract). */
export function isBlank(text: string): boolean {
  return !/\S/u.test(text);
}
