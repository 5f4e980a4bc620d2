/**
 * Step 1 of retrieval: the graph ids a question is about. Exact identifiers (addresses, tx hashes,
 * tickers, CAIP ids) are resolved against the graph; BM25 over names, event summaries and chunk
 * text, and vector search when a VectorStore and Embedder are given, add ranked candidates; the
 * lists are fused by reciprocal rank. Every candidate is checked visible at `asOf` through the
 * graph, since a vector payload knows only world time, not when a row was recorded.
 */
import type { GraphStore } from '../../graph/graph-store.ts';
import type { VectorStore } from '../../graph/vector-store.ts';
import type { Embedder } from '../../extraction/embed/embedder.ts';
import { GENERIC_WORDS } from '../../extraction/text/rules/lexicon.ts';
import { accountId, isChunkId, nftCollectionId, tokenId } from '../../schema/ids.ts';
import { fuse, type RankedList, type SeedVia } from './fuse.ts';
import { labelsOf } from './labels.ts';
import { extractMentions } from './mentions.ts';

/**
 * An id the question names outright (an address, a CAIP id, a ticker) outweighs any text match: in
 * the fused seed scores — the restart distribution of the PageRank — one exact seed counts like the
 * top hit of ten text retrievers, so a question with a common word ("exploit") still centres on the
 * address it asks about.
 */
export const EXACT_SEED_WEIGHT = 10;

export interface Seed {
  id: string;
  name: string;
  via: SeedVia[];
  /** Fused (RRF) score; exact identifiers always rank first. */
  score: number;
}

export interface SeedDeps {
  graph: GraphStore;
  vectors?: VectorStore | null;
  embedder?: Embedder | null;
}

export interface SeedOptions {
  asOf: number | null;
  /** Hits taken from each BM25 query and from the vector search. @default 10 */
  perList?: number;
  /** Seeds kept (exact identifiers are always kept). @default 12 */
  maxSeeds?: number;
}

/** Question words that carry no search value besides the generic nouns of the rule extractor. */
const QUESTION_WORDS = new Set([
  'what', 'who', 'whom', 'whose', 'which', 'why', 'how', 'did', 'does', 'do', 'is', 'are', 'was', 'were',
  'has', 'have', 'had', 'about', 'know', 'tell', 'me', 'happened', 'happen', 'any', 'there', 'can', 'you',
  'show', 'give', 'list', 'explain', 'involved', 'involving', 'related', 'between', 'the',
]);
const MAX_TERMS = 8;
const CHUNKS_PER_QUERY = 3;
const MENTIONS_PER_CHUNK = 20;
/** Log indexes probed for a tx hash's on-chain events (ids are `evt:<type>:<chain>:<hash>:<i>`). */
const LOG_PROBE = 64;
const LOG_EVENT_TYPES = ['transfer', 'swap', 'deposit', 'withdrawal'];
/** Vector hits fetched per kept one: some are dropped as not visible at asOf. */
const VECTOR_OVERFETCH = 3;

/** Seeds of `question`, best first. */
export async function findSeeds(deps: SeedDeps, question: string, options: SeedOptions): Promise<Seed[]> {
  const { graph } = deps;
  const asOf = options.asOf;
  const perList = options.perList ?? 10;
  const exact = await exactIds(graph, question, asOf);
  const lists: RankedList[] = [{ via: 'exact', ids: exact, weight: EXACT_SEED_WEIGHT }];
  for (const query of searchQueries(question)) lists.push({ via: 'bm25', ids: await bm25Ids(graph, query, asOf, perList) });
  if (deps.vectors && deps.embedder && deps.vectors.dimensions === deps.embedder.dimensions) {
    const [vector] = await deps.embedder.embed([question]);
    // The vector store filters on world time and a present-day retracted flag only; what was
    // recorded by `asOf` and not retracted by then is the graph's to say. So: ask for retracted
    // points too (under asOf), over-fetch, and keep only hits the graph shows at asOf — before
    // fusing, so an invisible hit cannot take a rank and move the visible seeds' scores.
    const hits = await deps.vectors.search({ vector: vector!, k: perList * VECTOR_OVERFETCH, asOf, includeRetracted: asOf !== null });
    const ids = await expandChunks(graph, hits.map((h) => h.id), asOf);
    const shown = await labelsOf(graph, ids, asOf);
    lists.push({ via: 'vector', ids: ids.filter((id) => shown.has(id)).slice(0, perList) });
  }
  const fused = fuse(lists);
  const labels = await labelsOf(graph, fused.map((f) => f.id), asOf);
  const visible = fused.filter((f) => labels.has(f.id));
  const exactSet = new Set(exact);
  const kept = [
    ...visible.filter((f) => exactSet.has(f.id)),
    ...visible.filter((f) => !exactSet.has(f.id)).slice(0, Math.max(0, (options.maxSeeds ?? 12) - exact.length)),
  ];
  return kept.map((f) => ({ id: f.id, name: labels.get(f.id)!.name, via: f.via, score: f.score }));
}

/** Ids the question names exactly and the graph has (visibility is checked by the caller). */
export async function exactIds(graph: GraphStore, question: string, asOf: number | null): Promise<string[]> {
  const m = extractMentions(question);
  if (!m.addresses.length && !m.txHashes.length && !m.tickers.length && !m.ids.length) return [];
  const chains = await chainIds(graph);
  const candidates: string[] = [...m.ids];
  for (const address of m.addresses) {
    for (const chain of chains) candidates.push(accountId(chain, address), tokenId(chain, address), nftCollectionId(chain, address));
  }
  for (const hash of m.txHashes) {
    for (const chain of chains) {
      candidates.push(`evt:deployment:eip155:${chain}:${hash}:0`);
      for (const type of LOG_EVENT_TYPES) for (let i = 0; i < LOG_PROBE; i++) candidates.push(`evt:${type}:eip155:${chain}:${hash}:${i}`);
    }
  }
  for (const ticker of m.tickers) candidates.push(`asset:crypto:${ticker}`, `ent:token:${ticker.toLowerCase()}`);
  const found: string[] = [];
  for (let i = 0; i < candidates.length; i += 500) {
    const present = await graph.exists(candidates.slice(i, i + 500));
    for (const id of candidates.slice(i, i + 500)) if (present.has(id)) found.push(id);
  }
  for (const ticker of m.tickers) found.push(...await tokensBySymbol(graph, ticker, asOf));
  // Text that quotes a tx hash (post-mortems, incident notes) is how hashes off-chain are found.
  for (const hash of m.txHashes) found.push(...await bm25Ids(graph, hash, asOf, 5));
  return [...new Set(found)];
}

/** The free-text queries for BM25: the whole question, its capitalised phrases, its content words. */
export function searchQueries(question: string): string[] {
  const text = question.replace(/0x[0-9a-fA-F]+|eip155:\S+|asset:\S+/g, ' ');
  const words = text.match(/[\p{L}\p{N}]+/gu) ?? [];
  const phrases = (text.match(/\p{Lu}[\p{L}\p{N}]*(?:[\s:'-]+\p{Lu}[\p{L}\p{N}]*)+/gu) ?? []).map((p) => p.trim());
  const terms = words.filter((w) => w.length >= 3 && !GENERIC_WORDS.has(w.toLowerCase()) && !QUESTION_WORDS.has(w.toLowerCase()));
  const queries = [words.join(' '), ...phrases, ...terms.slice(0, MAX_TERMS)].filter((q) => q.trim() !== '');
  return [...new Set(queries)];
}

async function bm25Ids(graph: GraphStore, query: string, asOf: number | null, first: number): Promise<string[]> {
  const hits = await graph.search(query, { asOf, first });
  const chunks = await graph.searchChunks(query, { asOf, first: CHUNKS_PER_QUERY });
  return [...hits.map((h) => h.id), ...await expandChunks(graph, chunks.map((c) => c.chunk.id), asOf)];
}

/** Chunk ids replaced by the entities and events mentioned in them, in order. */
async function expandChunks(graph: GraphStore, ids: string[], asOf: number | null): Promise<string[]> {
  const out: string[] = [];
  for (const id of ids) {
    if (!isChunkId(id)) {
      out.push(id);
      continue;
    }
    const facts = await graph.factsOf(id, { asOf, direction: 'in', types: ['MENTIONED_IN'], limit: MENTIONS_PER_CHUNK });
    out.push(...facts.map((f) => f.subject));
  }
  return out;
}

/** Chain ids per store, re-read after a while: chains are reference data that rarely change. */
const chainCache = new WeakMap<GraphStore, { at: number; chains: Promise<number[]> }>();
const CHAIN_CACHE_MS = 10 * 60_000;

async function chainIds(graph: GraphStore): Promise<number[]> {
  const cached = chainCache.get(graph);
  if (cached && Date.now() - cached.at < CHAIN_CACHE_MS) return cached.chains;
  const chains = (async () => {
    const out = new Set<number>([1]);
    let after: string | null = null;
    for (;;) {
      const page = await graph.findNodes({ kind: 'Chain' }, { first: 500, after });
      for (const { node } of page.edges) {
        const m = /^eip155:(\d+)$/.exec(node.id);
        if (m) out.add(Number(m[1]));
      }
      if (!page.hasNextPage || !page.edges.length) break;
      after = page.edges.at(-1)!.cursor;
    }
    return [...out].sort((a, b) => a - b);
  })();
  chainCache.set(graph, { at: Date.now(), chains });
  return chains;
}

async function tokensBySymbol(graph: GraphStore, symbol: string, asOf: number | null): Promise<string[]> {
  const page = await graph.findNodes({ nameContains: symbol }, { first: 100 }, { asOf });
  return page.edges
    .filter(({ node }) => (node.kind === 'Token' || node.kind === 'Asset')
      && (String(node.attrs.symbol ?? '').toUpperCase() === symbol || node.name.toUpperCase() === symbol))
    .map((e) => e.node.id);
}
