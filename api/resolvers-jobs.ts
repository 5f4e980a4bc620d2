/**
 * Jobs over GraphQL: mutations that queue ingest, re-extraction, schema induction and embedding,
 * reads of jobs, and `jobProgress` as a subscription (graphql-yoga serves subscriptions as
 * Server-Sent Events). Inputs are validated by the runner (the job model's zod schemas), so a
 * malformed selection is a BAD_USER_INPUT naming the field, before anything is queued.
 */
import { InvalidArgumentError, QueueUnavailableError } from '../schema/errors.ts';
import type { JobKind, JobStatus } from '../schema/jobs.ts';
import type { JobRecord } from '../pipelines/jobs/job.ts';
import type { JobRunner } from '../pipelines/jobs/job-runner.ts';
import type { ApiContext } from './context.ts';
import { normalizeId, pageArgs } from './args.ts';
import { connection } from './views.ts';

/** The job fields as GraphQL shows them: counts flattened onto the job, plus the duration. */
export function jobView(job: JobRecord) {
  return {
    ...job,
    ...job.counts,
    durationMs: job.startedAt !== null && job.finishedAt !== null ? job.finishedAt - job.startedAt : null,
  };
}

function runner(ctx: ApiContext): JobRunner {
  if (!ctx.jobs) throw new QueueUnavailableError('this server', 'no job runner is configured; reads still work');
  return ctx.jobs;
}

/** GraphQL passes absent optional inputs as null; the job schemas want them absent (at any depth). */
function withoutNulls(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => [k, isPlainObject(v) ? withoutNulls(v) : v]));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function submit(ctx: ApiContext, kind: JobKind, input: Record<string, unknown>) {
  return jobView(await runner(ctx).submit(kind, withoutNulls(input)));
}

interface ReextractArgs {
  input: {
    source?: string | null; extractor?: string | null; extractorVersion?: string | null; from?: number | null; to?: number | null;
    entity?: string | null; detectors?: Record<string, unknown> | null; dryRun?: boolean | null;
  };
}

interface IngestArgs {
  input: { paths?: string[] | null; uploads?: { name: string; content: string }[] | null; chainId?: number | null; symbol?: string | null };
}

export const jobMutationResolvers = {
  ingest: (_: unknown, { input }: IngestArgs, ctx: ApiContext) => submit(ctx, 'ingest', input),
  reextract(_: unknown, { input }: ReextractArgs, ctx: ApiContext) {
    const entity = input.entity?.trim() ? normalizeId(input.entity) : null;
    return submit(ctx, 'reextract', { ...input, entity, source: input.source?.trim() || null });
  },
  induceSchema: (_: unknown, __: unknown, ctx: ApiContext) => submit(ctx, 'induceSchema', {}),
  embed: (_: unknown, __: unknown, ctx: ApiContext) => submit(ctx, 'embed', {}),
  async cancelJob(_: unknown, { id }: { id: string }, ctx: ApiContext) {
    const job = await runner(ctx).cancel(id);
    return job && jobView(job);
  },
};

export const jobQueryResolvers = {
  async jobs(_: unknown, args: { status?: JobStatus | null; kind?: JobKind | null; first: number; after?: string | null }, ctx: ApiContext) {
    const page = await runner(ctx).list({ status: args.status ?? null, kind: args.kind ?? null }, pageArgs(args.first, args.after));
    return connection(page, jobView);
  },
  async job(_: unknown, { id }: { id: string }, ctx: ApiContext) {
    const job = await runner(ctx).get(id);
    return job && jobView(job);
  },
};

export const jobSubscriptionResolvers = {
  jobProgress: {
    async *subscribe(_: unknown, { id }: { id: string }, ctx: ApiContext) {
      const jobs = runner(ctx);
      if ((await jobs.get(id)) === null) throw new InvalidArgumentError('id', `no job with id "${id.slice(0, 200)}"`);
      // The request's signal ends the watch when the client goes away.
      for await (const job of jobs.watch(id, ctx.request.signal)) yield { jobProgress: jobView(job) };
    },
  },
};
