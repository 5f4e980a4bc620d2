/**
 * QdrantVectorStore through the real @qdrant/js-client-rest against a scripted HTTP server on
 * loopback. The server records what the adapter sends and answers with Qdrant's response envelope
 * (`{result, status, time}` / `{status: {error}}`) and the statuses Qdrant uses; it does no vector
 * search. Ranking, filtering and persistence are the live contract suite's job (test/contract).
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PAYLOAD_INDEXES } from '../../../graph/qdrant/payload.ts';
import { pointId } from '../../../graph/qdrant/point-id.ts';
import { QdrantVectorStore } from '../../../graph/qdrant/qdrant-vector-store.ts';
import { StoreAuthError, StoreSchemaError, StoreUnavailableError } from '../../../schema/errors.ts';

interface Sent { method: string; path: string; query: Record<string, string>; headers: IncomingHttpHeaders; body: any }
type Reply = { status: number; body: unknown } | 'hang';
type Script = (req: Sent) => Reply | undefined;

const ok = (result: unknown): Reply => ({ status: 200, body: { result, status: 'ok', time: 0.001 } });
const fail = (status: number, error: string): Reply => ({ status, body: { status: { error }, time: 0.001 } });
const done = ok({ operation_id: 1, status: 'completed' });
const C = '/collections/mkg_vectors';
const ALL_INDEXES = Object.fromEntries(PAYLOAD_INDEXES.map((i) => [i.field, { data_type: i.type, points: 0 }]));
const info = (size: number, payload_schema: object = ALL_INDEXES) =>
  ok({ status: 'green', segments_count: 1, points_count: 7, config: { params: { vectors: { size, distance: 'Cosine' } } }, payload_schema });

/** Answers like Qdrant for an existing, fitting 4-dimensional collection unless `script` says otherwise. */
function qdrantLike(script: Script = () => undefined): Script {
  return (req) => script(req) ?? ({
    [`GET ${C}/exists`]: ok({ exists: true }),
    [`GET ${C}`]: info(4),
    [`PUT ${C}`]: ok(true),
    [`PUT ${C}/index`]: done,
    [`PUT ${C}/points`]: done,
    [`POST ${C}/points/payload`]: done,
    [`POST ${C}/points/delete`]: done,
    [`POST ${C}/points/count`]: ok({ count: 3 }),
    [`POST ${C}/points/query`]: ok({ points: [] }),
  } as Record<string, Reply>)[`${req.method} ${req.path}`] ?? fail(404, `unscripted ${req.method} ${req.path}`);
}

let server: ReturnType<typeof createServer>;
let sent: Sent[];
let url: string;
let answer: Script;

beforeEach(async () => {
  sent = [];
  answer = qdrantLike();
  server = createServer(async (req, res) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const u = new URL(req.url ?? '/', 'http://loopback');
    const rec: Sent = { method: req.method ?? '', path: u.pathname, query: Object.fromEntries(u.searchParams), headers: req.headers, body: raw ? JSON.parse(raw) : undefined };
    sent.push(rec);
    const reply = answer(rec)!;
    if (reply === 'hang') return;
    res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  if (!server.listening) return;
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const connect = (over: Partial<Parameters<typeof QdrantVectorStore.connect>[0]> = {}) =>
  QdrantVectorStore.connect({ url, dimensions: 4, ...over });
const calls = () => sent.map((r) => `${r.method} ${r.path}`);

describe('QdrantVectorStore over HTTP (scripted server)', () => {
  it('creates a missing collection with Cosine distance and all payload indexes, waiting for each', async () => {
    answer = qdrantLike((r) => (r.path === `${C}/exists` ? ok({ exists: false }) : undefined));
    vi.spyOn(console, 'warn').mockImplementation(() => {}); // the client warns about an API key over http
    await connect({ apiKey: 'k-123' });
    expect(calls()).toEqual([`GET ${C}/exists`, `PUT ${C}`, ...PAYLOAD_INDEXES.map(() => `PUT ${C}/index`)]);
    expect(sent[1]!.body).toEqual({ vectors: { size: 4, distance: 'Cosine' } });
    expect(sent.slice(2).map((r) => [r.body, r.query.wait])).toEqual(
      PAYLOAD_INDEXES.map((i) => [{ field_name: i.field, field_schema: i.schema }, 'true']));
    expect(sent.every((r) => r.headers['api-key'] === 'k-123')).toBe(true);
    vi.restoreAllMocks();
  });

  it('checks an existing collection, creating only the indexes it lacks', async () => {
    answer = qdrantLike((r) => (r.method === 'GET' && r.path === C ? info(4, { nodeId: ALL_INDEXES.nodeId }) : undefined));
    await connect();
    expect(sent.filter((r) => r.path === `${C}/index`).map((r) => r.body.field_name))
      .toEqual(['kind', 'tenant', 'validFrom', 'validTo', 'retracted']);
  });

  it('refuses an existing collection of another dimension without writing anything', async () => {
    answer = qdrantLike((r) => (r.method === 'GET' && r.path === C ? info(8) : undefined));
    await expect(connect()).rejects.toThrow('collection "mkg_vectors" holds 8-dimensional vectors, the store was opened with 4');
    expect(sent.every((r) => r.method === 'GET')).toBe(true);
  });

  it('uses a collection another client created first (409) when it fits', async () => {
    answer = qdrantLike((r) => (r.path === `${C}/exists` ? ok({ exists: false })
      : r.method === 'PUT' && r.path === C ? fail(409, 'Wrong input: Collection `mkg_vectors` already exists!') : undefined));
    await connect();
    expect(calls()).toEqual([`GET ${C}/exists`, `PUT ${C}`, `GET ${C}`]);
  });

  it('upserts validated points in batches with wait=true, payload carrying the graph id and sentinels', async () => {
    const store = await connect({ batchSize: 2 });
    sent.length = 0;
    const points = ['a', 'b', 'c'].map((id, i) => ({ id, vector: [1, i, 0, 0], kind: 'Account', tenant: 'acme', validFrom: 1000 }));
    await store.upsert(points);
    expect(calls()).toEqual([`PUT ${C}/points`, `PUT ${C}/points`]);
    expect(sent.map((r) => r.query.wait)).toEqual(['true', 'true']);
    expect(sent[0]!.body.points[0]).toEqual({
      id: pointId('a', 'acme'), vector: [1, 0, 0, 0],
      payload: { nodeId: 'a', kind: 'Account', tenant: 'acme', validFrom: 1000, validTo: 2 ** 53 - 1, retracted: false },
    });
    await expect(store.upsert([...points, { id: 'bad', vector: [1], kind: 'K' }])).rejects.toThrow(/expected 4 dimensions, got 1/);
    expect(sent).toHaveLength(2);
  });

  it('searches with the filter, limit and payload selection, mapping hits back to graph ids', async () => {
    answer = qdrantLike((r) => (r.path === `${C}/points/query`
      ? ok({ points: [{ id: pointId('x'), version: 3, score: 0.93, payload: { nodeId: 'x', kind: 'Token' } }] }) : undefined));
    const store = await connect();
    sent.length = 0;
    const hits = await store.search({ vector: new Float32Array([1, 0, 0, 0]), k: 3, kinds: ['Token'], asOf: 5000 });
    expect(hits).toEqual([{ id: 'x', kind: 'Token', score: 0.93 }]);
    expect(sent[0]!.body).toEqual({
      query: [1, 0, 0, 0], limit: 3, with_payload: ['nodeId', 'kind'], with_vector: false,
      filter: {
        must: [
          { key: 'tenant', match: { value: 'default' } }, { key: 'kind', match: { any: ['Token'] } },
          { key: 'validFrom', range: { lte: 5000 } }, { key: 'validTo', range: { gt: 5000 } },
        ],
        must_not: [{ key: 'retracted', match: { value: true } }],
      },
    });
    expect(await store.search({ vector: [1, 0, 0, 0], k: 0 })).toEqual([]);
    expect(await store.search({ vector: [1, 0, 0, 0], k: 5, kinds: [] })).toEqual([]);
    await expect(store.search({ vector: [1, 0, 0, 0], k: 5000 })).rejects.toThrow(/k/);
    expect(sent).toHaveLength(1);
  });

  it('retracts, deletes and counts by nodeId and tenant filters, in id batches', async () => {
    const store = await connect({ batchSize: 2 });
    sent.length = 0;
    await store.setRetracted(['a', 'b', 'c'], true, 'acme');
    await store.delete(['a']);
    expect(await store.count('acme')).toBe(3);
    await store.setRetracted([], false);
    const byNode = (ids: string[], tenant: string) => ({ must: [{ key: 'tenant', match: { value: tenant } }, { key: 'nodeId', match: { any: ids } }] });
    expect(sent.map((r) => [`${r.method} ${r.path}`, r.query.wait, r.body])).toEqual([
      [`POST ${C}/points/payload`, 'true', { payload: { retracted: true }, filter: byNode(['a', 'b'], 'acme') }],
      [`POST ${C}/points/payload`, 'true', { payload: { retracted: true }, filter: byNode(['c'], 'acme') }],
      [`POST ${C}/points/delete`, 'true', { filter: byNode(['a'], 'default') }],
      [`POST ${C}/points/count`, undefined, { filter: { must: [{ key: 'tenant', match: { value: 'acme' } }] }, exact: true }],
    ]);
  });

  it('lists ids by scrolling one tenant, nodeId and retracted only, next_page_offset as the cursor', async () => {
    const pages: Record<string, unknown> = {
      first: { points: [{ id: pointId('a', 'acme'), payload: { nodeId: 'a', retracted: true } }, { id: pointId('b', 'acme'), payload: { nodeId: 'b' } }], next_page_offset: pointId('c', 'acme') },
      [pointId('c', 'acme')]: { points: [{ id: pointId('c', 'acme'), payload: { nodeId: 'c', retracted: false } }], next_page_offset: null },
    };
    answer = qdrantLike((r) => (r.path === `${C}/points/scroll` ? ok(pages[r.body.offset ?? 'first']) : undefined));
    const store = await connect();
    sent.length = 0;
    const first = await store.listIds({ tenant: 'acme', limit: 2 });
    expect(first).toEqual({ ids: [{ id: 'a', retracted: true }, { id: 'b', retracted: false }], next: pointId('c', 'acme') });
    expect(await store.listIds({ tenant: 'acme', after: first.next, limit: 2 })).toEqual({ ids: [{ id: 'c', retracted: false }], next: null });
    const body = { filter: { must: [{ key: 'tenant', match: { value: 'acme' } }] }, limit: 2, with_payload: ['nodeId', 'retracted'], with_vector: false };
    expect(sent.map((r) => [`${r.method} ${r.path}`, r.body])).toEqual([
      [`POST ${C}/points/scroll`, body],
      [`POST ${C}/points/scroll`, { ...body, offset: pointId('c', 'acme') }],
    ]);
    await expect(store.listIds({ limit: 0 })).rejects.toThrow(/limit/);
    expect(sent).toHaveLength(2);
  });

  it('says what is wrong: rejected request, missing key, missing index, missing collection, timeout, closed store', async () => {
    let mode = 'ok';
    answer = qdrantLike((r) => {
      if (mode === 'reject' && r.path === `${C}/points`) return fail(400, 'Wrong input: Vector dimension error: expected dim: 4, got 3');
      if (mode === 'auth') return fail(401, 'Must provide an API key or an Authorization bearer token');
      if (mode === 'unindexed' && r.method === 'GET' && r.path === C) return info(4, { nodeId: ALL_INDEXES.nodeId });
      if (mode === 'gone' && r.path === `${C}/exists`) return ok({ exists: false });
      if (mode === 'gone') return fail(404, "Not found: Collection `mkg_vectors` doesn't exist!");
      return mode === 'hang' ? 'hang' : undefined;
    });
    const store = await connect({ timeoutMs: 300 });
    mode = 'reject';
    await expect(store.upsert([{ id: 'a', vector: [1, 0, 0, 0], kind: 'K' }]))
      .rejects.toThrow(`qdrant vector store: Qdrant at ${url} rejected upsert points (400: Wrong input: Vector dimension error: expected dim: 4, got 3)`);
    mode = 'auth';
    await expect(store.verify()).rejects.toThrow(`Qdrant at ${url} requires an API key (401 Unauthorized) on verify the collection; none was configured`);
    await expect(connect()).rejects.toThrow(/requires an API key/);
    await expect(store.count()).rejects.toBeInstanceOf(StoreAuthError);
    mode = 'unindexed';
    await expect(store.verify()).rejects.toThrow(/missing payload index "kind", .*"retracted"; run `mkg migrate` to create them in collection "mkg_vectors"/);
    await expect(store.verify()).rejects.toBeInstanceOf(StoreSchemaError);
    mode = 'gone';
    await expect(store.verify()).rejects.toThrow(/collection "mkg_vectors" does not exist/);
    await expect(store.verify()).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.count()).rejects.toThrow(/collection "mkg_vectors" does not exist .*404 on count points/);
    mode = 'hang';
    await expect(store.count()).rejects.toThrow(`Qdrant at ${url} did not answer count points within 300 ms`);
    mode = 'ok';
    expect(await store.verify()).toEqual({ url, collection: 'mkg_vectors', dimensions: 4, points: 7 });
    await store.close();
    await expect(store.count()).rejects.toThrow(/closed/);
  });

  it('reports an unreachable server instead of a stack trace', async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await expect(connect()).rejects.toThrow(`cannot reach Qdrant at ${url} (ECONNREFUSED) to open collection "mkg_vectors"`);
    await expect(connect()).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(QdrantVectorStore.connect({ url: 'localhost:6333', dimensions: 4 })).rejects.toThrow(/http\(s\) URL/);
  });
});
