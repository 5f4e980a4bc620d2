/**
 * The consumer side of the BullMQ adapter: what `mkg worker` runs. One BullMQ Worker per job kind
 * runs the JobHandlers with a JobContext built from this process's stores; any number of worker
 * processes on any machine can share the queues.
 *
 * - A worker that dies (SIGKILL, a lost machine) stops renewing its job's lock; after `lockMs`
 *   another worker's stalled-job check puts the job back and runs it again from the start (every
 *   pipeline is idempotent, so the graph ends up as after a clean run).
 * - Permanent failures and cancellations become UnrecoverableError (BullMQ never retries them);
 *   transient ones are rethrown and BullMQ retries them with the job's exponential backoff.
 * - Cancellation: the runner sets a key and publishes the job id; this process answers with
 *   BullMQ's `Worker.cancelJob`, which aborts the processor's AbortSignal. The key is also read when
 *   a job starts and (throttled) at progress points, so a missed message is not a lost cancel.
 * - Shutdown (`close`) interrupts running jobs and puts them back in the queue without spending an
 *   attempt (`moveToDelayed` + DelayedError).
 */
import { DelayedError, Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { UsageMeter } from '../../../extraction/llm/llm-client.ts';
import { InvalidArgumentError, JobCancelledError } from '../../../schema/errors.ts';
import { runAttempt, type AttemptResult, type JobServices } from '../execute.ts';
import { JOB_KINDS, type JobError, type JobKind, type JobProgress } from '../job.ts';
import type { JobContext, JobHandlers } from '../job-runner.ts';
import type { BullmqJobData, BullmqJobResult, MarketGraphJob } from './job-record.ts';
import { probeRedis, queueNames, redisOptions, type QueueNames } from './redis-connection.ts';

export interface BullmqWorkerOptions {
  /** REDIS_URL. */
  redisUrl: string;
  /** MKG_QUEUE_PREFIX. @default 'mkg' */
  prefix?: string;
  /** The stores and clients of this process. */
  services: JobServices;
  handlers: JobHandlers;
  /** Kinds this process runs. @default every kind */
  kinds?: readonly JobKind[];
  /** Jobs of each kind run at once in this process. @default 1 */
  concurrency?: number;
  /** MKG_JOB_LOCK_MS: lock duration, and the interval of the stalled-job check. @default 30000 */
  lockMs?: number;
  /** Least time between two progress writes of one job. @default 250 */
  progressIntervalMs?: number;
  /**
   * How long `close` waits for interrupted jobs to wind down before it stops without them (their
   * locks then expire and another worker takes them over). @default 10000
   */
  closeTimeoutMs?: number;
  /** Told when a job starts and when an attempt ends, for log lines. */
  onEvent?: (event: WorkerEvent) => void;
}

export type WorkerEvent =
  | { type: 'started'; jobId: string; kind: JobKind; attempt: number }
  | { type: 'finished'; jobId: string; kind: JobKind; status: AttemptResult['status']; error: JobError | null; ms: number };

/** The reason BullMQ's signal carries when a user cancelled the job. */
const CANCELLED = 'cancelled';
/** How often a running job may look for a cancellation key at its progress points. */
const CANCEL_POLL_MS = 1000;

export class BullmqWorker {
  readonly #options: BullmqWorkerOptions;
  readonly #names: QueueNames;
  readonly #workers = new Map<JobKind, Worker<BullmqJobData, BullmqJobResult, string>>();
  readonly #redis: Redis;
  readonly #subscriber: Redis;
  #closing: Promise<void> | null = null;
  /** Attempts in progress in this process. */
  readonly #running = new Set<Promise<unknown>>();

  /** Use `BullmqWorker.start`. */
  constructor(options: BullmqWorkerOptions) {
    this.#options = options;
    this.#names = queueNames(options.prefix ?? 'mkg');
    this.#redis = new Redis(redisOptions(options.redisUrl, 'worker'));
    this.#subscriber = new Redis(redisOptions(options.redisUrl, 'worker'));
    for (const client of [this.#redis, this.#subscriber]) client.on('error', () => undefined);
  }

  /**
   * Checks Redis, then starts taking jobs.
   * @throws QueueUnavailableError when Redis does not answer at start-up
   * @example const worker = await BullmqWorker.start({ redisUrl, services, handlers: createJobHandlers() });
   */
  static async start(options: BullmqWorkerOptions): Promise<BullmqWorker> {
    const concurrency = options.concurrency ?? 1;
    if (!Number.isSafeInteger(concurrency) || concurrency < 1) throw new InvalidArgumentError('concurrency', 'must be a positive integer');
    await probeRedis(options.redisUrl);
    const worker = new BullmqWorker(options);
    try {
      await worker.#start(concurrency);
    } catch (error) {
      await worker.close();
      throw error;
    }
    return worker;
  }

  async #start(concurrency: number): Promise<void> {
    const kinds = this.#options.kinds ?? JOB_KINDS;
    const lockMs = this.#options.lockMs ?? 30_000;
    if (kinds.includes('reextract')) {
      // Two re-extractions must never run at once, whichever workers take them.
      const queue = new Queue(this.#names.queue('reextract'), { connection: this.#redis });
      await queue.setGlobalConcurrency(1);
      await queue.close();
    }
    await this.#subscriber.subscribe(this.#names.cancelChannel);
    this.#subscriber.on('message', (_channel: string, jobId: string) => {
      for (const worker of this.#workers.values()) worker.cancelJob(jobId, CANCELLED);
    });
    for (const kind of kinds) {
      const worker = new Worker<BullmqJobData, BullmqJobResult, string>(
        this.#names.queue(kind),
        (job, token, signal) => {
          const attempt = this.#process(job, token, signal);
          const tracked = attempt.catch(() => undefined).finally(() => this.#running.delete(tracked));
          this.#running.add(tracked);
          return attempt;
        },
        {
          connection: redisOptions(this.#options.redisUrl, 'worker'),
          concurrency,
          lockDuration: lockMs,
          // Look for jobs of dead workers as often as a lock lasts, so a crash costs ~2·lockMs.
          stalledInterval: lockMs,
          // A job may survive a few crashes of its workers (each time it restarts from scratch).
          maxStalledCount: 3,
          autorun: false,
        },
      );
      worker.on('error', () => undefined); // connection errors: ioredis reconnects
      this.#workers.set(kind, worker);
    }
    for (const worker of this.#workers.values()) {
      void worker.run().catch(() => undefined);
      await worker.waitUntilReady();
    }
  }

  async #process(job: MarketGraphJob, token: string | undefined, bullSignal: AbortSignal | undefined): Promise<BullmqJobResult> {
    const id = job.id!;
    const kind = job.name as JobKind;
    const started = performance.now();
    const controller = new AbortController();
    const onAbort = (): void => {
      controller.abort(bullSignal?.reason === CANCELLED ? new JobCancelledError(id) : new Error('the worker is shutting down'));
    };
    if (bullSignal?.aborted || this.#closing) onAbort();
    else bullSignal?.addEventListener('abort', onAbort, { once: true });
    // Cancelled before this worker took it (or while the message was in flight).
    if (await this.#cancelRequested(id)) controller.abort(new JobCancelledError(id));

    const usage = new UsageMeter();
    const progress = new ProgressWriter(job, this.#options.progressIntervalMs ?? 250, () => this.#pollCancel(id, controller));
    const attempt = job.attemptsStarted ?? job.attemptsMade + 1;
    const ctx: JobContext = {
      ...this.#options.services, usage, signal: controller.signal, attempt, jobId: id,
      progress: (p) => progress.report(p),
    };
    this.#options.onEvent?.({ type: 'started', jobId: id, kind, attempt });
    const result = await runAttempt(
      this.#options.handlers,
      { id, kind, input: job.data.input, attempts: job.attemptsMade + 1, maxAttempts: job.opts.attempts ?? 1 },
      ctx,
    );
    bullSignal?.removeEventListener('abort', onAbort);
    await progress.stop();
    const spent = usage.snapshot();
    const llm = spent.calls + spent.cached > 0 ? spent : null;
    const error = result.status === 'completed' ? null : result.error;
    this.#options.onEvent?.({ type: 'finished', jobId: id, kind, status: result.status, error, ms: performance.now() - started });
    switch (result.status) {
      case 'completed':
        return { counts: result.outcome.counts, result: result.outcome.result ?? null, llm };
      case 'interrupted':
        // Back to the queue at once; the attempt is not counted (DelayedError tells BullMQ so).
        await job.moveToDelayed(Date.now(), token);
        throw new DelayedError();
      case 'cancelled':
      case 'failed':
        await job.updateData({ ...job.data, error: result.error, llm }).catch(() => undefined);
        throw new UnrecoverableError(result.error.message);
      case 'retry':
        await job.updateData({ ...job.data, error: result.error, llm }).catch(() => undefined);
        throw new Error(result.error.message);
    }
  }

  async #cancelRequested(id: string): Promise<boolean> {
    try {
      return (await this.#redis.exists(this.#names.cancelKey(id))) === 1;
    } catch {
      return false;
    }
  }

  async #pollCancel(id: string, controller: AbortController): Promise<void> {
    if (!controller.signal.aborted && (await this.#cancelRequested(id))) controller.abort(new JobCancelledError(id));
  }

  /** Interrupts running jobs (they go back to the queue) and stops taking new ones. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      // Stop fetching first (BullMQ's close), then interrupt what runs: those jobs go back to the queue.
      const closed = Promise.allSettled([...this.#workers.values()].map((w) => w.close()));
      for (const worker of this.#workers.values()) worker.cancelAllJobs('shutdown');
      // A handler that ignores its signal is left behind: its lock expires and another worker
      // takes the job over.
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, this.#options.closeTimeoutMs ?? 10_000);
      });
      await Promise.race([closed, timeout]);
      clearTimeout(timer);
      this.#subscriber.disconnect();
      this.#redis.disconnect();
    })();
    return this.#closing;
  }
}

/**
 * Writes a job's progress to BullMQ (which publishes a `progress` queue event) at most every
 * `intervalMs`, always keeping the latest; each write also runs `onWrite` (the cancellation poll),
 * at most every CANCEL_POLL_MS.
 */
class ProgressWriter {
  readonly #job: Job;
  readonly #intervalMs: number;
  readonly #onWrite: () => Promise<void>;
  #pending: JobProgress | null = null;
  #timer: NodeJS.Timeout | undefined;
  #lastWrite = -Infinity;
  #lastPoll = -Infinity;
  #lastPhase: string | null = null;
  #writing: Promise<void> = Promise.resolve();

  constructor(job: Job, intervalMs: number, onWrite: () => Promise<void>) {
    this.#job = job;
    this.#intervalMs = intervalMs;
    this.#onWrite = onWrite;
  }

  report(progress: JobProgress): void {
    this.#pending = { phase: String(progress.phase), done: progress.done, total: progress.total };
    const wait = this.#intervalMs - (performance.now() - this.#lastWrite);
    if (this.#pending.phase !== this.#lastPhase || wait <= 0) this.#flush();
    else this.#timer ??= setTimeout(() => this.#flush(), wait);
  }

  /** Writes the last report and waits for every write. */
  async stop(): Promise<void> {
    this.#flush();
    await this.#writing;
  }

  #flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const progress = this.#pending;
    if (!progress) return;
    this.#pending = null;
    this.#lastWrite = performance.now();
    this.#lastPhase = progress.phase;
    const poll = this.#lastWrite - this.#lastPoll >= CANCEL_POLL_MS;
    if (poll) this.#lastPoll = this.#lastWrite;
    this.#writing = this.#writing
      .then(() => this.#job.updateProgress(progress as unknown as object))
      .then(() => (poll ? this.#onWrite() : undefined))
      .catch(() => undefined); // Redis away: the next write (or the final state) catches up
  }
}
