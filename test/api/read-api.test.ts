/**
 * The read API end to end: yoga.fetch() in process against a real SqliteGraphStore on a temp file,
 * filled with a small hand-built graph whose times make the asOf cases easy to reason about.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type Api } from '../../api/index.ts';
import type { GraphStore } from '../../graph/graph-store.ts';
import { SqliteGraphStore } from '../../graph/sqlite/sqlite-graph-store.ts';
import type { Amount, EventInput, FactInput, GraphBatch, NodeInput, RejectInput } from '../../schema/graph.ts';
import {
  accountId, assetId, conceptId, displayAddress, factId, incidentEventId, logEventId, namedEntityId,
  seriesEventId, sourceId, tokenId,
} from '../../schema/ids.ts';
import type { EntityKind, EventType, RelType, Role } from '../../schema/ontology.ts';
import { tempDir } from '../fixtures/paths.ts';
import { postGraphql, queryData, type GqlResult } from '../fixtures/graphql-client.ts';

// ---------------------------------------------------------------------------------------------
// The graph: times first, so the asOf cases read like a timeline.
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const T0 = day('2024-01-01'); // tokens, Binance, labels, log source
const PRICE_REC = day('2024-01-21'); // price move detected the day after it happened
const SERIES_SRC_REC = day('2024-01-25'); // ...but its source was ingested later still
const INCIDENT_REC = day('2024-02-16');
const AS_OF = '2024-02-20'; // the cut most asOf tests use
const LATE = day('2024-03-01'); // exploiter label and attacker participation become known
const LATE_TRANSFER = day('2024-03-05');
const HOLDS_END = day('2024-04-01');

const SRC_LOGS = sourceId('eth-logs', '/data/logs.jsonl');
const SRC_LABELS = sourceId('labels', '/data/labels.csv');
const SRC_SERIES = sourceId('ohlcv', '/data/eth.csv');
const SRC_INCIDENTS = sourceId('incidents', '/data/incidents.csv');

const addr = (digit: string) => `0x${digit.repeat(40)}`;
const BINANCE_ADDR = '0x28c6c06298d514db089934071355e5743bf21d60';
const BINANCE = accountId(1, BINANCE_ADDR);
const ALICE = accountId(1, addr('1'));
const BOB = accountId(1, addr('2'));
const EXPLOITER = accountId(1, addr('3'));
const USDC = tokenId(1, '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48');
const WETH = tokenId(1, '0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2');
const DAI = tokenId(1, '0x6b175474e89094c44da98b954eedeac495271d0f');
const EXCHANGE = conceptId('label', 'Exchange');
const EXPLOITER_LABEL = conceptId('label', 'Exploiter');
const PROTOCOL = namedEntityId('Protocol', 'Example Finance');
const ETH = assetId('crypto', 'ETH');

const TRANSFERS = [0, 1, 2, 3, 4].map((i) => ({
  id: logEventId('Transfer', 1, `0x${String(i + 1).repeat(64)}`, i),
  at: day(`2024-01-1${i}`),
  to: i % 2 === 0 ? ALICE : BOB,
  usdc: `${i + 1}000.5`,
}));
const LATE_TRANSFER_ID = logEventId('Transfer', 1, `0x${'6'.repeat(64)}`, 0);
const PRICE_MOVE = seriesEventId('PriceMove', ETH, '2024-01-20', 'zscore');
const INCIDENT = incidentEventId('2024-02-15', 'Example Finance');

function node(id: string, kind: EntityKind, name: string, recordedAt: number, sourceId: string, aliases: string[] = []): NodeInput {
  return { id, kind, name, aliases, attrs: { chainId: 1 }, recordedAt, sourceId, validFrom: null };
}

function fact(
  subject: string, type: RelType, object: string, role: Role | null, recordedAt: number, source: string,
  valid: { validFrom?: number | null; validTo?: number | null } = {},
): FactInput {
  const base = { subject, type, object, role, sourceId: source, extractor: 'test-fixture', extractorVersion: '1' };
  return {
    ...base,
    id: factId(base),
    predicate: type.toLowerCase(),
    confidence: 1,
    validFrom: valid.validFrom ?? null,
    validTo: valid.validTo ?? null,
    recordedAt,
    chunkId: null,
    attrs: {},
  };
}

function event(id: string, type: EventType, occurredAt: number, recordedAt: number, summary: string, amounts: Amount[], source: string): EventInput {
  return { id, type, occurredAt, recordedAt, summary, amounts, attrs: { fixture: true }, sourceId: source, extractor: 'test-fixture', extractorVersion: '1' };
}

const usd = (role: string, value: string): Amount => ({ role, value, raw: null, decimals: null, unit: 'USD', token: null });
const tokenAmount = (value: string, unit: string, token: string, decimals: number): Amount => ({
  role: 'value', value, raw: value.replace('.', '') + '0'.repeat(decimals - (value.split('.')[1]?.length ?? 0)), decimals, unit, token,
});

function fixtureBatch(): GraphBatch {
  const nodes = [
    node(USDC, 'Token', 'USD Coin', T0, SRC_LOGS, ['USDC']),
    node(WETH, 'Token', 'Wrapped Ether', T0, SRC_LOGS, ['WETH']),
    node(DAI, 'Token', 'Dai Stablecoin', T0, SRC_LOGS, ['DAI']),
    node(BINANCE, 'Account', 'Binance 14', T0, SRC_LABELS),
    node(ALICE, 'Account', displayAddress(addr('1')), T0, SRC_LOGS),
    node(BOB, 'Account', displayAddress(addr('2')), T0, SRC_LOGS),
    node(EXPLOITER, 'Account', 'Example Finance Exploiter', INCIDENT_REC, SRC_INCIDENTS),
    node(EXCHANGE, 'Concept', 'Exchange', T0, SRC_LABELS),
    node(EXPLOITER_LABEL, 'Concept', 'Exploiter', T0, SRC_LABELS),
    node(PROTOCOL, 'Protocol', 'Example Finance', INCIDENT_REC, SRC_INCIDENTS),
    node(ETH, 'Asset', 'ETH', T0, SRC_SERIES),
  ];
  const events = [
    ...TRANSFERS.map((t) =>
      event(t.id, 'Transfer', t.at, t.at, `Binance 14 sent ${t.usdc} USDC`, [tokenAmount(t.usdc, 'USDC', USDC, 6)], SRC_LOGS)),
    event(LATE_TRANSFER_ID, 'Transfer', LATE_TRANSFER, LATE_TRANSFER, 'Exploiter sent 100 WETH to Binance 14',
      [tokenAmount('100', 'WETH', WETH, 18)], SRC_LOGS),
    event(PRICE_MOVE, 'PriceMove', day('2024-01-20'), PRICE_REC, 'ETH fell 9.1% (z=-3.2)', [usd('close', '2210.5')], SRC_SERIES),
    event(INCIDENT, 'Incident', day('2024-02-15'), INCIDENT_REC, 'Example Finance exploited for 1.25M USD',
      [usd('loss', '1250000')], SRC_INCIDENTS),
  ];
  const facts = [
    ...TRANSFERS.flatMap((t) => [
      fact(t.id, 'PARTICIPANT', BINANCE, 'from', t.at, SRC_LOGS),
      fact(t.id, 'PARTICIPANT', t.to, 'to', t.at, SRC_LOGS),
      fact(t.id, 'PARTICIPANT', USDC, 'token', t.at, SRC_LOGS),
    ]),
    fact(LATE_TRANSFER_ID, 'PARTICIPANT', EXPLOITER, 'from', LATE_TRANSFER, SRC_LOGS),
    fact(LATE_TRANSFER_ID, 'PARTICIPANT', BINANCE, 'to', LATE_TRANSFER, SRC_LOGS),
    fact(LATE_TRANSFER_ID, 'PARTICIPANT', WETH, 'token', LATE_TRANSFER, SRC_LOGS),
    fact(PRICE_MOVE, 'PARTICIPANT', ETH, 'asset', PRICE_REC, SRC_SERIES),
    fact(INCIDENT, 'PARTICIPANT', PROTOCOL, 'victim', INCIDENT_REC, SRC_INCIDENTS),
    fact(INCIDENT, 'PARTICIPANT', EXPLOITER, 'attacker', LATE, SRC_INCIDENTS),
    fact(BINANCE, 'HAS_LABEL', EXCHANGE, null, T0, SRC_LABELS),
    fact(EXPLOITER, 'HAS_LABEL', EXPLOITER_LABEL, null, LATE, SRC_LABELS),
    fact(ALICE, 'HOLDS', USDC, null, day('2024-01-10'), SRC_LOGS, { validFrom: day('2024-01-10'), validTo: HOLDS_END }),
  ];
  return { nodes, events, facts };
}

function fixtureRejects(): RejectInput[] {
  const reject = (source: string, line: number, severity: 'error' | 'warning'): RejectInput => ({
    sourceId: source, file: source === SRC_LOGS ? 'logs.jsonl' : 'incidents.csv', line, code: 'BAD_FIELD',
    reason: `line ${line} is broken`, raw: `{"line":${line}}`, severity, recordedAt: T0 + line,
  });
  return [
    ...[1, 2, 3].map((l) => reject(SRC_LOGS, l, 'error')),
    ...[4, 5].map((l) => reject(SRC_LOGS, l, 'warning')),
    ...[6, 7].map((l) => reject(SRC_INCIDENTS, l, 'error')),
  ];
}

async function fillStore(store: GraphStore): Promise<void> {
  const source = (id: string, kind: string, recordedAt: number) => ({
    id, uri: `file:///data/${kind}`, kind, contentHash: `hash-${kind}`, version: 'v1', recordedAt, records: 10, rejected: 0,
  });
  await store.upsertSource(source(SRC_LOGS, 'eth-logs', T0));
  await store.upsertSource(source(SRC_LABELS, 'labels', T0));
  await store.upsertSource(source(SRC_SERIES, 'ohlcv', SERIES_SRC_REC));
  await store.upsertSource(source(SRC_INCIDENTS, 'incidents', INCIDENT_REC));
  await store.writeBatch(fixtureBatch());
  await store.addRejects(fixtureRejects());
}

// ---------------------------------------------------------------------------------------------
let store: SqliteGraphStore;
let yoga: Api;
let cleanup: () => void;

const gql = (query: string, variables?: Record<string, unknown>): Promise<GqlResult> => postGraphql(yoga, query, variables);

const data = (query: string, variables?: Record<string, unknown>): Promise<any> => queryData(yoga, query, variables);

/** Every time field anywhere in a response, with its path. */
function timesIn(value: unknown, path = '$'): { path: string; at: number }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => timesIn(v, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) =>
    /^(recordedAt|occurredAt|validFrom|validTo|retractedAt)$/.test(k) && typeof v === 'string'
      ? [{ path: `${path}.${k}`, at: Date.parse(v) }]
      : timesIn(v, `${path}.${k}`));
}

/** Walks a connection field page by page; returns every node id and the totalCounts seen. */
async function walk(field: (after: string | null) => string, pick: (d: any) => any) {
  const ids: string[] = [];
  const totals = new Set<number>();
  let after: string | null = null;
  for (let pages = 0; pages < 50; pages++) {
    const conn = pick(await data(field(after)));
    totals.add(conn.totalCount);
    ids.push(...conn.edges.map((e: any) => e.node.id));
    if (conn.edges.length > 0) expect(conn.pageInfo.endCursor).toBe(conn.edges.at(-1).cursor);
    if (!conn.pageInfo.hasNextPage) return { ids, totals: [...totals], pages: pages + 1 };
    after = conn.pageInfo.endCursor;
  }
  throw new Error('pagination did not end');
}

beforeAll(async () => {
  const tmp = tempDir('mkg-api-');
  cleanup = tmp.cleanup;
  store = await SqliteGraphStore.open(join(tmp.dir, 'graph.db'));
  await fillStore(store);
  yoga = createApi({ graph: store, logger: false });
});

afterAll(async () => {
  await store?.close();
  cleanup?.();
});

// ---------------------------------------------------------------------------------------------
describe('entity and event lookups', () => {
  it('finds an entity by a checksummed or upper-case CAIP id and resolves its labels', async () => {
    for (const id of [`eip155:1:${displayAddress(BINANCE_ADDR)}`, BINANCE.toUpperCase(), ` ${BINANCE} `]) {
      const d = await data(`query($id: ID!) { entity(id: $id) { id kind name aliases attrs labels recordedAt validFrom } }`, { id });
      expect(d.entity).toEqual({
        id: BINANCE, kind: 'Account', name: 'Binance 14', aliases: [], attrs: { chainId: 1 }, labels: ['Exchange'],
        recordedAt: '2024-01-01T00:00:00.000Z', validFrom: null,
      });
    }
  });

  it('returns null for unknown ids and for events asked as entities', async () => {
    const d = await data(`{ a: entity(id: "eip155:1:0x${'9'.repeat(40)}") { id } b: entity(id: "${INCIDENT}") { id } c: event(id: "${BINANCE}") { id } }`);
    expect(d).toEqual({ a: null, b: null, c: null });
  });

  it('reads an event with amounts, participants, facts and source', async () => {
    const d = await data(`query($id: ID!) { event(id: $id) {
      id type occurredAt recordedAt summary attrs extractor
      amounts { role value raw decimals unit token { id name } }
      participants { role factId entity { id name } }
      facts(first: 10) { type role subject { id __typename } object { id __typename ... on Entity { kind } } }
      source { id kind recordedAt }
    } }`, { id: TRANSFERS[0]!.id.replace('0x', '0X').toUpperCase() });
    const e = d.event;
    expect(e).toMatchObject({
      id: TRANSFERS[0]!.id, type: 'Transfer', occurredAt: '2024-01-10T00:00:00.000Z', summary: 'Binance 14 sent 1000.5 USDC',
      attrs: { fixture: true }, extractor: 'test-fixture', source: { id: SRC_LOGS, kind: 'eth-logs' },
      amounts: [{ role: 'value', value: '1000.5', raw: '1000500000', decimals: 6, unit: 'USDC', token: { id: USDC, name: 'USD Coin' } }],
    });
    expect(e.participants.map((p: any) => [p.role, p.entity.id]).sort()).toEqual([['from', BINANCE], ['to', ALICE], ['token', USDC]].sort());
    expect(e.facts).toHaveLength(3);
    for (const f of e.facts) {
      expect(f).toMatchObject({ type: 'PARTICIPANT', subject: { id: TRANSFERS[0]!.id, __typename: 'Event' }, object: { __typename: 'Entity' } });
    }
  });

  it('node() resolves entities and events to their own types', async () => {
    const d = await data(`{ a: node(id: "${USDC}") { __typename id ... on Entity { name } }
      b: node(id: "${INCIDENT}") { __typename id ... on Event { type } } c: node(id: "nope") { id } }`);
    expect(d).toEqual({ a: { __typename: 'Entity', id: USDC, name: 'USD Coin' }, b: { __typename: 'Event', id: INCIDENT, type: 'Incident' }, c: null });
  });

  it('entity facts filter by relationship type and reject unknown types', async () => {
    const d = await data(`{ entity(id: "${BINANCE}") { all: facts { id } labels: facts(types: ["HAS_LABEL"]) { type object { id } } } }`);
    expect(d.entity.all).toHaveLength(7); // 6 transfers + 1 label
    expect(d.entity.labels).toEqual([{ type: 'HAS_LABEL', object: { id: EXCHANGE } }]);
    const bad = await gql(`{ entity(id: "${BINANCE}") { facts(types: ["HAS_LABEL", "LIKES"]) { id } } }`);
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0]?.message).toContain('"LIKES"');
  });
});

describe('connections', () => {
  it('walks every page of entities with a stable totalCount', async () => {
    const all = await walk((after) => `{ entities(first: 3, after: ${JSON.stringify(after)}) {
      totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } } }`, (d) => d.entities);
    expect(all.totals).toEqual([11]);
    expect(all.pages).toBe(4);
    expect(new Set(all.ids).size).toBe(11);
    expect(all.ids).toContain(EXPLOITER);
  });

  it('filters entities by kind, name and label', async () => {
    const d = await data(`{
      tokens: entities(filter: { kind: Token }) { totalCount edges { node { id } } }
      named: entities(filter: { nameContains: "binance" }) { totalCount edges { node { id } } }
      labelled: entities(filter: { label: "Exchange" }) { totalCount edges { node { id labels } } }
    }`);
    expect(d.tokens.totalCount).toBe(3);
    expect(d.named.edges.map((e: any) => e.node.id)).toEqual([BINANCE]);
    expect(d.labelled.edges).toEqual([{ node: { id: BINANCE, labels: ['Exchange'] } }]);
  });

  it('walks every page of events, newest first', async () => {
    const all = await walk((after) => `{ events(first: 3, after: ${JSON.stringify(after)}) {
      totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id occurredAt } } } }`, (d) => d.events);
    expect(all.totals).toEqual([8]);
    expect(all.ids[0]).toBe(LATE_TRANSFER_ID);
    expect(all.ids.at(-1)).toBe(TRANSFERS[0]!.id);
    expect(new Set(all.ids).size).toBe(8);
  });

  it('filters events by type, participant/role, time window and source', async () => {
    const d = await data(`query($p: ID) {
      transfers: events(filter: { type: Transfer }) { totalCount }
      sent: events(filter: { participant: $p, role: from }) { totalCount }
      any: events(filter: { participant: $p }) { totalCount }
      window: events(filter: { from: "2024-01-11", to: "2024-01-13T00:00:00Z" }) { edges { node { id } } }
      incidents: events(filter: { sourceId: "${SRC_INCIDENTS}" }) { edges { node { id } } }
    }`, { p: `eip155:1:${displayAddress(BINANCE_ADDR)}` });
    expect(d.transfers.totalCount).toBe(6);
    expect(d.sent.totalCount).toBe(5);
    expect(d.any.totalCount).toBe(6);
    expect(d.window.edges.map((e: any) => e.node.id)).toEqual([TRANSFERS[3]!.id, TRANSFERS[2]!.id, TRANSFERS[1]!.id]);
    expect(d.incidents.edges.map((e: any) => e.node.id)).toEqual([INCIDENT]);
    const bad = await gql(`{ events(filter: { role: from }) { totalCount } }`);
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it("pages through an entity's events", async () => {
    const all = await walk((after) => `{ entity(id: "${BINANCE}") { events(type: Transfer, first: 2, after: ${JSON.stringify(after)}) {
      totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } } } }`, (d) => d.entity.events);
    expect(all.totals).toEqual([6]);
    expect(all.pages).toBe(3);
    const received = await data(`{ entity(id: "${BINANCE}") { events(role: to) { edges { node { id } } } } }`);
    expect(received.entity.events.edges.map((e: any) => e.node.id)).toEqual([LATE_TRANSFER_ID]);
  });

  it('walks every page of rejects and filters them', async () => {
    const all = await walk((after) => `{ rejects(first: 2, after: ${JSON.stringify(after)}) {
      totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id file line code reason raw severity recordedAt } } } }`,
    (d) => d.rejects);
    expect(all.totals).toEqual([7]);
    expect(new Set(all.ids).size).toBe(7);
    const d = await data(`{
      warnings: rejects(severity: "warning") { totalCount edges { node { severity sourceId } } }
      incidents: rejects(sourceId: "${SRC_INCIDENTS}") { totalCount }
    }`);
    expect(d.warnings.totalCount).toBe(2);
    expect(d.warnings.edges.every((e: any) => e.node.severity === 'warning' && e.node.sourceId === SRC_LOGS)).toBe(true);
    expect(d.incidents.totalCount).toBe(2);
    const bad = await gql(`{ rejects(severity: "fatal") { totalCount } }`);
    expect(bad.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(bad.errors?.[0]?.message).toMatch(/severity/);
  });
});

describe('search, neighbourhood, stats, sources', () => {
  it('searches entities and events and resolves the hits', async () => {
    const d = await data(`{
      coin: search(text: "usd coin") { id target label name score entity { id kind } event { id } }
      summary: search(text: "exploited") { id target label event { id type } entity { id } }
    }`);
    expect(d.coin[0]).toMatchObject({ id: USDC, target: 'entity', label: 'Token', name: 'USD Coin', entity: { id: USDC, kind: 'Token' }, event: null });
    expect(d.summary.map((h: any) => h.id)).toContain(INCIDENT);
    const hit = d.summary.find((h: any) => h.id === INCIDENT);
    expect(hit).toMatchObject({ target: 'event', label: 'Incident', event: { id: INCIDENT, type: 'Incident' }, entity: null });
  });

  it('treats hostile search text as plain text', async () => {
    const hostile = [
      '"', '*', '"unterminated', 'AND OR NOT', 'NEAR(usd coin', "'; DROP TABLE nodes; --", 'name:binance', '^usd',
      '(((', '\u0000', '   ', '🚀🚀', 'usd"*OR"1"="1', '%_\\', '-binance', '{"$ne": null}',
    ];
    for (const text of hostile) {
      const result = await gql(`query($t: String!) { search(text: $t, first: 5) { id target } }`, { t: text });
      expect(result.errors, `${JSON.stringify(text)}: ${JSON.stringify(result.errors)}`).toBeUndefined();
      expect(Array.isArray(result.data.search)).toBe(true);
    }
    const long = await gql(`query($t: String!) { search(text: $t) { id } }`, { t: 'a'.repeat(501) });
    expect(long.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // The store is intact afterwards.
    expect((await data('{ stats { entities events } }')).stats).toEqual({ entities: 11, events: 8 });
  });

  it('expands a neighbourhood and reports truncation; caps depth and limit', async () => {
    const d = await data(`{ neighborhood(id: "${BINANCE.toUpperCase()}", depth: 1) {
      truncated nodes { id } events { id } facts { id type subject { id } object { id } } } }`);
    const g = d.neighborhood;
    expect(g.truncated).toBe(false);
    expect(g.nodes.map((n: any) => n.id)).toEqual(expect.arrayContaining([BINANCE, EXCHANGE]));
    expect(g.events.map((e: any) => e.id)).toEqual(expect.arrayContaining([TRANSFERS[0]!.id, LATE_TRANSFER_ID]));
    expect(g.facts.length).toBeGreaterThanOrEqual(7);
    const small = await data(`{ neighborhood(id: "${BINANCE}", depth: 2, limit: 1) { truncated facts { id } } }`);
    expect(small.neighborhood).toMatchObject({ truncated: true });
    expect(small.neighborhood.facts).toHaveLength(1);
    for (const args of ['depth: 4', 'depth: 0', 'limit: 2001', 'limit: 0']) {
      const bad = await gql(`{ neighborhood(id: "${BINANCE}", ${args}) { truncated } }`);
      expect(bad.errors?.[0]?.extensions?.code, args).toBe('BAD_USER_INPUT');
      expect(bad.errors?.[0]?.message, args).toMatch(/depth|limit/);
    }
  });

  it('reports stats now and as of a date', async () => {
    const q = `query($t: DateTime) { stats(asOf: $t) { entities events facts sources rejects
      entitiesByKind { key count } eventsByType { key count } factsByType { key count } } }`;
    const now = (await data(q)).stats;
    expect(now).toMatchObject({ entities: 11, events: 8, facts: 24, sources: 4, rejects: 7 });
    expect(now.entitiesByKind).toEqual(expect.arrayContaining([{ key: 'Token', count: 3 }, { key: 'Account', count: 4 }]));
    expect(now.eventsByType).toEqual(expect.arrayContaining([{ key: 'Transfer', count: 6 }]));
    const then = (await data(q, { t: AS_OF })).stats;
    expect(then).toMatchObject({ entities: 11, events: 7 });
    expect(then.facts).toBe(24 - 5); // late transfer's 3, attacker participation, exploiter label
  });

  it('lists sources', async () => {
    const d = await data('{ sources { id uri kind contentHash version recordedAt records rejected } }');
    expect(d.sources.map((s: any) => s.id).sort()).toEqual([SRC_LOGS, SRC_LABELS, SRC_SERIES, SRC_INCIDENTS].sort());
    expect(d.sources.find((s: any) => s.id === SRC_SERIES)).toMatchObject({ kind: 'ohlcv', recordedAt: '2024-01-25T00:00:00.000Z' });
  });
});

describe('asOf', () => {
  const cut = Date.parse(`${AS_OF}T00:00:00Z`);

  it('hides later-recorded events from lists, lookups and search', async () => {
    const d = await data(`query($t: DateTime) {
      events(asOf: $t, first: 50) { totalCount edges { node { id recordedAt } } }
      late: event(id: "${LATE_TRANSFER_ID}", asOf: $t) { id }
      hits: search(text: "exploited", asOf: "2024-02-10") { id target }
    }`, { t: AS_OF });
    expect(d.events.totalCount).toBe(7);
    expect(d.events.edges.map((e: any) => e.node.id)).not.toContain(LATE_TRANSFER_ID);
    expect(d.late).toBeNull();
    expect(d.hits.map((h: any) => h.id)).not.toContain(INCIDENT);
    const now = await data(`{ hits: search(text: "exploited") { id } bulk: search(text: "sent") { id } }`);
    expect(now.hits.map((h: any) => h.id)).toContain(INCIDENT);
    // Transfers are found by type/participant/time; their generated summaries are not full-text indexed.
    expect(now.bulk).toEqual([]);
  });

  it('hides later-recorded participants, labels and facts', async () => {
    const q = `query($t: DateTime) {
      incident: event(id: "${INCIDENT}", asOf: $t) { participants { role entity { id } } facts { id recordedAt } }
      exploiter: entity(id: "${EXPLOITER}", asOf: $t) { labels facts { type recordedAt } }
    }`;
    const now = await data(q);
    expect(now.incident.participants.map((p: any) => p.role).sort()).toEqual(['attacker', 'victim']);
    expect(now.exploiter.labels).toEqual(['Exploiter']);
    const then = await data(q, { t: AS_OF });
    expect(then.incident.participants).toEqual([{ role: 'victim', entity: { id: PROTOCOL } }]);
    expect(then.incident.facts).toHaveLength(1);
    expect(then.exploiter).toEqual({ labels: [], facts: [] });
  });

  it('nested fields read at the root asOf, down to the deepest level', async () => {
    const d = await data(`query($t: DateTime) {
      entity(id: "${BINANCE}", asOf: $t) {
        recordedAt
        events(first: 50) { totalCount edges { node { id occurredAt recordedAt
          participants { entity { id recordedAt labels events(first: 50) { totalCount edges { node { id recordedAt } } } } }
          amounts { token { id recordedAt } }
          facts { recordedAt validFrom validTo subject { id ... on Event { recordedAt } } object { id ... on Entity { recordedAt } } }
          source { id recordedAt }
        } } }
        facts(first: 100) { id type recordedAt object { id ... on Event { recordedAt participants { role entity { id } } } } }
      }
      neighborhood(id: "${EXPLOITER}", depth: 2, asOf: $t) { nodes { id recordedAt } events { id recordedAt } facts { id recordedAt } }
      incident: event(id: "${INCIDENT}", asOf: $t) { participants { entity { events { edges { node { id participants { role } } } } } } }
    }`, { t: AS_OF });
    expect(d.entity.events.totalCount).toBe(5);
    const aliceEvents = d.entity.events.edges[0].node.participants.map((p: any) => p.entity.events.totalCount);
    expect(Math.max(...aliceEvents)).toBe(5); // Binance itself: 5, not 6, also two levels down
    expect(d.entity.facts.map((f: any) => f.object.id)).not.toContain(LATE_TRANSFER_ID);
    expect(d.neighborhood.events.map((e: any) => e.id)).not.toContain(LATE_TRANSFER_ID);
    expect(d.incident.participants).toHaveLength(1);
    const times = timesIn(d);
    expect(times.length).toBeGreaterThan(50);
    expect(times.filter((t) => t.at > cut)).toEqual([]);
  });

  it('does not reveal ends that lie after asOf', async () => {
    // The store returns the fact with its (future) validTo; the API must not show it at asOf.
    const stored = await store.factsOf(ALICE, { types: ['HOLDS'], asOf: cut });
    expect(stored.map((f) => f.validTo)).toEqual([HOLDS_END]);
    const q = `query($t: DateTime) { entity(id: "${ALICE}", asOf: $t) { facts(types: ["HOLDS"]) { validFrom validTo } } }`;
    expect((await data(q, { t: AS_OF })).entity.facts).toEqual([{ validFrom: '2024-01-10T00:00:00.000Z', validTo: null }]);
    expect((await data(q, { t: '2024-05-01' })).entity.facts).toEqual([]);
  });

  it('hides a source recorded after asOf, and entities not yet recorded', async () => {
    const q = `query($t: DateTime) { event(id: "${PRICE_MOVE}", asOf: $t) { id source { id } } exploiter: entity(id: "${EXPLOITER}", asOf: $t) { id } }`;
    expect(await data(q, { t: '2024-01-22' })).toEqual({ event: { id: PRICE_MOVE, source: null }, exploiter: null });
    expect(await data(q, { t: '2024-01-26' })).toEqual({ event: { id: PRICE_MOVE, source: { id: SRC_SERIES } }, exploiter: null });
    expect((await data(q)).event.source).toEqual({ id: SRC_SERIES });
  });

  it('accepts timestamps with offsets and keeps different asOf per root field', async () => {
    const d = await data(`{
      before: event(id: "${PRICE_MOVE}", asOf: "2024-01-21T00:59:59+01:00") { id }
      after: event(id: "${PRICE_MOVE}", asOf: "2024-01-21T01:00:00+01:00") { id }
      old: entity(id: "${BINANCE}", asOf: "2024-01-12") { events { totalCount } }
      now: entity(id: "${BINANCE}") { events { totalCount } }
    }`);
    expect(d).toEqual({ before: null, after: { id: PRICE_MOVE }, old: { events: { totalCount: 3 } }, now: { events: { totalCount: 6 } } });
  });
});
