/**
 * An LlmClient that answers from an LlmCache when it can and asks the wrapped client otherwise,
 * so re-ingesting the same documents makes zero LLM calls. Identical requests in flight at the
 * same time share one inner call, so concurrency cannot make duplicate calls either.
 */
import { llmCacheKey, type LlmCache } from './llm-cache.ts';
import { emptyUsage, UsageMeter, type LlmClient, type LlmRequest, type LlmResult } from './llm-client.ts';

export class CachingLlmClient implements LlmClient {
  readonly model: string;
  readonly #inner: LlmClient;
  readonly #cache: LlmCache;
  /** The pending answer of each key being asked right now. */
  readonly #inFlight = new Map<string, Promise<unknown>>();

  /**
   * The cache does not own `inner` or `cache`: whoever made them closes them.
   * @example const llm = new CachingLlmClient(new OpenAiLlmClient({ model }), new SqliteLlmCache(dbPath));
   */
  constructor(inner: LlmClient, cache: LlmCache) {
    this.model = inner.model;
    this.#inner = inner;
    this.#cache = cache;
  }

  /**
   * As LlmClient.complete. A cache hit, or an answer shared with an identical request already in
   * flight, costs nothing and is charged as `{ cached: 1 }`. Failures are not cached. The schema
   * must accept its own output (no transforms), since a cached value is validated again.
   */
  async complete<T>(request: LlmRequest<T>, meter?: UsageMeter): Promise<LlmResult<T>> {
    const key = llmCacheKey(this.model, request);
    const pending = this.#inFlight.get(key);
    if (pending) {
      // A copy, so callers sharing one answer cannot change each other's value.
      const value = structuredClone((await pending) as T);
      meter?.add({ cached: 1 });
      return { value, usage: { ...emptyUsage(), cached: 1 } };
    }
    const spent = new UsageMeter();
    const answer = this.#answer(key, request, spent);
    this.#inFlight.set(key, answer);
    try {
      return { value: await answer, usage: spent.snapshot() };
    } finally {
      this.#inFlight.delete(key);
      meter?.add(spent.snapshot());
    }
  }

  /** The cached value if the schema still takes it, else the inner client's answer, stored. */
  async #answer<T>(key: string, request: LlmRequest<T>, spent: UsageMeter): Promise<T> {
    const hit = await this.#cache.get(key);
    if (hit) {
      // A schema that changed without a new schema name would otherwise serve answers it rejects.
      const parsed = request.schema.safeParse(hit.value);
      if (parsed.success) {
        spent.add({ cached: 1 });
        return parsed.data;
      }
    }
    const result = await this.#inner.complete(request, spent);
    await this.#cache.put(key, {
      value: result.value,
      model: this.model,
      schemaName: request.schemaName,
      usage: result.usage,
      createdAt: Date.now(),
    });
    return result.value;
  }
}
