/**
 * The closed vocabularies of jobs (ARCHITECTURE.md §7), here so the GraphQL SDL can derive its
 * enums from them like it does from ontology.ts; the job model itself is pipelines/jobs/job.ts.
 */
export const JOB_KINDS = ['ingest', 'reextract', 'induceSchema', 'embed'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/**
 * queued → running → completed | failed | cancelled. `failed` with `error.retryable` is a transient
 * failure whose retries ran out (or a job interrupted by a restart); a permanent failure is
 * `retryable: false` and is never retried.
 */
export const JOB_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
