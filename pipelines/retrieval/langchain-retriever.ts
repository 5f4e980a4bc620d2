/**
 * A LangChain `BaseRetriever` over MarketGraph's graph-RAG context (retrieveContext), so LangChain
 * agents and chains use the graph directly. Each fact comes back as a `Document` whose metadata
 * carries its fact id and source (the citation); reads are as of `asOf`, as in the API.
 * No LangChain helper that downloads anything is used: tokens are counted by retrieveContext's
 * local o200k_base tokenizer.
 */
import { BaseRetriever, type BaseRetrieverInput } from '@langchain/core/retrievers';
import { Document } from '@langchain/core/documents';
import type { GraphStore } from '../../graph/graph-store.ts';
import type { VectorStore } from '../../graph/vector-store.ts';
import type { Embedder } from '../../extraction/embed/embedder.ts';
import { retrieveContext, type ContextOptions } from './context.ts';
import { factLine, summaryLine, type ContextFact, type ContextSummary } from './serialize.ts';

export interface MarketGraphRetrieverInput extends BaseRetrieverInput {
  graph: GraphStore;
  /** With `embedder`, adds vector seeds to the lexical ones. @default null */
  vectors?: VectorStore | null;
  /** @default null */
  embedder?: Embedder | null;
  /** Epoch ms the graph is read as of; null reads it as it is now. @default null */
  asOf?: number | null;
  /** Tokens of context at most (o200k_base), 1..100,000. @default 1000 */
  tokenBudget?: number;
  /** Expansion depth from the seeds, 1..3. @default 2 */
  maxHops?: number;
  /** One Document per fact (and per hub summary) when true; one Document with the whole context text when false. @default true */
  perFact?: boolean;
  /** Retrieval tuning knobs passed through to retrieveContext. @default {} */
  options?: ContextOptions;
}

/** Metadata of a per-fact Document: the context fact, its time as ISO-8601 (null when unknown). */
export type FactDocumentMetadata = Omit<ContextFact, 'id' | 'time'> & {
  kind: 'fact';
  factId: string;
  time: string | null;
};

/** Metadata of a hub (supernode) Document: a node summarised instead of expanded. */
export interface SummaryDocumentMetadata {
  kind: 'summary';
  nodeId: string;
  name: string;
  degree: number;
  score: number;
}

/** Metadata of the single Document returned with `perFact: false`. */
export interface ContextDocumentMetadata {
  kind: 'context';
  /** The fact ids cited in the text, `[Fn]` being `factIds[n - 1]`. */
  factIds: string[];
  sources: string[];
  tokens: number;
}

export type MarketGraphDocumentMetadata = FactDocumentMetadata | SummaryDocumentMetadata | ContextDocumentMetadata;

/**
 * @example
 * const retriever = new MarketGraphRetriever({ graph, tokenBudget: 500 });
 * const docs = await retriever.invoke('What did 0x3cc1…8d exploit?');
 * docs[0].metadata // { kind: 'fact', factId: 'fact:…', type: 'EXPLOITED', source: 'src:incidents:…', … }
 */
export class MarketGraphRetriever extends BaseRetriever<MarketGraphDocumentMetadata> {
  static override lc_name(): string {
    return 'MarketGraphRetriever';
  }

  override lc_namespace = ['marketgraph', 'retrievers'];

  private readonly graph: GraphStore;
  private readonly vectors: VectorStore | null;
  private readonly embedder: Embedder | null;
  private readonly asOf: number | null;
  private readonly tokenBudget: number;
  private readonly maxHops: number;
  private readonly perFact: boolean;
  private readonly options: ContextOptions;

  constructor(fields: MarketGraphRetrieverInput) {
    super(fields);
    this.graph = fields.graph;
    this.vectors = fields.vectors ?? null;
    this.embedder = fields.embedder ?? null;
    this.asOf = fields.asOf ?? null;
    this.tokenBudget = fields.tokenBudget ?? 1000;
    this.maxHops = fields.maxHops ?? 2;
    this.perFact = fields.perFact ?? true;
    this.options = fields.options ?? {};
  }

  /** @throws InvalidArgumentError (from retrieveContext) for an empty query or bad budget/hops */
  override async _getRelevantDocuments(query: string): Promise<Document<MarketGraphDocumentMetadata>[]> {
    const ctx = await retrieveContext(
      { graph: this.graph, vectors: this.vectors, embedder: this.embedder },
      { question: query, asOf: this.asOf, tokenBudget: this.tokenBudget, maxHops: this.maxHops },
      this.options,
    );
    if (!this.perFact) {
      if (ctx.text === '') return [];
      return [new Document<MarketGraphDocumentMetadata>({
        pageContent: ctx.text,
        metadata: {
          kind: 'context', factIds: ctx.facts.map((f) => f.id), sources: [...new Set(ctx.facts.map((f) => f.source))], tokens: ctx.tokens,
        },
      })];
    }
    return [
      ...ctx.facts.map((f, i) => factDocument(f, i + 1)),
      ...ctx.summaries.map((s, i) => summaryDocument(s, i + 1)),
    ];
  }
}

function factDocument(f: ContextFact, n: number): Document<MarketGraphDocumentMetadata> {
  return new Document<MarketGraphDocumentMetadata>({
    pageContent: factLine(f, n),
    id: f.id,
    metadata: {
      kind: 'fact', factId: f.id, subject: f.subject, subjectName: f.subjectName, predicate: f.predicate, type: f.type,
      object: f.object, objectName: f.objectName, time: f.time === null ? null : new Date(f.time).toISOString(),
      confidence: f.confidence, source: f.source, chunkId: f.chunkId, score: f.score,
    },
  });
}

function summaryDocument(s: ContextSummary, n: number): Document<MarketGraphDocumentMetadata> {
  return new Document<MarketGraphDocumentMetadata>({
    pageContent: summaryLine(s, n),
    metadata: { kind: 'summary', nodeId: s.id, name: s.name, degree: s.degree, score: s.score },
  });
}
