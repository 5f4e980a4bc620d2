/**
 * induceSchema on a real SQLite store in a temp dir: offline (taxonomy) and with the replay LLM
 * (test/fixtures/fake-openai.ts through the real OpenAiLlmClient). Both are idempotent.
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OpenAiLlmClient } from '../../extraction/llm/openai-llm-client.ts';
import { SqliteGraphStore } from '../../graph/sqlite/sqlite-graph-store.ts';
import { induceSchema, SCHEMA_INDUCTION_SOURCE_ID } from '../../pipelines/induce-schema.ts';
import { NamePriority, type FactInput, type GraphBatch } from '../../schema/graph.ts';
import { factId } from '../../schema/ids.ts';
import type { RelType, Role } from '../../schema/ontology.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../fixtures/fake-openai.ts';
import { tempDir } from '../fixtures/paths.ts';

const tmp = tempDir('mkg-induce-');
afterAll(() => tmp.cleanup());
let files = 0;

const T0 = Date.UTC(2023, 6, 30);
const SRC = 'src:incidents:test';
const CURVE = 'ent:protocol:curve-finance';
const INCIDENT = 'evt:incident:2023-07-30:curve-finance';
const ATTACKER = 'eip155:1:0x6ec21d1868743a44318c3c259a6d4953f9978538';

function fact(subject: string, type: RelType, predicate: string, object: string, role: Role | null = null): FactInput {
  const prov = { sourceId: SRC, extractor: 'incidents', extractorVersion: '1' };
  return {
    id: factId({ subject, type, object, role, ...prov }), subject, type, predicate, object, role, confidence: 1,
    validFrom: T0, validTo: null, recordedAt: T0, chunkId: null, attrs: {}, ...prov,
  };
}

/** A structured incident: the protocol, its (address-named) attacker and the Incident event. */
const INCIDENT_BATCH: GraphBatch = {
  nodes: [
    { id: CURVE, kind: 'Protocol', name: 'Curve Finance', namePriority: NamePriority.derived, recordedAt: T0, sourceId: SRC },
    { id: ATTACKER, kind: 'Account', name: '0x6Ec21d1868743a44318c3C259a6d4953F9978538', recordedAt: T0, sourceId: SRC },
  ],
  events: [{
    id: INCIDENT, type: 'Incident', occurredAt: T0, summary: 'Curve Finance exploit: reentrancy in Vyper, $69M lost',
    amounts: [], attrs: {}, recordedAt: T0, sourceId: SRC, extractor: 'incidents', extractorVersion: '1',
  }],
  facts: [
    fact(INCIDENT, 'PARTICIPANT', 'protocol', CURVE, 'protocol'),
    fact(INCIDENT, 'PARTICIPANT', 'attacker', ATTACKER, 'attacker'),
    fact(ATTACKER, 'EXPLOITED', 'exploited', CURVE),
  ],
};

let graph: SqliteGraphStore;
beforeEach(async () => {
  graph = SqliteGraphStore.open(join(tmp.dir, `graph-${++files}.db`));
  await graph.writeBatch(INCIDENT_BATCH);
});
afterEach(async () => {
  await graph.close();
});

const out = async (id: string, type: RelType) => (await graph.factsOf(id, { direction: 'out', types: [type] })).map((f) => f.object);

describe('induceSchema offline (taxonomy)', () => {
  it('writes Concept nodes, INSTANCE_OF and a BROADER chain, lists its source, and adds nothing the second time', async () => {
    const first = await induceSchema(graph, { llm: null, now: T0 + 1 });
    // Curve Finance and the Incident; the address-named attacker is skipped.
    expect(first.items).toBe(2);
    expect(first.issues).toBe(0);
    expect(await out(CURVE, 'INSTANCE_OF')).toEqual(['concept:taxonomy:dex']);
    expect(await out(INCIDENT, 'INSTANCE_OF')).toEqual(['concept:taxonomy:exploit']);
    expect(await out(ATTACKER, 'INSTANCE_OF')).toEqual([]);
    expect(await out('concept:taxonomy:dex', 'BROADER')).toEqual(['concept:taxonomy:amm-protocol']);
    expect(await out('concept:taxonomy:amm-protocol', 'BROADER')).toEqual(['concept:taxonomy:defi-protocol']);
    expect(await graph.getNode('concept:taxonomy:defi-protocol')).toMatchObject({ kind: 'Concept', name: 'DeFi protocol' });
    expect(first.write.facts.added).toBe(first.instanceOf + first.broader);
    expect((await graph.listSources()).map((s) => s.id)).toContain(SCHEMA_INDUCTION_SOURCE_ID);

    const second = await induceSchema(graph, { llm: null, now: T0 + 2 });
    expect(second.write.facts.added).toBe(0);
    expect(second.write.nodes.added + second.write.nodes.updated).toBe(0);
  });
});

describe('induceSchema with an LLM (replay server)', () => {
  let fake: FakeOpenAi;
  beforeEach(async () => {
    fake = await startFakeOpenAi();
  });
  afterEach(async () => {
    await fake.close();
  });

  it('conceptualises entities, events and predicates with neighbour context, once', async () => {
    fake.script([{
      content: JSON.stringify({
        items: [
          { index: 1, concepts: ['DEX', 'AMM protocol', 'DeFi protocol'] },
          { index: 2, concepts: ['Smart contract exploit', 'Security incident'] },
          { index: 3, concepts: ['Attack', 'Security incident'] },
        ],
      }),
    }]);
    const llm = new OpenAiLlmClient({ model: 'test-model', baseURL: fake.url, apiKey: 'k', maxRepairs: 0 });
    const first = await induceSchema(graph, { llm, now: T0 + 1 });
    expect(first.issueSamples).toEqual([]);
    expect(first.items).toBe(3);
    const chats = () => fake.requests.filter((r) => r.path === '/v1/chat/completions');
    expect(chats()).toHaveLength(1);
    const user = (chats()[0]!.body.messages as { role: string; content: string }[]).find((m) => m.role === 'user')!.content;
    // Context lines come newest first; facts recorded at the same time come in store order.
    const lines = user.split('\n');
    expect(lines.filter((l) => !l.startsWith(' '))).toEqual([
      '1. entity Protocol: Curve Finance',
      '2. event Incident: Curve Finance exploit: reentrancy in Vyper, $69M lost',
      '3. predicate EXPLOITED: exploited',
    ]);
    expect(lines.filter((l) => l.startsWith(' ')).sort()).toEqual([
      '  0x6Ec21d1868743a44318c3C259a6d4953F9978538 exploited Curve Finance',
      '  attacker → 0x6Ec21d1868743a44318c3C259a6d4953F9978538',
      '  exploited ← 0x6Ec21d1868743a44318c3C259a6d4953F9978538',
      '  protocol ← Curve Finance exploit: reentrancy in Vyper, $69M lost',
      '  protocol → Curve Finance',
    ]);
    expect(await out(CURVE, 'INSTANCE_OF')).toEqual(['concept:induced:dex']);
    expect(await out('concept:induced:dex', 'BROADER')).toEqual(['concept:induced:amm-protocol']);
    expect(await out('concept:induced:amm-protocol', 'BROADER')).toEqual(['concept:induced:defi-protocol']);
    expect(await out(INCIDENT, 'INSTANCE_OF')).toEqual(['concept:induced:smart-contract-exploit']);
    expect((await graph.getNode('concept:induced:attack'))?.attrs).toEqual({ namespace: 'induced', predicates: ['exploited'] });

    // Nothing left to ask: no request is sent (the replay queue is empty) and nothing is added.
    const second = await induceSchema(graph, { llm, now: T0 + 2 });
    expect(second.items).toBe(0);
    expect(chats()).toHaveLength(1);
    expect(second.write.facts.added + second.write.nodes.added).toBe(0);
  });
});
