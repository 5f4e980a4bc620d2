/**
 * The embedded default JobRunner (issue 5): jobs run in this process, up to `concurrency` at a time,
 * and their state lives in a `jobs` table of the SQLite file, so jobs and their history survive a
 * restart.
 *
 * Several runners may share the file (`mkg serve` and a CLI command, say); each has a random owner
 * id, and every job runs in exactly one of them:
 * - claiming a queued job is one guarded UPDATE (`… WHERE status = 'queued'`); only the runner whose
 *   UPDATE changed the row runs it;
 * - each runner polls the table every `pollMs` for due queued jobs, so a job queued by another
 *   process is picked up, as well as being woken at once by its own submits;
 * - the owner of a running job refreshes its `heartbeat_at` every `heartbeatMs` and with every stored
 *   progress report. A running job whose heartbeat is older than `staleAfterMs` lost its runner (the
 *   process died): on open and on every poll it is re-queued while it has attempts left — jobs are
 *   idempotent, so a re-run from the start is safe — else marked failed with a retryable
 *   "interrupted by a restart". A live job of another runner is never touched. Nothing is silently lost;
 * - `cancel` of a job running elsewhere sets its `cancel_requested` flag; the owner sees it at its
 *   next heartbeat or progress write and aborts the job;
 * - `watch` of a job this runner does not run polls the row every `watchPollMs`.
 *
 * `staleAfterMs` must exceed the longest time a runner's event loop can be blocked (a handler's
 * synchronous work): a runner that finds at its next heartbeat that its job was taken over stops it
 * and leaves the row to its new owner.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { DatabaseSync } from 'node:sqlite';
import { UsageMeter } from '../../../extraction/llm/llm-client.ts';
import { openDatabase, storeFailure } from '../../../graph/sqlite/open-database.ts';
import { cursorKey, pageSize, toPage } from '../../../graph/paging.ts';
import { InvalidArgumentError, JobCancelledError, QueueUnavailableError } from '../../../schema/errors.ts';
import type { Page, PageArgs } from '../../../schema/pagination.ts';
import { cancelledError, DEFAULT_BACKOFF_MS, DEFAULT_MAX_ATTEMPTS, runAttempt, settleFailure, type AttemptResult, type JobServices } from '../execute.ts';
import type { JobProgress, JobRecord, JobStatus } from '../job.ts';
import type { JobFilter, JobHandlers, JobRunner, SubmitOptions } from '../job-runner.ts';
import { assertJobTargetsExist, checkMaxAttempts, dedupeKey, validateJobInput } from '../validate.ts';
import { JobTable, type Beat, type JobUpdate } from './job-table.ts';
import { ProgressThrottle } from './progress-throttle.ts';

export interface InProcessJobRunnerOptions {
  /** The SQLite file holding the `jobs` table (the graph's file in the embedded default). */
  file: string;
  /**
   * The stores and clients jobs run with: the ones the CLI or API already opened, or a function
   * giving them (called once per attempt and at submit; it may return the same objects each time).
   */
  services: JobServices | (() => JobServices | Promise<JobServices>);
  /** What each kind does: `createJobHandlers()`, or test handlers. */
  handlers: JobHandlers;
  /** Jobs running at the same time in this process. @default 1 */
  concurrency?: number;
  /** Backoff before the second attempt of a transient failure; doubles per attempt, jittered. @default 1000 */
  backoffMs?: number;
  /** Least time between two stored progress updates of a job (phase changes are stored at once). @default 250 */
  progressIntervalMs?: number;
  /** How long `close` waits for running jobs to stop before closing anyway (their heartbeat stops, so a runner on the file recovers them after `staleAfterMs`). @default 10000 */
  closeTimeoutMs?: number;
  /** How often this runner polls the table for due queued jobs and for jobs whose runner is gone. @default 500 */
  pollMs?: number;
  /** How often the owner of a running job refreshes its heartbeat (and sees cancel requests). @default 5000 */
  heartbeatMs?: number;
  /** A running job whose heartbeat is older than this lost its runner and is recovered. Must exceed `heartbeatMs`. @default 3 × heartbeatMs */
  staleAfterMs?: number;
  /** How often `watch` re-reads a job this runner does not run (changes made by another process). @default 250 */
  watchPollMs?: number;
  /** Clock of stored times (heartbeats included), for tests. @default Date.now */
  now?: () => number;
  /** Told about failures of the runner itself (not of jobs, which are stored). @default console.error */
  onError?: (error: unknown) => void;
}

const FINISHED: ReadonlySet<JobStatus> = new Set(['completed', 'failed', 'cancelled']);
/** How often `watch` re-reads the record of a job this runner runs (its changes also wake it at once). */
const OWN_WATCH_POLL_MS = 1000;

interface Running {
  controller: AbortController;
  done: Promise<void>;
}

export class InProcessJobRunner implements JobRunner {
  readonly adapter = 'in-process' as const;
  readonly #db: DatabaseSync;
  readonly #table: JobTable;
  readonly #options: InProcessJobRunnerOptions;
  readonly #now: () => number;
  readonly #running = new Map<string, Running>();
  readonly #events = new EventEmitter();
  /** This runner's id in the `owner` column of the jobs it runs. */
  readonly owner = randomUUID();
  readonly #pollMs: number;
  readonly #heartbeatMs: number;
  readonly #staleAfterMs: number;
  #timer: NodeJS.Timeout | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #closing = false;
  #closed = false;

  /** Use `InProcessJobRunner.open`. */
  constructor(db: DatabaseSync, table: JobTable, options: InProcessJobRunnerOptions) {
    this.#db = db;
    this.#table = table;
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#pollMs = options.pollMs ?? 500;
    this.#heartbeatMs = options.heartbeatMs ?? 5000;
    this.#staleAfterMs = options.staleAfterMs ?? 3 * this.#heartbeatMs;
    this.#events.setMaxListeners(0);
  }

  /**
   * Opens (creating if needed) the jobs table in `file`, recovers interrupted jobs and starts
   * running queued ones.
   * @throws StoreError naming the file when it cannot be opened
   * @example const jobs = InProcessJobRunner.open({ file: config.dbPath, services: { graph, vectors, llm, embedder }, handlers: createJobHandlers() });
   */
  static open(options: InProcessJobRunnerOptions): InProcessJobRunner {
    const concurrency = options.concurrency ?? 1;
    if (!Number.isSafeInteger(concurrency) || concurrency < 1) throw new InvalidArgumentError('concurrency', 'must be a positive integer');
    const positive = (name: 'pollMs' | 'heartbeatMs' | 'staleAfterMs' | 'watchPollMs') => {
      const value = options[name];
      if (value !== undefined && !(Number.isFinite(value) && value > 0)) throw new InvalidArgumentError(name, 'must be a positive number of milliseconds');
    };
    for (const name of ['pollMs', 'heartbeatMs', 'staleAfterMs', 'watchPollMs'] as const) positive(name);
    if (options.staleAfterMs !== undefined && options.staleAfterMs <= (options.heartbeatMs ?? 5000)) {
      throw new InvalidArgumentError('staleAfterMs', 'must exceed heartbeatMs, or live jobs would look abandoned');
    }
    const db = openDatabase('jobs', options.file);
    try {
      const runner = new InProcessJobRunner(db, new JobTable(db), options);
      runner.#recover();
      runner.#heartbeat = setInterval(() => runner.#beat(), runner.#heartbeatMs);
      runner.#heartbeat.unref();
      runner.#schedule(0);
      return runner;
    } catch (error) {
      db.close();
      throw storeFailure('jobs', `opening ${options.file}`, error);
    }
  }

  async submit(kind: string, input: unknown, options: SubmitOptions = {}): Promise<JobRecord> {
    this.#assertOpen();
    const job = validateJobInput(kind, input);
    const maxAttempts = checkMaxAttempts(options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
    await assertJobTargetsExist((await this.#services()).graph, job);
    this.#assertOpen();
    const { stored, created } = this.#table.insert({
      id: randomUUID(), kind: job.kind, input: job.input, dedupeKey: dedupeKey(job.kind, job.input), maxAttempts, now: this.#now(),
    });
    if (created) this.#schedule(0);
    return stored.record;
  }

  async get(id: string): Promise<JobRecord | null> {
    this.#assertOpen();
    return this.#table.get(id)?.record ?? null;
  }

  async list(filter: JobFilter, page: PageArgs): Promise<Page<JobRecord>> {
    this.#assertOpen();
    const first = pageSize(page);
    const after = cursorKey(page.after, ['number'] as const);
    const { rows, total } = this.#table.list(filter, after === null ? null : after[0], first + 1);
    const seqs = new Map(rows.map((r) => [r.record, r.seq]));
    return toPage(rows.map((r) => r.record), first, total, (record) => [seqs.get(record)!]);
  }

  async cancel(id: string): Promise<JobRecord | null> {
    this.#assertOpen();
    const stored = this.#table.get(id);
    if (!stored) return null;
    if (FINISHED.has(stored.record.status)) return stored.record;
    const update: JobUpdate = { status: 'cancelled', error: cancelledError(id), finishedAt: this.#now() };
    if (this.#table.update(id, update, { status: ['queued'] })) {
      this.#emit(id);
    } else {
      // Running (perhaps claimed by another runner since the read). Here: the handler stops at its
      // next check of the signal and the attempt settles as cancelled. Elsewhere: its owner sees the
      // request at its next heartbeat or progress write; a job whose owner is gone is cancelled now.
      const mine = this.#running.get(id);
      if (mine) mine.controller.abort(new JobCancelledError(id));
      else if (this.#table.requestCancel(id)) this.#recover();
    }
    return this.#table.get(id)?.record ?? null;
  }

  async *watch(id: string, signal?: AbortSignal): AsyncIterable<JobRecord> {
    if (this.#closed) return;
    let wake: (() => void) | null = null;
    const poke = () => wake?.();
    this.#events.on(id, poke);
    this.#events.on('close', poke);
    signal?.addEventListener('abort', poke);
    try {
      let last: string | null = null;
      while (!signal?.aborted && !this.#closed) {
        const record = this.#table.get(id)?.record;
        if (!record) return;
        const text = JSON.stringify(record);
        if (text !== last) {
          last = text;
          yield record;
        }
        if (FINISHED.has(record.status)) return;
        // A job run elsewhere changes without telling this process: poll its row more often.
        const pollMs = this.#running.has(id) ? OWN_WATCH_POLL_MS : (this.#options.watchPollMs ?? 250);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
      }
    } finally {
      this.#events.off(id, poke);
      this.#events.off('close', poke);
      signal?.removeEventListener('abort', poke);
    }
  }

  /**
   * Stops taking jobs, asks running ones to stop (they are re-queued, their attempt not spent),
   * waits up to `closeTimeoutMs` for them and closes the file. The stores in `services` stay open.
   */
  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    clearTimeout(this.#timer);
    // Heartbeats stop: jobs still running when the wait below gives up go stale and are recovered
    // by the next runner on the file.
    clearInterval(this.#heartbeat);
    const running = [...this.#running.values()];
    for (const r of running) r.controller.abort(new Error('job runner closing'));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled(running.map((r) => r.done)),
      new Promise<void>((resolve) => { timer = setTimeout(resolve, this.#options.closeTimeoutMs ?? 10_000); }),
    ]);
    clearTimeout(timer);
    this.#closed = true;
    this.#events.emit('close');
    this.#db.close();
  }

  /**
   * Jobs whose runner is gone (heartbeat older than `staleAfterMs`, or none): re-queued, or failed
   * (retryable) when out of attempts, or cancelled when a cancel was requested. Each update is
   * guarded by the staleness it saw, so a job another runner just recovered and claimed is left alone.
   */
  #recover(): void {
    const now = this.#now();
    const staleBefore = now - this.#staleAfterMs;
    for (const { record, cancelRequested } of this.#table.stale(staleBefore)) {
      // Never our own (a heartbeat delayed by a blocked event loop); the next beat refreshes it.
      if (this.#running.has(record.id)) continue;
      const update: JobUpdate = cancelRequested
        ? { status: 'cancelled', error: cancelledError(record.id), finishedAt: now }
        : record.attempts < record.maxAttempts
          ? { status: 'queued', runAt: now, error: { code: 'INTERNAL', message: 'interrupted by a restart; re-queued', retryable: true } }
          : { status: 'failed', finishedAt: now, error: { code: 'INTERNAL', message: 'interrupted by a restart', retryable: true } };
      if (this.#table.update(record.id, update, { status: ['running'], staleBefore })) this.#emit(record.id);
    }
  }

  /**
   * The heartbeat of this runner's running jobs (one UPDATE). A job whose row says cancel is
   * cancelled; one no longer running under this owner (recovered by another runner after a stall)
   * is stopped without writing, its row belonging to someone else now.
   */
  #beat(): void {
    if (this.#closing || this.#running.size === 0) return;
    try {
      const beats = this.#table.heartbeat(this.owner, this.#now());
      for (const [id, running] of this.#running) {
        const cancel = beats.get(id);
        this.#act(id, running, cancel === undefined ? 'lost' : cancel ? 'cancel' : 'ok');
      }
    } catch (error) {
      // A missed beat is survivable while the next ones land (staleAfterMs spans several).
      this.#report(error);
    }
  }

  #act(id: string, running: Running | undefined, beat: Beat): void {
    if (!running || running.controller.signal.aborted) return;
    if (beat === 'cancel') running.controller.abort(new JobCancelledError(id));
    else if (beat === 'lost') running.controller.abort(new Error(`job ${id} was taken over by another runner after its heartbeat went stale`));
  }

  /** Runs the pump after `delayMs`, or at the next poll when that comes first. */
  #schedule(delayMs: number): void {
    if (this.#closing) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#pump(), Math.max(0, Math.min(delayMs, this.#pollMs)));
  }

  /**
   * Recovers jobs whose runner is gone, starts ready jobs while there is room, and sleeps until the
   * next one is due or the next poll (jobs queued by other processes wake nothing here).
   */
  #pump(): void {
    if (this.#closing) return;
    try {
      this.#recover();
      const now = this.#now();
      const free = (this.#options.concurrency ?? 1) - this.#running.size;
      if (free > 0) {
        for (const { record } of this.#table.ready(now, free)) {
          if (this.#table.claim(record.id, this.owner, now)) this.#start(record.id);
        }
      }
      const next = this.#table.nextRunAt();
      const due = next !== null && this.#running.size < (this.#options.concurrency ?? 1);
      this.#schedule(due ? next - this.#now() : this.#pollMs);
      // A bare poll does not keep the process alive; a job due here does.
      if (!due) this.#timer?.unref();
    } catch (error) {
      this.#report(error);
      this.#schedule(1000);
    }
  }

  #start(id: string): void {
    const record = this.#table.get(id)!.record;
    const controller = new AbortController();
    const usage = new UsageMeter();
    // Usage spans attempts: a retried job's bill includes what the failed attempts cost.
    if (record.llm) usage.add(record.llm);
    const throttle = new ProgressThrottle(this.#options.progressIntervalMs ?? 250, (progress) => {
      if (this.#closed) return;
      try {
        // A progress write is also a heartbeat, and where a cancel request is seen soonest.
        this.#act(id, this.#running.get(id), this.#table.touch(id, this.owner, this.#now(), progress));
        this.#emit(id);
      } catch (error) {
        // A lost progress update must not fail the job; the final state is written at the end.
        this.#report(error);
      }
    });
    const backoff = { baseMs: this.#options.backoffMs ?? DEFAULT_BACKOFF_MS };
    const attempt = async (): Promise<AttemptResult> => {
      try {
        const services = await this.#services();
        return await runAttempt(this.#options.handlers, record, {
          ...services, usage, signal: controller.signal, attempt: record.attempts, jobId: id,
          progress: (p) => throttle.report(p),
        }, backoff);
      } catch (error) {
        return settleFailure(error, record, controller.signal, backoff);
      }
    };
    const done = attempt().then((result) => {
      throttle.stop();
      this.#finish(record, result, usage, throttle.last);
    }).catch((error: unknown) => this.#report(error)).finally(() => {
      this.#running.delete(id);
      this.#emit(id);
      this.#schedule(0);
    });
    this.#running.set(id, { controller, done });
    this.#emit(id);
  }

  #finish(record: JobRecord, result: AttemptResult, usage: UsageMeter, progress: JobProgress | null): void {
    if (this.#closed) return;
    const now = this.#now();
    const spent = usage.snapshot();
    const llm = spent.calls + spent.cached > 0 ? spent : null;
    const update: JobUpdate = (() => {
      switch (result.status) {
        case 'completed':
          return {
            status: 'completed', counts: result.outcome.counts, result: result.outcome.result ?? null, error: null, llm, finishedAt: now,
            progress: progress ?? { phase: 'done', done: 0, total: 0 },
          };
        case 'cancelled':
        case 'failed':
          return { status: result.status, error: result.error, llm, finishedAt: now, ...(progress ? { progress } : {}) };
        case 'retry':
          return { status: 'queued', error: result.error, llm, runAt: now + result.delayMs, progress: { phase: 'retrying', done: 0, total: null } };
        case 'interrupted':
          // Not the job's fault: the attempt is given back.
          return { status: 'queued', attempts: record.attempts - 1, llm, runAt: now, progress: { phase: 'queued', done: 0, total: null } };
      }
    })();
    // Only while the row is still this runner's: a job taken over after a stall is not ours to settle.
    this.#table.update(record.id, update, { status: ['running'], owner: this.owner });
  }

  async #services(): Promise<JobServices> {
    const s = this.#options.services;
    return typeof s === 'function' ? await s() : s;
  }

  #emit(id: string): void {
    this.#events.emit(id);
  }

  #report(error: unknown): void {
    (this.#options.onError ?? console.error)(error);
  }

  #assertOpen(): void {
    if (this.#closing) throw new QueueUnavailableError(`in-process (${this.#options.file})`, 'the job runner is closed');
  }
}
