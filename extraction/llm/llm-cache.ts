/**
 * The LlmCache port: validated answers stored by a key that names everything the answer depends
 * on — model, schema name, both messages, temperature and token limit. Chunk ids are hashes of the
 * chunk text and the text is the user message, so an unchanged chunk asked with an unchanged
 * prompt version (carried by the schema name and the system message) hits the cache and is never
 * sent to the model twice. Adapters own their storage; see SqliteLlmCache.
 */
import { hashParts } from '../../schema/hash.ts';
import type { LlmRequest, LlmUsage } from './llm-client.ts';

/** One stored answer. */
export interface CachedAnswer {
  /** The validated JSON value, as the schema returned it. */
  value: unknown;
  model: string;
  schemaName: string;
  /** What the original answer cost, so a cache can tell how much it saved. */
  usage: LlmUsage;
  /** Epoch ms when the answer was stored. */
  createdAt: number;
}

export interface LlmCache {
  /** The answer stored under `key`, or null. */
  get(key: string): Promise<CachedAnswer | null>;
  /** Stores `answer` under `key`, replacing what was there (a stale answer the schema rejects). */
  put(key: string, answer: CachedAnswer): Promise<void>;
  /** Releases the storage; further calls fail. Closing twice is harmless. */
  close(): Promise<void>;
}

/** Bumped when the key's recipe changes, so old entries are simply never found again. */
const KEY_VERSION = 'llm-cache@1';

/**
 * The cache key of a request to `model`: hex SHA-256 of the model, schema name, system and user
 * messages, temperature (absent = 0, what adapters send) and token limit. The parts are
 * JSON-encoded first because message text may contain any character, the hash helper's
 * separator included; encoding keeps two different requests from ever joining to the same string.
 * @example const key = llmCacheKey(llm.model, { system, user, schema, schemaName: 'events_v1' });
 */
export function llmCacheKey(model: string, request: Omit<LlmRequest<unknown>, 'schema'>): string {
  const parts = [KEY_VERSION, model, request.schemaName, request.system, request.user, request.temperature ?? 0, request.maxTokens ?? null];
  return hashParts([JSON.stringify(parts)], 64);
}
