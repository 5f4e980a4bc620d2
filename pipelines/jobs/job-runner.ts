/**
 * The JobRunner port (issue 5): submit, read, list, cancel and watch jobs. Adapters:
 * `BullmqJobRunner` (REDIS_URL; jobs run on `mkg worker` processes on any machine) and
 * `InProcessJobRunner` (the embedded default; job state in the SQLite file, jobs run in this
 * process and survive a restart). Both pass test/contract/job-runner.contract.ts.
 *
 * What a job does is the same in both: a JobHandler (handlers.ts) given a JobContext.
 */
import type { Embedder } from '../../extraction/embed/embedder.ts';
import type { LlmClient, UsageMeter } from '../../extraction/llm/llm-client.ts';
import type { GraphStore } from '../../graph/graph-store.ts';
import type { VectorStore } from '../../graph/vector-store.ts';
import type { Page, PageArgs } from '../../schema/pagination.ts';
import type { JobCounts, JobInputOf, JobKind, JobProgress, JobRecord, JobStatus } from './job.ts';

export interface SubmitOptions {
  /** Attempts before a transient failure is final. @default 3 */
  maxAttempts?: number;
}

export interface JobFilter {
  status?: JobStatus | null;
  kind?: JobKind | null;
}

export interface JobRunner {
  /** `bullmq` or `in-process`, for /health and logs. */
  readonly adapter: 'bullmq' | 'in-process';
  /**
   * Validates `input` against the kind's schema and queues the job. A re-extraction whose source
   * already has one queued or running returns that job instead of a second one.
   * @throws InvalidArgumentError naming the bad field (unknown kind, malformed selection, input over MAX_JOB_INPUT_BYTES)
   * @throws NotFoundError when a re-extraction names a source the graph does not have
   */
  submit(kind: string, input: unknown, options?: SubmitOptions): Promise<JobRecord>;
  get(id: string): Promise<JobRecord | null>;
  /** Newest first. */
  list(filter: JobFilter, page: PageArgs): Promise<Page<JobRecord>>;
  /**
   * Cancels a queued job at once, or asks a running one to stop (it stops at its next progress
   * point, leaving the graph consistent: every write is an idempotent batch). Finished jobs are
   * returned unchanged; null for an unknown id.
   */
  cancel(id: string): Promise<JobRecord | null>;
  /**
   * The job's record now and after every change (progress, status) until it is finished; ends when
   * `signal` aborts. Yields nothing for an unknown id.
   */
  watch(id: string, signal?: AbortSignal): AsyncIterable<JobRecord>;
  close(): Promise<void>;
}

/** What a handler gets: the stores and clients of the process running the job, and its job. */
export interface JobContext {
  graph: GraphStore;
  vectors: VectorStore | null;
  /** The configured (cached) LLM; null offline. */
  llm: LlmClient | null;
  embedder: Embedder;
  /** Charged with the job's LLM calls; stored with the job. */
  usage: UsageMeter;
  /** Aborts on cancellation (and on shutdown); handlers pass it down and check it between batches. */
  signal: AbortSignal;
  /** Reports progress (the runner stores it and notifies watchers, throttled). */
  progress(progress: JobProgress): void;
  /** 1 on the first run; a re-run after a crash or a transient failure starts from the beginning. */
  attempt: number;
  jobId: string;
}

export interface JobOutcome {
  counts: JobCounts;
  result: unknown;
}

export type JobHandler<K extends JobKind> = (input: JobInputOf[K], ctx: JobContext) => Promise<JobOutcome>;
export type JobHandlers = { [K in JobKind]: JobHandler<K> };
