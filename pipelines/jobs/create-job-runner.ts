/**
 * The one place configuration becomes a JobRunner: BullMQ when REDIS_URL is set (jobs then run on
 * `mkg worker` processes; this process only submits and reads), else the in-process runner on the
 * SQLite file (jobs run in whichever MarketGraph process with a runner on that file claims them
 * first: `mkg serve`, `mkg reextract`, … — a claim is atomic, so each job runs once).
 */
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import type { Config } from '../../schema/config.ts';
import { BullmqJobRunner } from './bullmq/bullmq-job-runner.ts';
import type { JobServices } from './execute.ts';
import { createJobHandlers } from './handlers.ts';
import { InProcessJobRunner } from './in-process/in-process-job-runner.ts';
import type { JobRunner } from './job-runner.ts';

export interface OpenJobRunnerOptions {
  /** The stores and clients jobs run with (in-process) or check submits against (BullMQ). */
  services: JobServices;
  /** In-process: jobs running at once. @default 1 */
  concurrency?: number;
}

/**
 * @throws QueueUnavailableError when REDIS_URL is set and Redis does not answer (reads still work)
 * @example const jobs = await openJobRunner(config, { services: { graph, vectors, llm, embedder } });
 */
export async function openJobRunner(config: Pick<Config, 'queue' | 'dbPath'>, options: OpenJobRunnerOptions): Promise<JobRunner> {
  if (config.queue) {
    return BullmqJobRunner.open({ redisUrl: config.queue.redisUrl, prefix: config.queue.prefix, graph: options.services.graph });
  }
  return InProcessJobRunner.open({
    file: config.dbPath,
    services: options.services,
    handlers: createJobHandlers({ uploadDir: uploadDirOf(config.dbPath) }),
    concurrency: options.concurrency ?? 1,
  });
}

/** Uploaded job content lives next to the database file (in the temp directory for `:memory:`). */
export function uploadDirOf(dbPath: string): string {
  return dbPath === ':memory:' ? join(tmpdir(), 'mkg-uploads') : join(dirname(dbPath), 'uploads');
}
