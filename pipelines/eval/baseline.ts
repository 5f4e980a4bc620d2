/**
 * The vector-only baseline the evaluation compares graph-RAG against: embed the question with the
 * same Embedder, take the top-k entities, events and chunks by cosine, and serialise the facts of
 * each hit, best hit first, into the same token budget with the same line format
 * (retrieval/serialize.ts). No exact-id seeds, no BM25, no expansion beyond the hits' own facts,
 * no graph ranking: what "RAG over embeddings of the graph" gives without the graph.
 */
import type { Embedder } from '../../extraction/embed/embedder.ts';
import type { GraphStore } from '../../graph/graph-store.ts';
import type { VectorStore } from '../../graph/vector-store.ts';
import type { FactRecord } from '../../schema/graph.ts';
import { labelsOf } from '../retrieval/labels.ts';
import { factTime } from '../retrieval/rank.ts';
import { serialize, type ContextEntry, type Serialized } from '../retrieval/serialize.ts';

export interface BaselineDeps {
  graph: GraphStore;
  vectors: VectorStore;
  embedder: Embedder;
}

export interface BaselineRequest {
  question: string;
  asOf?: number | null;
  /** @default 1000 */
  tokenBudget?: number;
}

export interface BaselineOptions {
  /** Vector hits taken. @default 20 */
  k?: number;
  /** Facts read per hit. @default 50 */
  factsPerHit?: number;
}

export interface BaselineResult extends Serialized {
  hits: { id: string; score: number }[];
}

/**
 * @example const ctx = await vectorOnlyContext({ graph, vectors, embedder }, { question, tokenBudget: 1000 });
 */
export async function vectorOnlyContext(deps: BaselineDeps, request: BaselineRequest, options: BaselineOptions = {}): Promise<BaselineResult> {
  const { question, asOf = null, tokenBudget = 1000 } = request;
  const [vector] = await deps.embedder.embed([question]);
  const found = await deps.vectors.search({ vector: vector!, k: options.k ?? 20, asOf });
  // A vector payload knows world time only; the graph decides what was recorded by `asOf`.
  const visible = await labelsOf(deps.graph, found.map((h) => h.id), asOf);
  const hits = found.filter((h) => visible.has(h.id));
  const seen = new Set<string>();
  const ranked: { fact: FactRecord; score: number }[] = [];
  for (const [rank, hit] of hits.entries()) {
    for (const fact of await deps.graph.factsOf(hit.id, { asOf, limit: options.factsPerHit ?? 50 })) {
      if (seen.has(fact.id)) continue;
      seen.add(fact.id);
      ranked.push({ fact, score: 1 / (rank + 1) });
    }
  }
  const labels = await labelsOf(deps.graph, ranked.flatMap(({ fact }) => [fact.subject, fact.object]), asOf);
  const name = (id: string): string => labels.get(id)?.name ?? id;
  const entries = ranked.map(({ fact, score }): ContextEntry => ({
    kind: 'fact',
    fact: {
      id: fact.id, subject: fact.subject, subjectName: name(fact.subject), predicate: fact.predicate, type: fact.type,
      object: fact.object, objectName: name(fact.object), time: factTime(fact), confidence: fact.confidence,
      source: fact.sourceId, chunkId: fact.chunkId, score,
    },
  }));
  return { ...serialize(entries, tokenBudget), hits: hits.map((h) => ({ id: h.id, score: h.score })) };
}
