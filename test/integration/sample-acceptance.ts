/**
 * The acceptance facts of the real sample (../shared/data/sample plus examples/notes), asserted
 * through the GraphQL API on a store the caller has ingested it into: the same checks run on every
 * graph store (sample-ingest.test.ts on SQLite, sample-ingest-neo4j.test.ts on a live Neo4j).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import type { createApi } from '../../api/index.ts';
import type { GraphStore } from '../../graph/graph-store.ts';
import { HashingEmbedder } from '../../extraction/embed/hashing-embedder.ts';
import { ingest, type IngestReport } from '../../pipelines/ingest/ingest.ts';
import { induceAndResolve, type TextSchemaResult } from '../../pipelines/text-schema.ts';
import { EXAMPLE_NOTES_DIR, SAMPLE_DIR } from '../fixtures/paths.ts';
import { SAMPLE_INGESTED_AT } from '../fixtures/sample.ts';
import { queryData as gql } from '../fixtures/graphql-client.ts';

type Json = Record<string, any>;

export const COUNTS = `query { stats { entities events facts eventsByType { key count } } }`;
const COUNT_EVENTS = `query($type: EventType, $participant: ID, $role: Role) {
  events(filter: {type: $type, participant: $participant, role: $role}, first: 1) { totalCount } }`;

/** A store with the sample ingested, schema induced and entities resolved, and its API. */
export interface SampleRun {
  store: GraphStore;
  yoga: ReturnType<typeof createApi>;
  first: IngestReport;
  schema: TextSchemaResult;
  paths: string[];
}

/**
 * The acceptance tests; `run()` is the ingested store (set up by the caller's beforeAll).
 * `ingestTimeout` bounds the test that ingests the whole sample again (a server store is slower).
 */
export function sampleAcceptance(run: () => SampleRun, ingestTimeout = 60_000): void {
  it('reads every data file, then the documents (SOURCES.md and the example notes)', () => {
    expect(run().first.files.filter((f) => f.error)).toEqual([]);
    expect(run().first.files).toHaveLength(14);
    const docs = run().first.files.filter((f) => f.kind === 'documents').map((f) => f.file);
    expect(docs).toEqual([
      join(EXAMPLE_NOTES_DIR, 'bizness-postmortem.md'), join(EXAMPLE_NOTES_DIR, 'market-wrap.jsonl'), join(SAMPLE_DIR, 'SOURCES.md'),
    ]);
    expect(run().first.chunks).toBeGreaterThanOrEqual(7);
    expect(run().schema.induction.items).toBeGreaterThan(0);
    expect(run().first.added).toBeGreaterThan(10_000);
  });

  it('has exactly 291 Transfer and 79 Swap events for blocks 17173049–17173050', async () => {
    const t = await gql(run().yoga, COUNT_EVENTS, { type: 'Transfer' });
    const s = await gql(run().yoga, COUNT_EVENTS, { type: 'Swap' });
    expect(t.events.totalCount).toBe(291);
    expect(s.events.totalCount).toBe(79);
  });

  it('scales the big WETH transfer exactly', async () => {
    const data = await gql(run().yoga, `{ event(id: "evt:transfer:eip155:1:0xeb107a40ba73a50c79a9f2026e902d758d1c5e5e211f7a7db1b294f88f118dd0:0") {
      type amounts { role value raw decimals unit token { id name } } } }`);
    expect(data.event.type).toBe('Transfer');
    expect(data.event.amounts).toEqual([{
      role: 'value', value: '7.056176614974947328', raw: '7056176614974947328', decimals: 18, unit: 'WETH',
      token: { id: 'eip155:1/erc20:0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2', name: expect.stringMatching(/Wrapped Ether|WETH/) },
    }]);
  });

  it('labels the Uniswap router and finds it as receiver of 22 transfers', async () => {
    const id = 'eip155:1:0xef1c6e67703c7bd7107eed8303fbe6ec2554bf6b';
    const data = await gql(run().yoga, `{ entity(id: "${id}") { name kind labels } }`);
    expect(data.entity.name).toBe('Uniswap: Old Universal Router');
    const received = await gql(run().yoga, COUNT_EVENTS, { type: 'Transfer', participant: id, role: 'to' });
    expect(received.events.totalCount).toBe(22);
  });

  it('detects the ETH price moves of 2018-09-05 (fall ≈19%) and 2017-12-12 (rise ≈26%)', async () => {
    const data = await gql(run().yoga, `{ events(filter: {type: PriceMove, participant: "asset:crypto:ETH"}, first: 100) {
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
    const data = await gql(run().yoga, `{ search(text: "20241227_Bizness", first: 3) { id label } }`);
    const hit = data.search.find((h: Json) => h.label === 'Incident');
    expect(hit).toBeDefined();
    const ev = await gql(run().yoga, `query($id: ID!) { event(id: $id) { type attrs amounts { role value unit }
      participants { role entity { id } } } }`, { id: hit.id });
    expect(ev.event.type).toBe('Incident');
    expect(ev.event.attrs.incidentId).toBe('20241227_Bizness');
    const roles = ev.event.participants.map((p: Json) => `${p.role}=${p.entity.id}`);
    expect(roles).toContain('chain=eip155:8453');
    expect(roles).toContain('attacker=eip155:8453:0x3cc1edd8a25c912fcb51d7e61893e737c48cd98d');
    expect(ev.event.amounts).toContainEqual({ role: 'loss', value: '15700', unit: 'USD' });
  });

  it('keeps rejects where a user can list them', async () => {
    const data = await gql(run().yoga, `{ rejects(first: 500) { totalCount edges { node { file line severity code reason } } } }`);
    expect(data.rejects.totalCount).toBeGreaterThan(0);
    expect(data.rejects.edges.some((e: Json) => /metamask-contract-map\.json/.test(e.node.file))).toBe(true);
  });

  it('answers every GraphQL example of the README without errors and with data', async () => {
    const readme = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');
    const examples = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(examples.length).toBeGreaterThanOrEqual(7);
    for (const query of examples) {
      const data = await gql(run().yoga, query);
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
    const before = await gql(run().yoga, COUNTS);
    const rejectsBefore = (await run().store.listRejects({}, { first: 1 })).totalCount;
    const second = await ingest(run().store, { paths: run().paths, now: () => SAMPLE_INGESTED_AT + 86_400_000 });
    const again = await induceAndResolve(run().store, { llm: null, embedder: new HashingEmbedder() });
    expect(again.induction.write.facts.added + again.resolution.write.facts.added).toBe(0);
    expect(second.added).toBe(0);
    expect(second.updated).toBe(0);
    // The same rows reach the store in the same batches, so every one of them is now unchanged.
    expect(second.unchanged).toBe(run().first.added + run().first.updated + run().first.unchanged);
    expect(await gql(run().yoga, COUNTS)).toEqual(before);
    expect((await run().store.listRejects({}, { first: 1 })).totalCount).toBe(rejectsBefore);
  }, ingestTimeout);
}
