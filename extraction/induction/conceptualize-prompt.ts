/**
 * Schema induction prompt (issue 4, item 4): a numbered list of entities, events and predicates,
 * each with a little context from its graph neighbours, answered with 1–3 abstract concepts per
 * item from the most specific to the most general ("Curve Finance" → DEX → AMM protocol → DeFi
 * protocol). The prompt and the zod schema of its answer change together; bump the version with
 * either, since it is every induced fact's `extractorVersion`.
 *
 * Compact on purpose: items go `CONCEPTUALIZE_CHUNK` to a call, one line each plus at most
 * `MAX_CONTEXT_LINES` short context lines (see test/unit/induction/conceptualize-prompt.test.ts
 * for the measured tokens per item).
 */
import { z } from 'zod';

export const CONCEPTUALIZE_PROMPT_VERSION = 'conceptualize@1';
/** Items per LLM call: enough to amortise the system message, small enough to keep answers short. */
export const CONCEPTUALIZE_CHUNK = 20;
/** Neighbour lines shown per item. */
export const MAX_CONTEXT_LINES = 5;
/** Concepts asked for per item (the chain's length). */
export const MAX_CONCEPTS = 3;

/** What is being conceptualised. Predicates have no node of their own (see llm-conceptualizer.ts). */
export type ConceptTarget = 'entity' | 'event' | 'predicate';

/** One thing to conceptualise. */
export interface ConceptItem {
  /** Graph id of the entity or event; for a predicate, its verbatim wording (there is no node). */
  id: string;
  target: ConceptTarget;
  /** Entity name, event summary or verbatim predicate. */
  name: string;
  /** Entity kind, event type, or the predicate's canonical type (EXPLOITED…). */
  kind: string;
  /** Up to MAX_CONTEXT_LINES lines from the neighbours, e.g. "exploited → Bizness". */
  context: string[];
}

/**
 * The answer. Every field is required (OpenAI strict mode). Counts are not limited in the schema:
 * an over-long list costs a warning and a cut, not a repair turn.
 */
export const ConceptualizeResponse = z.object({
  items: z.array(z.object({
    /** The 1-based item number of the request. */
    index: z.number(),
    /** Most specific first. */
    concepts: z.array(z.string()),
  })),
});
export type ConceptualizeResponse = z.infer<typeof ConceptualizeResponse>;

export const CONCEPTUALIZE_SCHEMA_NAME = 'conceptualize_v1';

const SYSTEM = `Conceptualise each numbered item of a crypto/market knowledge graph.
Give 1-3 abstract concepts per item, most specific first, each broader than the one before (e.g. Curve Finance: DEX, AMM protocol, DeFi protocol). Concepts are short common-noun phrases (1-4 words), never the item's own name.
Answer every index.`;

/** Longest item name or context line shown; the rest is cut (a summary is context, not the task). */
const NAME_CHARS = 160;
const LINE_CHARS = 100;

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/**
 * The messages for one chunk of items, numbered from 1 in order.
 * @example conceptualizePrompt([{ id: 'ent:protocol:curve-finance', target: 'entity', name: 'Curve Finance', kind: 'Protocol', context: ['exploited by ← Vyper bug'] }]).user
 * // → '1. entity Protocol: Curve Finance\n  exploited by ← Vyper bug'
 */
export function conceptualizePrompt(items: readonly ConceptItem[]): { system: string; user: string } {
  const lines: string[] = [];
  items.forEach((item, i) => {
    lines.push(`${i + 1}. ${item.target} ${item.kind}: ${clip(item.name, NAME_CHARS)}`);
    for (const line of item.context.slice(0, MAX_CONTEXT_LINES)) lines.push(`  ${clip(line, LINE_CHARS)}`);
  });
  return { system: SYSTEM, user: lines.join('\n') };
}
