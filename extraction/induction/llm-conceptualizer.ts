/**
 * LLM schema induction (issue 4, item 4): items in (conceptualize-prompt.ts), ExtractOutput out —
 * `Concept` nodes `concept:induced:<slug>`, one `INSTANCE_OF` fact from each entity or event to its
 * most specific concept, and `BROADER` facts along the chain (level i → level i+1).
 *
 * Predicates have no node to hang an INSTANCE_OF on, so a predicate item yields only its concept
 * chain, and the most specific concept carries `attrs.predicates: [verbatim wordings]` (unioned
 * over the predicates that share it). That is how the induced schema says which wordings a concept
 * covers; the canonical type of each wording stays on its facts.
 *
 * Never throws for a bad model: a failed call, a wrong index or a junk concept name becomes an
 * issue naming the item, and an item left without a usable answer gets the offline taxonomy.
 */
import { NamePriority, type FactInput, type NodeInput } from '../../schema/graph.ts';
import { conceptId, normalizeName } from '../../schema/ids.ts';
import type { LlmClient, UsageMeter } from '../llm/llm-client.ts';
import { relation, type Provenance } from '../structured/facts.ts';
import type { ExtractIssue, ExtractOutput } from '../structured/types.ts';
import {
  CONCEPTUALIZE_CHUNK, CONCEPTUALIZE_PROMPT_VERSION, CONCEPTUALIZE_SCHEMA_NAME, ConceptualizeResponse,
  MAX_CONCEPTS, conceptualizePrompt, type ConceptItem,
} from './conceptualize-prompt.ts';
import { taxonomyConcepts, type InductionContext } from './taxonomy-concepts.ts';

export const INDUCED_NAMESPACE = 'induced';
/** Below the text extractors' default (0.8): a concept is an abstraction, not something a source said. */
export const INDUCED_CONFIDENCE = 0.7;
/** Longest concept name kept; longer ones are cut at a word boundary. */
const MAX_CONCEPT_CHARS = 60;
const MAX_CONCEPT_WORDS = 6;

export interface ConceptualizeOptions extends InductionContext {
  usage?: UsageMeter;
  signal?: AbortSignal;
}

/**
 * A concept name as the graph keeps it, or the reason it is rejected: trimmed, quotes and a final
 * full stop dropped, spaces collapsed, cut to MAX_CONCEPT_CHARS; empty, multi-line or wordy
 * (> MAX_CONCEPT_WORDS words) names are rejected, since those are prose, not concepts.
 */
export function cleanConceptName(raw: string): { name: string } | { rejected: string } {
  if (/[\r\n]/.test(raw)) return { rejected: 'contains a line break' };
  let name = raw.trim().replace(/^["'`]+|["'`]+$/g, '').replace(/\.$/, '').replace(/\s+/g, ' ').trim();
  if (normalizeName(name) === '') return { rejected: 'empty' };
  if (name.split(' ').length > MAX_CONCEPT_WORDS) return { rejected: `more than ${MAX_CONCEPT_WORDS} words` };
  if (name.length > MAX_CONCEPT_CHARS) {
    const cut = name.slice(0, MAX_CONCEPT_CHARS);
    name = cut.includes(' ') ? cut.slice(0, cut.lastIndexOf(' ')) : cut;
  }
  return { name };
}

/** Collects one run's concepts and facts; unions `attrs.predicates` per concept. */
class InducedOutput {
  readonly nodes = new Map<string, NodeInput>();
  readonly facts = new Map<string, FactInput>();
  readonly issues: ExtractIssue[] = [];
  readonly #prov: Provenance;
  readonly #ctx: InductionContext;

  constructor(model: string, ctx: InductionContext) {
    this.#prov = { sourceId: ctx.sourceId, extractor: `llm:${model}`, extractorVersion: CONCEPTUALIZE_PROMPT_VERSION };
    this.#ctx = ctx;
  }

  warn(item: ConceptItem, code: string, reason: string): void {
    this.issues.push({ line: null, code, severity: 'warning', reason: `${describe(item)}: ${reason}` });
  }

  /** Writes the chain of one item (names already clean, most specific first, at least one). */
  chain(item: ConceptItem, names: readonly string[]): void {
    const ids = names.map((name, i) => this.#concept(name, item.target === 'predicate' && i === 0 ? item.name : null));
    if (item.target !== 'predicate') this.#fact(item.id, 'INSTANCE_OF', ids[0]!);
    for (let i = 0; i + 1 < ids.length; i++) this.#fact(ids[i]!, 'BROADER', ids[i + 1]!);
  }

  merge(out: ExtractOutput): void {
    for (const n of out.nodes) if (!this.nodes.has(n.id)) this.nodes.set(n.id, n);
    for (const f of out.facts) this.facts.set(f.id, f);
    this.issues.push(...out.issues);
  }

  output(): ExtractOutput {
    return { nodes: [...this.nodes.values()], events: [], facts: [...this.facts.values()], issues: this.issues };
  }

  #concept(name: string, predicate: string | null): string {
    const id = conceptId(INDUCED_NAMESPACE, name);
    const seen = this.nodes.get(id);
    const attrs: Record<string, unknown> = { ...seen?.attrs, namespace: INDUCED_NAMESPACE };
    if (predicate !== null) {
      const known = Array.isArray(attrs.predicates) ? (attrs.predicates as string[]) : [];
      attrs.predicates = known.includes(predicate) ? known : [...known, predicate].sort();
    }
    this.nodes.set(id, seen ? { ...seen, attrs } : {
      id, kind: 'Concept', name, namePriority: NamePriority.derived, attrs,
      validFrom: null, recordedAt: this.#ctx.recordedAt, sourceId: this.#ctx.sourceId,
    });
    return id;
  }

  #fact(subject: string, type: 'INSTANCE_OF' | 'BROADER', object: string): void {
    if (subject === object) return;
    const f = relation(this.#prov, {
      subject, type, predicate: type === 'INSTANCE_OF' ? 'is a' : 'is a kind of', object,
      validFrom: null, recordedAt: this.#ctx.recordedAt, confidence: INDUCED_CONFIDENCE,
    });
    this.facts.set(f.id, f);
  }
}

function describe(item: ConceptItem): string {
  const name = item.name.length > 60 ? `${item.name.slice(0, 59)}…` : item.name;
  return `${item.target} ${item.target === 'predicate' ? `"${name}"` : `${item.id} "${name}"`}`;
}

/**
 * Conceptualises `items` with the model, CONCEPTUALIZE_CHUNK items per call (calls run as the
 * client's concurrency allows). Entities and events the model leaves without a usable answer fall
 * back to the offline taxonomy (taxonomy-concepts.ts), with an issue saying so.
 * @example const out = await conceptualizeWithLlm(items, llm, { sourceId, recordedAt: Date.now() });
 */
export async function conceptualizeWithLlm(
  items: readonly ConceptItem[], llm: LlmClient, options: ConceptualizeOptions,
): Promise<ExtractOutput> {
  const chunks: ConceptItem[][] = [];
  for (let i = 0; i < items.length; i += CONCEPTUALIZE_CHUNK) chunks.push(items.slice(i, i + CONCEPTUALIZE_CHUNK));
  const answers = await Promise.all(chunks.map(async (chunk) => {
    options.signal?.throwIfAborted();
    try {
      const { value } = await llm.complete({ ...conceptualizePrompt(chunk), schema: ConceptualizeResponse, schemaName: CONCEPTUALIZE_SCHEMA_NAME }, options.usage);
      return value;
    } catch (error) {
      if (options.signal?.aborted) throw error;
      return error instanceof Error ? error : new Error(String(error));
    }
  }));
  const out = new InducedOutput(llm.model, options);
  chunks.forEach((chunk, i) => applyAnswer(chunk, answers[i]!, out, options));
  return out.output();
}

/** Maps one chunk's answer (or the error that replaced it) into `out`. */
function applyAnswer(chunk: readonly ConceptItem[], answer: ConceptualizeResponse | Error, out: InducedOutput, ctx: InductionContext): void {
  if (answer instanceof Error) {
    const first = chunk[0]!;
    out.issues.push({
      line: null, code: 'llm-conceptualize-failed', severity: 'error',
      reason: `${chunk.length} items from ${describe(first)}: ${answer.message}; taxonomy used instead`.slice(0, 1000),
    });
    out.merge(taxonomyConcepts(chunk, ctx));
    return;
  }
  const byIndex = new Map<number, string[]>();
  for (const a of answer.items) {
    const item = Number.isInteger(a.index) ? chunk[a.index - 1] : undefined;
    if (item === undefined) {
      out.issues.push({ line: null, code: 'concept-index-out-of-range', severity: 'warning', reason: `answer for item ${a.index} dropped: items are numbered 1-${chunk.length}` });
    } else if (byIndex.has(a.index)) {
      out.warn(item, 'concept-index-repeated', `answered twice; the first answer is kept`);
    } else {
      byIndex.set(a.index, a.concepts);
    }
  }
  const missed: ConceptItem[] = [];
  chunk.forEach((item, i) => {
    const raw = byIndex.get(i + 1);
    const names = raw === undefined ? [] : usableNames(item, raw, out);
    if (names.length > 0) return out.chain(item, names);
    out.warn(item, raw === undefined ? 'concept-item-missing' : 'concept-item-unusable',
      `${raw === undefined ? 'not answered' : 'no usable concept'}${item.target === 'predicate' ? '; left without concepts' : '; taxonomy used instead'}`);
    missed.push(item);
  });
  if (missed.length > 0) out.merge(taxonomyConcepts(missed, ctx));
}

/** The item's concept names that pass cleanConceptName, without repeats or its own name, at most MAX_CONCEPTS. */
function usableNames(item: ConceptItem, raw: readonly string[], out: InducedOutput): string[] {
  const names: string[] = [];
  const slugs = new Set([normalizeName(item.name)]);
  for (const text of raw) {
    const clean = cleanConceptName(text);
    if ('rejected' in clean) {
      out.warn(item, 'concept-name-rejected', `concept ${JSON.stringify(text.slice(0, 80))} rejected: ${clean.rejected}`);
      continue;
    }
    const slug = normalizeName(clean.name);
    if (slugs.has(slug)) continue; // its own name, or the same concept twice: no level of its own
    slugs.add(slug);
    names.push(clean.name);
  }
  if (names.length > MAX_CONCEPTS) out.warn(item, 'concepts-cut', `${names.length} concepts given; the first ${MAX_CONCEPTS} kept`);
  return names.slice(0, MAX_CONCEPTS);
}
