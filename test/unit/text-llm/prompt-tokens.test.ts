/**
 * Prompt size against source size (issue 4 goal: prompt tokens ≤ 4× source tokens over the three
 * passes). Measured on the messages actually sent through the real client, and reported, not asserted.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countTokens } from '../../../extraction/documents/tokens.ts';
import { toResponseSchema } from '../../../extraction/llm/json-output.ts';
import { OpenAiLlmClient } from '../../../extraction/llm/openai-llm-client.ts';
import { EntityTriplesResponse } from '../../../extraction/text/llm/entity-triples-prompt.ts';
import { EventRelationsResponse } from '../../../extraction/text/llm/event-relations-prompt.ts';
import { EventsResponse } from '../../../extraction/text/llm/events-prompt.ts';
import { extractWithLlm } from '../../../extraction/text/llm/extract-llm.ts';
import type { TextChunk } from '../../../schema/documents.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../../fixtures/fake-openai.ts';

// ~300 tokens of incident prose, written for this test.
const TEXT = [
  'On 30 July 2023 several Curve Finance pools were drained after a bug in old versions of the Vyper compiler broke their reentrancy locks.',
  'The alETH pool of Alchemix lost about 7,193 ETH, the msETH pool of Metronome lost 866 ETH and the pETH pool of JPEGd lost 6,106 ETH.',
  'The CRV/ETH pool was also hit, and the total loss across the pools was estimated at $69M.',
  'A white-hat group front-ran part of one attack and later returned the funds to the affected protocols.',
  'The exploit put pressure on Michael Egorov, the founder of Curve, who had borrowed large amounts of stablecoins against CRV on Aave, Frax and Abracadabra.',
  'CRV fell about 12% on Binance in the following hours, raising fears that his loans could be liquidated and cause a cascade across DeFi lending markets.',
  'To reduce his debt he sold CRV over the counter to investors including Justin Sun and DWF Labs at $0.40 per token.',
  'Over the next weeks the attackers returned most of the stolen ETH to Alchemix and JPEGd after the protocols offered a 10% bounty.',
  'The Vyper team published a post-mortem describing the affected compiler versions 0.2.15, 0.2.16 and 0.3.0, and urged projects to upgrade.',
  'Security firms said the incident showed how compiler bugs can put many protocols at risk at once.',
].join(' ');

const CHUNK: TextChunk = { id: 'chunk:ratio', documentId: 'doc', index: 0, text: TEXT, span: { start: 0, end: TEXT.length }, tokens: countTokens(TEXT), publishedAt: null };
const EVENTS = {
  events: [
    'Vyper compiler bug broke reentrancy locks of Curve pools.',
    'Attackers drained Curve pools of about $69M.',
    'CRV fell about 12% on Binance.',
    'Michael Egorov sold CRV over the counter to investors.',
    'Attackers returned most of the stolen ETH to Alchemix and JPEGd.',
  ].map((sentence) => ({ sentence, time: null, amount: null, participants: [], confidence: 0.8 })),
};

let fake: FakeOpenAi;
beforeEach(async () => {
  fake = await startFakeOpenAi();
});
afterEach(async () => {
  await fake.close();
});

describe('prompt size', () => {
  it('measures prompt tokens per source token over the three passes', async () => {
    fake.script([
      { content: JSON.stringify({ entities: [], triples: [] }) },
      { content: JSON.stringify(EVENTS) },
      { content: JSON.stringify({ relations: [] }) },
    ]);
    const llm = new OpenAiLlmClient({ model: 'test-model', baseURL: fake.url, apiKey: 'k' });
    await extractWithLlm(CHUNK, llm, { sourceId: 'src:t', ingestedAt: 0 });
    const chats = fake.requests.filter((r) => r.path === '/v1/chat/completions');
    expect(chats).toHaveLength(3);
    const source = countTokens(TEXT);
    const messages = chats.map((r) => (r.body.messages as { content: string }[]).reduce((n, m) => n + countTokens(m.content), 0));
    const schemas = [EntityTriplesResponse, EventsResponse, EventRelationsResponse].map((s) => countTokens(JSON.stringify(toResponseSchema(s))));
    const prompt = messages.reduce((a, b) => a + b, 0);
    const withSchemas = prompt + schemas.reduce((a, b) => a + b, 0);
    console.log(
      `[prompt-tokens] source ${source}; messages per pass ${messages.join('/')} = ${prompt} (${(prompt / source).toFixed(2)}x); ` +
      `with response schemas ${schemas.join('/')} = ${withSchemas} (${(withSchemas / source).toFixed(2)}x)`,
    );
    expect(source).toBeGreaterThan(250);
    expect(source).toBeLessThan(350);
  });
});
