/**
 * conceptualizeWithLlm through the real OpenAiLlmClient against the loopback replay server
 * (test/fixtures/fake-openai.ts): a valid answer, a skipped item, junk concept names, prose.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONCEPTUALIZE_PROMPT_VERSION, type ConceptItem } from '../../../extraction/induction/conceptualize-prompt.ts';
import { cleanConceptName, conceptualizeWithLlm, INDUCED_CONFIDENCE } from '../../../extraction/induction/llm-conceptualizer.ts';
import { OpenAiLlmClient } from '../../../extraction/llm/openai-llm-client.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../../fixtures/fake-openai.ts';

const ITEMS: ConceptItem[] = [
  { id: 'ent:protocol:curve-finance', target: 'entity', name: 'Curve Finance', kind: 'Protocol', context: ['victim ← Curve Finance exploit'] },
  { id: 'ent:organization:lazarus-group', target: 'entity', name: 'Lazarus Group', kind: 'Organization', context: ['exploited → Curve Finance'] },
  { id: 'evt:text:abc', target: 'event', name: 'Lazarus Group exploited Curve Finance.', kind: 'TextEvent', context: ['attacker → Lazarus Group'] },
  { id: 'drained', target: 'predicate', name: 'drained', kind: 'EXPLOITED', context: ['Lazarus Group drained Curve Finance'] },
];
const CTX = { sourceId: 'src:schema-induction:test', recordedAt: Date.UTC(2025, 0, 1) };
const VALID = {
  items: [
    { index: 1, concepts: ['DEX', 'AMM protocol', 'DeFi protocol'] },
    { index: 2, concepts: ['Hacker group', 'Threat actor'] },
    { index: 3, concepts: ['Exploit', 'Security incident'] },
    { index: 4, concepts: ['Theft', 'Security incident'] },
  ],
};

let fake: FakeOpenAi;
let llm: OpenAiLlmClient;
beforeEach(async () => {
  fake = await startFakeOpenAi();
  llm = new OpenAiLlmClient({ model: 'test-model', baseURL: fake.url, apiKey: 'k', maxRepairs: 0, backoff: { baseMs: 5 } });
});
afterEach(async () => {
  await fake.close();
});

type Out = Awaited<ReturnType<typeof conceptualizeWithLlm>>;
const edges = (out: Out) => out.facts.map((f) => `${f.subject} ${f.type} ${f.object}`).sort();
const codes = (out: Out) => out.issues.map((i) => i.code).sort();

describe('conceptualizeWithLlm', () => {
  it('maps a valid answer to Concept nodes, INSTANCE_OF and BROADER chains', async () => {
    fake.script([{ content: JSON.stringify(VALID) }]);
    const out = await conceptualizeWithLlm(ITEMS, llm, CTX);
    expect(out.issues).toEqual([]);
    expect(edges(out)).toEqual([
      'concept:induced:amm-protocol BROADER concept:induced:defi-protocol',
      'concept:induced:dex BROADER concept:induced:amm-protocol',
      'concept:induced:exploit BROADER concept:induced:security-incident',
      'concept:induced:hacker-group BROADER concept:induced:threat-actor',
      'concept:induced:theft BROADER concept:induced:security-incident',
      'ent:organization:lazarus-group INSTANCE_OF concept:induced:hacker-group',
      'ent:protocol:curve-finance INSTANCE_OF concept:induced:dex',
      'evt:text:abc INSTANCE_OF concept:induced:exploit',
    ]);
    for (const f of out.facts) {
      expect(f).toMatchObject({ extractor: 'llm:test-model', extractorVersion: CONCEPTUALIZE_PROMPT_VERSION, confidence: INDUCED_CONFIDENCE, sourceId: CTX.sourceId });
    }
    const dex = out.nodes.find((n) => n.id === 'concept:induced:dex');
    expect(dex).toMatchObject({ kind: 'Concept', name: 'DEX', attrs: { namespace: 'induced' } });
    // A predicate has no node: its concept records the wording instead of an INSTANCE_OF.
    expect(out.nodes.find((n) => n.id === 'concept:induced:theft')?.attrs).toEqual({ namespace: 'induced', predicates: ['drained'] });
    const request = fake.requests.find((r) => r.path === '/v1/chat/completions')!;
    const user = (request.body.messages as { role: string; content: string }[]).find((m) => m.role === 'user')!.content;
    expect(user).toContain('1. entity Protocol: Curve Finance\n  victim ← Curve Finance exploit');
    expect(user).toContain('4. predicate EXPLOITED: drained');
  });

  it('gives an item the model skipped the offline taxonomy, with an issue naming it', async () => {
    fake.script([{ content: JSON.stringify({ items: VALID.items.filter((a) => a.index !== 2) }) }]);
    const out = await conceptualizeWithLlm(ITEMS, llm, CTX);
    expect(codes(out)).toEqual(['concept-item-missing']);
    expect(out.issues[0]!.reason).toContain('ent:organization:lazarus-group');
    const fallback = out.facts.find((f) => f.subject === 'ent:organization:lazarus-group')!;
    expect(fallback).toMatchObject({ type: 'INSTANCE_OF', object: 'concept:taxonomy:hacker-group', extractor: 'taxonomy' });
  });

  it('rejects junk concept names and wrong indexes with issues, keeping the usable concepts', async () => {
    fake.script([{
      content: JSON.stringify({
        items: [
          { index: 1, concepts: ['  "DEX." ', 'A decentralised exchange protocol where anyone can swap tokens', 'AMM\nprotocol', '   ', 'Curve  Finance', 'DeFi   protocol'] },
          { index: 2, concepts: ['Hacker group'] },
          { index: 2, concepts: ['Nation-state actor'] },
          { index: 3, concepts: ['Exploit'] },
          { index: 4, concepts: ['Theft'] },
          { index: 7, concepts: ['Bridge'] },
        ],
      }),
    }]);
    const out = await conceptualizeWithLlm(ITEMS, llm, CTX);
    expect(codes(out)).toEqual(['concept-index-out-of-range', 'concept-index-repeated', 'concept-name-rejected', 'concept-name-rejected', 'concept-name-rejected']);
    expect(out.issues.filter((i) => i.code === 'concept-name-rejected').every((i) => i.reason.includes('ent:protocol:curve-finance'))).toBe(true);
    expect(edges(out).filter((e) => e.includes('dex'))).toEqual([
      'concept:induced:dex BROADER concept:induced:defi-protocol',
      'ent:protocol:curve-finance INSTANCE_OF concept:induced:dex',
    ]);
    expect(out.nodes.find((n) => n.id === 'concept:induced:dex')?.name).toBe('DEX');
    expect(out.nodes.some((n) => n.id === 'concept:induced:nation-state-actor')).toBe(false);
  });

  it('falls back to the taxonomy for every item, with one issue, when the answer is prose', async () => {
    fake.script([{ content: 'Sure! Curve Finance is a DEX and Lazarus Group is a hacker group.' }]);
    const out = await conceptualizeWithLlm(ITEMS, llm, CTX);
    expect(codes(out)).toEqual(['llm-conceptualize-failed']);
    expect(out.issues[0]!.severity).toBe('error');
    expect(out.facts.every((f) => f.extractor === 'taxonomy')).toBe(true);
    expect(edges(out)).toContain('ent:protocol:curve-finance INSTANCE_OF concept:taxonomy:dex');
    expect(edges(out)).toContain('evt:text:abc INSTANCE_OF concept:taxonomy:exploit');
  });
});

describe('cleanConceptName', () => {
  it('normalises and rejects', () => {
    expect(cleanConceptName('  Lending   protocol. ')).toEqual({ name: 'Lending protocol' });
    expect(cleanConceptName('x'.repeat(80))).toEqual({ name: 'x'.repeat(60) });
    expect(cleanConceptName('a b c d e f g')).toEqual({ rejected: 'more than 6 words' });
    expect(cleanConceptName('a\nb')).toEqual({ rejected: 'contains a line break' });
    expect(cleanConceptName(' -- ')).toEqual({ rejected: 'empty' });
  });
});
