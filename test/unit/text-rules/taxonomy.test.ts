import { describe, expect, it } from 'vitest';
import type { TextChunk } from '../../../schema/documents.ts';
import { extractWithRules } from '../../../extraction/text/rules/extract-rules.ts';
import { addConcepts, conceptsFor } from '../../../extraction/text/rules/taxonomy.ts';

const names = (kind: string, name: string) => conceptsFor({ kind, name }).map((c) => c.name);

describe('taxonomy', () => {
  it('files entities under concept chains', () => {
    expect(names('Protocol', 'Curve Finance')).toEqual(['DEX', 'AMM protocol', 'DeFi protocol']);
    expect(names('Protocol', 'KyberSwap')).toEqual(['DEX', 'AMM protocol', 'DeFi protocol']);
    expect(names('Protocol', 'UwU Lend')).toEqual(['Lending protocol', 'DeFi protocol']);
    expect(names('Protocol', 'Aave')).toEqual(['Lending protocol', 'DeFi protocol']);
    expect(names('Protocol', 'Orbit Bridge')).toEqual(['Cross-chain bridge', 'Blockchain infrastructure']);
    expect(names('Exchange', 'Binance')).toEqual(['Centralised exchange', 'Crypto exchange']);
    expect(names('Token', 'USDC')).toEqual(['Stablecoin', 'Token', 'Crypto asset']);
    expect(names('Token', 'PEPE')).toEqual(['Token', 'Crypto asset']);
    expect(names('TextEvent', 'The Lazarus Group drained 401,000 ETH from Bybit.')).toEqual(['Exploit', 'Security incident']);
    expect(names('Account', '0xabc')).toEqual([]);
    expect(conceptsFor({ kind: 'Protocol', name: 'Curve Finance' }).map((c) => [c.id, c.level])).toEqual([
      ['concept:taxonomy:dex', 1], ['concept:taxonomy:amm-protocol', 2], ['concept:taxonomy:defi-protocol', 3],
    ]);
  });

  it('adds Concept nodes, INSTANCE_OF and BROADER facts to an output', () => {
    const text = 'The Lazarus Group drained 401,000 ETH from Curve Finance.';
    const chunk: TextChunk = { id: 'chunk:t', documentId: 'd', index: 0, text, span: { start: 0, end: text.length }, tokens: 0, publishedAt: null };
    const out = addConcepts(extractWithRules(chunk, { sourceId: 'src:t', ingestedAt: 1 }), { sourceId: 'src:t', recordedAt: 1, chunkId: chunk.id });
    const concepts = out.nodes.filter((n) => n.kind === 'Concept').map((n) => n.id);
    expect(concepts).toEqual(expect.arrayContaining(['concept:taxonomy:dex', 'concept:taxonomy:exploit', 'concept:taxonomy:security-incident', 'concept:taxonomy:token']));
    const tax = out.facts.filter((f) => f.extractor === 'taxonomy').map((f) => `${f.subject} ${f.type} ${f.object}`);
    expect(tax).toEqual(expect.arrayContaining([
      'ent:protocol:curve-finance INSTANCE_OF concept:taxonomy:dex',
      'concept:taxonomy:dex BROADER concept:taxonomy:amm-protocol',
      'concept:taxonomy:amm-protocol BROADER concept:taxonomy:defi-protocol',
      'ent:token:eth INSTANCE_OF concept:taxonomy:token',
      'concept:taxonomy:exploit BROADER concept:taxonomy:security-incident',
    ]));
    expect(tax.some((t) => t.startsWith('evt:text:') && t.endsWith('INSTANCE_OF concept:taxonomy:exploit'))).toBe(true);
    expect(new Set(out.facts.map((f) => f.id)).size).toBe(out.facts.length);
    expect(new Set(out.nodes.map((n) => n.id)).size).toBe(out.nodes.length);
  });
});
