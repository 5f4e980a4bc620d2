/**
 * Acceptance on the real sample: ingest ../shared/data/sample and the project's example notes
 * (examples/notes, written for this project) end to end into a fresh SQLite file, then induce the
 * schema and resolve as `mkg ingest` does, and check the facts through the GraphQL API
 * (yoga.fetch, no port).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../api/index.ts';
import { SqliteGraphStore } from '../../graph/sqlite/sqlite-graph-store.ts';
import { ingest, type IngestReport } from '../../pipelines/ingest/ingest.ts';
import { induceAndResolve, type TextSchemaResult } from '../../pipelines/text-schema.ts';
import { HashingEmbedder } from '../../extraction/embed/hashing-embedder.ts';
import { EXAMPLE_NOTES_DIR, SAMPLE_BLOCKS_DIR, SAMPLE_DIR, tempDir } from '../fixtures/paths.ts';
import { queryData as gql } from '../fixtures/graphql-client.ts';

type Json = Record<string, any>;

const COUNTS = `query { stats { entities events facts eventsByType { key count } } }`;
const COUNT_EVENTS = `query($type: EventType, $participant: ID, $role: Role) {
  events(filter: {type: $type, participant: $participant, role: $role}, first: 1) { totalCount } }`;

describe('ingesting the whole sample', () => {
  const tmp = tempDir();
  let store: SqliteGraphStore;
  let yoga: ReturnType<typeof createApi>;
  let first: IngestReport;
  let schema: TextSchemaResult;
  const paths = [SAMPLE_DIR, EXAMPLE_NOTES_DIR];

  beforeAll(async () => {
    store = SqliteGraphStore.open(join(tmp.dir, 'sample.db'));
    yoga = createApi({ graph: store });
    first = await ingest(store, { paths, now: () => Date.UTC(2026, 10, 21) });
    schema = await induceAndResolve(store, { llm: null, embedder: new HashingEmbedder() });
  });
  afterAll(async () => {
    await store.close();
    tmp.cleanup();
  });

  it('reads every data file, then the documents (SOURCES.md and the example notes)', () => {
    expect(first.files.filter((f) => f.error)).toEqual([]);
    expect(first.files).toHaveLength(14);
    const docs = first.files.filter((f) => f.kind === 'documents').map((f) => f.file);
    expect(docs).toEqual([
      join(EXAMPLE_NOTES_DIR, 'bizness-postmortem.md'), join(EXAMPLE_NOTES_DIR, 'market-wrap.jsonl'), join(SAMPLE_DIR, 'SOURCES.md'),
    ]);
    expect(first.chunks).toBeGreaterThanOrEqual(7);
    expect(schema.induction.items).toBeGreaterThan(0);
    expect(first.added).toBeGreaterThan(10_000);
  });

  it('has exactly 291 Transfer and 79 Swap events for blocks 17173049–17173050', async () => {
    const t = await gql(yoga, COUNT_EVENTS, { type: 'Transfer' });
    const s = await gql(yoga, COUNT_EVENTS, { type: 'Swap' });
    expect(t.events.totalCount).toBe(291);
    expect(s.events.totalCount).toBe(79);
  });

  it('scales the big WETH transfer exactly', async () => {
    const data = await gql(yoga, `{ event(id: "evt:transfer:eip155:1:0xeb107a40ba73a50c79a9f2026e902d758d1c5e5e211f7a7db1b294f88f118dd0:0") {
      type amounts { role value raw decimals unit token { id name } } } }`);
    expect(data.event.type).toBe('Transfer');
    expect(data.event.amounts).toEqual([{
      role: 'value', value: '7.056176614974947328', raw: '7056176614974947328', decimals: 18, unit: 'WETH',
      token: { id: 'eip155:1/erc20:0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2', name: expect.stringMatching(/Wrapped Ether|WETH/) },
    }]);
  });

  it('labels the Uniswap router and finds it as receiver of 22 transfers', async () => {
    const id = 'eip155:1:0xef1c6e67703c7bd7107eed8303fbe6ec2554bf6b';
    const data = await gql(yoga, `{ entity(id: "${id}") { name kind labels } }`);
    expect(data.entity.name).toBe('Uniswap: Old Universal Router');
    const received = await gql(yoga, COUNT_EVENTS, { type: 'Transfer', participant: id, role: 'to' });
    expect(received.events.totalCount).toBe(22);
  });

  it('detects the ETH price moves of 2018-09-05 (fall ≈19%) and 2017-12-12 (rise ≈26%)', async () => {
    const data = await gql(yoga, `{ events(filter: {type: PriceMove, participant: "asset:crypto:ETH"}, first: 100) {
      edges { node { id occurredAt attrs } } } }`);
    const byDate = new Map<string, Json>(data.events.edges.map((e: Json) => [e.node.occurredAt.slice(0, 10), e.node.attrs]));
    // pctChange is in percent.
    const fall = byDate.get('2018-09-05')?.pctChange as number;
    const rise = byDate.get('2017-12-12')?.pctChange as number;
    expect(fall).toBeGreaterThan(-20);
    expect(fall).toBeLessThan(-18);
    expect(rise).toBeGreaterThan(25);
    expect(rise).toBeLessThan(28);
  });

  it('models the Bizness incident on Base with its attacker and a 15,700 USD loss', async () => {
    const data = await gql(yoga, `{ search(text: "20241227_Bizness", first: 3) { id label } }`);
    const hit = data.search.find((h: Json) => h.label === 'Incident');
    expect(hit).toBeDefined();
    const ev = await gql(yoga, `query($id: ID!) { event(id: $id) { type attrs amounts { role value unit }
      participants { role entity { id } } } }`, { id: hit.id });
    expect(ev.event.type).toBe('Incident');
    expect(ev.event.attrs.incidentId).toBe('20241227_Bizness');
    const roles = ev.event.participants.map((p: Json) => `${p.role}=${p.entity.id}`);
    expect(roles).toContain('chain=eip155:8453');
    expect(roles).toContain('attacker=eip155:8453:0x3cc1edd8a25c912fcb51d7e61893e737c48cd98d');
    expect(ev.event.amounts).toContainEqual({ role: 'loss', value: '15700', unit: 'USD' });
  });

  it('keeps rejects where a user can list them', async () => {
    const data = await gql(yoga, `{ rejects(first: 500) { totalCount edges { node { file line severity code reason } } } }`);
    expect(data.rejects.totalCount).toBeGreaterThan(0);
    expect(data.rejects.edges.some((e: Json) => /metamask-contract-map\.json/.test(e.node.file))).toBe(true);
  });

  it('answers every GraphQL example of the README without errors and with data', async () => {
    const readme = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');
    const examples = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(examples.length).toBeGreaterThanOrEqual(7);
    for (const query of examples) {
      const data = await gql(yoga, query);
      for (const [field, value] of Object.entries(data)) {
        expect(value, `${field} in\n${query}`).not.toBeNull();
        if (Array.isArray(value)) expect(value.length, `${field} in\n${query}`).toBeGreaterThan(0);
        if (value && typeof value === 'object' && 'totalCount' in value) {
          expect((value as Json).totalCount, `${field} in\n${query}`).toBeGreaterThan(0);
        }
      }
    }
  });

  it('is idempotent: a second ingest adds nothing and changes no count', async () => {
    const before = await gql(yoga, COUNTS);
    const rejectsBefore = (await store.listRejects({}, { first: 1 })).totalCount;
    const second = await ingest(store, { paths, now: () => Date.UTC(2026, 10, 22) });
    const again = await induceAndResolve(store, { llm: null, embedder: new HashingEmbedder() });
    expect(again.induction.write.facts.added + again.resolution.write.facts.added).toBe(0);
    expect(second.added).toBe(0);
    expect(second.updated).toBe(0);
    // The same rows reach the store in the same batches, so every one of them is now unchanged.
    expect(second.unchanged).toBe(first.added + first.updated + first.unchanged);
    expect(await gql(yoga, COUNTS)).toEqual(before);
    expect((await store.listRejects({}, { first: 1 })).totalCount).toBe(rejectsBefore);
  });
});

describe('one transfer, whichever ethereum-etl file says so', () => {
  const variants: [string, string[]][] = [
    ['logs only', ['expected_blocks.json', 'expected_logs.json']],
    ['token_transfers only', ['expected_blocks.json', 'expected_token_transfers.json']],
    ['both', ['expected_blocks.json', 'expected_logs.json', 'expected_token_transfers.json']],
  ];
  for (const [name, files] of variants) {
    it(`gives 291 Transfer and the same event ids from ${name}`, async () => {
      const tmp = tempDir();
      const store = SqliteGraphStore.open(join(tmp.dir, 'g.db'));
      try {
        await ingest(store, { paths: files.map((f) => join(SAMPLE_BLOCKS_DIR, f)) });
        const page = await store.findEvents({ type: 'Transfer' }, { first: 500 });
        expect(page.totalCount).toBe(291);
        expect(page.edges.every((e) => e.node.id.startsWith('evt:transfer:eip155:1:0x'))).toBe(true);
      } finally {
        await store.close();
        tmp.cleanup();
      }
    });
  }
});
