/**
 * How a MarketGraph job lives in BullMQ, and how it reads back as a JobRecord. The job's name is its
 * kind, its data the validated input (plus the error and LLM usage of the last failed attempt, which
 * BullMQ's `failedReason` cannot carry), its progress a JobProgress, its return value the outcome.
 */
import type { Job, JobState } from 'bullmq';
import type { LlmUsage } from '../../../extraction/llm/llm-client.ts';
import { emptyCounts, JOB_KINDS, type JobCounts, type JobError, type JobKind, type JobProgress, type JobRecord, type JobStatus } from '../job.ts';

export interface BullmqJobData {
  input: unknown;
  /** Submission order (a Redis counter): `list` sorts by it, newest first. */
  seq: number;
  /** Set by the worker before a failed attempt is handed back to BullMQ. */
  error?: JobError | null;
  llm?: LlmUsage | null;
}

export interface BullmqJobResult {
  counts: JobCounts;
  result: unknown;
  llm: LlmUsage | null;
}

export type MarketGraphJob = Job<BullmqJobData, BullmqJobResult, string>;

/** Job ids are `<kind>-<uuid>`, so a reader knows the queue without asking every one. */
export function newJobId(kind: JobKind, uuid: string): string {
  return `${kind}-${uuid}`;
}

export function kindOfJobId(id: string): JobKind | null {
  const kind = id.slice(0, id.indexOf('-'));
  return (JOB_KINDS as readonly string[]).includes(kind) ? (kind as JobKind) : null;
}

/** BullMQ states each JobStatus covers (`cancelled` jobs are failed ones with a JOB_CANCELLED error). */
export const STATES_OF: Record<JobStatus, readonly JobState[]> = {
  queued: ['waiting', 'delayed', 'prioritized', 'waiting-children'],
  running: ['active'],
  completed: ['completed'],
  failed: ['failed'],
  cancelled: ['failed'],
};

export const FINISHED: ReadonlySet<JobStatus> = new Set(['completed', 'failed', 'cancelled']);

export function toJobRecord(job: MarketGraphJob, state: JobState | 'unknown'): JobRecord {
  const error = state === 'failed' ? failure(job) : null;
  const result = state === 'completed' ? job.returnvalue : null;
  return {
    id: job.id!,
    kind: job.name as JobKind,
    status: statusOf(state, error),
    input: job.data.input,
    progress: progressOf(job.progress, state),
    counts: result?.counts ?? emptyCounts(),
    llm: result?.llm ?? job.data.llm ?? null,
    attempts: job.attemptsStarted ?? job.attemptsMade,
    maxAttempts: job.opts.attempts ?? 1,
    error,
    result: result?.result ?? null,
    createdAt: job.timestamp,
    startedAt: job.processedOn ?? null,
    finishedAt: state === 'completed' || state === 'failed' ? job.finishedOn ?? null : null,
  };
}

function statusOf(state: JobState | 'unknown', error: JobError | null): JobStatus {
  switch (state) {
    case 'active':
      return 'running';
    case 'completed':
      return 'completed';
    case 'failed':
      return error?.code === 'JOB_CANCELLED' ? 'cancelled' : 'failed';
    default:
      return 'queued';
  }
}

function failure(job: MarketGraphJob): JobError {
  const stored = job.data.error;
  // The worker stores the classified error before failing the attempt; a message that differs means
  // BullMQ failed the job itself (e.g. it stalled more often than allowed after worker crashes).
  if (stored && stored.message === job.failedReason) return stored;
  return { code: 'INTERNAL', message: job.failedReason ?? 'failed', retryable: /stalled/i.test(job.failedReason ?? '') };
}

function progressOf(progress: unknown, state: JobState | 'unknown'): JobProgress {
  if (progress && typeof progress === 'object' && 'phase' in progress) {
    const p = progress as JobProgress;
    return { phase: String(p.phase), done: Number(p.done) || 0, total: typeof p.total === 'number' ? p.total : null };
  }
  return { phase: state === 'active' ? 'starting' : 'queued', done: 0, total: null };
}
