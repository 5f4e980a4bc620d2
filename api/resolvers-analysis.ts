/**
 * Analysis fields over the graph: graph-RAG `context` for a question (pipelines/retrieval), shortest
 * paths between two entities and an entity's exposure to flagged ones (pipelines/paths). Both read at the field's `asOf` only, so no later fact, label or
 * incident can shape a path or a score.
 */
import type { GraphPath, PathStep } from '../pipelines/paths/hops.ts';
import { findPaths } from '../pipelines/paths/paths.ts';
import { retrieveContext } from '../pipelines/retrieval/context.ts';
import { portfolioSignals } from '../pipelines/signals/portfolio-signals.ts';
import { riskExposure } from '../pipelines/paths/risk.ts';
import type { Millis } from '../schema/graph.ts';
import type { ApiContext } from './context.ts';
import { asOfArg, normalizeId } from './args.ts';

function stepView(step: PathStep) {
  const v = step.via;
  return {
    from: step.from, to: step.to, type: v.type, role: v.role ?? null, eventId: v.eventId ?? null,
    factIds: v.factIds, time: v.time ?? null, txHash: v.txHash ?? null, amounts: v.amounts ?? null,
  };
}

function pathView(path: GraphPath) {
  return { steps: path.steps.map(stepView) };
}

interface ContextArgs {
  input: { question: string; asOf?: Millis | null; tokenBudget: number; consumer: string; maxHops: number };
}

export const analysisQueryResolvers = {
  async context(_: unknown, { input }: ContextArgs, ctx: ApiContext) {
    const r = await retrieveContext(
      { graph: ctx.graph, vectors: ctx.vectors, embedder: ctx.embedder },
      { question: input.question, asOf: asOfArg(input.asOf), tokenBudget: input.tokenBudget, maxHops: input.maxHops },
    );
    return { ...r, summaries: r.summaries };
  },

  async paths(_: unknown, args: { from: string; to: string; maxHops: number; asOf?: Millis | null; first: number }, ctx: ApiContext) {
    const r = await findPaths(ctx.graph, {
      from: normalizeId(args.from), to: normalizeId(args.to), maxHops: args.maxHops, asOf: asOfArg(args.asOf), limit: args.first,
    });
    return r.paths.map(pathView);
  },

  portfolioSignals(_: unknown, args: { universe: string[]; asOf?: Millis | null; lookbackDays: number }, ctx: ApiContext) {
    return portfolioSignals(ctx.graph, { universe: args.universe, asOf: asOfArg(args.asOf), lookbackDays: args.lookbackDays });
  },

  async riskExposure(_: unknown, args: { subject: string; maxHops: number; asOf?: Millis | null }, ctx: ApiContext) {
    const r = await riskExposure(ctx.graph, { subject: normalizeId(args.subject), maxHops: args.maxHops, asOf: asOfArg(args.asOf) });
    return {
      subject: r.subject,
      score: r.score,
      truncated: r.truncated,
      flagged: r.flagged.map((f) => ({ ...f, path: pathView(f.path) })),
    };
  },
};
