import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseLoss } from '../../../extraction/structured/loss-text.ts';
import { SAMPLE_DIR } from '../../fixtures/paths.ts';

/** [value, unit, role] triples, the part of an Amount that loss parsing decides. */
const brief = (text: string | null): [string | null, string | null, string][] =>
  parseLoss(text).map((a) => [a.value, a.unit, a.role]);

describe('parseLoss', () => {
  it('reads the documented forms exactly', () => {
    expect(parseLoss('15.7k USD')).toEqual([{ role: 'loss', value: '15700', raw: null, decimals: null, unit: 'USD', token: null }]);
    expect(brief('1,048.1 ETH + 400,000 DAI (~$3.00M)')).toEqual([
      ['1048.1', 'ETH', 'loss'], ['400000', 'DAI', 'loss'], ['3000000', 'USD', 'lossUsd'],
    ]);
    expect(brief('318.9 k')).toEqual([['318900', null, 'loss']]);
    expect(brief('$1.2M')).toEqual([['1200000', 'USD', 'loss']]);
    expect(brief('~50 BNB')).toEqual([['50', 'BNB', 'loss']]);
    expect(brief('2.5 million USD')).toEqual([['2500000', 'USD', 'loss']]);
    for (const none of ['unknown', 'Unclear', 'None', '', '   ', null, undefined]) expect(parseLoss(none)).toEqual([]);
  });

  it('copes with the messy spellings found in the sample', () => {
    expect(brief('1 USDC, 125795.6 cUSDC, 0,0067 WBTC, 2.25 WETH (~$130K USD)')).toEqual([
      ['1', 'USDC', 'loss'], ['125795.6', 'cUSDC', 'loss'], ['0.0067', 'WBTC', 'loss'], ['2.25', 'WETH', 'loss'],
      ['130000', 'USD', 'lossUsd'],
    ]);
    expect(brief('~6,5M')).toEqual([['6500000', null, 'loss']]);
    expect(brief('11,113.6 ETH (~$27,348,259 USD)')).toEqual([['11113.6', 'ETH', 'loss'], ['27348259', 'USD', 'lossUsd']]);
    expect(brief('~501K US$ (133.7 WETH)')).toEqual([['501000', 'USD', 'loss'], ['133.7', 'WETH', 'lossEquivalent']]);
    expect(brief('819 BNB (~224k$)')).toEqual([['819', 'BNB', 'loss'], ['224000', 'USD', 'lossUsd']]);
    expect(brief('~50K $BUSD')).toEqual([['50000', 'BUSD', 'loss']]);
    expect(brief('280BNB')).toEqual([['280', 'BNB', 'loss']]);
    expect(brief('~$127ETH')).toEqual([['127', 'ETH', 'loss']]);
    expect(brief('1.7 eth')).toEqual([['1.7', 'ETH', 'loss']]);
    expect(brief('~3.3Million $')).toEqual([['3300000', 'USD', 'loss']]);
    expect(brief('$12.9 K')).toEqual([['12900', 'USD', 'loss']]);
    expect(brief('996B (CGT token)')).toEqual([['996000000000', null, 'loss']]);
    expect(brief('11k BSC-USD')).toEqual([['11000', 'BSC-USD', 'loss']]);
    expect(brief('BEUR stablecoin and ALBT Token (~88M US$)')).toEqual([['88000000', 'USD', 'lossUsd']]);
    expect(brief('>200k USD(plus a lot of STC, SRLTY, Mazi tokens)')).toEqual([['200000', 'USD', 'loss']]);
  });

  it('parses at least one amount from all but the figure-less sample loss texts', () => {
    const rows = parse(readFileSync(join(SAMPLE_DIR, 'incidents_2023_2024.csv')), { columns: true }) as { loss_text: string }[];
    const texts = [...new Set(rows.map((r) => r.loss_text))];
    const unparsed = texts.filter((t) => parseLoss(t).length === 0);
    // 366 of the 370 distinct loss texts yield an amount; the rest say nothing measurable.
    expect(texts).toHaveLength(370);
    expect(unparsed.sort()).toEqual(['', 'None', 'Unclear', 'unknown']);
    for (const t of texts) {
      for (const a of parseLoss(t)) expect(a.value).toMatch(/^\d+(\.\d+)?$/);
    }
  });

  it('never throws and only returns canonical decimal values, whatever the text', () => {
    const pieces = fc.constantFrom('~', '$', '(', ')', ',', '.', ' ', 'k', 'M', 'B', 'USD', 'ETH', '+', '0', '7', '12', 'US$', '$BNB', 'million');
    fc.assert(fc.property(fc.oneof(fc.string(), fc.array(pieces).map((p) => p.join(''))), (text) => {
      for (const a of parseLoss(text)) expect(a.value).toMatch(/^(0|[1-9]\d*)(\.\d*[1-9])?$/);
    }), { numRuns: 2000 });
  });
});
