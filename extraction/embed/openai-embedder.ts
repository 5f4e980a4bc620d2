/**
 * Embeddings from any OpenAI-compatible endpoint (OpenAI, vLLM, NVIDIA NIM, Ollama) through the
 * `openai` client. Texts are sent in batches; each batch's vectors are put back in input order by
 * their `index` (servers are not obliged to keep order) and checked against the configured length.
 * Transient failures (429, 5xx, connection errors, timeouts) are retried a few times with
 * exponential backoff, honouring `retry-after`/`retry-after-ms`. This policy is deliberately small
 * and local; the chat client has its own.
 */
import OpenAI from 'openai';
import { InvalidArgumentError } from '../../schema/errors.ts';
import type { Embedder } from './embedder.ts';
import { EmbeddingDimensionError, EmbeddingResponseError } from './errors.ts';
import { retryAfterMs } from '../llm/backoff.ts';

/** Re-exported: one retry-after parser serves the chat and the embeddings clients. */
export { retryAfterMs };

export interface OpenAiEmbedderOptions {
  /** Model name as the server knows it (MKG_EMBED_MODEL), e.g. `text-embedding-3-small`. */
  model: string;
  /** Length every returned vector must have; must equal MKG_VECTOR_DIM. */
  dimensions: number;
  /**
   * Also send `dimensions` in the request, asking the model to shorten its vectors (OpenAI
   * text-embedding-3-* and some servers support it; others reject the field). @default false
   */
  requestDimensions?: boolean;
  /** A ready client; when given, `baseURL`, `apiKey` and `timeoutMs` are ignored. */
  client?: OpenAI;
  /** API base URL ending in `/v1` (OPENAI_BASE_URL). @default the client's default (api.openai.com) */
  baseURL?: string;
  /** API key (OPENAI_API_KEY); local servers usually accept anything. @default 'not-needed' */
  apiKey?: string;
  /** Texts per request (MKG_EMBED_BATCH). @default 64 */
  batchSize?: number;
  /** Retries of one batch after a transient failure. @default 4 */
  maxRetries?: number;
  /** First backoff delay; doubles per retry, with jitter. @default 500 */
  retryBaseMs?: number;
  /** Upper bound for any one wait, `retry-after` included. @default 30_000 */
  maxRetryDelayMs?: number;
  /** Per-request timeout of a client built here. @default 60_000 */
  timeoutMs?: number;
  /** How to wait between retries; tests pass one that records the delays. @default setTimeout */
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The OpenAI-compatible `Embedder`; `model` is the server's model name. */
export class OpenAiEmbedder implements Embedder {
  readonly dimensions: number;
  readonly model: string;
  readonly #client: OpenAI;
  readonly #batchSize: number;
  readonly #requestDimensions: boolean;
  readonly #maxRetries: number;
  readonly #retryBaseMs: number;
  readonly #maxRetryDelayMs: number;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(options: OpenAiEmbedderOptions) {
    if (!options.model) throw new InvalidArgumentError('model', 'an embedding model name is required');
    if (!Number.isInteger(options.dimensions) || options.dimensions < 1) {
      throw new InvalidArgumentError('dimensions', `expected a positive integer, got ${options.dimensions}`);
    }
    const batchSize = options.batchSize ?? 64;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new InvalidArgumentError('batchSize', `expected a positive integer, got ${batchSize}`);
    }
    this.model = options.model;
    this.dimensions = options.dimensions;
    this.#batchSize = batchSize;
    this.#requestDimensions = options.requestDimensions ?? false;
    this.#maxRetries = options.maxRetries ?? 4;
    this.#retryBaseMs = options.retryBaseMs ?? 500;
    this.#maxRetryDelayMs = options.maxRetryDelayMs ?? 30_000;
    this.#sleep = options.sleep ?? defaultSleep;
    this.#client =
      options.client ??
      new OpenAI({
        ...(options.baseURL ? { baseURL: options.baseURL } : {}),
        apiKey: options.apiKey || 'not-needed',
        timeout: options.timeoutMs ?? 60_000,
        maxRetries: 0, // retries are ours, so `retry-after` and the attempt count are in one place
      });
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    // Batches run one after another: the order of requests is predictable and a rate-limited
    // server is not hit by a burst.
    for (let start = 0; start < texts.length; start += this.#batchSize) {
      out.push(...(await this.#embedBatch(texts.slice(start, start + this.#batchSize))));
    }
    return out;
  }

  async #embedBatch(batch: string[]): Promise<Float32Array[]> {
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await this.#client.embeddings.create({
          model: this.model,
          // Empty strings are rejected by OpenAI; a single space embeds as "nothing".
          input: batch.map((t) => (t.length === 0 ? ' ' : t)),
          encoding_format: 'float', // base64 is not implemented by every compatible server
          ...(this.#requestDimensions ? { dimensions: this.dimensions } : {}),
        });
        return this.#reorder(batch.length, response.data);
      } catch (error) {
        const delay = attempt < this.#maxRetries ? this.#retryDelay(error, attempt) : null;
        if (delay === null) throw error;
        await this.#sleep(delay);
      }
    }
  }

  #reorder(expected: number, data: readonly { index: number; embedding: number[] | ArrayLike<number> }[]): Float32Array[] {
    if (!Array.isArray(data) || data.length !== expected) {
      throw new EmbeddingResponseError(this.model, `expected ${expected} embeddings, got ${Array.isArray(data) ? data.length : 'none'}`);
    }
    const out = new Array<Float32Array | undefined>(expected);
    for (const item of data) {
      const { index, embedding } = item;
      if (!Number.isInteger(index) || index < 0 || index >= expected || out[index]) {
        throw new EmbeddingResponseError(this.model, `bad or duplicate index ${String(index)} in a batch of ${expected}`);
      }
      if (embedding?.length !== this.dimensions) {
        if (typeof embedding?.length === 'number') throw new EmbeddingDimensionError(this.model, this.dimensions, embedding.length);
        throw new EmbeddingResponseError(this.model, `embedding ${index} is not a list of numbers`);
      }
      const vector = Float32Array.from(embedding);
      if (vector.some((x) => !Number.isFinite(x))) {
        throw new EmbeddingResponseError(this.model, `embedding ${index} contains a non-finite number`);
      }
      out[index] = vector;
    }
    return out as Float32Array[];
  }

  /** Milliseconds to wait before retrying, or null when the error is not transient. */
  #retryDelay(error: unknown, attempt: number): number | null {
    const transient =
      error instanceof OpenAI.APIConnectionError || // includes timeouts
      (error instanceof OpenAI.APIError && typeof error.status === 'number' && (error.status === 429 || error.status >= 500));
    if (!transient) return null;
    const hinted = error instanceof OpenAI.APIError ? retryAfterMs(error.headers) : null;
    const backoff = this.#retryBaseMs * 2 ** attempt * (0.5 + Math.random() / 2);
    return Math.min(hinted ?? backoff, this.#maxRetryDelayMs);
  }
}

