/** The pieces under OpenAiLlmClient: backoff timing, the semaphore, JSON output parsing, usage, config. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { backoffDelay, retryAfterMs } from '../../../extraction/llm/backoff.ts';
import { createLlmClient } from '../../../extraction/llm/create-llm-client.ts';
import { parseJsonOutput, toResponseSchema } from '../../../extraction/llm/json-output.ts';
import { UsageMeter } from '../../../extraction/llm/llm-client.ts';
import { OpenAiLlmClient } from '../../../extraction/llm/openai-llm-client.ts';
import { Semaphore } from '../../../extraction/llm/semaphore.ts';
import { parseConfig } from '../../../schema/config.ts';
import { ConfigError } from '../../../schema/errors.ts';

const headers = (h: Record<string, string>) => new Headers(h);

describe('backoff', () => {
  it('reads retry-after in seconds, as an HTTP date, and retry-after-ms', () => {
    expect(retryAfterMs(headers({ 'retry-after': '2' }))).toBe(2000);
    expect(retryAfterMs(headers({ 'retry-after': '0.5' }))).toBe(500);
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(retryAfterMs(headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:03 GMT' }), now)).toBe(3000);
    expect(retryAfterMs(headers({ 'retry-after': 'Tue, 31 Dec 2024 23:59:00 GMT' }), now)).toBe(0);
    expect(retryAfterMs(headers({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
    expect(retryAfterMs(headers({ 'retry-after': 'soon' }))).toBeNull();
    expect(retryAfterMs(null)).toBeNull();
  });

  it('grows exponentially with jitter, capped, and lets the server decide when it says', () => {
    expect(backoffDelay(0, null, { baseMs: 100 }, () => 0)).toBe(50);
    expect(backoffDelay(0, null, { baseMs: 100 }, () => 0.999)).toBe(99);
    expect(backoffDelay(3, null, { baseMs: 100 }, () => 0)).toBe(400);
    expect(backoffDelay(20, null, { baseMs: 100, capMs: 1000 }, () => 1)).toBe(1000);
    expect(backoffDelay(5, headers({ 'retry-after': '1' }), { baseMs: 100 }, () => 0)).toBe(1000);
    expect(backoffDelay(0, headers({ 'retry-after': '3600' }), { capMs: 5000 }, () => 0)).toBe(5000);
  });
});

describe('Semaphore', () => {
  it('never runs more than its limit and releases on failure', async () => {
    const gate = new Semaphore(2);
    let active = 0;
    let peak = 0;
    const task = (fail: boolean) =>
      gate.run(async () => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 5));
        active--;
        if (fail) throw new Error('x');
        return 1;
      });
    const results = await Promise.allSettled([task(true), task(false), task(true), task(false), task(false)]);
    expect(peak).toBe(2);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect(await task(false)).toBe(1);
    expect(() => new Semaphore(0)).toThrow(RangeError);
  });
});

describe('parseJsonOutput', () => {
  const Schema = z.object({ n: z.number() });

  it('accepts bare JSON, fenced JSON and JSON after a sentence', () => {
    expect(parseJsonOutput('{"n":1}', Schema)).toEqual({ ok: true, value: { n: 1 } });
    expect(parseJsonOutput('```json\n{"n":2}\n```', Schema)).toEqual({ ok: true, value: { n: 2 } });
    expect(parseJsonOutput('Here it is: {"n":3} — done.', Schema)).toEqual({ ok: true, value: { n: 3 } });
  });

  it('says why an answer is rejected', () => {
    expect(parseJsonOutput('{"n":', Schema)).toMatchObject({ ok: false, reason: expect.stringMatching(/^not valid JSON/) });
    expect(parseJsonOutput('no json here', Schema)).toMatchObject({ ok: false, reason: expect.stringMatching(/^not valid JSON/) });
    expect(parseJsonOutput('{"n":"1"}', Schema)).toMatchObject({ ok: false, reason: expect.stringMatching(/does not match the schema: n: /) });
  });

  it('makes a response schema without $schema', () => {
    const schema = toResponseSchema(Schema);
    expect(schema.$schema).toBeUndefined();
    expect(schema).toMatchObject({ type: 'object', properties: { n: { type: 'number' } }, required: ['n'] });
  });
});

describe('UsageMeter', () => {
  it('sums and snapshots', () => {
    const meter = new UsageMeter();
    meter.add({ promptTokens: 3, calls: 1 });
    const before = meter.snapshot();
    meter.add({ promptTokens: 2, completionTokens: 4, calls: 2, retries: 1, repairs: 1 });
    expect(before).toEqual({ promptTokens: 3, completionTokens: 0, calls: 1, retries: 0, repairs: 0, cached: 0 });
    expect(meter.snapshot()).toEqual({ promptTokens: 5, completionTokens: 4, calls: 3, retries: 1, repairs: 1, cached: 0 });
  });
});

describe('LLM config and createLlmClient', () => {
  it('is offline (null) with neither OPENAI_BASE_URL nor OPENAI_API_KEY, whatever else is set', () => {
    const config = parseConfig({ MKG_LLM_MODEL: 'x', MKG_LLM_CONCURRENCY: 'lots' });
    expect(config.llm).toBeNull();
    expect(createLlmClient(config)).toBeNull();
  });

  it('has defaults once an endpoint is configured', () => {
    expect(parseConfig({ OPENAI_API_KEY: 'sk-test' }).llm).toEqual({
      baseURL: null,
      apiKey: 'sk-test',
      model: 'gpt-4o-mini',
      concurrency: 4,
      timeoutMs: 60_000,
      maxRetries: 3,
      embedModel: 'text-embedding-3-small',
      embedBatch: 64,
      cachePath: null,
    });
  });

  it('reads every variable and builds an OpenAiLlmClient', () => {
    const config = parseConfig({
      OPENAI_BASE_URL: 'http://localhost:11434/v1',
      MKG_LLM_MODEL: 'llama3.1:8b',
      MKG_LLM_CONCURRENCY: '8',
      MKG_LLM_TIMEOUT_MS: '30000',
      MKG_LLM_MAX_RETRIES: '0',
      MKG_EMBED_MODEL: 'nomic-embed-text',
      MKG_EMBED_BATCH: '16',
      MKG_LLM_CACHE: '/tmp/llm-cache.db',
    });
    expect(config.llm).toEqual({
      baseURL: 'http://localhost:11434/v1',
      apiKey: null,
      model: 'llama3.1:8b',
      concurrency: 8,
      timeoutMs: 30_000,
      maxRetries: 0,
      embedModel: 'nomic-embed-text',
      embedBatch: 16,
      cachePath: '/tmp/llm-cache.db',
    });
    const llm = createLlmClient(config);
    expect(llm).toBeInstanceOf(OpenAiLlmClient);
    expect(llm?.model).toBe('llama3.1:8b');
  });

  it('names the bad variable', () => {
    expect(() => parseConfig({ OPENAI_BASE_URL: 'localhost:8000' })).toThrow(ConfigError);
    expect(() => parseConfig({ OPENAI_BASE_URL: 'localhost:8000' })).toThrow(/OPENAI_BASE_URL/);
    expect(() => parseConfig({ OPENAI_API_KEY: 'k', MKG_LLM_CONCURRENCY: '0' })).toThrow(/MKG_LLM_CONCURRENCY/);
    expect(() => parseConfig({ OPENAI_API_KEY: 'k', MKG_EMBED_BATCH: 'x' })).toThrow(/MKG_EMBED_BATCH/);
  });
});
