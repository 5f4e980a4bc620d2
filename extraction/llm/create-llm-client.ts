/** The one place configuration becomes an LlmClient. */
import type { Config } from '../../schema/config.ts';
import type { LlmClient } from './llm-client.ts';
import { CachingLlmClient } from './caching-llm-client.ts';
import { OpenAiLlmClient } from './openai-llm-client.ts';
import { SqliteLlmCache } from './sqlite-llm-cache.ts';

/**
 * The configured LlmClient, or null when no endpoint is configured (offline: text extraction
 * falls back to the rule-based extractor).
 * @example const llm = createLlmClient(parseConfig(process.env));
 */
export function createLlmClient(config: Pick<Config, 'llm'>): LlmClient | null {
  const llm = config.llm;
  if (!llm) return null;
  return new OpenAiLlmClient({
    model: llm.model,
    baseURL: llm.baseURL,
    apiKey: llm.apiKey,
    timeoutMs: llm.timeoutMs,
    maxRetries: llm.maxRetries,
    concurrency: llm.concurrency,
  });
}

/** The configured client behind its answer cache, and how to release the cache. */
export interface CachedLlm {
  llm: LlmClient;
  close(): Promise<void>;
}

/**
 * The configured LlmClient wrapped in the answer cache (MKG_LLM_CACHE, default the MKG_DB file),
 * so an unchanged chunk is never sent twice; null when offline.
 * @example const cached = createCachedLlmClient(config); try { … } finally { await cached?.close(); }
 */
export function createCachedLlmClient(config: Pick<Config, 'llm' | 'dbPath'>): CachedLlm | null {
  const inner = createLlmClient(config);
  if (!inner || !config.llm) return null;
  const cache = new SqliteLlmCache(config.llm.cachePath ?? config.dbPath);
  return { llm: new CachingLlmClient(inner, cache), close: () => cache.close() };
}
