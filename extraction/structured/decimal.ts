/**
 * Exact decimal arithmetic on strings, for amounts that must never pass through a float
 * ("15.7k" is exactly 15700, "3.00M" exactly 3000000).
 */

/** Canonical form: no leading zeros in the integer part, no trailing zeros in the fraction. */
export function canonicalDecimal(intPart: string, fracPart = ''): string {
  const int = intPart.replace(/^0+(?=\d)/, '') || '0';
  const frac = fracPart.replace(/0+$/, '');
  return frac === '' ? int : `${int}.${frac}`;
}

/**
 * `value` × 10^`places` for a plain decimal string such as "15.7" or "0.0067" (places ≥ 0).
 * @throws RangeError for anything that is not digits with at most one `.`
 */
export function shiftDecimal(value: string, places: number): string {
  const m = /^(\d+)(?:\.(\d*))?$/.exec(value);
  if (m === null || !Number.isInteger(places) || places < 0) {
    throw new RangeError(`not a plain decimal or non-negative shift: ${value} × 10^${places}`);
  }
  const int = m[1] ?? '0';
  const frac = (m[2] ?? '').padEnd(places, '0');
  return canonicalDecimal(int + frac.slice(0, places), frac.slice(places));
}
