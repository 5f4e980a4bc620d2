/**
 * The server around the resolvers: error masking and mapping, input errors, the depth limit,
 * request-scoped batching, GraphiQL, /health, and one real HTTP server on a loopback port.
 */
import { join } from 'node:path';
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, startServer, type Api, type ApiOptions } from '../../api/index.ts';
import type { GraphStore } from '../../graph/graph-store.ts';
import { SqliteGraphStore } from '../../graph/sqlite/sqlite-graph-store.ts';
import { NodeNotFoundError, StoreError } from '../../schema/errors.ts';
import type { FactInput, GraphBatch } from '../../schema/graph.ts';
import { accountId, factId, logEventId, sourceId, tokenId } from '../../schema/ids.ts';
import type { Role } from '../../schema/ontology.ts';
import { tempDir } from '../fixtures/paths.ts';

const T0 = Date.UTC(2024, 0, 1);
const SRC = sourceId('eth-logs', '/data/mini.jsonl');
const TOKEN = tokenId(1, `0x${'a'.repeat(40)}`);
const ACCOUNTS = ['1', '2', '3', '4'].map((d) => accountId(1, `0x${d.repeat(40)}`));

/** Ten transfers among four accounts, all of one token. */
function miniBatch(): GraphBatch {
  const meta = { sourceId: SRC, extractor: 'test-fixture', extractorVersion: '1' };
  const batch: GraphBatch = {
    nodes: [
      { id: TOKEN, kind: 'Token', name: 'Test Token', recordedAt: T0, sourceId: SRC },
      ...ACCOUNTS.map((id, i) => ({ id, kind: 'Account' as const, name: `Account ${i}`, recordedAt: T0, sourceId: SRC })),
    ],
    events: [],
    facts: [],
  };
  for (let i = 0; i < 10; i++) {
    const id = logEventId('Transfer', 1, `0x${i.toString(16).repeat(64)}`, i);
    const at = T0 + i * 3_600_000;
    batch.events.push({ id, type: 'Transfer', occurredAt: at, recordedAt: at, summary: `transfer ${i}`, attrs: {},
      amounts: [{ role: 'value', value: `${i}`, raw: `${i}`, decimals: 0, unit: 'TT', token: TOKEN }], ...meta });
    const part = (object: string, role: Role): FactInput => {
      const key = { subject: id, type: 'PARTICIPANT' as const, object, role, ...meta };
      return { ...key, id: factId(key), predicate: 'participant', confidence: 1, validFrom: null, validTo: null, recordedAt: at, chunkId: null, attrs: {} };
    };
    batch.facts.push(part(ACCOUNTS[i % 4]!, 'from'), part(ACCOUNTS[(i + 1) % 4]!, 'to'), part(TOKEN, 'token'));
  }
  return batch;
}

let store: SqliteGraphStore;
let cleanup: () => void;

beforeAll(async () => {
  const tmp = tempDir('mkg-api-server-');
  cleanup = tmp.cleanup;
  store = await SqliteGraphStore.open(join(tmp.dir, 'graph.db'));
  await store.upsertSource({ id: SRC, uri: 'file:///data/mini.jsonl', kind: 'eth-logs', contentHash: 'h', version: 'v1', recordedAt: T0, records: 10, rejected: 0 });
  await store.writeBatch(miniBatch());
});

afterAll(async () => {
  await store?.close();
  cleanup?.();
});

interface Logged {
  level: string;
  args: unknown[];
}

function capturingLogger() {
  const logged: Logged[] = [];
  const log = (level: string) => (...args: unknown[]) => void logged.push({ level, args });
  return { logged, logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') } };
}

function api(options: Partial<ApiOptions> = {}): Api {
  return createApi({ graph: store, logger: false, ...options });
}

async function post(yoga: Api, query: string, variables?: Record<string, unknown>) {
  const res = await yoga.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: JSON.parse(text) as { data?: any; errors?: any[] } };
}

/** The real store, with one method replaced. */
function storeWith(method: keyof GraphStore, impl: (...args: any[]) => unknown): GraphStore {
  return new Proxy(store, {
    get(target, prop) {
      if (prop === method) return impl;
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('error masking', () => {
  it('turns an unexpected store error into "Unexpected error." and logs the original', async () => {
    const { logged, logger } = capturingLogger();
    const graph = storeWith('stats', async () => {
      throw new Error('SQLITE_IOERR: disk I/O error in /secret/path/graph.db');
    });
    const res = await post(createApi({ graph, logger }), '{ stats { entities } }');
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors![0]).toMatchObject({ message: 'Unexpected error.', path: ['stats'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(res.text).not.toContain('secret');
    expect(res.text).not.toContain('SQLITE');
    const errors = logged.filter((l) => l.level === 'error');
    expect(errors.length).toBeGreaterThan(0);
    expect(JSON.stringify(errors.map((l) => l.args.map(String)))).toContain('/secret/path/graph.db');
  });

  it('masks internal domain errors (StoreError) as well, and unmasks when asked', async () => {
    const graph = storeWith('listSources', async () => {
      throw new StoreError('sqlite', 'database is locked');
    });
    const masked = await post(createApi({ graph, logger: false }), '{ sources { id } }');
    expect(masked.body.errors![0].message).toBe('Unexpected error.');
    const unmasked = await post(createApi({ graph, logger: false, maskedErrors: false }), '{ sources { id } }');
    expect(unmasked.body.errors![0].message).toBe('sqlite: database is locked');
  });

  it('maps NodeNotFoundError to NOT_FOUND with status 404', async () => {
    const graph = storeWith('neighborhood', async (id: string) => {
      throw new NodeNotFoundError(id);
    });
    const res = await post(createApi({ graph, logger: false }), '{ neighborhood(id: "nope") { truncated } }');
    expect(res.status).toBe(404);
    expect(res.body.errors![0]).toMatchObject({ message: 'No node or event with id "nope"', extensions: { code: 'NOT_FOUND' } });
  });
});

describe('bad input', () => {
  it('rejects a forged or foreign cursor with BAD_USER_INPUT and a helpful message', async () => {
    const yoga = api();
    const garbage = await post(yoga, '{ entities(after: "not a cursor!") { totalCount } }');
    expect(garbage.status).toBe(400);
    expect(garbage.body.errors![0]).toMatchObject({ path: ['entities'], extensions: { code: 'BAD_USER_INPUT' } });
    expect(garbage.body.errors![0].message).toBe('Invalid argument after: not a cursor returned by this API');
    const events = await post(yoga, '{ events(first: 1) { pageInfo { endCursor } } }');
    const cursor = events.body.data.events.pageInfo.endCursor as string;
    const foreign = await post(yoga, `query($c: String) { entities(after: $c) { totalCount } }`, { c: cursor });
    expect(foreign.body.errors![0].extensions.code).toBe('BAD_USER_INPUT');
    expect(foreign.body.errors![0].message).toMatch(/after/);
  });

  it('rejects out-of-range page sizes', async () => {
    for (const first of [-1, 501]) {
      const res = await post(api(), `{ events(first: ${first}) { totalCount } }`);
      expect(res.body.errors![0].extensions.code).toBe('BAD_USER_INPUT');
      expect(res.body.errors![0].message).toContain('first');
    }
  });

  it('rejects a bad DateTime, naming the value, as a literal or a variable', async () => {
    const yoga = api();
    const literal = await post(yoga, '{ stats(asOf: "2024-02-30") { entities } }');
    expect(literal.status).toBe(400);
    expect(literal.body.errors![0].extensions.code).toBe('BAD_USER_INPUT');
    expect(literal.body.errors![0].message).toContain('"2024-02-30"');
    for (const value of ['last tuesday', '2024-01-01T25:00:00Z', 1_700_000_000_000, '']) {
      const res = await post(yoga, 'query($t: DateTime) { stats(asOf: $t) { entities } }', { t: value });
      expect(res.status).toBe(400);
      expect(res.body.errors![0].extensions.code, String(value)).toBe('BAD_USER_INPUT');
      expect(res.body.errors![0].message).toContain(String(value));
      expect(res.body.errors![0].message).toContain('ISO-8601');
    }
    const filter = await post(yoga, '{ events(filter: { from: "soon" }) { totalCount } }');
    expect(filter.body.errors![0].message).toContain('"soon"');
  });
});

describe('depth limit', () => {
  const depth = (n: number) => `{ entities { edges { node { ${'facts { subject { ... on Entity { '.repeat(n)}id${' } } }'.repeat(n)} } } } }`;

  it('rejects queries deeper than maxDepth before running them', async () => {
    const yoga = api({ maxDepth: 6 });
    expect((await post(yoga, depth(0))).body.errors).toBeUndefined(); // depth 4
    expect((await post(yoga, depth(1))).body.errors).toBeUndefined(); // depth 6
    const res = await post(yoga, depth(2)); // depth 8
    expect(res.status).toBe(400);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors![0]).toMatchObject({ message: 'Query depth limit of 6 exceeded, found 8.', extensions: { code: 'QUERY_TOO_DEEP' } });
  });

  it('defaults to 12 and leaves introspection alone', async () => {
    const yoga = api();
    expect((await post(yoga, depth(4))).body.errors).toBeUndefined(); // depth 12
    expect((await post(yoga, depth(5))).body.errors![0].extensions.code).toBe('QUERY_TOO_DEEP');
    const introspection = await post(yoga, getIntrospectionQuery());
    expect(introspection.body.errors).toBeUndefined();
    expect(introspection.body.data.__schema.queryType.name).toBe('Query');
  });
});

describe('request-scoped node loader', () => {
  it('loads the entities of a page of events with one findNodes call and no getNode', async () => {
    const calls: { method: string; ids?: string[] }[] = [];
    const graph = new Proxy(store, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target);
        if (typeof value !== 'function') return value;
        return (...args: any[]) => {
          calls.push({ method: String(prop), ids: prop === 'findNodes' ? args[0].ids : undefined });
          return value.apply(target, args);
        };
      },
    });
    const res = await post(createApi({ graph, logger: false }), `{ events(first: 10) { edges { node {
      participants { role entity { id name } } amounts { token { id name } } } } } }`);
    expect(res.body.errors).toBeUndefined();
    const events = res.body.data.events.edges;
    expect(events).toHaveLength(10);
    expect(events.every((e: any) => e.node.participants.every((p: any) => p.entity?.name))).toBe(true);
    const finds = calls.filter((c) => c.method === 'findNodes');
    expect(finds).toHaveLength(1);
    expect(finds[0]!.ids!.sort()).toEqual([...ACCOUNTS, TOKEN].sort());
    expect(calls.filter((c) => c.method === 'getNode')).toEqual([]);
  });
});

describe('http surface', () => {
  it('serves GraphiQL to browsers on GET /graphql, opening on a tour query', async () => {
    const res = await api().fetch('http://localhost/graphql', { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('MarketGraph');
    expect(html).toContain('query Tour');
    // Bundled: an offline machine must not need a CDN to render it.
    expect(html).not.toMatch(/<script[^>]+src="https?:/);
    const off = await api({ graphiql: false }).fetch('http://localhost/graphql', { headers: { accept: 'text/html' } });
    expect(off.headers.get('content-type') ?? '').not.toContain('text/html');
  });

  it('answers /health with 200', async () => {
    const res = await api().fetch('http://localhost/health');
    expect(res.status).toBe(200);
  });

  it('adds a Server-Timing header unless turned off', async () => {
    expect((await post(api(), '{ sources { id } }')).headers.get('server-timing')).toMatch(/^total;dur=\d+(\.\d+)?$/);
    expect((await post(api({ serverTiming: false }), '{ sources { id } }')).headers.get('server-timing')).toBeNull();
  });

  it('serves over a real port on 127.0.0.1 and closes cleanly', async () => {
    const server = await startServer({ graph: store, logger: false, port: 0, host: '127.0.0.1' });
    try {
      expect(server.url).toBe(`http://127.0.0.1:${server.port}/graphql`);
      const health = await fetch(new URL('/health', server.url));
      expect(health.status).toBe(200);
      const res = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ stats { entities events } events(first: 1) { edges { node { id occurredAt } } } }' }),
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as any;
      expect(body.data.stats).toEqual({ entities: 5, events: 10 });
      expect(body.data.events.edges[0].node.occurredAt).toBe('2024-01-01T09:00:00.000Z');
    } finally {
      await server.close();
    }
    await expect(fetch(server.url)).rejects.toThrow();
  });

  it('also serves an Api made by createApi', async () => {
    const server = await startServer(api(), { port: 0, host: '127.0.0.1' });
    try {
      const res = await fetch(`${server.url}?query=${encodeURIComponent('{ sources { kind } }')}`);
      expect(((await res.json()) as any).data.sources).toEqual([{ kind: 'eth-logs' }]);
    } finally {
      await server.close();
    }
  });
});
