/**
 * Graph-RAG context for a question (ARCHITECTURE.md §6): seeds → bounded expansion → ranking →
 * serialisation into a token budget. Uses only the GraphStore / VectorStore / Embedder ports, so
 * it runs on every adapter. Every read is as of the request's `asOf`: nothing recorded, valid or
 * retracted after it can reach the text, the facts, the summaries or the scores.
 */
import type { GraphStore } from '../../graph/graph-store.ts';
import type { VectorStore } from '../../graph/vector-store.ts';
import type { Embedder } from '../../extraction/embed/embedder.ts';
import { InvalidArgumentError } from '../../schema/errors.ts';
import { expand } from './expand.ts';
import { labelsOf } from './labels.ts';
import { DAY_MS, factTime, personalizedPageRank, rankFacts } from './rank.ts';
import { findSeeds, type Seed } from './seeds.ts';
import { serialize, type ContextEntry, type ContextFact, type ContextSummary } from './serialize.ts';

export type { ContextFact, ContextSummary } from './serialize.ts';
export type { Seed } from './seeds.ts';

export const MAX_QUESTION_CHARS = 10_000;
export const MAX_TOKEN_BUDGET = 100_000;

export interface ContextRequest {
  question: string;
  /** Epoch ms; null or absent reads the graph as it is now. */
  asOf?: number | null;
  /** Tokens of `text` at most (o200k_base). @default 1000 */
  tokenBudget?: number;
  /** Expansion depth from the seeds, 1..3. @default 2 */
  maxHops?: number;
}

/** Tuning knobs; the defaults suit the API. */
export interface ContextOptions {
  /** @default 25 */
  fanOutCap?: number;
  /** @default 300 */
  maxFacts?: number;
  /** @default 12 */
  maxSeeds?: number;
  /** Recency half-life. @default 365 days */
  halfLifeMs?: number;
  /** Reference time for recency when the request has no `asOf`. @default Date.now */
  now?: () => number;
}

export interface ContextDeps {
  graph: GraphStore;
  vectors?: VectorStore | null;
  embedder?: Embedder | null;
}

export interface ContextResult {
  /** Fact lines `[F1] …` and supernode lines `[S1] …`, best first. */
  text: string;
  tokens: number;
  /** The facts of `text`, in order: `[Fn]` is `facts[n - 1]`. */
  facts: ContextFact[];
  seeds: Seed[];
  /** The supernodes of `text`, in order: `[Sn]` is `summaries[n - 1]`. */
  summaries: ContextSummary[];
  timings: { seedMs: number; expandMs: number; rankMs: number; serializeMs: number; totalMs: number };
}

/**
 * @throws InvalidArgumentError for an empty or over-long question, a budget outside
 *   1..100,000 or `maxHops` outside 1..3
 * @example
 * const ctx = await retrieveContext({ graph }, { question: 'Who exploited Bizness?', tokenBudget: 500 });
 */
export async function retrieveContext(deps: ContextDeps, request: ContextRequest, options: ContextOptions = {}): Promise<ContextResult> {
  const { question, asOf = null, tokenBudget = 1000, maxHops = 2 } = request;
  validate(question, asOf, tokenBudget, maxHops);
  const t0 = performance.now();
  const seeds = await findSeeds(deps, question, { asOf, maxSeeds: options.maxSeeds });
  const t1 = performance.now();
  if (!seeds.length) {
    return { text: '', tokens: 0, facts: [], seeds, summaries: [], timings: timings(t0, t1, t1, t1, t1) };
  }
  const expansion = await expand(deps.graph, seeds.map((s) => s.id), {
    asOf, maxHops, fanOutCap: options.fanOutCap, maxFacts: options.maxFacts,
  });
  const t2 = performance.now();
  const weights = new Map(seeds.map((s) => [s.id, s.score]));
  const reference = asOf ?? (options.now ?? Date.now)();
  const ranked = rankFacts(expansion.facts, weights, { reference, halfLifeMs: options.halfLifeMs ?? 365 * DAY_MS });
  const ppr = personalizedPageRank(expansion.facts.map((f) => [f.subject, f.object] as const), weights);
  const ids = [
    ...expansion.facts.flatMap((f) => [f.subject, f.object]),
    ...expansion.summaries.flatMap((s) => [s.id, ...s.topCounterparties.map((c) => c.key)]),
  ];
  const labels = await labelsOf(deps.graph, ids, asOf);
  const name = (id: string): string => labels.get(id)?.name ?? id;
  const entries: ContextEntry[] = [
    ...ranked.map(({ fact, score }): ContextEntry => ({
      kind: 'fact',
      fact: {
        id: fact.id, subject: fact.subject, subjectName: name(fact.subject), predicate: fact.predicate, type: fact.type,
        object: fact.object, objectName: name(fact.object), time: factTime(fact), confidence: fact.confidence,
        source: fact.sourceId, chunkId: fact.chunkId, score,
      },
    })),
    ...expansion.summaries.map((s): ContextEntry => ({
      kind: 'summary',
      summary: {
        // A hub line stands for all its facts: scored like a fact whose both ends have the hub's rank.
        ...s, name: name(s.id), score: 2 * (ppr.get(s.id) ?? 0),
        topCounterparties: s.topCounterparties.map((c) => ({ id: c.key, name: name(c.key), count: c.count })),
      },
    })),
  ].sort((a, b) => entryScore(b) - entryScore(a));
  const t3 = performance.now();
  const out = serialize(entries, tokenBudget);
  const t4 = performance.now();
  return { ...out, seeds, timings: timings(t0, t1, t2, t3, t4) };
}

function entryScore(e: ContextEntry): number {
  return e.kind === 'fact' ? e.fact.score : e.summary.score;
}

function validate(question: string, asOf: number | null, budget: number, hops: number): void {
  if (typeof question !== 'string' || question.trim() === '') throw new InvalidArgumentError('question', 'must not be empty');
  if (question.length > MAX_QUESTION_CHARS) {
    throw new InvalidArgumentError('question', `at most ${MAX_QUESTION_CHARS} characters, got ${question.length}`);
  }
  if (asOf !== null && !Number.isFinite(asOf)) throw new InvalidArgumentError('asOf', 'must be epoch milliseconds');
  if (!Number.isInteger(budget) || budget < 1 || budget > MAX_TOKEN_BUDGET) {
    throw new InvalidArgumentError('tokenBudget', `must be an integer from 1 to ${MAX_TOKEN_BUDGET}, got ${budget}`);
  }
  if (!Number.isInteger(hops) || hops < 1 || hops > 3) throw new InvalidArgumentError('maxHops', `must be 1, 2 or 3, got ${hops}`);
}

function timings(t0: number, t1: number, t2: number, t3: number, t4: number): ContextResult['timings'] {
  const ms = (a: number, b: number): number => Math.round((b - a) * 10) / 10;
  return { seedMs: ms(t0, t1), expandMs: ms(t1, t2), rankMs: ms(t2, t3), serializeMs: ms(t3, t4), totalMs: ms(t0, t4) };
}
