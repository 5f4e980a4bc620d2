/**
 * Step 4 of retrieval: compact, cited lines added best first until the token budget (o200k_base,
 * counted locally) is used, plus the same facts as structured data. The text never exceeds the
 * budget: lines are summed as they are added and the whole text is counted once more at the end.
 */
import { countTokens } from '../../extraction/documents/tokens.ts';
import type { NodeSummary } from './expand.ts';

export interface ContextFact {
  id: string;
  subject: string;
  subjectName: string;
  /** The source's own wording. */
  predicate: string;
  /** The canonical relationship type. */
  type: string;
  object: string;
  objectName: string;
  /** When the fact held or happened (epoch ms); null when unknown. */
  time: number | null;
  confidence: number;
  /** Source id, the citation. */
  source: string;
  /** The document chunk the fact was read from, for text facts. */
  chunkId: string | null;
  score: number;
}

export interface ContextSummary extends Omit<NodeSummary, 'topCounterparties'> {
  name: string;
  topCounterparties: { id: string; name: string; count: number }[];
  score: number;
}

export type ContextEntry = { kind: 'fact'; fact: ContextFact } | { kind: 'summary'; summary: ContextSummary };

export interface Serialized {
  text: string;
  tokens: number;
  facts: ContextFact[];
  summaries: ContextSummary[];
}

/** One fact line, e.g. `[F3] 2024-12-27 0x3Cc1… —EXPLOITED→ Bizness (exploited, conf 1.00) [src:incidents:3c74…]`. */
export function factLine(fact: ContextFact, n: number): string {
  const date = fact.time === null ? 'undated' : new Date(fact.time).toISOString().slice(0, 10);
  const wording = fact.predicate.toLowerCase() === fact.type.toLowerCase().replace(/_/g, ' ') ? '' : `${fact.predicate}, `;
  const chunk = fact.chunkId ? ` ${fact.chunkId.slice(0, 18)}` : '';
  return `[F${n}] ${date} ${fact.subjectName} —${fact.type}→ ${fact.objectName} (${wording}conf ${fact.confidence.toFixed(2)}) [${fact.source}${chunk}]`;
}

/** One supernode line: degree, counts, totals and top counterparties instead of its facts. */
export function summaryLine(s: ContextSummary, n: number): string {
  const counts = (list: { key: string; count: number }[]): string => list.slice(0, 4).map((c) => `${c.key} ${c.count}`).join(', ');
  const parts = [`[S${n}] ${s.name} (hub, ${s.degreeIsLowerBound ? '≥' : ''}${s.degree} facts: ${counts(s.byType)})`];
  if (s.byRole.length) parts.push(`roles ${counts(s.byRole)}`);
  if (s.totals.length) parts.push(`totals ${s.totals.slice(0, 3).map((t) => `${t.value} ${t.unit}`).join(', ')}${s.sampled ? ' (sampled)' : ''}`);
  if (s.topCounterparties.length) parts.push(`top counterparties ${s.topCounterparties.map((c) => `${c.name} ×${c.count}`).join(', ')}`);
  return parts.join('; ');
}

/**
 * Lines for `entries` (best first) while they fit in `budget` tokens; stops at the first that does
 * not, so what is kept is always a best-first prefix.
 */
export function serialize(entries: readonly ContextEntry[], budget: number): Serialized {
  const lines: string[] = [];
  const kept: ContextEntry[] = [];
  let estimate = 0;
  let facts = 0;
  let summaries = 0;
  for (const entry of entries) {
    const line = entry.kind === 'fact' ? factLine(entry.fact, facts + 1) : summaryLine(entry.summary, summaries + 1);
    const cost = countTokens(line) + (lines.length ? 1 : 0);
    if (estimate + cost > budget) break;
    estimate += cost;
    lines.push(line);
    kept.push(entry);
    if (entry.kind === 'fact') facts++;
    else summaries++;
  }
  let text = lines.join('\n');
  let tokens = countTokens(text);
  // Merges across a line break can only be checked on the whole text; drop lines until it fits.
  while (tokens > budget) {
    lines.pop();
    kept.pop();
    text = lines.join('\n');
    tokens = countTokens(text);
  }
  return {
    text,
    tokens,
    facts: kept.flatMap((e) => (e.kind === 'fact' ? [e.fact] : [])),
    summaries: kept.flatMap((e) => (e.kind === 'summary' ? [e.summary] : [])),
  };
}
