/**
 * The OpenAI embedder through the real `openai` client against a small embeddings-only server on
 * loopback: each request is recorded; scripted steps answer first, then a default handler that
 * returns vectors whose first entry is the text's number ("t17" → 17) in reverse order, so that
 * order restoration by `index` is exercised on every call. The shared test/fixtures/fake-openai.ts
 * (in-order answers, no scripted embedding failures) is used for the plain round trip at the end.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddingDimensionError, EmbeddingResponseError } from '../../../extraction/embed/errors.ts';
import { OpenAiEmbedder, retryAfterMs } from '../../../extraction/embed/openai-embedder.ts';
import { MarketGraphError } from '../../../schema/errors.ts';
import { hashVector, startFakeOpenAi } from '../../fixtures/fake-openai.ts';

interface EmbeddingsBody {
  model: string;
  input: string[];
  encoding_format?: string;
  dimensions?: number;
}
interface Step {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Length of the vectors the default handler returns for this request. */
  dim?: number;
}

async function startEmbeddingsServer(dim: number) {
  const requests: EmbeddingsBody[] = [];
  const steps: Step[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/embeddings') {
        res.writeHead(404).end();
        return;
      }
      const body = JSON.parse(raw) as EmbeddingsBody;
      requests.push(body);
      const step = steps.shift() ?? {};
      const payload = step.body ?? {
        object: 'list',
        model: body.model,
        data: body.input
          .map((text, index) => {
            const embedding = new Array<number>(step.dim ?? dim).fill(0);
            embedding[0] = Number(text.replace(/^t/, '')) || 0;
            return { object: 'embedding', index, embedding };
          })
          .reverse(),
        usage: { prompt_tokens: body.input.length, total_tokens: body.input.length },
      };
      res.writeHead(step.status ?? 200, { 'content-type': 'application/json', ...step.headers });
      res.end(JSON.stringify(payload));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    script: (...s: Step[]) => steps.push(...s),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

type Fake = Awaited<ReturnType<typeof startEmbeddingsServer>>;
let fake: Fake | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

const texts = (n: number) => Array.from({ length: n }, (_, i) => `t${i}`);
const error = (message: string) => ({ error: { message, type: 'error', code: null } });

function embedderFor(f: Fake, extra: Partial<ConstructorParameters<typeof OpenAiEmbedder>[0]> = {}) {
  const delays: number[] = [];
  const embedder = new OpenAiEmbedder({
    baseURL: f.url,
    apiKey: 'test',
    model: 'embed-test',
    dimensions: 8,
    retryBaseMs: 1,
    sleep: async (ms) => void delays.push(ms),
    ...extra,
  });
  return { embedder, delays };
}

describe('OpenAiEmbedder', () => {
  it('sends batches of batchSize and restores input order by index', async () => {
    fake = await startEmbeddingsServer(8);
    const { embedder } = embedderFor(fake);
    expect(embedder.model).toBe('embed-test');
    expect(embedder.dimensions).toBe(8);
    const vectors = await embedder.embed(texts(150));
    expect(fake.requests.map((r) => r.input.length)).toEqual([64, 64, 22]);
    expect(fake.requests[1]!.input[0]).toBe('t64');
    expect(fake.requests.every((r) => r.model === 'embed-test' && r.encoding_format === 'float')).toBe(true);
    expect(fake.requests[0]!.dimensions).toBeUndefined();
    expect(vectors).toHaveLength(150);
    expect(vectors.map((v) => v[0])).toEqual(texts(150).map((_, i) => i));
    expect(vectors.every((v) => v instanceof Float32Array && v.length === 8)).toBe(true);
  });

  it('honours a custom batch size, sends `dimensions` when asked, and never calls out for no texts', async () => {
    fake = await startEmbeddingsServer(8);
    const { embedder } = embedderFor(fake, { batchSize: 2, requestDimensions: true });
    expect(await embedder.embed([])).toEqual([]);
    expect(fake.requests).toHaveLength(0);
    await embedder.embed(['t1', 't2', '']);
    expect(fake.requests.map((r) => r.input)).toEqual([['t1', 't2'], [' ']]);
    expect(fake.requests[0]!.dimensions).toBe(8);
  });

  it('fails with a clear error when the model returns another dimension, without retrying', async () => {
    fake = await startEmbeddingsServer(8);
    fake.script({ dim: 1536 });
    const { embedder } = embedderFor(fake);
    const failure = await embedder.embed(['t1']).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(EmbeddingDimensionError);
    expect(failure).toMatchObject({ code: 'CONFIG_INVALID', key: 'MKG_VECTOR_DIM', expected: 8, actual: 1536 });
    expect((failure as Error).message).toMatch(/"embed-test" returned vectors of 1536 dimensions but 8 are configured/);
    expect(fake.requests).toHaveLength(1);
  });

  it('retries a 429 after the retry-after it was given, then succeeds', async () => {
    fake = await startEmbeddingsServer(8);
    fake.script({ status: 429, headers: { 'retry-after': '2' }, body: error('slow down') });
    const { embedder, delays } = embedderFor(fake);
    const vectors = await embedder.embed(['t5', 't6']);
    expect(vectors.map((v) => v[0])).toEqual([5, 6]);
    expect(fake.requests).toHaveLength(2);
    expect(delays).toEqual([2000]);
  });

  it('backs off exponentially on 5xx and gives up after maxRetries', async () => {
    fake = await startEmbeddingsServer(8);
    const down = { status: 503, body: error('overloaded') };
    fake.script(down, down, down);
    const { embedder, delays } = embedderFor(fake, { maxRetries: 2, retryBaseMs: 100 });
    const failure = await embedder.embed(['t1']).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect((failure as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
    expect(fake.requests).toHaveLength(3);
    expect(delays).toHaveLength(2);
    expect(delays[0]).toBeGreaterThanOrEqual(50);
    expect(delays[0]).toBeLessThanOrEqual(100);
    expect(delays[1]).toBeGreaterThanOrEqual(100);
    expect(delays[1]).toBeLessThanOrEqual(200);
  });

  it('does not retry client errors', async () => {
    fake = await startEmbeddingsServer(8);
    fake.script({ status: 400, body: error('model not found') });
    const { embedder, delays } = embedderFor(fake);
    await expect(embedder.embed(['t1'])).rejects.toMatchObject({ status: 400 });
    expect(fake.requests).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('rejects responses with a wrong count or duplicate indexes', async () => {
    fake = await startEmbeddingsServer(8);
    const vec = new Array(8).fill(0.1);
    fake.script(
      { body: { object: 'list', model: 'x', data: [{ object: 'embedding', index: 0, embedding: vec }] } },
      {
        body: {
          object: 'list',
          model: 'x',
          data: [
            { object: 'embedding', index: 0, embedding: vec },
            { object: 'embedding', index: 0, embedding: vec },
          ],
        },
      },
    );
    const { embedder } = embedderFor(fake);
    await expect(embedder.embed(['t1', 't2'])).rejects.toThrow(/expected 2 embeddings, got 1/);
    const dup = await embedder.embed(['t1', 't2']).catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(EmbeddingResponseError);
    expect(dup).toBeInstanceOf(MarketGraphError);
    expect((dup as Error).message).toMatch(/duplicate index 0/);
  });

  it('rejects unusable options', () => {
    expect(() => new OpenAiEmbedder({ model: '', dimensions: 8 })).toThrow(/model/);
    expect(() => new OpenAiEmbedder({ model: 'm', dimensions: 0 })).toThrow(/dimensions/);
    expect(() => new OpenAiEmbedder({ model: 'm', dimensions: 8, batchSize: 0 })).toThrow(/batchSize/);
  });
});

describe('OpenAiEmbedder against the shared fake OpenAI server', () => {
  it('batches and returns the server vectors in input order', async () => {
    const shared = await startFakeOpenAi({ embeddingDimensions: 16 });
    try {
      const embedder = new OpenAiEmbedder({ baseURL: shared.url, apiKey: 'test', model: 'embed-test', dimensions: 16, batchSize: 64 });
      const inputs = Array.from({ length: 150 }, (_, i) => `Curve pool ${i} drained`);
      const vectors = await embedder.embed(inputs);
      const embedCalls = shared.requests.filter((r) => r.path === '/v1/embeddings');
      expect(embedCalls.map((r) => (r.body as EmbeddingsBody).input.length)).toEqual([64, 64, 22]);
      expect(vectors).toHaveLength(150);
      for (const i of [0, 63, 64, 149]) {
        expect(Array.from(vectors[i]!)).toEqual(Array.from(Float32Array.from(hashVector(inputs[i]!, 16))));
      }
      const wrongDim = new OpenAiEmbedder({ baseURL: shared.url, apiKey: 'test', model: 'embed-test', dimensions: 256 });
      await expect(wrongDim.embed(['x'])).rejects.toBeInstanceOf(EmbeddingDimensionError);
    } finally {
      await shared.close();
    }
  });
});

describe('retryAfterMs', () => {
  it('reads retry-after-ms, seconds and HTTP dates', () => {
    const now = Date.parse('2024-01-01T00:00:00Z');
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }), now)).toBe(250);
    expect(retryAfterMs(new Headers({ 'retry-after': '1.5' }), now)).toBe(1500);
    expect(retryAfterMs(new Headers({ 'retry-after': 'Mon, 01 Jan 2024 00:00:03 GMT' }), now)).toBe(3000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }), now)).toBeNull();
    expect(retryAfterMs(new Headers(), now)).toBeNull();
    expect(retryAfterMs(undefined, now)).toBeNull();
  });
});
