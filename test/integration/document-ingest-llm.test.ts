/**
 * Documents through `ingest` with an LLM: the real `openai` client (OpenAiLlmClient) behind the
 * answer cache (CachingLlmClient + SqliteLlmCache), against the loopback replay server. One
 * document, one chunk, three passes — the first answer is a 429 with retry-after, the second pass
 * first answers prose and is repaired. Asserts the graph that results (linked to the structured
 * incident's ids), the retries and repairs made and the token accounting, then re-ingests: zero
 * LLM requests and nothing changed.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../api/index.ts';
import { CachingLlmClient } from '../../extraction/llm/caching-llm-client.ts';
import { UsageMeter } from '../../extraction/llm/llm-client.ts';
import { OpenAiLlmClient } from '../../extraction/llm/openai-llm-client.ts';
import { SqliteLlmCache } from '../../extraction/llm/sqlite-llm-cache.ts';
import { SqliteGraphStore } from '../../graph/sqlite/sqlite-graph-store.ts';
import { ingest, type IngestReport } from '../../pipelines/ingest/ingest.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../fixtures/fake-openai.ts';
import { SAMPLE_DIR, tempDir } from '../fixtures/paths.ts';
import { queryData as gql } from '../fixtures/graphql-client.ts';

type Json = Record<string, any>;

const ATTACKER = '0x3Cc1eDD8a25c912fCB51d7E61893e737C48Cd98D';
const ATTACKER_ID = 'eip155:8453:0x3cc1edd8a25c912fcb51d7e61893e737c48cd98d';
const NOTE = `---
id: bizness-llm
published_at: 2024-12-28
---
On 27 December 2024 the attacker ${ATTACKER} exploited Bizness on Base through a reentrancy bug and drained about 15.7k USD. The team then paused the locker contract.
`;

const TRIPLES = {
  entities: [
    { name: ATTACKER, kind: 'wallet' },
    { name: 'Bizness', kind: 'DeFi protocol' },
    { name: 'Base', kind: 'Chain' },
  ],
  triples: [
    { subject: ATTACKER, predicate: 'exploited', object: 'Bizness', confidence: 0.9 },
    { subject: 'Bizness', predicate: 'runs on', object: 'Base', confidence: null },
  ],
};
const EVENTS = {
  events: [
    {
      sentence: 'The attacker exploited Bizness through a reentrancy bug.', time: '2024-12-27', amount: '15.7k USD', confidence: 0.9,
      participants: [{ name: ATTACKER, kind: 'Account', role: 'attacker' }, { name: 'Bizness', kind: 'Protocol', role: 'victim' }],
    },
    {
      sentence: 'The Bizness team paused the locker contract.', time: null, amount: null, confidence: 0.8,
      participants: [{ name: 'Bizness', kind: 'Protocol', role: 'subject' }],
    },
  ],
};
const RELATIONS = { relations: [{ from: 1, type: 'FOLLOWS', to: 0, confidence: 0.8 }] };

describe('ingesting a document with an LLM (replayed) behind the answer cache', () => {
  const tmp = tempDir();
  let fake: FakeOpenAi;
  let store: SqliteGraphStore;
  let cache: SqliteLlmCache;
  let llm: CachingLlmClient;
  let yoga: ReturnType<typeof createApi>;
  let paths: string[];
  let first: IngestReport;
  const usage = new UsageMeter();

  beforeAll(async () => {
    fake = await startFakeOpenAi();
    const doc = join(tmp.dir, 'bizness.md');
    writeFileSync(doc, NOTE);
    paths = [join(SAMPLE_DIR, 'incidents_2023_2024.csv'), doc];
    store = SqliteGraphStore.open(join(tmp.dir, 'graph.db'));
    cache = new SqliteLlmCache(join(tmp.dir, 'graph.db'));
    const inner = new OpenAiLlmClient({ model: 'replay-1', baseURL: fake.url, apiKey: 'test', timeoutMs: 5_000, maxRetries: 2, concurrency: 2 });
    llm = new CachingLlmClient(inner, cache);
    yoga = createApi({ graph: store });
    fake.script([
      { status: 429, headers: { 'retry-after': '0' }, body: { error: { message: 'slow down' } } },
      { content: JSON.stringify(TRIPLES), usage: { prompt_tokens: 300, completion_tokens: 120 } },
      { content: 'Sure! Here are the events you asked for.', usage: { prompt_tokens: 320, completion_tokens: 10 } },
      { content: JSON.stringify(EVENTS), usage: { prompt_tokens: 360, completion_tokens: 150 } },
      { content: JSON.stringify(RELATIONS), usage: { prompt_tokens: 200, completion_tokens: 30 } },
    ]);
    first = await ingest(store, { paths, now: () => Date.UTC(2026, 10, 21), text: { llm, usage, concurrency: 1 } });
  });
  afterAll(async () => {
    await fake.close();
    await cache.close();
    await store.close();
    tmp.cleanup();
  });

  it('accounts for every request: the retry, the repair and the tokens', () => {
    expect(fake.requests.filter((r) => r.path.endsWith('/chat/completions'))).toHaveLength(5);
    expect(usage.snapshot()).toEqual({
      promptTokens: 300 + 320 + 360 + 200, completionTokens: 120 + 10 + 150 + 30,
      calls: 5, retries: 1, repairs: 1, cached: 0,
    });
    expect(first.chunks).toBe(1);
    expect(first.files.at(-1)?.rejected).toBe(0);
  });

  it('links the text to the structured attacker on Base and records where it was read', async () => {
    const data = await gql(yoga, `query($id: ID!) { entity(id: $id) {
      facts(first: 50) { type predicate extractor confidence object { id } chunk { documentId } }
      chunks { documentId mentions { id } } } }`, { id: ATTACKER_ID });
    const facts: Json[] = data.entity.facts;
    const exploited = facts.find((f) => f.type === 'EXPLOITED' && f.extractor === 'llm:replay-1');
    expect(exploited?.predicate).toBe('exploited');
    expect(exploited?.confidence).toBe(0.9);
    expect(exploited?.object.id).toBe('ent:protocol:bizness');
    expect(exploited?.chunk.documentId).toBe('bizness-llm');
    expect(data.entity.chunks.map((c: Json) => c.documentId)).toEqual(['bizness-llm']);
  });

  it('writes text events with roles and the event relation, cited to the chunk', async () => {
    const data = await gql(yoga, `{ events(filter: {type: TextEvent}, first: 10) { edges { node {
      id summary occurredAt amounts { role value unit } participants { role entity { id } }
      facts { type object { id } } chunks { documentId } } } } }`);
    const events = data.events.edges.map((e: Json) => e.node);
    const exploit = events.find((e: Json) => /reentrancy/.test(e.summary));
    const paused = events.find((e: Json) => /paused/.test(e.summary));
    expect(exploit.occurredAt).toBe('2024-12-27T00:00:00.000Z');
    expect(exploit.amounts).toEqual([expect.objectContaining({ role: 'loss', value: '15700', unit: 'USD' })]);
    expect(exploit.participants).toEqual(expect.arrayContaining([
      { role: 'attacker', entity: { id: ATTACKER_ID } }, { role: 'victim', entity: { id: 'ent:protocol:bizness' } },
    ]));
    expect(paused.facts.some((f: Json) => f.type === 'FOLLOWS' && f.object?.id === exploit.id)).toBe(true);
    expect(exploit.chunks.map((c: Json) => c.documentId)).toEqual(['bizness-llm']);
  });

  it('re-ingesting makes zero LLM calls and changes nothing', async () => {
    const before = fake.requests.length;
    const again = new UsageMeter();
    const report = await ingest(store, { paths, now: () => Date.UTC(2026, 10, 22), text: { llm, usage: again, concurrency: 1 } });
    expect(fake.requests.length).toBe(before);
    expect(again.snapshot()).toMatchObject({ calls: 0, promptTokens: 0, cached: 3 });
    expect(report.added).toBe(0);
    expect(report.updated).toBe(0);
  });
});
