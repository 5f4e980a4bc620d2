/**
 * The JobRunner port on BullMQ (ARCHITECTURE.md §7): the producer and reader side, used by the API
 * and the CLI. One queue per job kind (`<prefix>-<kind>`); the jobs themselves run on `mkg worker`
 * processes (BullmqWorker) on any machine that reaches the same Redis and stores.
 *
 * - Re-extractions of one source are deduplicated with BullMQ's deduplication option (simple mode:
 *   the key lives until the job completes or fails), so a second submit returns the first job; the
 *   workers also give the reextract queue a global concurrency of 1.
 * - A queued job is cancelled by removing it (its record is kept in a hash so `get` still answers);
 *   a running one by a cancellation request (a key plus a pub/sub message) the worker turns into an
 *   abort of the job's signal (BullMQ's `Worker.cancelJob`).
 */
import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents, type JobState } from 'bullmq';
import { Redis } from 'ioredis';
import type { GraphStore } from '../../../graph/graph-store.ts';
import { InvalidArgumentError, MarketGraphError } from '../../../schema/errors.ts';
import { checkFirst, decodeCursor, encodeCursor, type Page, type PageArgs } from '../../../schema/pagination.ts';
import { cancelledError, DEFAULT_BACKOFF_MS, DEFAULT_MAX_ATTEMPTS } from '../execute.ts';
import { JOB_KINDS, type JobKind, type JobProgress, type JobRecord, type JobStatus } from '../job.ts';
import type { JobFilter, JobRunner, SubmitOptions } from '../job-runner.ts';
import { assertJobTargetsExist, checkMaxAttempts, dedupeKey, validateJobInput } from '../validate.ts';
import { FINISHED, kindOfJobId, newJobId, STATES_OF, toJobRecord, type BullmqJobData, type BullmqJobResult, type MarketGraphJob } from './job-record.ts';
import { CANCEL_TTL_S, probeRedis, queueNames, redisOptions, unavailable, type QueueNames } from './redis-connection.ts';

export interface BullmqJobRunnerOptions {
  /** REDIS_URL. */
  redisUrl: string;
  /** MKG_QUEUE_PREFIX. @default 'mkg' */
  prefix?: string;
  /**
   * The graph the API reads, to reject a re-extraction of an unknown source at submit. Without it
   * the worker finds out and the job fails with SourceNotFoundError.
   * @default null
   */
  graph?: GraphStore | null;
  /** Delay before the second attempt of a transiently failed job; doubles after. @default 1000 */
  backoffMs?: number;
  /** Longest wait between two reads of a watched job when no queue event arrives. @default 1000 */
  watchPollMs?: number;
}

/** Finished jobs kept in Redis (the newest of them, for this long). */
const KEEP_COMPLETED = { age: 7 * 24 * 3600, count: 1000 };
const KEEP_FAILED = { age: 30 * 24 * 3600, count: 5000 };

/** Queue events after which a watched job is read again. */
const WATCH_EVENTS = ['progress', 'active', 'completed', 'failed', 'removed', 'waiting', 'delayed', 'retries-exhausted'] as const;

export class BullmqJobRunner implements JobRunner {
  readonly adapter = 'bullmq' as const;
  readonly #options: BullmqJobRunnerOptions;
  readonly #names: QueueNames;
  readonly #redis: Redis;
  readonly #queues: Map<JobKind, Queue<BullmqJobData, BullmqJobResult, string>>;
  readonly #events = new Map<JobKind, Promise<QueueEvents>>();
  #closed = false;

  /** Use `BullmqJobRunner.open`. */
  constructor(options: BullmqJobRunnerOptions, redis: Redis, queues: Map<JobKind, Queue<BullmqJobData, BullmqJobResult, string>>) {
    this.#options = options;
    this.#names = queueNames(options.prefix ?? 'mkg');
    this.#redis = redis;
    this.#queues = queues;
  }

  /**
   * Checks that Redis answers (within a few seconds, no endless retries) and opens the kind queues.
   * @throws QueueUnavailableError naming the URL (password redacted); the message says the API still serves reads
   * @example const jobs = await BullmqJobRunner.open({ redisUrl: config.queue.redisUrl, prefix: config.queue.prefix, graph });
   */
  static async open(options: BullmqJobRunnerOptions): Promise<BullmqJobRunner> {
    await probeRedis(options.redisUrl);
    const redis = new Redis({ ...redisOptions(options.redisUrl, 'producer'), lazyConnect: true });
    redis.on('error', () => undefined); // reconnects on its own; calls meanwhile fail fast
    const names = queueNames(options.prefix ?? 'mkg');
    const queues = new Map<JobKind, Queue<BullmqJobData, BullmqJobResult, string>>();
    try {
      await redis.connect();
      for (const kind of JOB_KINDS) {
        const queue = new Queue<BullmqJobData, BullmqJobResult, string>(names.queue(kind), { connection: redis });
        queue.on('error', () => undefined);
        queues.set(kind, queue);
      }
      await Promise.all([...queues.values()].map((q) => q.waitUntilReady()));
    } catch (error) {
      await Promise.all([...queues.values()].map((q) => q.close().catch(() => undefined)));
      redis.disconnect();
      throw unavailable(options.redisUrl, error);
    }
    return new BullmqJobRunner(options, redis, queues);
  }

  /** The BullMQ queues, one per kind (for an operator's queue dashboard). */
  queues(): Queue[] {
    return [...this.#queues.values()] as Queue[];
  }

  async submit(kind: string, input: unknown, options: SubmitOptions = {}): Promise<JobRecord> {
    this.#assertOpen();
    const job = validateJobInput(kind, input);
    const maxAttempts = checkMaxAttempts(options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
    if (this.#options.graph) await assertJobTargetsExist(this.#options.graph, job);
    const dedupe = dedupeKey(job.kind, job.input);
    const seq = await this.#call(() => this.#redis.incr(this.#names.seqKey));
    const jobId = newJobId(job.kind, randomUUID());
    const added = await this.#call(() =>
      this.#queue(job.kind).add(job.kind, { input: job.input, seq }, {
        jobId,
        attempts: maxAttempts,
        backoff: { type: 'exponential', delay: this.#options.backoffMs ?? DEFAULT_BACKOFF_MS, jitter: 0.5 },
        // Simple mode: a second job with this id is not added while the first is queued or
        // running; `add` then answers with the first job's id.
        ...(dedupe ? { deduplication: { id: dedupe } } : {}),
        removeOnComplete: KEEP_COMPLETED,
        removeOnFail: KEEP_FAILED,
      }),
    );
    if (added.id === jobId) return toJobRecord(added, 'waiting');
    const record = await this.get(added.id!);
    if (record) return record;
    // Deduplicated against a job that finished in between: it is gone from the dedupe key, so retry.
    return this.submit(kind, input, options);
  }

  async get(id: string): Promise<JobRecord | null> {
    this.#assertOpen();
    const kind = kindOfJobId(id);
    if (!kind) return null;
    return this.#call(async () => {
      // State first: a job read after its state is at least as new (moves are atomic scripts).
      const state = await this.#queue(kind).getJobState(id);
      const job = state === 'unknown' ? undefined : await this.#queue(kind).getJob(id);
      if (job) return toJobRecord(job, state);
      const cancelled = await this.#redis.hget(this.#names.cancelledHash, id);
      return cancelled === null ? null : (JSON.parse(cancelled) as CancelledEntry).record;
    });
  }

  /** Newest first (in submission order); reads every kept job of the asked kinds and statuses. */
  async list(filter: JobFilter, page: PageArgs): Promise<Page<JobRecord>> {
    this.#assertOpen();
    const first = checkFirst(page.first);
    const after = page.after ? seqOfCursor(page.after) : null;
    const kinds = filter.kind ? [filter.kind] : [...JOB_KINDS];
    const statuses: readonly JobStatus[] = filter.status ? [filter.status] : ['queued', 'running', 'completed', 'failed'];
    const states = [...new Set(statuses.flatMap((s) => STATES_OF[s]))];
    const entries = await this.#call(async () => {
      const found: CancelledEntry[] = [];
      for (const kind of kinds) {
        for (const state of states) {
          const jobs = (await this.#queue(kind).getJobs([state], 0, -1, false)) as MarketGraphJob[];
          for (const job of jobs) if (job) found.push({ seq: job.data.seq, record: toJobRecord(job, state as JobState) });
        }
      }
      if (!filter.status || filter.status === 'cancelled') {
        const removed = await this.#redis.hvals(this.#names.cancelledHash);
        found.push(...removed.map((r) => JSON.parse(r) as CancelledEntry).filter((e) => kinds.includes(e.record.kind)));
      }
      return found;
    });
    const bySeq = new Map(entries.filter((e) => !filter.status || e.record.status === filter.status).map((e) => [e.seq, e]));
    const sorted = [...bySeq.values()].sort((a, b) => b.seq - a.seq);
    const rest = after === null ? sorted : sorted.filter((e) => e.seq < after);
    const edges = rest.slice(0, first).map((e) => ({ node: e.record, cursor: encodeCursor([e.seq]) }));
    return { edges, totalCount: sorted.length, hasNextPage: rest.length > first };
  }

  async cancel(id: string): Promise<JobRecord | null> {
    const record = await this.get(id);
    if (!record || FINISHED.has(record.status)) return record;
    await this.#call(async () => {
      // The key first: a worker that takes the job from here on sees it before running anything.
      await this.#redis.set(this.#names.cancelKey(id), '1', 'EX', CANCEL_TTL_S);
      await this.#redis.publish(this.#names.cancelChannel, id);
    });
    const removed = record.status === 'queued' ? await this.#removeQueued(record) : null;
    if (removed) {
      const cancelled: JobRecord = { ...record, status: 'cancelled', error: cancelledError(id), finishedAt: Date.now() };
      const entry: CancelledEntry = { seq: removed.data.seq, record: cancelled };
      await this.#call(() => this.#redis.hset(this.#names.cancelledHash, id, JSON.stringify(entry)));
      return cancelled;
    }
    // Running (or taken by a worker just now): it stops at its next progress point.
    return (await this.get(id)) ?? record;
  }

  async *watch(id: string, signal?: AbortSignal): AsyncIterable<JobRecord> {
    const kind = kindOfJobId(id);
    if (!kind) return;
    // Listen before the first read, and keep every event until it is handled: a job's progress
    // can change faster than a read completes.
    const events = await this.#queueEvents(kind).catch(() => null);
    const inbox: { name: string; data: unknown }[] = [];
    let wake: (() => void) | null = null;
    const listeners = WATCH_EVENTS.map((name) => {
      const listener = (args: { jobId: string; data?: unknown }): void => {
        if (args.jobId !== id) return;
        inbox.push({ name, data: args.data });
        wake?.();
      };
      events?.on(name, listener);
      return [name, listener] as const;
    });
    const onAbort = (): void => wake?.();
    signal?.addEventListener('abort', onAbort);
    try {
      let last = null as JobRecord | null;
      let lastJson = '';
      const changed = (record: JobRecord): boolean => {
        const json = JSON.stringify(record);
        if (json === lastJson) return false;
        lastJson = json;
        last = record;
        return true;
      };
      while (!signal?.aborted && !this.#closed) {
        let record: JobRecord | null = null;
        try {
          record = await this.get(id);
        } catch (error) {
          // Redis away for a moment (a restart): keep watching, the connection comes back on its own.
          if (!(error instanceof MarketGraphError && error.code === 'QUEUE_UNAVAILABLE')) throw error;
        }
        if (record === null && last === null) return;
        if (record) {
          if (changed(record)) yield record;
          if (FINISHED.has(record.status)) return;
        }
        if (inbox.length === 0) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, this.#options.watchPollMs ?? 1000);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = null;
        }
        for (const event of inbox.splice(0)) {
          const progress = event.name === 'progress' ? asProgress(event.data) : null;
          const current = last as JobRecord | null;
          if (progress && current && !FINISHED.has(current.status)) {
            const next: JobRecord = { ...current, status: 'running', progress };
            if (changed(next)) yield next;
          }
        }
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      for (const [name, listener] of listeners) events?.off(name, listener);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const events = await Promise.allSettled(this.#events.values());
    await Promise.allSettled(events.map((e) => (e.status === 'fulfilled' ? e.value.close() : undefined)));
    await Promise.allSettled([...this.#queues.values()].map((q) => q.close()));
    this.#redis.disconnect();
  }

  /** The removed job, or null when a worker took it first (it then honours the cancel key). */
  async #removeQueued(record: JobRecord): Promise<MarketGraphJob | null> {
    const job = await this.#call(() => this.#queue(record.kind).getJob(record.id));
    if (!job) return null;
    try {
      // Fails when a worker holds the job's lock.
      await job.remove();
      return job;
    } catch {
      return null;
    }
  }

  #queueEvents(kind: JobKind): Promise<QueueEvents> {
    let events = this.#events.get(kind);
    if (!events) {
      const e = new QueueEvents(this.#names.queue(kind), { connection: redisOptions(this.#options.redisUrl, 'worker') });
      e.on('error', () => undefined);
      e.setMaxListeners(0);
      events = e.waitUntilReady().then(() => e);
      this.#events.set(kind, events);
    }
    return events;
  }

  #queue(kind: JobKind): Queue<BullmqJobData, BullmqJobResult, string> {
    return this.#queues.get(kind)!;
  }

  /** Runs a Redis call; a connection failure becomes a QueueUnavailableError. */
  async #call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof MarketGraphError) throw error;
      throw unavailable(this.#options.redisUrl, error);
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw unavailable(this.#options.redisUrl, new Error('the job runner is closed'));
  }
}

/** A job cancelled while queued (BullMQ removed it), as kept in the cancelled hash. */
interface CancelledEntry {
  seq: number;
  record: JobRecord;
}

function asProgress(data: unknown): JobProgress | null {
  if (!data || typeof data !== 'object' || !('phase' in data)) return null;
  const p = data as JobProgress;
  return { phase: String(p.phase), done: Number(p.done) || 0, total: typeof p.total === 'number' ? p.total : null };
}

function seqOfCursor(cursor: string): number {
  const [seq] = decodeCursor(cursor);
  if (typeof seq !== 'number') throw new InvalidArgumentError('after', 'not a cursor returned by this API');
  return seq;
}
