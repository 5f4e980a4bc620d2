/**
 * Schema induction over the stored graph (issue 4, item 4; ARCHITECTURE.md §5.4): every visible
 * entity and text-searchable event is conceptualised — with the LLM and the context of its
 * neighbours when one is configured, else with the offline taxonomy — into `Concept` nodes,
 * `INSTANCE_OF` and `BROADER` facts. With an LLM, the verbatim predicates met along the way are
 * conceptualised too (concepts carry `attrs.predicates`); offline their canonical type is their
 * abstraction already.
 *
 * Idempotent: ids are deterministic, and an item that already has an INSTANCE_OF fact from the
 * current conceptualiser version is not asked again (no second LLM bill), so a second run adds
 * nothing. All induced facts name one fixed source, `sourceId('schema-induction', 'graph')`.
 *
 * Predicates come from the facts read for context, not from `GraphStore.predicateCounts`, which is
 * not implemented by every adapter yet; switch to it once it is (counts would then be complete).
 */
import { taxonomyConcepts, type InductionContext } from '../extraction/induction/taxonomy-concepts.ts';
import { CONCEPTUALIZE_PROMPT_VERSION, MAX_CONTEXT_LINES, type ConceptItem } from '../extraction/induction/conceptualize-prompt.ts';
import { conceptualizeWithLlm, INDUCED_NAMESPACE } from '../extraction/induction/llm-conceptualizer.ts';
import type { LlmClient, UsageMeter } from '../extraction/llm/llm-client.ts';
import type { ExtractIssue, ExtractOutput } from '../extraction/structured/types.ts';
import { TAXONOMY_EXTRACTOR, TAXONOMY_VERSION } from '../extraction/text/rules/taxonomy.ts';
import type { GraphStore } from '../graph/graph-store.ts';
import { InvalidArgumentError } from '../schema/errors.ts';
import { addWriteResults, emptyWriteResult, type FactRecord, type Millis, type WriteResult } from '../schema/graph.ts';
import { hashParts } from '../schema/hash.ts';
import { EVENT_ID_PREFIX, isChunkId, sourceId } from '../schema/ids.ts';
import { ENTITY_KINDS, EVENT_TYPES, isTextSearchable, type RelType } from '../schema/ontology.ts';
import { MAX_PAGE_SIZE } from '../schema/pagination.ts';

/** The one source every induced node and fact names. */
export const SCHEMA_INDUCTION_SOURCE_ID = sourceId('schema-induction', 'graph');

/** Facts that are schema or bookkeeping, not content: never context, never predicates to conceptualise. */
const NOT_CONTENT: ReadonlySet<RelType> = new Set<RelType>(['INSTANCE_OF', 'BROADER', 'SAME_AS', 'MENTIONED_IN']);
const CONTENT_TYPES = ['PARTICIPANT', 'TRANSFERRED_TO', 'HOLDS', 'EXPLOITED', 'DEPLOYED', 'LISTED_ON', 'ON_CHAIN', 'HAS_LABEL', 'CAUSES', 'PRECEDES', 'FOLLOWS', 'SAME_TIME', 'RESULTS_IN', 'RELATED_TO'] as const satisfies readonly RelType[];
/** Facts read per item: a few for context, the rest only for predicates. */
const FACTS_PER_ITEM = 20;
const ADDRESS_ONLY = /^0x[0-9a-fA-F]{40}$/;

export interface InduceSchemaProgress {
  items: number;
  batches: number;
}

export interface InduceSchemaOptions {
  /** The model; null for the offline taxonomy. */
  llm: LlmClient | null;
  /** Charged with every LLM call of the run. */
  usage?: UsageMeter;
  /** Items per conceptualise-and-write round. @default 100 */
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?: (progress: InduceSchemaProgress) => void;
  /** `recordedAt` of what this run writes. @default Date.now() */
  now?: Millis;
}

export interface InduceSchemaResult {
  /** Entities, events and predicates conceptualised this run (already induced ones are skipped). */
  items: number;
  /** Distinct concepts produced. */
  concepts: number;
  /** INSTANCE_OF and BROADER facts produced (the write counts say which were new). */
  instanceOf: number;
  broader: number;
  issues: number;
  /** The first 100 issues. */
  issueSamples: ExtractIssue[];
  write: WriteResult;
}

/**
 * Conceptualises the graph and writes the induced schema; the store is left open.
 * @example const r = await induceSchema(stores.graph, { llm: null }); // offline taxonomy
 */
export async function induceSchema(graph: GraphStore, options: InduceSchemaOptions): Promise<InduceSchemaResult> {
  const batchSize = options.batchSize ?? 100;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new InvalidArgumentError('batchSize', 'must be a positive integer');
  const ctx: InductionContext = { sourceId: SCHEMA_INDUCTION_SOURCE_ID, recordedAt: options.now ?? Date.now() };
  const { llm } = options;
  const extractor = llm ? `llm:${llm.model}` : TAXONOMY_EXTRACTOR;
  const version = llm ? CONCEPTUALIZE_PROMPT_VERSION : TAXONOMY_VERSION;
  const run = new InductionRun(graph, await inducedPredicates(graph));
  const conceptualize = (items: ConceptItem[]): Promise<ExtractOutput> =>
    llm ? conceptualizeWithLlm(items, llm, { ...ctx, usage: options.usage, signal: options.signal }) : Promise.resolve(taxonomyConcepts(items, ctx));

  const predicates = new Map<string, ConceptItem>();
  let pending: ConceptItem[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    const items = pending;
    pending = [];
    await run.write(await conceptualize(items));
    run.items += items.length;
    options.onProgress?.({ items: run.items, batches: ++run.batches });
  };
  // A page of items at a time, so a server store is asked once per page, not once per item.
  for await (const page of thingPages(graph, options.signal)) {
    const induced = await graph.factsOfEach(page.map((t) => t.id), { direction: 'out', types: ['INSTANCE_OF'], limit: 50 });
    const isDone = (t: Thing) => (induced.get(t.id) ?? []).some((f) => f.extractor === extractor && f.extractorVersion === version);
    // Offline, an item already conceptualised needs nothing more; with a model its facts still
    // name predicates that may not be covered yet.
    const open = page.filter((t) => llm !== null || !isDone(t));
    if (open.length === 0) continue;
    const factsOf = await graph.factsOfEach(open.map((t) => t.id), { types: [...CONTENT_TYPES], limit: FACTS_PER_ITEM });
    const names = await run.names([...factsOf.values()].flat(), open);
    for (const thing of open) {
      const facts = factsOf.get(thing.id) ?? [];
      if (llm) collectPredicates(facts, names, predicates, run.coveredPredicates);
      if (isDone(thing)) continue;
      pending.push({ ...thing, context: contextLines(facts, thing.id, names) });
      if (pending.length >= batchSize) await flush();
    }
  }
  for (const item of predicates.values()) {
    pending.push(item);
    if (pending.length >= batchSize) await flush();
  }
  await flush();

  await graph.upsertSource({
    id: SCHEMA_INDUCTION_SOURCE_ID, uri: 'mkg:schema-induction', kind: 'schema-induction',
    contentHash: hashParts([extractor, version]), version: `${extractor}@${version}`,
    recordedAt: ctx.recordedAt, records: run.items, rejected: run.issues.filter((i) => i.severity === 'error').length,
  });
  return {
    items: run.items, concepts: run.concepts.size, instanceOf: run.instanceOf, broader: run.broader,
    issues: run.issues.length, issueSamples: run.issues.slice(0, 100), write: run.result,
  };
}

/** Running totals and the name cache of one run. */
class InductionRun {
  items = 0;
  batches = 0;
  instanceOf = 0;
  broader = 0;
  readonly concepts = new Set<string>();
  readonly issues: ExtractIssue[] = [];
  readonly result: WriteResult = emptyWriteResult();
  /** Verbatim predicates some induced concept covers already (stored or written this run). */
  readonly coveredPredicates = new Set<string>();
  readonly #graph: GraphStore;
  readonly #names = new Map<string, string>();
  /** Per induced concept id, the predicates it covers, so a new batch extends the list, not replaces it. */
  readonly #predicates: Map<string, Set<string>>;

  constructor(graph: GraphStore, predicates: Map<string, Set<string>>) {
    this.#graph = graph;
    this.#predicates = predicates;
    for (const set of predicates.values()) for (const p of set) this.coveredPredicates.add(p);
  }

  /** Writes one conceptualised batch; predicate lists are unioned with what the store already has. */
  async write(out: ExtractOutput): Promise<void> {
    for (const node of out.nodes) {
      this.concepts.add(node.id);
      const added = node.attrs?.predicates;
      if (!Array.isArray(added)) continue;
      const all = this.#predicates.get(node.id) ?? new Set<string>();
      for (const p of added as string[]) {
        all.add(p);
        this.coveredPredicates.add(p);
      }
      this.#predicates.set(node.id, all);
      node.attrs = { ...node.attrs, predicates: [...all].sort() };
    }
    for (const f of out.facts) {
      if (f.type === 'INSTANCE_OF') this.instanceOf++;
      else if (f.type === 'BROADER') this.broader++;
    }
    this.issues.push(...out.issues);
    addWriteResults(this.result, await this.#graph.writeBatch({ nodes: out.nodes, events: [], facts: out.facts }));
  }

  /** Display names of the other ends of `facts` (entity names, event summaries), cached. */
  async names(facts: readonly FactRecord[], selves: readonly Thing[]): Promise<Map<string, string>> {
    for (const self of selves) this.#names.set(self.id, self.name);
    const wanted = new Set<string>();
    for (const f of facts) for (const id of [f.subject, f.object]) if (!isChunkId(id) && !this.#names.has(id)) wanted.add(id);
    const entities = [...wanted].filter((id) => !id.startsWith(EVENT_ID_PREFIX));
    for (let i = 0; i < entities.length; i += MAX_PAGE_SIZE) {
      const page = await this.#graph.findNodes({ ids: entities.slice(i, i + MAX_PAGE_SIZE) }, { first: MAX_PAGE_SIZE });
      for (const { node } of page.edges) this.#names.set(node.id, node.name);
    }
    for (const id of wanted) {
      if (!id.startsWith(EVENT_ID_PREFIX)) continue;
      const event = await this.#graph.getEvent(id);
      if (event) this.#names.set(id, event.summary);
    }
    return this.#names;
  }
}

type Thing = Omit<ConceptItem, 'context'>;

/**
 * Visible entities (all kinds but Concept) and text-searchable events, a page at a time. Entities
 * named only by their address are skipped: there can be thousands, and a bare address tells a
 * model (or the taxonomy) nothing a concept could add — their labels already classify them.
 */
async function* thingPages(graph: GraphStore, signal?: AbortSignal): AsyncGenerator<Thing[]> {
  for (const kind of ENTITY_KINDS) {
    if (kind === 'Concept') continue;
    for (let after: string | null = null; ;) {
      signal?.throwIfAborted();
      const page: Awaited<ReturnType<GraphStore['findNodes']>> = await graph.findNodes({ kind }, { first: MAX_PAGE_SIZE, after });
      yield page.edges
        .filter(({ node }) => !ADDRESS_ONLY.test(node.name.trim()))
        .map(({ node }): Thing => ({ id: node.id, target: 'entity', name: node.name, kind: node.kind }));
      if (!page.hasNextPage || page.edges.length === 0) break;
      after = page.edges.at(-1)!.cursor;
    }
  }
  for (const type of EVENT_TYPES) {
    if (!isTextSearchable(type)) continue;
    for (let after: string | null = null; ;) {
      signal?.throwIfAborted();
      const page: Awaited<ReturnType<GraphStore['findEvents']>> = await graph.findEvents({ type }, { first: MAX_PAGE_SIZE, after });
      yield page.edges.map(({ node }): Thing => ({ id: node.id, target: 'event', name: node.summary, kind: node.type }));
      if (!page.hasNextPage || page.edges.length === 0) break;
      after = page.edges.at(-1)!.cursor;
    }
  }
}

/** "exploited → Bizness" for facts out of `self`, "exploited ← Lazarus Group" for facts into it. */
function contextLines(facts: readonly FactRecord[], self: string, names: Map<string, string>): string[] {
  const lines = new Set<string>();
  for (const f of facts) {
    if (NOT_CONTENT.has(f.type)) continue;
    const out = f.subject === self;
    const other = names.get(out ? f.object : f.subject);
    if (other === undefined) continue;
    lines.add(`${f.predicate} ${out ? '→' : '←'} ${other}`);
    if (lines.size >= MAX_CONTEXT_LINES) break;
  }
  return [...lines];
}

/**
 * Adds the verbatim predicates of `facts` not conceptualised yet (participant roles are roles, not
 * predicates), each with up to MAX_CONTEXT_LINES example uses.
 */
function collectPredicates(facts: readonly FactRecord[], names: Map<string, string>, into: Map<string, ConceptItem>, covered: ReadonlySet<string>): void {
  for (const f of facts) {
    if (f.type === 'PARTICIPANT' || NOT_CONTENT.has(f.type)) continue;
    const wording = f.predicate.trim();
    if (wording === '' || covered.has(wording)) continue;
    const item = into.get(wording) ?? { id: wording, target: 'predicate', name: wording, kind: f.type, context: [] };
    into.set(wording, item);
    const s = names.get(f.subject);
    const o = names.get(f.object);
    const example = `${s ?? f.subject} ${wording} ${o ?? f.object}`;
    if (item.context.length < MAX_CONTEXT_LINES && !item.context.includes(example)) item.context.push(example);
  }
}

/** Induced concepts' `attrs.predicates` as stored: which wordings are conceptualised already. */
async function inducedPredicates(graph: GraphStore): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (let after: string | null = null; ;) {
    const page: Awaited<ReturnType<GraphStore['findNodes']>> = await graph.findNodes({ kind: 'Concept' }, { first: MAX_PAGE_SIZE, after });
    for (const { node } of page.edges) {
      if (node.attrs.namespace === INDUCED_NAMESPACE && Array.isArray(node.attrs.predicates)) out.set(node.id, new Set(node.attrs.predicates as string[]));
    }
    if (!page.hasNextPage || page.edges.length === 0) break;
    after = page.edges.at(-1)!.cursor;
  }
  return out;
}
