/**
 * extractWithLlm through the real OpenAiLlmClient against a loopback OpenAI-compatible server
 * replaying hand-written answers in the shape a model returns (test/fixtures/fake-openai.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageMeter } from '../../../extraction/llm/llm-client.ts';
import { OpenAiLlmClient } from '../../../extraction/llm/openai-llm-client.ts';
import { createTokenRegistry } from '../../../extraction/structured/token-registry.ts';
import { extractWithLlm, LLM_EXTRACTOR_VERSION, LLM_PROMPT_VERSIONS } from '../../../extraction/text/llm/extract-llm.ts';
import type { TextChunk } from '../../../schema/documents.ts';
import { hashParts } from '../../../schema/hash.ts';
import { normalizeName } from '../../../schema/ids.ts';
import { ENTITY_KINDS, REL_TYPES, ROLES } from '../../../schema/ontology.ts';
import { startFakeOpenAi, type FakeOpenAi, type FakeStep } from '../../fixtures/fake-openai.ts';

const ADDR = '0x6Ec21d1868743a44318c3C259a6d4953F9978538';
const BAD_ADDR = '0x6eC21d1868743a44318c3C259a6d4953F9978538';
const TEXT = `On 2023-07-30 the Lazarus Group exploited Curve Finance, draining 7,193 ETH (~$11.6M) from its alETH pool through a reentrancy bug in Vyper. The attacker ${ADDR} then moved the funds to Tornado Cash. Curve's CRV token fell 12% after the hack.`;
const CHUNK: TextChunk = { id: 'chunk:abc', documentId: 'doc:1', index: 0, text: TEXT, span: { start: 0, end: TEXT.length }, tokens: 80, publishedAt: Date.UTC(2023, 6, 31) };
const CTX = { sourceId: 'src:doc:test', ingestedAt: Date.UTC(2025, 0, 1) };

const TRIPLES = {
  entities: [
    { name: 'Lazarus Group', kind: 'hacker group' },
    { name: 'Curve Finance', kind: 'DEX' },
    { name: 'Tornado Cash', kind: 'Protocol' },
    { name: 'CRV', kind: 'Token' },
    { name: ADDR, kind: 'wallet' },
    { name: 'Vyper', kind: 'programming language' },
  ],
  triples: [
    { subject: 'Lazarus Group', predicate: 'exploited', object: 'Curve Finance', confidence: 0.95 },
    { subject: ADDR, predicate: 'moved the funds to', object: 'Tornado Cash', confidence: 0.9 },
    { subject: 'Curve Finance', predicate: 'was attacked by', object: 'Lazarus Group', confidence: null },
    { subject: 'Curve Finance', predicate: 'issues', object: 'CRV', confidence: 1.4 },
    { subject: 'Curve Finance', predicate: 'compiled with', object: 'Vyper', confidence: 0.7 },
  ],
};
const EVENTS = {
  events: [
    {
      sentence: 'Lazarus Group exploited Curve Finance.', time: '2023-07-30', amount: '7,193 ETH (~$11.6M)', confidence: 0.9,
      participants: [
        { name: 'Lazarus Group', kind: 'Organization', role: 'hacker' },
        { name: 'Curve Finance', kind: 'Protocol', role: 'victim' },
      ],
    },
    {
      sentence: 'The attacker moved the funds to Tornado Cash.', time: null, amount: null, confidence: null,
      participants: [
        { name: ADDR, kind: 'Account', role: 'from' },
        { name: 'Tornado Cash', kind: 'Protocol', role: 'destination' },
        { name: 'the funds', kind: 'thing', role: 'cargo' },
      ],
    },
    {
      sentence: 'CRV fell 12%.', time: 'late July', amount: null, confidence: 1.7,
      participants: [{ name: 'CRV', kind: 'Token', role: 'asset' }],
    },
  ],
};
const RELATIONS = {
  relations: [
    { from: 0, type: 'CAUSES', to: 2, confidence: 0.85 },
    { from: 1, type: 'FOLLOWS', to: 0, confidence: null },
    { from: 0, type: 'triggered', to: 1, confidence: 0.6 },
    { from: 2, type: 'INSPIRED', to: 1, confidence: 0.3 },
    { from: 0, type: 'CAUSES', to: 7, confidence: 0.5 },
  ],
};
const USAGE = [
  { prompt_tokens: 210, completion_tokens: 150 },
  { prompt_tokens: 230, completion_tokens: 190 },
  { prompt_tokens: 160, completion_tokens: 60 },
];
const answer = (value: unknown, i: number): FakeStep => ({ content: JSON.stringify(value), usage: USAGE[i] });
const happyPath = (): FakeStep[] => [answer(TRIPLES, 0), answer(EVENTS, 1), answer(RELATIONS, 2)];

let fake: FakeOpenAi;
let llm: OpenAiLlmClient;
beforeEach(async () => {
  fake = await startFakeOpenAi();
  llm = new OpenAiLlmClient({ model: 'test-model', baseURL: fake.url, apiKey: 'test-key', backoff: { baseMs: 5 } });
});
afterEach(async () => {
  await fake.close();
});

const eventId = (sentence: string) => `evt:text:${hashParts([normalizeName(sentence)])}`;
const chats = () => fake.requests.filter((r) => r.path === '/v1/chat/completions');
const codes = (out: { issues: { code: string }[] }) => out.issues.map((i) => i.code);
const rels = (out: Awaited<ReturnType<typeof extractWithLlm>>) =>
  out.facts.filter((f) => f.type !== 'PARTICIPANT').map((f) => `${f.subject} ${f.type} ${f.object}`).sort();
const roles = (out: Awaited<ReturnType<typeof extractWithLlm>>, event: string) =>
  out.facts.filter((f) => f.type === 'PARTICIPANT' && f.subject === event).map((f) => `${f.role} ${f.object}`).sort();

async function runHappy(ctx: Parameters<typeof extractWithLlm>[2] = CTX, meter?: UsageMeter) {
  fake.script(happyPath());
  return extractWithLlm(CHUNK, llm, ctx, meter);
}

describe('extractWithLlm', () => {
  it('extracts an incident paragraph in three passes: nodes, TextEvents, participants, EXPLOITED and CAUSES', async () => {
    const out = await runHappy();
    const account = `eip155:1:${ADDR.toLowerCase()}`;
    expect(out.nodes.map((n) => `${n.kind} ${n.id}`).sort()).toEqual([
      `Account ${account}`,
      'Organization ent:organization:lazarus-group',
      'Protocol ent:protocol:curve-finance',
      'Protocol ent:protocol:tornado-cash',
      'Token ent:token:crv',
      'Token ent:token:eth',
    ]);
    const exploit = eventId('Lazarus Group exploited Curve Finance.');
    const move = eventId('The attacker moved the funds to Tornado Cash.');
    const fell = eventId('CRV fell 12%.');
    expect(out.events.map((e) => e.id)).toEqual([exploit, move, fell]);
    const e0 = out.events[0]!;
    expect(e0).toMatchObject({ type: 'TextEvent', summary: 'Lazarus Group exploited Curve Finance.', occurredAt: Date.UTC(2023, 6, 30), extractor: 'llm:test-model', extractorVersion: LLM_EXTRACTOR_VERSION });
    expect(e0.attrs).toMatchObject({ occurredAtFrom: 'text', chunkId: 'chunk:abc', fromText: true, amountText: '7,193 ETH (~$11.6M)' });
    expect(e0.amounts).toEqual([
      { role: 'loss', value: '7193', raw: null, decimals: null, unit: 'ETH', token: 'ent:token:eth' },
      { role: 'lossUsd', value: '11600000', raw: null, decimals: null, unit: 'USD', token: null },
    ]);
    expect(out.events[1]!.occurredAt).toBe(CHUNK.publishedAt);
    expect(out.events[1]!.attrs.occurredAtFrom).toBe('publishedAt');
    expect(roles(out, exploit)).toEqual(['attacker ent:organization:lazarus-group', 'token ent:token:eth', 'victim ent:protocol:curve-finance']);
    expect(roles(out, move)).toEqual([`from ${account}`, 'to ent:protocol:tornado-cash']);
    expect(roles(out, fell)).toEqual(['asset ent:token:crv']);
    expect(rels(out)).toEqual([
      `${account} TRANSFERRED_TO ent:protocol:tornado-cash`,
      `${exploit} CAUSES ${fell}`,
      `${exploit} CAUSES ${move}`,
      `${move} FOLLOWS ${exploit}`,
      'ent:organization:lazarus-group EXPLOITED ent:protocol:curve-finance',
      'ent:protocol:curve-finance RELATED_TO ent:token:crv',
    ].sort());
    const exploited = out.facts.filter((f) => f.type === 'EXPLOITED');
    // "exploited" and the passive "was attacked by" name the same fact; the first answer's wording is kept.
    expect(exploited).toHaveLength(1);
    expect(exploited[0]).toMatchObject({ predicate: 'exploited', confidence: 0.95, validFrom: CHUNK.publishedAt });
    for (const f of out.facts) {
      expect(f).toMatchObject({ chunkId: 'chunk:abc', sourceId: 'src:doc:test', extractor: 'llm:test-model', extractorVersion: LLM_EXTRACTOR_VERSION, recordedAt: CHUNK.publishedAt });
      expect(REL_TYPES).toContain(f.type);
      if (f.role !== null) expect(ROLES).toContain(f.role);
      expect(f.confidence).toBeGreaterThanOrEqual(0);
      expect(f.confidence).toBeLessThanOrEqual(1);
    }
    for (const n of out.nodes) expect(ENTITY_KINDS.filter((k) => k !== 'Concept')).toContain(n.kind);
    expect(LLM_EXTRACTOR_VERSION).toBe('entity-triples@1+events@1+event-relations@1');
    expect(LLM_PROMPT_VERSIONS).toEqual(['entity-triples@1', 'events@1', 'event-relations@1']);
  });

  it('clamps the model confidence to 0–1 and defaults it to 0.8', async () => {
    const out = await runHappy();
    const conf = (type: string, predicate?: string) => out.facts.find((f) => f.type === type && (predicate === undefined || f.predicate === predicate))!.confidence;
    expect(conf('RELATED_TO')).toBe(1); // 1.4 clamped
    expect(conf('FOLLOWS')).toBe(0.8); // null → default
    const fell = eventId('CRV fell 12%.');
    expect(out.facts.find((f) => f.subject === fell && f.type === 'PARTICIPANT')!.confidence).toBe(1); // 1.7 clamped
  });

  it('maps an unknown kind through the synonym table and rejects one it cannot map, naming it', async () => {
    const out = await runHappy();
    expect(out.nodes.find((n) => n.name === 'Lazarus Group')?.kind).toBe('Organization'); // "hacker group"
    expect(out.nodes.find((n) => n.name === 'Curve Finance')?.kind).toBe('Protocol'); // "DEX"
    expect(out.nodes.find((n) => n.id.endsWith(ADDR.toLowerCase()))?.kind).toBe('Account'); // "wallet"
    expect(out.nodes.some((n) => /vyper/i.test(n.name))).toBe(false);
    const rejected = out.issues.find((i) => i.code === 'unknown-kind' && i.reason.includes('"Vyper"'));
    expect(rejected).toMatchObject({ severity: 'warning' });
    expect(rejected!.reason).toContain('programming language');
    expect(rejected!.reason).toContain('chunk:abc');
    // The triple that needed it is dropped with its own reason, never written with a new label.
    expect(codes(out)).toContain('triple-unknown-entity');
    expect(out.facts.some((f) => f.predicate === 'compiled with')).toBe(false);
  });

  it('keeps a predicate outside the closed set verbatim as RELATED_TO, maps event-relation synonyms and rejects the rest', async () => {
    const out = await runHappy();
    const issues = out.facts.find((f) => f.predicate === 'issues');
    expect(issues).toMatchObject({ type: 'RELATED_TO', subject: 'ent:protocol:curve-finance', object: 'ent:token:crv' });
    expect(issues!.attrs.unmappedPredicate).toBe(true);
    expect(codes(out)).toContain('predicate-unmapped');
    const triggered = out.facts.find((f) => f.predicate === 'triggered');
    expect(triggered?.type).toBe('CAUSES');
    expect(out.facts.some((f) => f.predicate === 'INSPIRED')).toBe(false);
    expect(out.issues.find((i) => i.code === 'unknown-event-relation')?.reason).toContain('"INSPIRED"');
    expect(out.issues.find((i) => i.code === 'unknown-role')?.reason).toContain('"cargo"');
    expect(out.issues.find((i) => i.code === 'bad-time')?.reason).toContain('late July');
  });

  it('rejects an event-relation index out of range with an issue', async () => {
    const out = await runHappy();
    const issue = out.issues.find((i) => i.code === 'event-index-out-of-range');
    expect(issue?.reason).toContain('0 CAUSES 7');
    expect(issue?.reason).toContain('0-2');
    expect(out.facts.filter((f) => f.type === 'CAUSES')).toHaveLength(2);
  });

  it('drops an address with a bad EIP-55 checksum, with an issue, and the facts that needed it', async () => {
    const swap = (v: unknown) => JSON.parse(JSON.stringify(v).replaceAll(ADDR, BAD_ADDR));
    fake.script([answer(swap(TRIPLES), 0), answer(swap(EVENTS), 1), answer(RELATIONS, 2)]);
    const out = await extractWithLlm(CHUNK, llm, CTX);
    expect(out.nodes.some((n) => n.kind === 'Account')).toBe(false);
    const bad = out.issues.filter((i) => i.code === 'bad-address');
    expect(bad.length).toBeGreaterThanOrEqual(1);
    expect(bad[0]!.reason).toContain(BAD_ADDR);
    expect(bad[0]!.reason).toContain('checksum');
    expect(out.facts.some((f) => f.type === 'TRANSFERRED_TO')).toBe(false);
    expect(roles(out, eventId('The attacker moved the funds to Tornado Cash.'))).toEqual(['to ent:protocol:tornado-cash']);
  });

  it('turns a pass whose answer stays invalid after the repairs into an error issue; the other passes still run', async () => {
    const meter = new UsageMeter();
    fake.script([
      { content: 'Sure! Here are the entities: Lazarus Group, Curve Finance.' },
      { content: '{"entities": [{"name": "Lazarus Group", "kind": "Organiz' },
      { content: '{"entities": "Lazarus Group", "triples": []}' },
      // events: wrong type first, then repaired
      { content: JSON.stringify({ events: EVENTS.events.map((e) => ({ ...e, confidence: 'high' })) }) },
      answer(EVENTS, 1),
      answer(RELATIONS, 2),
    ]);
    const out = await extractWithLlm(CHUNK, llm, CTX, meter);
    const failed = out.issues.filter((i) => i.severity === 'error');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.code).toBe('llm-pass-failed');
    expect(failed[0]!.reason).toMatch(/^chunk chunk:abc, pass entity-triples: /);
    expect(out.events).toHaveLength(3);
    expect(out.facts.some((f) => f.type === 'CAUSES')).toBe(true);
    expect(out.facts.some((f) => f.type === 'EXPLOITED')).toBe(false); // that came from the failed pass
    expect(meter.snapshot()).toMatchObject({ calls: 6, repairs: 3 });
  });

  it('accounts usage over the three passes: three calls on the happy path', async () => {
    const meter = new UsageMeter();
    await runHappy(CTX, meter);
    expect(meter.snapshot()).toEqual({ promptTokens: 600, completionTokens: 400, calls: 3, retries: 0, repairs: 0, cached: 0 });
    expect(chats().map((r) => r.body.response_format.json_schema.name)).toEqual(['entity_triples_v1', 'events_v1', 'event_relations_v1']);
    // Pass (c) is sent pass (b)'s events by index.
    expect(chats()[2]!.body.messages[1].content).toContain('\n0: Lazarus Group exploited Curve Finance.\n1: The attacker moved');
  });

  it('skips pass (c) when pass (b) finds fewer than two events', async () => {
    const meter = new UsageMeter();
    fake.script([answer(TRIPLES, 0), answer({ events: EVENTS.events.slice(0, 1) }, 1)]);
    const out = await extractWithLlm(CHUNK, llm, CTX, meter);
    expect(meter.snapshot().calls).toBe(2);
    expect(out.events).toHaveLength(1);
  });

  it('makes the same ids on every run', async () => {
    const a = await runHappy();
    const b = await runHappy();
    expect(b).toEqual(a);
    expect(a.facts.map((f) => f.id)).toEqual(b.facts.map((f) => f.id));
    expect(new Set(a.facts.map((f) => f.id)).size).toBe(a.facts.length);
    for (const f of a.facts) expect(f.id).toMatch(/^fact:[0-9a-f]{32}$/);
  });

  it('links a ticker to the registry token whose symbol matches', async () => {
    const crv = 'eip155:1/erc20:0xd533a949740bb3306d119cc777fa900ba034cd52';
    const tokens = createTokenRegistry([[crv, { name: 'Curve DAO Token', symbol: 'CRV', decimals: 18 }]]);
    const out = await runHappy({ ...CTX, tokens });
    expect(out.nodes.find((n) => n.id === crv)).toMatchObject({ kind: 'Token', name: 'CRV', attrs: { decimals: 18 } });
    expect(out.nodes.some((n) => n.id === 'ent:token:crv')).toBe(false);
    expect(roles(out, eventId('CRV fell 12%.'))).toEqual([`asset ${crv}`]);
  });

  it('makes no call for an empty chunk', async () => {
    const out = await extractWithLlm({ ...CHUNK, text: '  ' }, llm, CTX);
    expect(out).toEqual({ nodes: [], events: [], facts: [], issues: [] });
    expect(chats()).toHaveLength(0);
  });
});
