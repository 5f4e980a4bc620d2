/**
 * CachingLlmClient over a real SQLite cache file, wrapping the real OpenAiLlmClient that talks to a
 * loopback OpenAI-compatible server (test/fixtures/fake-openai.ts): every cache miss is an HTTP
 * request the server records, every hit is none.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CachingLlmClient } from '../../../extraction/llm/caching-llm-client.ts';
import { llmCacheKey } from '../../../extraction/llm/llm-cache.ts';
import { emptyUsage, UsageMeter } from '../../../extraction/llm/llm-client.ts';
import { OpenAiLlmClient } from '../../../extraction/llm/openai-llm-client.ts';
import { SqliteLlmCache } from '../../../extraction/llm/sqlite-llm-cache.ts';
import { SqliteGraphStore } from '../../../graph/sqlite/sqlite-graph-store.ts';
import { LlmHttpError } from '../../../schema/errors.ts';
import { startFakeOpenAi, type FakeOpenAi, type FakeStep } from '../../fixtures/fake-openai.ts';
import { useTempFiles } from '../../fixtures/temp-files.ts';

const Entities = z.object({ entities: z.array(z.object({ name: z.string(), kind: z.enum(['Protocol', 'Token']) })) });
const request = { system: 'Extract entities. v1', user: 'Curve Finance lost CRV.', schema: Entities, schemaName: 'entities_v1' };
const VALUE = { entities: [{ name: 'Curve Finance', kind: 'Protocol' as const }, { name: 'CRV', kind: 'Token' as const }] };
const GOOD: FakeStep = { content: JSON.stringify(VALUE), usage: { prompt_tokens: 40, completion_tokens: 12 } };

const tmp = useTempFiles('mkg-llm-cache-');
let fake: FakeOpenAi;
let cache: SqliteLlmCache;
let dbFile: string;
let n = 0;
beforeEach(async () => {
  fake = await startFakeOpenAi();
  dbFile = tmp.path(`cache-${++n}/graph.db`);
  cache = new SqliteLlmCache(dbFile);
});
afterEach(async () => {
  await cache.close();
  await fake.close();
});

const inner = (model = 'test-model') => new OpenAiLlmClient({ model, baseURL: fake.url, apiKey: 'test-key', backoff: { baseMs: 5 }, maxRetries: 0 });
const caching = (model?: string) => new CachingLlmClient(inner(model), cache);

describe('CachingLlmClient', () => {
  it('asks the server on a miss and answers a repeat from the cache with zero requests', async () => {
    fake.script([GOOD]);
    const llm = caching();
    const first = await llm.complete(request);
    expect(first.value).toEqual(VALUE);
    expect(fake.requests).toHaveLength(1);
    const second = await llm.complete(request);
    expect(second.value).toEqual(VALUE);
    expect(fake.requests).toHaveLength(1);
    expect(second.usage).toEqual({ ...emptyUsage(), cached: 1 });
  });

  it('charges tokens and calls on a miss and only `cached` on a hit', async () => {
    fake.script([GOOD]);
    const llm = caching();
    const meter = new UsageMeter();
    const miss = await llm.complete(request, meter);
    expect(miss.usage).toEqual({ ...emptyUsage(), promptTokens: 40, completionTokens: 12, calls: 1 });
    await llm.complete(request, meter);
    await llm.complete(request, meter);
    expect(meter.snapshot()).toEqual({ ...emptyUsage(), promptTokens: 40, completionTokens: 12, calls: 1, cached: 2 });
  });

  it('keeps answers across reopening the cache file', async () => {
    fake.script([GOOD]);
    await caching().complete(request);
    await cache.close();
    cache = new SqliteLlmCache(dbFile);
    const again = await caching().complete(request);
    expect(again.value).toEqual(VALUE);
    expect(fake.requests).toHaveLength(1);
    const stored = await cache.get(llmCacheKey('test-model', request));
    expect(stored).toMatchObject({ model: 'test-model', schemaName: 'entities_v1', value: VALUE, usage: { promptTokens: 40, calls: 1 } });
    expect(stored!.createdAt).toBeGreaterThan(Date.UTC(2024, 0, 1));
  });

  it('asks again for a different model, prompt text or schema name', async () => {
    fake.script([GOOD, GOOD, GOOD, GOOD, GOOD]);
    await caching().complete(request);
    await caching('other-model').complete(request);
    await caching().complete({ ...request, user: 'Curve Finance lost CRV!' });
    await caching().complete({ ...request, system: 'Extract entities. v2' });
    await caching().complete({ ...request, schemaName: 'entities_v2' });
    expect(fake.requests).toHaveLength(5);
    await caching('other-model').complete(request);
    expect(fake.requests).toHaveLength(5);
  });

  it('re-asks when the cached value no longer passes the schema, and overwrites it', async () => {
    const key = llmCacheKey('test-model', request);
    await cache.put(key, { value: { entities: 'Curve' }, model: 'test-model', schemaName: 'entities_v1', usage: emptyUsage(), createdAt: 1 });
    fake.script([GOOD]);
    const meter = new UsageMeter();
    const result = await caching().complete(request, meter);
    expect(result.value).toEqual(VALUE);
    expect(fake.requests).toHaveLength(1);
    expect(meter.snapshot()).toMatchObject({ calls: 1, cached: 0 });
    expect((await cache.get(key))!.value).toEqual(VALUE);
  });

  it('does not cache failures, and charges what the failed request cost', async () => {
    fake.script([{ status: 400, body: { error: { message: 'Bad request', type: 'invalid_request_error' } } }, GOOD]);
    const llm = caching();
    const meter = new UsageMeter();
    await expect(llm.complete(request, meter)).rejects.toBeInstanceOf(LlmHttpError);
    expect(meter.snapshot()).toMatchObject({ calls: 1, cached: 0 });
    expect(await cache.get(llmCacheKey('test-model', request))).toBeNull();
    expect((await llm.complete(request)).value).toEqual(VALUE);
    expect(fake.requests).toHaveLength(2);
  });

  it('shares one request among identical requests in flight at the same time', async () => {
    fake.script([{ ...GOOD, delayMs: 50 }]);
    const llm = caching();
    const meter = new UsageMeter();
    const results = await Promise.all(Array.from({ length: 5 }, () => llm.complete(request, meter)));
    expect(fake.requests).toHaveLength(1);
    for (const r of results) expect(r.value).toEqual(VALUE);
    expect(results[1]!.value).not.toBe(results[0]!.value);
    expect(meter.snapshot()).toMatchObject({ calls: 1, cached: 4, promptTokens: 40 });
  });

  it('hands a failure to every request sharing it, then asks afresh', async () => {
    fake.script([{ status: 400, body: { error: { message: 'Bad request', type: 'invalid_request_error' } }, delayMs: 30 }, GOOD]);
    const llm = caching();
    const settled = await Promise.allSettled([llm.complete(request), llm.complete(request)]);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
    expect(fake.requests).toHaveLength(1);
    expect((await llm.complete(request)).value).toEqual(VALUE);
  });
});

describe('llmCacheKey', () => {
  const key = (over: Partial<typeof request & { temperature: number; maxTokens: number }> = {}, model = 'm') => llmCacheKey(model, { ...request, ...over });

  it('is a stable sha-256 hex of model, schema name, messages, temperature and token limit', () => {
    expect(key()).toMatch(/^[0-9a-f]{64}$/);
    expect(key()).toBe(key());
    expect(key({ temperature: 0 })).toBe(key());
    const variants = [key({}, 'm2'), key({ schemaName: 'x' }), key({ system: 'x' }), key({ user: 'x' }), key({ temperature: 0.5 }), key({ maxTokens: 100 })];
    expect(new Set([key(), ...variants]).size).toBe(7);
  });

  it('cannot be fooled by moving text across the message boundary', () => {
    expect(key({ system: 'a\u001fb', user: 'c' })).not.toBe(key({ system: 'a', user: 'b\u001fc' }));
  });
});

describe('SqliteLlmCache', () => {
  it('works in memory', async () => {
    const memory = new SqliteLlmCache(':memory:');
    await memory.put('k', { value: [1], model: 'm', schemaName: 's', usage: emptyUsage(), createdAt: 5 });
    expect(await memory.get('k')).toEqual({ value: [1], model: 'm', schemaName: 's', usage: emptyUsage(), createdAt: 5 });
    expect(await memory.get('other')).toBeNull();
    await memory.close();
    await memory.close();
  });

  it('shares a file with the embedded graph store', async () => {
    const store = SqliteGraphStore.open(dbFile);
    try {
      await cache.put('k', { value: { a: 1 }, model: 'm', schemaName: 's', usage: emptyUsage(), createdAt: 5 });
      expect((await cache.get('k'))!.value).toEqual({ a: 1 });
      expect((await store.stats()).entities).toBe(0);
    } finally {
      await store.close();
    }
  });
});

describe('fake-openai keyed replay', () => {
  it('answers concurrent different requests by their content, each after the fixed latency', async () => {
    const keyed = await startFakeOpenAi({
      latencyMs: 30,
      replay: (body) => ({ content: JSON.stringify({ entities: [{ name: body.messages[1].content, kind: 'Token' }] }) }),
    });
    try {
      const llm = new CachingLlmClient(new OpenAiLlmClient({ model: 'm', baseURL: keyed.url, apiKey: 'k', concurrency: 4 }), cache);
      const names = ['CRV', 'ETH', 'USDC', 'DAI'];
      const started = Date.now();
      const results = await Promise.all(names.map((user) => llm.complete({ ...request, user })));
      expect(results.map((r) => r.value.entities[0]!.name)).toEqual(names);
      expect(keyed.requests).toHaveLength(4);
      expect(keyed.maxInFlight()).toBe(4);
      expect(Date.now() - started).toBeGreaterThanOrEqual(28);
    } finally {
      await keyed.close();
    }
  });
});
