/**
 * The one place that picks an Embedder: the OpenAI-compatible one when an embedding model is
 * configured (MKG_EMBED_MODEL), the offline hashing one otherwise. Takes plain options rather than
 * `Config`, so callers map their config fields onto it and tests need no environment.
 */
import type { Config } from '../../schema/config.ts';
import type { Embedder } from './embedder.ts';
import { HashingEmbedder } from './hashing-embedder.ts';
import { OpenAiEmbedder, type OpenAiEmbedderOptions } from './openai-embedder.ts';

export interface CreateEmbedderOptions {
  /** Vector length (MKG_VECTOR_DIM). */
  dimensions: number;
  /**
   * The endpoint to use; absent, null or without a `model` → `HashingEmbedder`.
   * @default null
   */
  openai?: Omit<OpenAiEmbedderOptions, 'dimensions' | 'model'> & { model?: string | null } | null;
}

/**
 * @example
 * const embedder = createEmbedder({
 *   dimensions: config.vectorDimensions,
 *   openai: { model: process.env.MKG_EMBED_MODEL, baseURL: process.env.OPENAI_BASE_URL },
 * });
 */
export function createEmbedder(options: CreateEmbedderOptions): Embedder {
  const { openai, dimensions } = options;
  if (openai?.model) return new OpenAiEmbedder({ ...openai, model: openai.model, dimensions });
  return new HashingEmbedder({ dimensions });
}

/**
 * The Embedder the configuration asks for: the OpenAI-compatible one (MKG_EMBED_MODEL at
 * OPENAI_BASE_URL) when an endpoint is configured (`config.llm` set), the offline hashing one
 * otherwise; both with MKG_VECTOR_DIM dimensions.
 * @example const embedder = embedderFromConfig(parseConfig(process.env));
 */
export function embedderFromConfig(config: Pick<Config, 'llm' | 'vectorDimensions'>): Embedder {
  const { llm, vectorDimensions } = config;
  return createEmbedder({
    dimensions: vectorDimensions,
    openai: llm
      ? {
          model: llm.embedModel,
          ...(llm.baseURL ? { baseURL: llm.baseURL } : {}),
          ...(llm.apiKey ? { apiKey: llm.apiKey } : {}),
          batchSize: llm.embedBatch,
          maxRetries: llm.maxRetries,
          timeoutMs: llm.timeoutMs,
        }
      : null,
  });
}
