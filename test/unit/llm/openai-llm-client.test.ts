/**
 * OpenAiLlmClient through the real `openai` package against a loopback OpenAI-compatible server
 * that replays scripted answers (test/fixtures/fake-openai.ts).
 */
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { UsageMeter } from '../../../extraction/llm/llm-client.ts';
import { OpenAiLlmClient, type OpenAiLlmClientOptions } from '../../../extraction/llm/openai-llm-client.ts';
import {
  LlmEmptyResponseError,
  LlmError,
  LlmHttpError,
  LlmInvalidOutputError,
  LlmRateLimitError,
  LlmTimeoutError,
} from '../../../schema/errors.ts';
import { hashVector, startFakeOpenAi, type FakeOpenAi } from '../../fixtures/fake-openai.ts';

const Entities = z.object({
  entities: z.array(z.object({ name: z.string(), kind: z.enum(['Protocol', 'Token', 'Person']) })),
});
const request = { system: 'Extract entities.', user: 'Curve Finance lost CRV.', schema: Entities, schemaName: 'entities_v1' };
const GOOD = '{"entities":[{"name":"Curve Finance","kind":"Protocol"},{"name":"CRV","kind":"Token"}]}';
const GOOD_VALUE = { entities: [{ name: 'Curve Finance', kind: 'Protocol' }, { name: 'CRV', kind: 'Token' }] };

let fake: FakeOpenAi;
beforeEach(async () => {
  fake = await startFakeOpenAi();
});
afterEach(async () => {
  await fake.close();
});

function client(options: Partial<OpenAiLlmClientOptions> = {}): OpenAiLlmClient {
  return new OpenAiLlmClient({ model: 'test-model', baseURL: fake.url, apiKey: 'test-key', backoff: { baseMs: 10 }, ...options });
}

const chats = () => fake.requests.filter((r) => r.path === '/v1/chat/completions');

describe('OpenAiLlmClient', () => {
  it('returns a valid answer, sending a strict json_schema and temperature 0', async () => {
    fake.script([{ content: GOOD, usage: { prompt_tokens: 40, completion_tokens: 12 } }]);
    const result = await client().complete(request);
    expect(result.value).toEqual(GOOD_VALUE);
    expect(result.usage).toEqual({ promptTokens: 40, completionTokens: 12, calls: 1, retries: 0, repairs: 0, cached: 0 });
    const [sent] = chats();
    expect(sent!.headers.authorization).toBe('Bearer test-key');
    expect(sent!.body).toMatchObject({
      model: 'test-model',
      temperature: 0,
      messages: [{ role: 'system', content: 'Extract entities.' }, { role: 'user', content: 'Curve Finance lost CRV.' }],
      response_format: { type: 'json_schema', json_schema: { name: 'entities_v1', strict: true, schema: { type: 'object' } } },
    });
    expect(sent!.body.response_format.json_schema.schema.$schema).toBeUndefined();
  });

  it('sends invalid JSON back with the parse error and accepts the repaired answer', async () => {
    fake.script([{ content: '{"entities": [ {"name": "Curve' }, { content: GOOD }]);
    const result = await client().complete(request);
    expect(result.value).toEqual(GOOD_VALUE);
    expect(result.usage).toMatchObject({ calls: 2, retries: 0, repairs: 1, cached: 0 });
    const repair = chats()[1]!.body.messages;
    expect(repair).toHaveLength(4);
    expect(repair[2]).toEqual({ role: 'assistant', content: '{"entities": [ {"name": "Curve' });
    expect(repair[3].role).toBe('user');
    expect(repair[3].content).toMatch(/not valid JSON/);
    expect(repair[3].content).toMatch(/corrected JSON object only/);
  });

  it('waits as long as retry-after says on a 429, then succeeds and counts the retry', async () => {
    fake.script([
      { status: 429, headers: { 'retry-after': '1' }, body: { error: { message: 'Rate limit reached', type: 'rate_limit_exceeded' } } },
      { content: GOOD },
    ]);
    const started = Date.now();
    const result = await client().complete(request);
    const [first, second] = chats();
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(950);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(result.value).toEqual(GOOD_VALUE);
    expect(result.usage).toMatchObject({ calls: 2, retries: 1, repairs: 0, cached: 0 });
  });

  it('gives up with LlmRateLimitError when 429s outlast the retries', async () => {
    const limited = { status: 429, headers: { 'retry-after-ms': '5' }, body: { error: { message: 'slow down' } } };
    fake.script([limited, limited, limited]);
    const meter = new UsageMeter();
    await expect(client({ maxRetries: 2 }).complete(request, meter)).rejects.toThrow(LlmRateLimitError);
    expect(meter.snapshot()).toMatchObject({ calls: 3, retries: 2 });
  });

  it('times out each attempt and throws LlmTimeoutError after the bounded retries', async () => {
    fake.script([
      { content: GOOD, delayMs: 2000 },
      { content: GOOD, delayMs: 2000 },
    ]);
    const meter = new UsageMeter();
    const started = Date.now();
    const error = await client({ timeoutMs: 150, maxRetries: 1 }).complete(request, meter).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmTimeoutError);
    expect((error as LlmError).code).toBe('LLM_ERROR');
    expect((error as Error).message).toMatch(/timed out after 150 ms \(2 attempts\)/);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(meter.snapshot()).toMatchObject({ calls: 2, retries: 1, promptTokens: 0 });
  });

  it('retries a 5xx and reports LlmHttpError with the status once retries run out', async () => {
    const down = { status: 503, body: { error: { message: 'overloaded' } } };
    fake.script([down, down]);
    const error = await client({ maxRetries: 1 }).complete(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmHttpError);
    expect((error as LlmHttpError).status).toBe(503);
    expect(chats()).toHaveLength(2);
  });

  it('does not retry a 401', async () => {
    fake.script([{ status: 401, body: { error: { message: 'Incorrect API key provided' } } }, { content: GOOD }]);
    const error = await client().complete(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmHttpError);
    expect((error as LlmHttpError).status).toBe(401);
    expect((error as Error).message).toMatch(/Incorrect API key/);
    expect(chats()).toHaveLength(1);
  });

  it('reports an empty choice list clearly', async () => {
    fake.script([
      {
        status: 200,
        body: { id: 'chatcmpl-x', object: 'chat.completion', created: 1, model: 'test-model', choices: [], usage: { prompt_tokens: 5, completion_tokens: 0, total_tokens: 5 } },
      },
    ]);
    const meter = new UsageMeter();
    const error = await client().complete(request, meter).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmEmptyResponseError);
    expect((error as Error).message).toBe('LLM test-model: empty answer: the server returned no choices');
    expect(meter.snapshot()).toMatchObject({ calls: 1, promptTokens: 5 });
  });

  it('reports a choice without content (a refusal) as an empty answer', async () => {
    fake.script([{ content: null, finishReason: 'content_filter' }]);
    await expect(client().complete(request)).rejects.toThrow(/empty answer: no content \(finish_reason content_filter\)/);
  });

  it('falls back to json_object once when the server rejects json_schema, and remembers it', async () => {
    fake.script([
      {
        status: 400,
        body: { error: { message: "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.", type: 'invalid_request_error', param: 'response_format', code: null } },
      },
      { content: GOOD },
      { content: GOOD },
    ]);
    const llm = client();
    const first = await llm.complete(request);
    expect(first.value).toEqual(GOOD_VALUE);
    expect(first.usage).toMatchObject({ calls: 2, retries: 0 });
    expect(llm.responseFormat).toBe('json_object');
    await llm.complete(request);
    const [rejected, fallback, later] = chats();
    expect(rejected!.body.response_format.type).toBe('json_schema');
    expect(fallback!.body.response_format).toEqual({ type: 'json_object' });
    expect(fallback!.body.messages[0].content).toMatch(/JSON Schema/);
    expect(fallback!.body.messages[0].content).toContain('"entities"');
    expect(later!.body.response_format).toEqual({ type: 'json_object' });
  });

  it('throws LlmInvalidOutputError carrying the last raw answer when repairs run out', async () => {
    fake.script([
      { content: '{"entities":[{"name":"Curve","kind":"Dex"}]}' },
      { content: 'Sure! Here are the entities: Curve (a DEX).' },
      { content: '{"entities":"Curve"}' },
    ]);
    const meter = new UsageMeter();
    const error = await client({ maxRepairs: 2 }).complete(request, meter).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmInvalidOutputError);
    const invalid = error as LlmInvalidOutputError;
    expect(invalid.raw).toBe('{"entities":"Curve"}');
    expect(invalid.schemaName).toBe('entities_v1');
    expect(invalid.reason).toMatch(/does not match the schema: entities/);
    expect(invalid.message).toMatch(/after 2 repairs/);
    expect(invalid.message).toContain('{\\"entities\\":\\"Curve\\"}');
    expect(meter.snapshot()).toMatchObject({ calls: 3, repairs: 2, retries: 0 });
    // The second repair carries the prose answer and its parse error, not the whole transcript.
    const last = chats()[2]!.body.messages;
    expect(last).toHaveLength(4);
    expect(last[2].content).toMatch(/^Sure!/);
  });

  it('truncates a huge raw answer in the error', async () => {
    fake.script([{ content: 'x'.repeat(10_000) }]);
    const error = (await client({ maxRepairs: 0 }).complete(request).catch((e: unknown) => e)) as LlmInvalidOutputError;
    expect(error).toBeInstanceOf(LlmInvalidOutputError);
    expect(error.raw.length).toBe(2000);
    expect(error.message.length).toBeLessThan(800);
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    fake.script(Array.from({ length: 6 }, () => ({ content: GOOD, delayMs: 80 })));
    const llm = client({ concurrency: 2 });
    const results = await Promise.all(Array.from({ length: 6 }, () => llm.complete(request)));
    expect(results.map((r) => r.value)).toEqual(Array(6).fill(GOOD_VALUE));
    expect(fake.maxInFlight()).toBe(2);
  });

  it('sums tokens, calls, retries and repairs across calls in a UsageMeter', async () => {
    fake.script([
      { status: 500, body: { error: { message: 'boom' } } },
      { content: GOOD, usage: { prompt_tokens: 100, completion_tokens: 20 } },
      { content: 'not json', usage: { prompt_tokens: 50, completion_tokens: 3 } },
      { content: GOOD, usage: { prompt_tokens: 70, completion_tokens: 20 } },
    ]);
    const meter = new UsageMeter();
    const llm = client();
    const a = await llm.complete(request, meter);
    const b = await llm.complete({ ...request, maxTokens: 256, temperature: 0.2 }, meter);
    expect(a.usage).toEqual({ promptTokens: 100, completionTokens: 20, calls: 2, retries: 1, repairs: 0, cached: 0 });
    expect(b.usage).toEqual({ promptTokens: 120, completionTokens: 23, calls: 2, retries: 0, repairs: 1, cached: 0 });
    expect(meter.snapshot()).toEqual({ promptTokens: 220, completionTokens: 43, calls: 4, retries: 1, repairs: 1, cached: 0 });
    expect(chats()[2]!.body).toMatchObject({ max_tokens: 256, temperature: 0.2 });
  });
});

describe('fake-openai embeddings', () => {
  it('answers deterministic unit vectors in float and base64 encodings', async () => {
    const openai = new OpenAI({ baseURL: fake.url, apiKey: 'k', maxRetries: 0 });
    const b64 = await openai.embeddings.create({ model: 'm', input: ['alpha', 'beta'] });
    const floats = await openai.embeddings.create({ model: 'm', input: 'alpha', encoding_format: 'float', dimensions: 4 });
    expect(b64.data.map((d) => d.embedding)).toEqual([hashVector('alpha', 8), hashVector('beta', 8)]);
    expect(floats.data[0]!.embedding).toEqual(hashVector('alpha', 4));
    expect(Math.hypot(...hashVector('alpha', 8))).toBeCloseTo(1, 5);
    expect(b64.usage.prompt_tokens).toBeGreaterThan(0);
  });
});
