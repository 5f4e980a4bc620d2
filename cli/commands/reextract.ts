import { parseDateTime } from '../../api/scalars.ts';
import { withSqliteFile, type Config } from '../../schema/config.ts';
import { InvalidArgumentError } from '../../schema/errors.ts';
import type { JobRecord } from '../../pipelines/jobs/job.ts';
import type { JobRunner } from '../../pipelines/jobs/job-runner.ts';
import { parseCommandArgs } from '../args.ts';
import { openJobEnvironment } from '../job-environment.ts';
import type { Output } from '../output.ts';
import { createJobProgress } from '../progress.ts';
import { formatJob } from './jobs.ts';

/**
 * `mkg reextract --source ID [--extractor NAME [--extractor-version V]] [--from DATE] [--to DATE]
 * [--entity ID] [--detector priceMove.k=2.5 …] [--dry-run] [--no-wait] [--json] [--db FILE]`: queues a re-extraction job and, unless
 * `--no-wait`, follows it to the end with a progress bar on a terminal. Embedded (no REDIS_URL) the
 * job runs in this process; with BullMQ a `mkg worker` runs it. Exit 0 when the job completed.
 */
export async function runReextract(argv: string[], config: Config, out: Output): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    db: { type: 'string' },
    source: { type: 'string' },
    extractor: { type: 'string' },
    'extractor-version': { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    entity: { type: 'string' },
    detector: { type: 'string', multiple: true },
    'dry-run': { type: 'boolean', default: false },
    'no-wait': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  });
  const input = {
    source: values.source,
    extractor: values.extractor,
    extractorVersion: values['extractor-version'],
    from: dateOption('from', values.from),
    to: dateOption('to', values.to),
    entity: values.entity,
    detectors: parseDetectorOptions(values.detector),
    dryRun: values['dry-run'],
  };
  const env = await openJobEnvironment(withSqliteFile(config, values.db));
  try {
    const submitted = await env.jobs.submit('reextract', Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)));
    if (values['no-wait']) {
      out.stdout(values.json ? `${JSON.stringify(submitted, null, 2)}\n` : `Queued ${formatJob(submitted)}\n`);
      return 0;
    }
    const job = await follow(env.jobs, submitted.id, values.json || !out.isTTY);
    out.stdout(values.json ? `${JSON.stringify(job, null, 2)}\n` : `${formatJob(job)}\n`);
    return job.status === 'completed' ? 0 : 1;
  } finally {
    await env.close();
  }
}

/** Watches a job to its end, with a progress bar unless `quiet`; returns its final record. */
export async function follow(jobs: JobRunner, id: string, quiet: boolean): Promise<JobRecord> {
  const bar = quiet ? null : createJobProgress();
  let last: JobRecord | null = null;
  try {
    for await (const job of jobs.watch(id)) {
      last = job;
      bar?.update(job);
    }
  } finally {
    bar?.stop();
  }
  const final = (await jobs.get(id)) ?? last;
  if (!final) throw new InvalidArgumentError('job', `job ${id} disappeared`);
  return final;
}

/**
 * `--detector priceMove.k=2.5 --detector drawdown.threshold=0.3` → `{ priceMove: { k: 2.5 }, … }`;
 * the job's schema then checks names and ranges.
 */
export function parseDetectorOptions(values: string[] | undefined): Record<string, Record<string, number>> | undefined {
  if (!values?.length) return undefined;
  const out: Record<string, Record<string, number>> = {};
  for (const text of values) {
    const m = /^(\w+)\.(\w+)=(-?\d+(?:\.\d+)?)$/.exec(text.trim());
    if (!m) throw new InvalidArgumentError('--detector', `"${text}" is not detector.param=number, e.g. priceMove.k=2.5`);
    (out[m[1]!] ??= {})[m[2]!] = Number(m[3]);
  }
  return out;
}

function dateOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  try {
    return parseDateTime(value);
  } catch (error) {
    throw new InvalidArgumentError(`--${name}`, (error as Error).message);
  }
}
