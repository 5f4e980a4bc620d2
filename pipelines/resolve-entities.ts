/**
 * Entity resolution (issue 4, item 5; ARCHITECTURE.md §5.5). Finds entities that name the same
 * thing and records each merge as a `SAME_AS` fact from the less to the more authoritative entity,
 * with its evidence. Nothing is deleted or rewritten: retracting the fact undoes the merge.
 *
 * (a) Exact canonical keys: by construction. Ids already are canonical keys — the same address,
 *     ticker or chain id, or the same kind and normalised name, is the same id and so the same node.
 *     Entities with a strong key (anything but `ent:…`) are never merged with each other: two
 *     different addresses (or assets) are two things however alike their names.
 * (b) Normalised names and aliases, within compatible kinds (KIND_GROUP).
 * (c) Embedding similarity ≥ threshold, within compatible kinds, for what (b) left unmerged.
 *
 * Only name-keyed entities (`ent:…`) are ever the subject of a merge; their target may be a
 * strong-keyed one ("USDC" read in a text → the USDC asset). A name that matches two different
 * strong-keyed entities is ambiguous and left alone.
 *
 * Idempotent: fact ids are deterministic and an entity with a visible SAME_AS already is left alone.
 * A merge an operator retracted stays retracted: re-deriving it yields the same fact id, and
 * writeBatch leaves an existing fact (retracted or not) as it is.
 */
import type { Embedder } from '../extraction/embed/embedder.ts';
import { cosine } from '../extraction/embed/embedder.ts';
import { relation, type Provenance } from '../extraction/structured/facts.ts';
import { RULES_EXTRACTOR } from '../extraction/text/rules/extract-rules.ts';
import { TAXONOMY_EXTRACTOR } from '../extraction/text/rules/taxonomy.ts';
import type { GraphStore } from '../graph/graph-store.ts';
import type { VectorStore } from '../graph/vector-store.ts';
import { InvalidArgumentError } from '../schema/errors.ts';
import { addWriteResults, emptyWriteResult, type FactInput, type Millis, type NodeRecord, type WriteResult } from '../schema/graph.ts';
import { normalizeName, sourceId } from '../schema/ids.ts';
import type { EntityKind } from '../schema/ontology.ts';
import { MAX_PAGE_SIZE } from '../schema/pagination.ts';
import { entityText } from './embed-graph.ts';

/**
 * Cosine similarity above which two compatible entities are taken to be one. High on purpose: a
 * wrong merge silently joins two entities' facts (a protocol inherits another's exploits), while a
 * missed one only leaves a duplicate; near-duplicate names ("Curve" / "Curve Finance") score well
 * below it with the hashing embedder and are left to (b) and aliases.
 */
export const SAME_AS_THRESHOLD = 0.92;
export const RESOLVER_SOURCE_ID = sourceId('entity-resolution', 'graph');
export const RESOLVER_EXTRACTOR = 'resolver';
export const RESOLVER_VERSION = '1';
const CONFIDENCE = { name: 0.9, alias: 0.85 } as const;
/** Entities compared pairwise in memory per kind group when no vector store is given (O(n²)). */
const MAX_IN_MEMORY = 5000;

/**
 * Kinds that may name the same thing. Accounts, contracts, pools and chains are keyed by address or
 * chain id (exact keys, step (a)); concepts are induced, not resolved. They never take part.
 */
const KIND_GROUP: Readonly<Partial<Record<EntityKind, string>>> = {
  Protocol: 'organisation', Exchange: 'organisation', Organization: 'organisation',
  Token: 'asset', Asset: 'asset', Person: 'person',
};
const ADDRESS_ONLY = /^0x[0-9a-fA-F]{40}$/;

export type ResolveMethod = 'name' | 'alias' | 'embedding';

export interface ResolveEntitiesOptions {
  /** With an embedder: KNN over stored entity vectors (see embed-graph.ts); without: in memory. */
  vectors?: VectorStore | null;
  /** Enables step (c). */
  embedder?: Embedder | null;
  /** @default SAME_AS_THRESHOLD */
  threshold?: number;
  signal?: AbortSignal;
  /** `recordedAt` of the SAME_AS facts. @default Date.now() */
  now?: Millis;
}

export interface ResolveEntitiesResult {
  /** Name-keyed entities considered. */
  candidates: number;
  /** SAME_AS facts produced, by method (the write counts say which were new). */
  byMethod: Record<ResolveMethod, number>;
  /** Names that matched more than one strong-keyed entity; left unmerged. */
  ambiguous: number;
  write: WriteResult;
}

interface Entity {
  node: NodeRecord;
  group: string;
  /** Not `ent:…`: an address, asset or other exact key. */
  strong: boolean;
  nameKey: string;
  aliasKeys: Set<string>;
}

interface Match {
  target: Entity;
  method: ResolveMethod;
  score: number;
  key: string | null;
}

/**
 * Resolves the visible entities and writes the SAME_AS facts; stores are left open.
 * @example const r = await resolveEntities(stores.graph, { vectors: stores.vectors, embedder });
 */
export async function resolveEntities(graph: GraphStore, options: ResolveEntitiesOptions = {}): Promise<ResolveEntitiesResult> {
  const threshold = options.threshold ?? SAME_AS_THRESHOLD;
  if (!(threshold > 0 && threshold <= 1)) throw new InvalidArgumentError('threshold', 'must be in (0, 1]');
  const entities = await loadEntities(graph, options.signal);
  const index = new Map<string, Entity[]>();
  for (const e of entities) for (const key of new Set([e.nameKey, ...e.aliasKeys])) push(index, `${e.group}|${key}`, e);
  const authority = new Authority(graph);
  const result: ResolveEntitiesResult = { candidates: 0, byMethod: { name: 0, alias: 0, embedding: 0 }, ambiguous: 0, write: emptyWriteResult() };
  const prov: Provenance = { sourceId: RESOLVER_SOURCE_ID, extractor: RESOLVER_EXTRACTOR, extractorVersion: RESOLVER_VERSION };
  const recordedAt = options.now ?? Date.now();
  const facts: FactInput[] = [];
  const unmatched: Entity[] = [];

  const choose = async (e: Entity, matches: Match[]): Promise<Match | null> => {
    const strong = new Set(matches.filter((m) => m.target.strong).map((m) => m.target.node.id));
    if (strong.size > 1) {
      result.ambiguous++;
      return null;
    }
    let best: Match | null = null;
    for (const m of matches) {
      if ((await authority.compare(m.target, e)) <= 0) continue; // the other side points here
      if (best === null || (await authority.compare(m.target, best.target)) > 0 || (m.target === best.target && m.score > best.score)) best = m;
    }
    return best;
  };
  const emit = (e: Entity, m: Match) => {
    result.byMethod[m.method]++;
    facts.push(relation(prov, {
      subject: e.node.id, type: 'SAME_AS', predicate: 'same as', object: m.target.node.id, validFrom: null, recordedAt,
      confidence: m.method === 'embedding' ? round(m.score) : CONFIDENCE[m.method],
      attrs: { evidence: { method: m.method, score: round(m.score), names: [e.node.name, m.target.node.name], ...(m.key === null ? {} : { key: m.key }) } },
    }));
  };

  // Which candidates already point somewhere (SAME_AS out): one read for all of them.
  const candidates = entities.filter((e) => !e.strong);
  const resolved = new Set<string>();
  for (let i = 0; i < candidates.length; i += MAX_PAGE_SIZE) {
    const part = candidates.slice(i, i + MAX_PAGE_SIZE).map((e) => e.node.id);
    const sameAs = await graph.factsOfEach(part, { direction: 'out', types: ['SAME_AS'], limit: 1 });
    for (const [id, found] of sameAs) if (found.length > 0) resolved.add(id);
  }

  for (const e of candidates) {
    options.signal?.throwIfAborted();
    result.candidates++;
    if (resolved.has(e.node.id)) continue;
    const matches: Match[] = [];
    for (const key of new Set([e.nameKey, ...e.aliasKeys])) {
      for (const other of index.get(`${e.group}|${key}`) ?? []) {
        if (other === e) continue;
        const method = key === e.nameKey && key === other.nameKey ? 'name' : 'alias';
        matches.push({ target: other, method, score: 1, key });
      }
    }
    // A name match beats an alias match to the same target.
    matches.sort((a, b) => (a.method === b.method ? 0 : a.method === 'name' ? -1 : 1));
    const best = matches.length > 0 ? await choose(e, matches) : null;
    if (best) emit(e, best);
    else if (matches.length === 0) unmatched.push(e);
  }

  if (options.embedder && unmatched.length > 0) {
    const similar = options.vectors
      ? await similarByVectors(unmatched, entities, options.vectors, options.embedder, threshold)
      : await similarInMemory(unmatched, entities, options.embedder, threshold);
    for (const e of unmatched) {
      const best = await choose(e, similar.get(e) ?? []);
      if (best) emit(e, best);
    }
  }

  for (let i = 0; i < facts.length; i += MAX_PAGE_SIZE) {
    addWriteResults(result.write, await graph.writeBatch({ nodes: [], events: [], facts: facts.slice(i, i + MAX_PAGE_SIZE) }));
  }
  await graph.upsertSource({
    id: RESOLVER_SOURCE_ID, uri: 'mkg:entity-resolution', kind: 'entity-resolution', contentHash: '',
    version: `${RESOLVER_EXTRACTOR}@${RESOLVER_VERSION}`, recordedAt, records: facts.length, rejected: 0,
  });
  return result;
}

/** Visible entities of the resolvable kinds; those named only by their address are left out. */
async function loadEntities(graph: GraphStore, signal?: AbortSignal): Promise<Entity[]> {
  const out: Entity[] = [];
  for (const [kind, group] of Object.entries(KIND_GROUP) as [EntityKind, string][]) {
    for (let after: string | null = null; ;) {
      signal?.throwIfAborted();
      const page: Awaited<ReturnType<GraphStore['findNodes']>> = await graph.findNodes({ kind }, { first: MAX_PAGE_SIZE, after });
      for (const { node } of page.edges) {
        const nameKey = normalizeName(node.name);
        if (nameKey === '' || ADDRESS_ONLY.test(node.name.trim())) continue;
        const aliasKeys = new Set(node.aliases.map(normalizeName).filter((k) => k !== '' && k !== nameKey));
        out.push({ node, group, strong: !node.id.startsWith('ent:'), nameKey, aliasKeys });
      }
      if (!page.hasNextPage || page.edges.length === 0) break;
      after = page.edges.at(-1)!.cursor;
    }
  }
  return out;
}

/**
 * Which of two entities is more authoritative: a strong key beats a name key; structured evidence
 * (any fact by an extractor other than the text extractors and the derived ones) beats text
 * extraction; then the older `recordedAt`; then the smaller id, so the order is total and every
 * run picks the same direction. (Name priority would come before recordedAt, but NodeRecord does
 * not expose it.)
 */
class Authority {
  readonly #graph: GraphStore;
  readonly #structured = new Map<string, Promise<boolean>>();

  constructor(graph: GraphStore) {
    this.#graph = graph;
  }

  /** > 0 when `a` is more authoritative than `b`, < 0 when less, 0 only for the same entity. */
  async compare(a: Entity, b: Entity): Promise<number> {
    if (a === b) return 0;
    if (a.strong !== b.strong) return a.strong ? 1 : -1;
    const [sa, sb] = await Promise.all([this.#isStructured(a.node.id), this.#isStructured(b.node.id)]);
    if (sa !== sb) return sa ? 1 : -1;
    if (a.node.recordedAt !== b.node.recordedAt) return b.node.recordedAt - a.node.recordedAt;
    return a.node.id < b.node.id ? 1 : -1;
  }

  #isStructured(id: string): Promise<boolean> {
    let known = this.#structured.get(id);
    if (known === undefined) {
      known = this.#graph.factsOf(id, { limit: 50 }).then((facts) => facts.some((f) => !isDerivedOrText(f.extractor)));
      this.#structured.set(id, known);
    }
    return known;
  }
}

function isDerivedOrText(extractor: string): boolean {
  return extractor === RULES_EXTRACTOR || extractor.startsWith('llm:') || extractor === TAXONOMY_EXTRACTOR || extractor === RESOLVER_EXTRACTOR;
}

/**
 * KNN over the stored entity vectors, restricted to the kinds of the entity's group. The query is
 * the text embed-graph.ts embeds for an entity (entityText), so scores compare like with like.
 */
async function similarByVectors(from: Entity[], all: Entity[], vectors: VectorStore, embedder: Embedder, threshold: number): Promise<Map<Entity, Match[]>> {
  const byId = new Map(all.map((e) => [e.node.id, e]));
  const queries = await embedder.embed(from.map((e) => entityText(e.node)));
  const out = new Map<Entity, Match[]>();
  for (const [i, e] of from.entries()) {
    const kinds = Object.entries(KIND_GROUP).filter(([, g]) => g === e.group).map(([k]) => k);
    const hits = await vectors.search({ vector: queries[i]!, k: 10, kinds });
    const matches = hits.flatMap((h) => {
      const target = byId.get(h.id);
      return target && target !== e && h.score >= threshold ? [{ target, method: 'embedding' as const, score: h.score, key: null }] : [];
    });
    out.set(e, matches);
  }
  return out;
}

/** Pairwise cosine of the names within each group (no vector store); groups past MAX_IN_MEMORY are skipped. */
async function similarInMemory(from: Entity[], all: Entity[], embedder: Embedder, threshold: number): Promise<Map<Entity, Match[]>> {
  const groups = new Map<string, Entity[]>();
  for (const e of all) push(groups, e.group, e);
  const vectors = new Map<Entity, Float32Array>();
  const usable = all.filter((e) => (groups.get(e.group)?.length ?? 0) <= MAX_IN_MEMORY);
  const embedded = await embedder.embed(usable.map((e) => e.node.name));
  usable.forEach((e, i) => vectors.set(e, embedded[i]!));
  const out = new Map<Entity, Match[]>();
  for (const e of from) {
    const v = vectors.get(e);
    if (v === undefined) continue;
    const matches: Match[] = [];
    for (const other of groups.get(e.group) ?? []) {
      const w = vectors.get(other);
      if (other === e || w === undefined) continue;
      const score = cosine(v, w);
      if (score >= threshold) matches.push({ target: other, method: 'embedding', score, key: null });
    }
    out.set(e, matches);
  }
  return out;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function round(score: number): number {
  return Math.round(score * 1000) / 1000;
}
