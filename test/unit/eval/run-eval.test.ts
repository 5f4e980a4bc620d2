/**
 * The evaluation's metrics and QA parsing, on hand-made systems (no store needed).
 */
import { describe, expect, it } from 'vitest';
import type { QaItem } from '../../../pipelines/eval/generate-qa.ts';
import { answerHit, formatReport, parseQaJsonl, percentile, recallAtK, runEval, type EvalSystem } from '../../../pipelines/eval/run-eval.ts';
import { InvalidRecordError } from '../../../schema/errors.ts';

const item = (id: string, type: QaItem['type'], gold: string[], answers: string[]): QaItem => ({
  id, type, question: `q ${id}`, answers, supportingFactIds: gold,
});

describe('eval metrics', () => {
  it('counts recall among the first k facts only, each gold id once', () => {
    expect(recallAtK(['a', 'b', 'c'], ['a', 'c'], 2)).toBe(0.5);
    expect(recallAtK(['a', 'b', 'c'], ['a', 'c'], 3)).toBe(1);
    expect(recallAtK([], ['a'], 10)).toBe(0);
    expect(recallAtK(['a'], [], 10)).toBe(1);
  });

  it('finds any gold answer case-insensitively and ignores blank answers', () => {
    expect(answerHit('[F1] 0xabc —EXPLOITED→ Bizness', ['bizness'])).toBe(true);
    expect(answerHit('nothing here', ['Bizness', ''])).toBe(false);
  });

  it('takes nearest-rank percentiles', () => {
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
    expect(percentile([], 50)).toBe(0);
  });

  it('scores each system per type and overall and formats a table', async () => {
    const items = [item('1', 'attacker-protocol', ['f1', 'f2'], ['Acme']), item('2', 'token-receivers', ['f3'], ['mixer'])];
    const perfect: EvalSystem = {
      name: 'perfect',
      run: async (q) => (q === 'q 1' ? { text: 'acme', tokens: 4, facts: [{ id: 'f1' }, { id: 'f2' }] } : { text: 'MIXER', tokens: 2, facts: [{ id: 'f3' }] }),
    };
    const empty: EvalSystem = { name: 'empty', run: async () => ({ text: '', tokens: 0, facts: [] }) };
    const report = await runEval(items, [perfect, empty], { k: 1, tokenBudget: 50 });
    const row = (system: string, type: string) => report.rows.find((r) => r.system === system && r.type === type)!;
    expect(row('perfect', 'attacker-protocol')).toMatchObject({ questions: 1, recallAtK: 0.5, answerHitRate: 1, meanTokens: 4 });
    expect(row('perfect', 'all')).toMatchObject({ questions: 2, recallAtK: 0.75, answerHitRate: 1, meanTokens: 3 });
    expect(row('empty', 'all')).toMatchObject({ recallAtK: 0, answerHitRate: 0 });
    const table = formatReport(report);
    expect(table.split('\n')[0]).toMatch(/system\s+type\s+n\s+recall@1\s+answer hit/);
    expect(table.split('\n')).toHaveLength(2 + 6);
  });

  it('parses QA JSONL and names the bad line', () => {
    const good = JSON.stringify(item('1', 'attacker-incidents', ['f1'], ['Acme']));
    expect(parseQaJsonl(`${good}\n\n${good}\n`, 'qa.jsonl')).toHaveLength(2);
    expect(() => parseQaJsonl(`${good}\n{"id":"x"}`, 'qa.jsonl')).toThrow(InvalidRecordError);
    expect(() => parseQaJsonl('{', 'qa.jsonl')).toThrow(/qa\.jsonl:1: not JSON/);
  });
});
