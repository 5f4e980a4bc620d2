/**
 * Prompt size of conceptualize@1, measured on the messages actually sent through the real client
 * for a full chunk of 20 items with 3 context lines each; reported, not asserted beyond a sanity cap.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countTokens } from '../../../extraction/documents/tokens.ts';
import { CONCEPTUALIZE_CHUNK, ConceptualizeResponse, type ConceptItem } from '../../../extraction/induction/conceptualize-prompt.ts';
import { conceptualizeWithLlm } from '../../../extraction/induction/llm-conceptualizer.ts';
import { toResponseSchema } from '../../../extraction/llm/json-output.ts';
import { OpenAiLlmClient } from '../../../extraction/llm/openai-llm-client.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../../fixtures/fake-openai.ts';

const NAMES = ['Curve Finance', 'Aave', 'Lazarus Group', 'Binance', 'USDC', 'Euler Finance', 'Multichain', 'KyberSwap', 'Tornado Cash', 'Yearn'];
const ITEMS: ConceptItem[] = Array.from({ length: CONCEPTUALIZE_CHUNK }, (_, i) => i % 2 === 0
  ? { id: `ent:protocol:p${i}`, target: 'entity', name: NAMES[i % NAMES.length]!, kind: 'Protocol', context: ['exploited ← Lazarus Group', 'deployed on → Ethereum', 'victim ← Euler Finance exploit on 2023-03-13'] }
  : { id: `evt:text:${i}`, target: 'event', name: `${NAMES[i % NAMES.length]} lost about $11.6M after a reentrancy bug was exploited.`, kind: 'TextEvent', context: ['attacker → Lazarus Group', 'victim → Curve Finance', 'token → ETH'] });

let fake: FakeOpenAi;
beforeEach(async () => {
  fake = await startFakeOpenAi();
});
afterEach(async () => {
  await fake.close();
});

describe('conceptualize prompt size', () => {
  it('measures prompt tokens per item for a full chunk', async () => {
    fake.script([{ content: JSON.stringify({ items: ITEMS.map((_, i) => ({ index: i + 1, concepts: ['DeFi protocol'] })) }) }]);
    const llm = new OpenAiLlmClient({ model: 'test-model', baseURL: fake.url, apiKey: 'k' });
    const out = await conceptualizeWithLlm(ITEMS, llm, { sourceId: 'src:t', recordedAt: 0 });
    expect(out.issues).toEqual([]);
    const chats = fake.requests.filter((r) => r.path === '/v1/chat/completions');
    expect(chats).toHaveLength(1);
    const messages = (chats[0]!.body.messages as { content: string }[]).reduce((n, m) => n + countTokens(m.content), 0);
    const schema = countTokens(JSON.stringify(toResponseSchema(ConceptualizeResponse)));
    console.log(`[conceptualize-tokens] ${ITEMS.length} items: messages ${messages} (${(messages / ITEMS.length).toFixed(1)}/item); with response schema ${schema}: ${messages + schema} (${((messages + schema) / ITEMS.length).toFixed(1)}/item)`);
    expect(messages / ITEMS.length).toBeLessThan(60);
  });
});
