import { withSqliteFile, type Config } from '../../schema/config.ts';
import { InvalidArgumentError } from '../../schema/errors.ts';
import { JOB_KINDS, JOB_STATUSES, type JobKind, type JobStatus } from '../../schema/jobs.ts';
import type { JobRecord } from '../../pipelines/jobs/job.ts';
import { parseCommandArgs, parseIntOption } from '../args.ts';
import { openJobEnvironment } from '../job-environment.ts';
import type { Output } from '../output.ts';

/**
 * `mkg jobs [--status S] [--kind K] [--first N] [--json] [--db FILE]`: the newest jobs with their
 * status, counts, timings, errors and LLM usage.
 */
export async function runJobs(argv: string[], config: Config, out: Output): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    db: { type: 'string' }, status: { type: 'string' }, kind: { type: 'string' }, first: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  const status = oneOf('status', values.status, JOB_STATUSES);
  const kind = oneOf('kind', values.kind, JOB_KINDS);
  const first = parseIntOption('first', values.first, 1, 500) ?? 20;
  const env = await openJobEnvironment(withSqliteFile(config, values.db));
  try {
    const page = await env.jobs.list({ status, kind }, { first });
    const jobs = page.edges.map((e) => e.node);
    if (values.json) out.stdout(`${JSON.stringify({ totalCount: page.totalCount, jobs }, null, 2)}\n`);
    else out.stdout(jobs.length === 0 ? 'No jobs.\n' : `${jobs.map(formatJob).join('\n')}\n${page.totalCount > jobs.length ? `(${page.totalCount - jobs.length} more; --first N)\n` : ''}`);
    return 0;
  } finally {
    await env.close();
  }
}

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T | null {
  if (value === undefined) return null;
  if (!(allowed as readonly string[]).includes(value)) throw new InvalidArgumentError(`--${name}`, `"${value}" is not one of ${allowed.join(', ')}`);
  return value as T;
}

/** One job as a line (or two, with its error): id, kind, status, counts, duration, LLM usage. */
export function formatJob(job: JobRecord): string {
  const c = job.counts;
  const took = job.startedAt !== null && job.finishedAt !== null ? ` in ${((job.finishedAt - job.startedAt) / 1000).toFixed(1)} s` : '';
  const dry = (job.input as { dryRun?: boolean } | null)?.dryRun ? ' (dry run: nothing written)' : '';
  const llm = job.llm && job.llm.calls + job.llm.cached > 0 ? `, LLM ${job.llm.calls} calls / ${job.llm.cached} cached / ${job.llm.promptTokens + job.llm.completionTokens} tokens` : '';
  const progress = job.status === 'running' ? ` — ${job.progress.phase} ${job.progress.done}${job.progress.total !== null ? `/${job.progress.total}` : ''}` : '';
  const line = `${job.id} ${job.kind} ${job.status}${progress}: added ${c.added}, retracted ${c.retracted}, unchanged ${c.unchanged}, rejected ${c.rejected}${took}${dry}${llm} (attempt ${job.attempts}/${job.maxAttempts})`;
  return job.error ? `${line}\n    ${job.error.code}${job.error.retryable ? ' (transient)' : ''}: ${job.error.message}` : line;
}

export type { JobKind, JobStatus };
