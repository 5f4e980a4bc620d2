/**
 * Jobs over GraphQL with the in-process runner and the real handlers on a real SQLite file:
 * mutations queue jobs (uploaded content included), `job`/`jobs` read them with counts, timings and
 * errors, `jobProgress` streams over Server-Sent Events until the job ends, bad input is a
 * BAD_USER_INPUT naming the field, an unknown source is NOT_FOUND, and a server without a job
 * runner still serves reads while job fields say SERVICE_UNAVAILABLE.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type Api } from '../../api/index.ts';
import { HashingEmbedder } from '../../extraction/embed/hashing-embedder.ts';
import { SqliteGraphStore } from '../../graph/sqlite/sqlite-graph-store.ts';
import { createJobHandlers } from '../../pipelines/jobs/handlers.ts';
import { InProcessJobRunner } from '../../pipelines/jobs/in-process/in-process-job-runner.ts';
import { postGraphql, queryData } from '../fixtures/graphql-client.ts';
import { tempDir } from '../fixtures/paths.ts';
import { waitFor } from '../contract/job-runner.contract.ts';

const PRICES = [
  'Date,Open,High,Low,Close,Adj Close,Volume',
  ...Array.from({ length: 40 }, (_, i) => {
    const day = new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10);
    // A calm series with one 30 % jump on day 30, so the PriceMove detector fires once.
    const close = i === 30 ? 130 : i > 30 ? 131 : 100 + (i % 3);
    return `${day},${close},${close + 1},${close - 1},${close},${close},${1000 + i}`;
  }),
  '2024-02-10,abc,1,1,1,1,1',
].join('\n');

const JOB_FIELDS = `id kind status input added retracted unchanged rejected attempts maxAttempts
  progress { phase done total } error { code message retryable } llm { calls } result createdAt startedAt finishedAt durationMs`;

describe('jobs over GraphQL (in-process runner)', () => {
  const tmp = tempDir('mkg-jobs-api-');
  let graph: SqliteGraphStore;
  let runner: InProcessJobRunner;
  let yoga: Api;

  beforeAll(() => {
    const file = join(tmp.dir, 'graph.db');
    graph = SqliteGraphStore.open(file);
    runner = InProcessJobRunner.open({
      file, handlers: createJobHandlers({ uploadDir: join(tmp.dir, 'uploads') }), backoffMs: 10,
      services: { graph, vectors: null, llm: null, embedder: new HashingEmbedder() },
    });
    yoga = createApi({ graph, jobs: runner, logger: false });
  });
  afterAll(async () => {
    await runner.close();
    await graph.close();
    tmp.cleanup();
  });

  it('ingests uploaded content as a job, then re-extracts its source with no change', async () => {
    const queued = await queryData(yoga, `mutation($input: IngestInput!) { ingest(input: $input) { ${JOB_FIELDS} } }`, {
      input: { uploads: [{ name: 'demo_usd_daily.csv', content: PRICES }], symbol: 'DEMO' },
    });
    expect(queued.ingest).toMatchObject({ kind: 'ingest', attempts: expect.any(Number), maxAttempts: 3 });
    await waitFor(runner, queued.ingest.id);
    const { job } = await queryData(yoga, `query($id: ID!) { job(id: $id) { ${JOB_FIELDS} } }`, { id: queued.ingest.id });
    expect(job).toMatchObject({ status: 'completed', rejected: 1, error: null, llm: null });
    expect(job.added).toBeGreaterThan(0);
    expect(job.durationMs).toBeGreaterThanOrEqual(0);
    expect(Date.parse(job.finishedAt)).toBeGreaterThanOrEqual(Date.parse(job.startedAt));

    const { sources } = await queryData(yoga, '{ sources { id kind } }');
    const source = sources.find((s: { kind: string }) => s.kind === 'ohlcv').id;
    const again = await queryData(yoga, `mutation($input: ReextractInput!) { reextract(input: $input) { id } }`, { input: { source } });
    await waitFor(runner, again.reextract.id);
    const re = await queryData(yoga, `query($id: ID!) { job(id: $id) { status added retracted unchanged } }`, { id: again.reextract.id });
    expect(re.job).toMatchObject({ status: 'completed', added: 0, retracted: 0 });
    expect(re.job.unchanged).toBeGreaterThan(0);

    const list = await queryData(yoga, `{ jobs(status: completed, first: 10) { totalCount edges { node { id kind } } } }`);
    expect(list.jobs.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([again.reextract.id, queued.ingest.id]);
  });

  it('streams a job’s progress over Server-Sent Events until it finishes', async () => {
    const queued = await queryData(yoga, `mutation { induceSchema { id } }`);
    const res = await yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: `subscription($id: ID!) { jobProgress(id: $id) { id status progress { phase } } }`, variables: { id: queued.induceSchema.id } }),
    });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const text = await res.text(); // the stream ends when the job does
    const events = [...text.matchAll(/^data: (.+)$/gm)].map((m) => JSON.parse(m[1]!)).filter((e) => e.data);
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.data.jobProgress.id === queued.induceSchema.id)).toBe(true);
    expect(events.at(-1).data.jobProgress.status).toBe('completed');
  });

  it('rejects bad input before queueing anything, naming the field', async () => {
    const before = (await runner.list({}, { first: 100 })).totalCount;
    const empty = await postGraphql(yoga, `mutation { reextract(input: {}) { id } }`);
    expect(empty.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(empty.errors?.[0]?.message).toMatch(/at least one of source, extractor/);
    const backwards = await postGraphql(yoga, `mutation { reextract(input: {extractor: "price-move", from: "2024-02-01", to: "2024-01-01"}) { id } }`);
    expect(backwards.errors?.[0]?.message).toMatch(/from/);
    const unknown = await postGraphql(yoga, `mutation { reextract(input: {source: "src:nope:1"}) { id } }`);
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const big = await postGraphql(yoga, `mutation($c: String!) { ingest(input: {uploads: [{name: "big.txt", content: $c}]}) { id } }`, { c: 'x'.repeat(70_000) });
    expect(big.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(big.errors?.[0]?.message).toMatch(/over the limit/);
    const badName = await postGraphql(yoga, `mutation { ingest(input: {uploads: [{name: "../etc/passwd", content: "x"}]}) { id } }`);
    expect(badName.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await runner.list({}, { first: 100 })).totalCount).toBe(before);
  });

  it('cancels: an unknown id is null, a finished job is returned unchanged', async () => {
    expect((await queryData(yoga, `mutation { cancelJob(id: "nope") { id } }`)).cancelJob).toBeNull();
    const done = (await runner.list({ status: 'completed' }, { first: 1 })).edges[0]!.node;
    const r = await queryData(yoga, `mutation($id: ID!) { cancelJob(id: $id) { status } }`, { id: done.id });
    expect(r.cancelJob.status).toBe('completed');
  });

  it('serves reads without a job runner and says why job fields cannot answer', async () => {
    const readOnly = createApi({ graph, logger: false });
    expect((await queryData(readOnly, '{ stats { entities } }')).stats.entities).toBeGreaterThan(0);
    const r = await postGraphql(readOnly, '{ jobs { totalCount } }');
    expect(r.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    expect(r.errors?.[0]?.message).toMatch(/no job runner is configured; reads still work/);
  });
});
