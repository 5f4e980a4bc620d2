/**
 * Free-text loss figures from incident write-ups ("15.7k USD", "1,048.1 ETH + 400,000 DAI
 * (~$3.00M)", "~$56.9BNB", "0,0067 WBTC") → exact Amounts. Never throws: text it cannot read
 * yields no amounts, and the verbatim text stays on the incident.
 *
 * Roles: amounts in the main text are `loss` (the losses as stated, additive across tokens); a
 * parenthesised USD figure is `lossUsd` (an estimate of the whole); a parenthesised amount in any
 * other unit is `lossEquivalent` (the same loss restated, e.g. "$820k (2500 BNB)"; not additive).
 */
import type { Amount } from '../../schema/graph.ts';
import { canonicalDecimal, shiftDecimal } from './decimal.ts';

const MULTIPLIER_PLACES: Readonly<Record<string, number>> = {
  k: 3, thousand: 3, m: 6, mn: 6, million: 6, b: 9, bn: 9, billion: 9,
};

/** Lower-case words accepted as units ("1.7 eth"); other lower-case words are prose, not units. */
const LOWERCASE_UNITS = new Set([
  'eth', 'btc', 'bnb', 'usd', 'usdt', 'usdc', 'dai', 'weth', 'wbnb', 'wbtc', 'busd', 'matic', 'ftm', 'avax',
]);

/**
 * One amount: qualifiers and `$` before the number; the number with `,` thousands groups or a
 * decimal `.`/`,` ("0,0067", "6,5M" are European decimals; "400,000" is thousands); an optional
 * magnitude word or letter not followed by another letter (so the B of "BNB" is not "billion");
 * then an optional unit: US$, USD$, $TOKEN, a symbol such as BSC-USD, or a trailing $.
 */
const AMOUNT = new RegExp(
  String.raw`(?<pre>(?:[~≈<>]\s*|US\$\s*|\$\s*)*)(?<![\w.])(?<num>\d+(?:,\d{3}(?!\d))*(?:[.,]\d+)?)`
  + String.raw`(?:\s*(?<mult>thousand|million|billion|mn|bn|k|m|b)(?![a-z]))?`
  + String.raw`(?:\s*(?<unit>US\$|USD\$|\$[a-z][a-z0-9]*|[a-z][a-z0-9]*(?:-[a-z0-9]+)*|\$))?`,
  'gi',
);

/** "1,048.1" → "1048.1"; "0,0067" → "0.0067"; "400,000" → "400000". */
function plainNumber(text: string): string {
  if (text.includes('.')) return text.replace(/,/g, '');
  const comma = text.lastIndexOf(',');
  if (comma < 0 || text.length - comma - 1 === 3) return text.replace(/,/g, '');
  return `${text.slice(0, comma).replace(/,/g, '')}.${text.slice(comma + 1)}`;
}

/** USD in all its spellings → "USD"; `$TOKEN` → "TOKEN"; known lower-case symbols upper-cased. */
function normalizeUnit(unit: string | undefined, dollarPrefix: boolean): string | null {
  if (unit !== undefined) {
    const upper = unit.toUpperCase();
    if (upper === '$' || upper === 'US$' || upper === 'USD$' || upper === 'USD') return 'USD';
    if (unit.startsWith('$')) return unit.slice(1).toUpperCase() === 'USD' ? 'USD' : unit.slice(1);
    if (unit === unit.toLowerCase()) {
      if (LOWERCASE_UNITS.has(unit)) return upper;
    } else {
      return unit; // An explicit symbol wins over a leading "$" ("~$127ETH" is 127 ETH).
    }
  }
  return dollarPrefix ? 'USD' : null;
}

function amountsIn(text: string, roleFor: (unit: string | null) => string): Amount[] {
  const out: Amount[] = [];
  for (const m of text.matchAll(AMOUNT)) {
    const g = m.groups ?? {};
    if (g.num === undefined) continue;
    const places = g.mult === undefined ? 0 : MULTIPLIER_PLACES[g.mult.toLowerCase()] ?? 0;
    const [int = '0', frac = ''] = plainNumber(g.num).split('.');
    const value = shiftDecimal(canonicalDecimal(int, frac), places);
    const unit = normalizeUnit(g.unit, (g.pre ?? '').includes('$'));
    out.push({ role: roleFor(unit), value, raw: null, decimals: null, unit, token: null });
  }
  return out;
}

/**
 * Parses a loss text into amounts: `[]` for empty, "unknown", "None" or anything without a figure.
 * Exact: values are decimal strings computed without floating point.
 */
export function parseLoss(text: string | null | undefined): Amount[] {
  if (typeof text !== 'string' || text.trim() === '') return [];
  try {
    const notes: string[] = [];
    const main = text.replace(/\(([^()]*)\)/g, (_all, inner: string) => {
      notes.push(inner);
      return ' ';
    });
    const amounts = amountsIn(main, () => 'loss');
    for (const note of notes) amounts.push(...amountsIn(note, (unit) => (unit === 'USD' ? 'lossUsd' : 'lossEquivalent')));
    return amounts;
  } catch {
    // Defensive only: the grammar above cannot throw on a string, but a loss text must never
    // stop an incident from being ingested.
    return [];
  }
}
