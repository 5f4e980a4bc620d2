/**
 * Runs retrieval systems over QA items and scores their contexts (issue 6, item 5): recall@k of the
 * supporting fact ids among the first k facts of the context, answer hit rate (any gold answer,
 * case-insensitive, in the context text), mean tokens and p50/p95 latency, per question type and
 * overall. Systems are plain functions so graph-RAG and the baseline are measured the same way.
 */
import { z } from 'zod';
import { InvalidRecordError } from '../../schema/errors.ts';
import { QA_TYPES, type QaItem } from './generate-qa.ts';

export interface SystemContext {
  text: string;
  tokens: number;
  facts: { id: string }[];
}

export interface EvalSystem {
  name: string;
  run(question: string, options: { tokenBudget: number; asOf: number | null }): Promise<SystemContext>;
}

export interface EvalOptions {
  /** @default 1000 */
  tokenBudget?: number;
  /** @default 10 */
  k?: number;
  /** @default null */
  asOf?: number | null;
}

export interface EvalRow {
  system: string;
  /** A question type, or `all`. */
  type: string;
  questions: number;
  recallAtK: number;
  answerHitRate: number;
  meanTokens: number;
  p50Ms: number;
  p95Ms: number;
}

export interface EvalReport {
  k: number;
  tokenBudget: number;
  rows: EvalRow[];
}

interface Sample {
  type: string;
  recall: number;
  hit: boolean;
  tokens: number;
  ms: number;
}

export const QaItemSchema = z.object({
  id: z.string(),
  type: z.enum(QA_TYPES),
  question: z.string().min(1),
  answers: z.array(z.string()),
  supportingFactIds: z.array(z.string()).min(1),
});

/** Parses QA JSONL; blank lines are skipped. @throws InvalidRecordError naming the bad line */
export function parseQaJsonl(text: string, file: string): QaItem[] {
  return text.split('\n').flatMap((line, i): QaItem[] => {
    if (!line.trim()) return [];
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new InvalidRecordError(file, i + 1, `not JSON: ${(error as Error).message}`);
    }
    const parsed = QaItemSchema.safeParse(value);
    if (!parsed.success) throw new InvalidRecordError(file, i + 1, parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; '));
    return [parsed.data];
  });
}

/** Recall of `gold` among the first `k` of `got`; 1 for an empty gold set. */
export function recallAtK(got: readonly string[], gold: readonly string[], k: number): number {
  if (!gold.length) return 1;
  const top = new Set(got.slice(0, k));
  return gold.filter((id) => top.has(id)).length / new Set(gold).size;
}

export function answerHit(text: string, answers: readonly string[]): boolean {
  const lower = text.toLowerCase();
  return answers.some((a) => a.trim() !== '' && lower.includes(a.toLowerCase()));
}

/** Nearest-rank percentile of `values` (p in 0..100); 0 for none. */
export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * @example const report = await runEval(items, [graphRag, baseline], { tokenBudget: 1000, k: 10 });
 */
export async function runEval(items: readonly QaItem[], systems: readonly EvalSystem[], options: EvalOptions = {}): Promise<EvalReport> {
  const tokenBudget = options.tokenBudget ?? 1000;
  const k = options.k ?? 10;
  const asOf = options.asOf ?? null;
  const rows: EvalRow[] = [];
  for (const system of systems) {
    const samples: Sample[] = [];
    for (const item of items) {
      const t0 = performance.now();
      const ctx = await system.run(item.question, { tokenBudget, asOf });
      const ms = performance.now() - t0;
      samples.push({
        type: item.type, recall: recallAtK(ctx.facts.map((f) => f.id), item.supportingFactIds, k),
        hit: answerHit(ctx.text, item.answers), tokens: ctx.tokens, ms,
      });
    }
    const types = [...new Set(samples.map((s) => s.type))];
    for (const type of [...types, 'all']) {
      const group = type === 'all' ? samples : samples.filter((s) => s.type === type);
      rows.push(summarise(system.name, type, group));
    }
  }
  return { k, tokenBudget, rows };
}

function summarise(system: string, type: string, group: Sample[]): EvalRow {
  const mean = (xs: number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  const round = (x: number, d = 3): number => Math.round(x * 10 ** d) / 10 ** d;
  return {
    system, type, questions: group.length,
    recallAtK: round(mean(group.map((s) => s.recall))),
    answerHitRate: round(mean(group.map((s) => (s.hit ? 1 : 0)))),
    meanTokens: round(mean(group.map((s) => s.tokens)), 1),
    p50Ms: round(percentile(group.map((s) => s.ms), 50), 1),
    p95Ms: round(percentile(group.map((s) => s.ms), 95), 1),
  };
}

/** A fixed-width table of `report`, one line per system and type. */
export function formatReport(report: EvalReport): string {
  const head = ['system', 'type', 'n', `recall@${report.k}`, 'answer hit', 'mean tok', 'p50 ms', 'p95 ms'];
  const body = report.rows.map((r) => [
    r.system, r.type, String(r.questions), r.recallAtK.toFixed(3), r.answerHitRate.toFixed(3),
    r.meanTokens.toFixed(1), r.p50Ms.toFixed(1), r.p95Ms.toFixed(1),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
