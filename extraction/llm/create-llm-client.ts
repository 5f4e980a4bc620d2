/** The one place configuration becomes an LlmClient. */
import type { Config } from '../../schema/config.ts';
import type { LlmClient } from './llm-client.ts';
import { OpenAiLlmClient } from './openai-llm-client.ts';

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
