import { describe, expect, it } from 'vitest';
import { HashingEmbedder } from '../../../extraction/embed/hashing-embedder.ts';
import { UsageMeter } from '../../../extraction/llm/llm-client.ts';
import type { GraphStore } from '../../../graph/graph-store.ts';
import { backoffDelay, runAttempt, settleFailure } from '../../../pipelines/jobs/execute.ts';
import type { JobContext, JobHandlers } from '../../../pipelines/jobs/job-runner.ts';
import { InvalidRecordError, JobCancelledError, LlmTimeoutError, StoreAuthError, StoreError } from '../../../schema/errors.ts';

const record = (attempts: number, maxAttempts = 3) => ({ id: 'j1', kind: 'embed' as const, input: {}, attempts, maxAttempts });
const ok = { counts: { added: 1, retracted: 0, unchanged: 0, rejected: 0 }, result: null };

function ctx(signal = new AbortController().signal): JobContext {
  return {
    graph: {} as GraphStore, vectors: null, llm: null, embedder: new HashingEmbedder(), usage: new UsageMeter(),
    signal, progress: () => {}, attempt: 1, jobId: 'j1',
  };
}
const handlers = (embed: JobHandlers['embed']): JobHandlers =>
  ({ embed, ingest: async () => ok, reextract: async () => ok, induceSchema: async () => ok });

describe('backoffDelay', () => {
  it('doubles per attempt with jitter between half and all of it, capped', () => {
    expect(backoffDelay(1, { baseMs: 100, random: () => 0 })).toBe(50);
    expect(backoffDelay(1, { baseMs: 100, random: () => 1 })).toBe(100);
    expect(backoffDelay(3, { baseMs: 100, random: () => 1 })).toBe(400);
    expect(backoffDelay(30, { baseMs: 100, maxMs: 1000, random: () => 1 })).toBe(1000);
    for (let i = 0; i < 50; i++) {
      const d = backoffDelay(2);
      expect(d).toBeGreaterThanOrEqual(1000);
      expect(d).toBeLessThanOrEqual(2000);
    }
  });
});

describe('runAttempt', () => {
  it('returns the outcome of a handler that succeeds', async () => {
    expect(await runAttempt(handlers(async () => ok), record(1), ctx())).toEqual({ status: 'completed', outcome: ok });
  });

  it('retries a transient failure while attempts are left, then fails it retryable', async () => {
    const busy = handlers(async () => { throw new StoreError('s', 'busy'); });
    const first = await runAttempt(busy, record(1), ctx(), { baseMs: 10, random: () => 1 });
    expect(first).toMatchObject({ status: 'retry', delayMs: 10, error: { code: 'STORE_ERROR', retryable: true } });
    expect(await runAttempt(busy, record(3), ctx())).toMatchObject({ status: 'failed', error: { retryable: true } });
  });

  it('fails a permanent failure on its first attempt', async () => {
    const poison = handlers(async () => { throw new InvalidRecordError('f.csv', 2, 'bad'); });
    expect(await runAttempt(poison, record(1), ctx())).toMatchObject({ status: 'failed', error: { code: 'INVALID_RECORD', retryable: false } });
  });

  it('tells a cancellation from a shutdown', async () => {
    const c = new AbortController();
    c.abort(new JobCancelledError('j1'));
    const never = handlers(async () => ok);
    expect(await runAttempt(never, record(1), ctx(c.signal))).toMatchObject({ status: 'cancelled', error: { code: 'JOB_CANCELLED', retryable: false } });
    const s = new AbortController();
    s.abort(new Error('closing'));
    expect(await runAttempt(never, record(1), ctx(s.signal))).toMatchObject({ status: 'interrupted' });
  });

  it('settles any error raised after a cancel as cancelled', () => {
    const c = new AbortController();
    c.abort(new JobCancelledError('j1'));
    expect(settleFailure(new StoreError('s', 'interrupted write'), record(1), c.signal).status).toBe('cancelled');
    expect(settleFailure(new StoreAuthError('s', 'denied'), record(1), new AbortController().signal).status).toBe('failed');
    expect(settleFailure(new LlmTimeoutError('m', 10, 3), record(1), new AbortController().signal).status).toBe('retry');
  });
});
