/**
 * Documents into the graph (issue 4, item 8): markdown, plain text and JSONL documents are read,
 * cut into content-addressed chunks, and each chunk is read by the LLM extractor (three passes)
 * when a model is configured, else by the offline rule extractor. What comes back is written like
 * any structured batch, plus the chunk itself (`Chunk`, PART_OF its source) and one `MENTIONED_IN`
 * fact per entity and event the chunk named, so every text fact can be traced to its passage.
 *
 * Chunks are extracted `concurrency` at a time (the LlmClient has its own request limit); their
 * results are written in batches by one serialised writer. A chunk that fails is an error reject
 * naming the chunk and the reason; the other chunks go on.
 */
import type { Embedder } from '../../extraction/embed/embedder.ts';
import { chunkDocument, type ChunkOptions } from '../../extraction/documents/chunker.ts';
import { readDocuments, type DocumentFormat } from '../../extraction/documents/read-documents.ts';
import type { LlmClient, UsageMeter } from '../../extraction/llm/llm-client.ts';
import { relation, type Provenance } from '../../extraction/structured/facts.ts';
import type { ExtractOutput } from '../../extraction/structured/types.ts';
import { DEFAULT_LLM_CONFIDENCE, LLM_EXTRACTOR_VERSION, extractWithLlm } from '../../extraction/text/llm/extract-llm.ts';
import { RULES_EXTRACTOR, RULES_VERSION, extractWithRules } from '../../extraction/text/rules/extract-rules.ts';
import type { GraphStore } from '../../graph/graph-store.ts';
import type { VectorStore } from '../../graph/vector-store.ts';
import type { TextChunk } from '../../schema/documents.ts';
import type { ChunkInput, FactInput } from '../../schema/graph.ts';
import { assertSameDimensions } from '../embed-graph.ts';
import type { AddressChains } from './address-chains.ts';
import type { BatchWriter } from './batch-writer.ts';
import type { IssueLog } from './issue-log.ts';
import type { RunContext } from './handlers.ts';

/** How documents are read and extracted; everything is optional (offline defaults). */
export interface TextIngestOptions {
  /** The model for three-pass extraction; null or absent: the offline rule extractor. */
  llm?: LlmClient | null;
  /** Charged with every LLM call of the run (store `snapshot()` with the job). */
  usage?: UsageMeter;
  /** With `vectors`: every chunk gets a vector (kind `Chunk`) keyed by its id. */
  embedder?: Embedder | null;
  vectors?: VectorStore | null;
  chunking?: ChunkOptions;
  /** Chunks extracted at the same time. @default 8 */
  concurrency?: number;
  /** Longer documents are rejected with their size (Config.maxDocumentChars). @default 5,000,000 */
  maxDocumentChars?: number;
}

/** The file kind of document sources (`SourceRecord.kind`). */
export const DOCUMENTS_KIND = 'documents';
/** Version of this reading of documents (chunking + mention facts); part of the source version. */
export const DOCUMENTS_VERSION = '1';

/** Confidence of a rule-extracted mention: the rules found the name, they did not understand it. */
const RULES_MENTION_CONFIDENCE = 0.7;
/** Config.maxDocumentChars's default. */
export const DEFAULT_MAX_DOCUMENT_CHARS = 5_000_000;
/** Chunks per embedding request and vector upsert. */
const EMBED_BATCH = 64;

export interface DocumentsFileResult {
  /** Documents read (failed ones included). */
  records: number;
  chunks: number;
}

interface FileScope {
  store: GraphStore;
  /** Links addresses in text to the chain the graph already has them on. */
  addressChains: AddressChains;
  sourceId: string;
  ctx: RunContext;
  writer: BatchWriter;
  log: IssueLog;
  options: TextIngestOptions;
  signal?: AbortSignal;
}

/**
 * Reads one document file into the graph through `writer`. Failed documents (binary, empty, a line
 * over the length cap, not JSON) and failed chunks are logged as errors; the rest goes on.
 */
export async function ingestDocumentsFile(
  file: string,
  format: DocumentFormat,
  scope: FileScope,
  onRecord: (records: number) => void,
): Promise<DocumentsFileResult> {
  const concurrency = Math.max(1, scope.options.concurrency ?? 8);
  const inFlight = new Set<Promise<void>>();
  const vectors = new ChunkVectors(scope.options.embedder ?? null, scope.options.vectors ?? null);
  // One writer call at a time: extraction runs concurrently, batch bookkeeping must not.
  let writes = Promise.resolve();
  const write = (out: ExtractOutput, line: number | null): Promise<void> => {
    writes = writes.then(async () => {
      for (const issue of out.issues) {
        if (issue.severity === 'error') scope.log.error(line, issue.code, issue.reason);
        else scope.log.warning(line, issue.code, issue.reason);
      }
      await scope.writer.add(out, scope.log.takeErrors());
      await vectors.add(out.chunks ?? []);
    });
    return writes;
  };

  let records = 0;
  let chunks = 0;
  for await (const item of readDocuments(file, { format, signal: scope.signal })) {
    records++;
    onRecord(records);
    if (!item.ok) {
      scope.log.error(item.line, 'INVALID_DOCUMENT', item.reason, item.raw);
      continue;
    }
    for (const w of item.warnings ?? []) scope.log.warning(item.line, 'DOCUMENT_WARNING', w);
    const limit = scope.options.maxDocumentChars ?? DEFAULT_MAX_DOCUMENT_CHARS;
    if (item.record.text.length > limit) {
      scope.log.error(item.line, 'DOCUMENT_TOO_LARGE', `document ${item.record.id} is too large: `
        + `${item.record.text.length} characters; the limit is ${limit} (MKG_MAX_DOCUMENT_CHARS)`);
      continue;
    }
    let docChunks: TextChunk[];
    try {
      docChunks = chunkDocument(item.record, scope.options.chunking);
    } catch (error) {
      scope.log.error(item.line, 'INVALID_DOCUMENT', `document ${item.record.id}: ${(error as Error).message}`);
      continue;
    }
    for (const chunk of docChunks) {
      scope.signal?.throwIfAborted();
      chunks++;
      const task = extractChunk(chunk, scope).then((out) => write(out, item.line));
      inFlight.add(task);
      void task.finally(() => inFlight.delete(task));
      if (inFlight.size >= concurrency) await Promise.race(inFlight);
    }
  }
  await Promise.all(inFlight);
  await writes;
  await vectors.flush();
  return { records, chunks };
}

/** One chunk: extraction, the chunk row and its mention facts. Never throws for a bad chunk. */
async function extractChunk(chunk: TextChunk, scope: FileScope): Promise<ExtractOutput> {
  const { ctx, sourceId, options } = scope;
  const llm = options.llm ?? null;
  const prov: Provenance = llm
    ? { sourceId, extractor: `llm:${llm.model}`, extractorVersion: LLM_EXTRACTOR_VERSION }
    : { sourceId, extractor: RULES_EXTRACTOR, extractorVersion: RULES_VERSION };
  let out: ExtractOutput;
  try {
    const base = { sourceId, chainId: ctx.chainId, ingestedAt: ctx.ingestedAt, addressChains: await scope.addressChains.resolve(chunk.text) };
    out = llm
      ? await extractWithLlm(chunk, llm, { ...base, tokens: ctx.tokens }, options.usage)
      : extractWithRules(chunk, base);
  } catch (error) {
    // The extractors report bad model answers as issues; a throw here is a bug or an abort.
    if (scope.signal?.aborted) throw error;
    out = {
      nodes: [], events: [], facts: [],
      issues: [{ line: null, code: 'CHUNK_FAILED', reason: `chunk ${chunk.id}: ${(error as Error).message}`, severity: 'error' }],
    };
  }
  const stored = chunkInput(chunk, sourceId, ctx.ingestedAt);
  const confidence = llm ? DEFAULT_LLM_CONFIDENCE : RULES_MENTION_CONFIDENCE;
  return { ...out, chunks: [stored], facts: [...out.facts, ...mentionFacts(out, stored, prov, confidence)] };
}

function chunkInput(chunk: TextChunk, sourceId: string, ingestedAt: number): ChunkInput {
  return { ...chunk, sourceId, recordedAt: chunk.publishedAt ?? ingestedAt };
}

/** `(entity|event)-[:MENTIONED_IN]->(chunk)` for everything the extraction named (concepts aside). */
function mentionFacts(out: ExtractOutput, chunk: ChunkInput, prov: Provenance, confidence: number): FactInput[] {
  const ids = [
    ...out.nodes.filter((n) => n.kind !== 'Concept').map((n) => n.id),
    ...out.events.map((e) => e.id),
  ];
  return [...new Set(ids)].map((subject) => ({
    ...relation(prov, {
      subject, type: 'MENTIONED_IN', predicate: 'mentioned in', object: chunk.id,
      validFrom: null, recordedAt: chunk.recordedAt, confidence,
    }),
    chunkId: chunk.id,
  }));
}

/** Buffers written chunks and gives them vectors in batches (when an embedder and a store are set). */
class ChunkVectors {
  readonly #embedder: Embedder | null;
  readonly #vectors: VectorStore | null;
  #pending: ChunkInput[] = [];

  /** @throws ConfigError when the embedder's dimension is not the store's (MKG_VECTOR_DIM) */
  constructor(embedder: Embedder | null, vectors: VectorStore | null) {
    if (embedder && vectors) assertSameDimensions(embedder, vectors);
    this.#embedder = embedder;
    this.#vectors = vectors;
  }

  async add(chunks: ChunkInput[]): Promise<void> {
    if (!this.#embedder || !this.#vectors) return;
    this.#pending.push(...chunks);
    if (this.#pending.length >= EMBED_BATCH) await this.flush();
  }

  async flush(): Promise<void> {
    const embedder = this.#embedder;
    const vectors = this.#vectors;
    const batch = this.#pending;
    this.#pending = [];
    if (!embedder || !vectors || batch.length === 0) return;
    const embedded = await embedder.embed(batch.map((c) => c.text));
    await vectors.upsert(batch.map((c, i) => ({
      id: c.id, vector: embedded[i]!, kind: 'Chunk', validFrom: c.recordedAt, validTo: null,
    })));
  }
}
