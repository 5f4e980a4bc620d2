/**
 * One attempt of one job, the part both JobRunner adapters share: run the kind's handler, turn what
 * it threw into a JobError (classifyJobError), tell a cancellation from a failure, and say what the
 * runner does next — store the outcome, fail for good, or re-queue after a backoff.
 *
 * The adapter owns the JobContext (stores, AbortController, progress sink) and the job's storage;
 * this module builds nothing and stores nothing.
 */
import { JobCancelledError } from '../../schema/errors.ts';
import type { JobError, JobKind, JobRecord } from './job.ts';
import { classifyJobError } from './job-errors.ts';
import type { JobContext, JobHandler, JobHandlers, JobOutcome } from './job-runner.ts';

/** The stores and clients of the process running jobs: a JobContext without its per-job parts. */
export type JobServices = Pick<JobContext, 'graph' | 'vectors' | 'llm' | 'embedder'>;

/** What the runner does after an attempt. */
export type AttemptResult =
  | { status: 'completed'; outcome: JobOutcome }
  /** Cancelled by the user: final, never retried. */
  | { status: 'cancelled'; error: JobError }
  /** A permanent failure, or a transient one on the last attempt: final. */
  | { status: 'failed'; error: JobError }
  /** A transient failure with attempts left: re-queue to run after `delayMs`. */
  | { status: 'retry'; error: JobError; delayMs: number }
  /** The signal aborted for another reason (shutdown): not the job's fault; re-queue, attempt not spent. */
  | { status: 'interrupted'; error: JobError };

export interface BackoffOptions {
  /** Delay before the second attempt; doubles each attempt after. @default 1000 */
  baseMs?: number;
  /** Longest delay. @default 300000 (5 minutes) */
  maxMs?: number;
  /** Source of jitter, for tests. @default Math.random */
  random?: () => number;
}

export const DEFAULT_BACKOFF_MS = 1000;
export const DEFAULT_MAX_ATTEMPTS = 3;

/**
 * Delay before the attempt after `attempt` (1-based): `base · 2^(attempt-1)`, capped, with "equal
 * jitter" (between half and all of it) so jobs failing together do not retry together.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? DEFAULT_BACKOFF_MS;
  const capped = Math.min(options.maxMs ?? 300_000, base * 2 ** Math.max(0, attempt - 1));
  const random = options.random ?? Math.random;
  return Math.round(capped / 2 + (capped / 2) * random());
}

/** The error a cancellation leaves on a job. */
export function cancelledError(jobId: string): JobError {
  return classifyJobError(new JobCancelledError(jobId));
}

/** Whether the signal was aborted by a user's cancel (as opposed to a shutdown). */
export function isCancellation(signal: AbortSignal): boolean {
  return signal.aborted && signal.reason instanceof JobCancelledError;
}

/**
 * Runs one attempt. `record.attempts` is the attempt being run (already counted); `ctx.signal`
 * aborts with a JobCancelledError on cancel and with anything else on shutdown.
 * Never throws: every outcome is an AttemptResult.
 */
export async function runAttempt(
  handlers: JobHandlers,
  record: Pick<JobRecord, 'id' | 'kind' | 'input' | 'attempts' | 'maxAttempts'>,
  ctx: JobContext,
  backoff: BackoffOptions = {},
): Promise<AttemptResult> {
  try {
    ctx.signal.throwIfAborted();
    const handler = handlers[record.kind] as JobHandler<JobKind>;
    const outcome = await handler(record.input as never, ctx);
    return { status: 'completed', outcome };
  } catch (error) {
    return settleFailure(error, record, ctx.signal, backoff);
  }
}

/**
 * What a thrown error means for the job: cancelled (the signal aborted with a JobCancelledError),
 * interrupted (aborted for any other reason, e.g. shutdown), failed (permanent, or transient with
 * no attempts left) or retried after a backoff. Adapters use it for failures outside the handler too
 * (e.g. the stores could not be opened).
 */
export function settleFailure(
  error: unknown,
  record: Pick<JobRecord, 'id' | 'attempts' | 'maxAttempts'>,
  signal: AbortSignal,
  backoff: BackoffOptions = {},
): AttemptResult {
  if (isCancellation(signal) || error instanceof JobCancelledError) {
    return { status: 'cancelled', error: cancelledError(record.id) };
  }
  if (signal.aborted) {
    return { status: 'interrupted', error: { code: 'INTERNAL', message: 'interrupted by a shutdown', retryable: true } };
  }
  const jobError = classifyJobError(error);
  if (!jobError.retryable || record.attempts >= record.maxAttempts) return { status: 'failed', error: jobError };
  return { status: 'retry', error: jobError, delayMs: backoffDelay(record.attempts, backoff) };
}
