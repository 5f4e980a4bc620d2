/**
 * `mkg worker`: a BullMQ worker process (REDIS_URL). Opens the configured stores, the cached LLM and
 * the embedder, runs jobs from the kind queues until SIGTERM/SIGINT, then hands running jobs back to
 * the queue and exits. Start any number, on any machine that reaches the same Redis and stores.
 */
import { once } from 'node:events';
import { withSqliteFile, type Config } from '../../schema/config.ts';
import { ConfigError, InvalidArgumentError } from '../../schema/errors.ts';
import { createStores, describeGraphStore } from '../../graph/create-stores.ts';
import { embedderFromConfig } from '../../extraction/embed/create-embedder.ts';
import { createCachedLlmClient } from '../../extraction/llm/create-llm-client.ts';
import { BullmqWorker, type WorkerEvent } from '../../pipelines/jobs/bullmq/bullmq-worker.ts';
import { redactRedisUrl } from '../../pipelines/jobs/bullmq/redis-connection.ts';
import { uploadDirOf } from '../../pipelines/jobs/create-job-runner.ts';
import { createJobHandlers } from '../../pipelines/jobs/handlers.ts';
import { JOB_KINDS, type JobKind } from '../../pipelines/jobs/job.ts';
import { parseCommandArgs, parseIntOption } from '../args.ts';
import type { Output } from '../output.ts';

/** `mkg worker [--db FILE] [--concurrency N] [--kinds ingest,reextract,…]` */
export async function runWorker(argv: string[], config: Config, out: Output): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    db: { type: 'string' },
    concurrency: { type: 'string' },
    kinds: { type: 'string' },
  });
  if (!config.queue) throw new ConfigError('REDIS_URL', 'required by `mkg worker` (e.g. redis://localhost:6379); without it jobs run inside `mkg serve`');
  const queue = config.queue;
  const concurrency = parseIntOption('concurrency', values.concurrency, 1, 256) ?? 1;
  const kinds = parseKinds(values.kinds);
  const settings = withSqliteFile(config, values.db);
  const stores = await createStores(settings, { verify: true });
  const cached = createCachedLlmClient(settings);
  let worker: BullmqWorker | null = null;
  try {
    worker = await BullmqWorker.start({
      redisUrl: queue.redisUrl,
      prefix: queue.prefix,
      lockMs: queue.lockMs,
      concurrency,
      kinds,
      handlers: createJobHandlers({ uploadDir: uploadDirOf(settings.dbPath) }),
      services: { graph: stores.graph, vectors: stores.vectors, llm: cached?.llm ?? null, embedder: embedderFromConfig(settings) },
      onEvent: (event) => out.stdout(describe(event)),
    });
    out.stdout(`Worker ready: ${kinds.join(', ')} from ${redactRedisUrl(queue.redisUrl)} (prefix ${queue.prefix}, concurrency ${concurrency}); graph: ${describeGraphStore(settings)}\n`);
    const signal = await Promise.race([once(process, 'SIGTERM').then(() => 'SIGTERM'), once(process, 'SIGINT').then(() => 'SIGINT')]);
    out.stdout(`${signal}: handing running jobs back to the queue and stopping\n`);
    return 0;
  } finally {
    await worker?.close();
    await cached?.close();
    await stores.close();
  }
}

function parseKinds(text: string | undefined): JobKind[] {
  if (text === undefined) return [...JOB_KINDS];
  const kinds = text.split(',').map((k) => k.trim()).filter(Boolean);
  for (const kind of kinds) {
    if (!(JOB_KINDS as readonly string[]).includes(kind)) {
      throw new InvalidArgumentError('--kinds', `unknown job kind "${kind}"; one of ${JOB_KINDS.join(', ')}`);
    }
  }
  if (kinds.length === 0) throw new InvalidArgumentError('--kinds', 'give at least one job kind');
  return kinds as JobKind[];
}

function describe(event: WorkerEvent): string {
  if (event.type === 'started') return `▶ ${event.jobId} started (attempt ${event.attempt})\n`;
  const seconds = (event.ms / 1000).toFixed(1);
  return event.error
    ? `■ ${event.jobId} ${event.status} after ${seconds} s: ${event.error.code} ${event.error.message}\n`
    : `✓ ${event.jobId} completed in ${seconds} s\n`;
}
