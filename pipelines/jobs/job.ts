/**
 * Jobs (issue 5, ARCHITECTURE.md §7): what users trigger — ingest, re-extraction, schema induction,
 * embeddings — run by a JobRunner (BullMQ on Redis across machines, or in-process with its state in
 * the SQLite file). This module is the job model both adapters share: kinds, statuses, inputs
 * (validated with zod at submit, so a malformed selection fails before anything is queued) and the
 * record every reader (GraphQL, CLI) sees.
 */
import { z } from 'zod';
import type { LlmUsage } from '../../extraction/llm/llm-client.ts';
import type { Millis } from '../../schema/graph.ts';
import { JOB_KINDS, JOB_STATUSES, type JobKind, type JobStatus } from '../../schema/jobs.ts';

export { JOB_KINDS, JOB_STATUSES, type JobKind, type JobStatus };

/** Largest accepted job input, as JSON (a job carries paths and selections, not data). */
export const MAX_JOB_INPUT_BYTES = 64 * 1024;

const millis = z.number().int().nonnegative();

/**
 * Detector parameters of a run (extraction/structured/series.ts DetectorParams); absent ones keep
 * their defaults. Events found with other parameters get other ids, so a re-extraction with new
 * parameters retracts what the old ones found and adds what the new ones find.
 */
export const DetectorParamsInput = z.strictObject({
  priceMove: z.strictObject({ window: z.number().int().min(2).max(1000).optional(), k: z.number().positive().max(100).optional() }).optional(),
  drawdown: z.strictObject({ threshold: z.number().positive().lt(1).optional() }).optional(),
  volumeSpike: z.strictObject({ window: z.number().int().min(2).max(1000).optional(), multiple: z.number().positive().max(1000).optional() }).optional(),
});

export const IngestJobInput = z.strictObject({
  /** Files or directories on the worker's file system. */
  paths: z.array(z.string().min(1).max(4096)).max(1000).default([]),
  /**
   * Uploaded content, carried in the job itself (so any worker on any machine can run it): each
   * is written to a scratch file named `name` and ingested like a path. Bounded by MAX_JOB_INPUT_BYTES.
   */
  uploads: z.array(z.strictObject({
    name: z.string().regex(/^[\w.-]{1,200}$/, 'a file name: letters, digits, _, . and -'),
    content: z.string(),
  })).max(100).default([]),
  chainId: z.number().int().positive().optional(),
  symbol: z.string().min(1).max(40).optional(),
  detectors: DetectorParamsInput.optional(),
}).refine((i) => i.paths.length + i.uploads.length > 0, { message: 'give at least one path or upload' });
export type IngestJobInput = z.infer<typeof IngestJobInput>;

/**
 * What to re-extract (ARCHITECTURE.md §5). At least one of `source`, `extractor`, `from`/`to` or
 * `entity`; together they narrow each other. `source` is a source id as `sources` lists it.
 */
export const ReextractJobInput = z.strictObject({
  source: z.string().min(1).max(200).optional(),
  /** Facts written by this extractor (e.g. `price-move`), optionally only this version. */
  extractor: z.string().min(1).max(200).optional(),
  extractorVersion: z.string().min(1).max(200).optional(),
  /** Facts whose world time (`validFrom`, else `recordedAt`) lies in [from, to]. */
  from: millis.optional(),
  to: millis.optional(),
  /** Facts with this entity or event as subject or object. */
  entity: z.string().min(1).max(300).optional(),
  /** Detector parameters of the re-run. @default the defaults */
  detectors: DetectorParamsInput.optional(),
  /** Compute and return the diff without writing anything. @default false */
  dryRun: z.boolean().default(false),
}).refine((s) => s.source ?? s.extractor ?? s.entity ?? s.from ?? s.to, {
  message: 'give at least one of source, extractor, from/to or entity',
}).refine((s) => s.from === undefined || s.to === undefined || s.from <= s.to, {
  message: 'from must not be after to', path: ['from'],
}).refine((s) => s.extractorVersion === undefined || s.extractor !== undefined, {
  message: 'extractorVersion needs extractor', path: ['extractorVersion'],
});
export type ReextractJobInput = z.infer<typeof ReextractJobInput>;

export const InduceSchemaJobInput = z.strictObject({});
export type InduceSchemaJobInput = z.infer<typeof InduceSchemaJobInput>;

export const EmbedJobInput = z.strictObject({
  kinds: z.array(z.enum(['entities', 'events'])).min(1).optional(),
});
export type EmbedJobInput = z.infer<typeof EmbedJobInput>;

export const JOB_INPUTS = {
  ingest: IngestJobInput,
  reextract: ReextractJobInput,
  induceSchema: InduceSchemaJobInput,
  embed: EmbedJobInput,
} as const;

export interface JobInputOf {
  ingest: IngestJobInput;
  reextract: ReextractJobInput;
  induceSchema: InduceSchemaJobInput;
  embed: EmbedJobInput;
}

/** Where a job is: a phase name and how far through it. */
export interface JobProgress {
  /** e.g. `reading`, `extracting`, `diffing`, `retracting`, `embedding`. */
  phase: string;
  done: number;
  /** null while unknown. */
  total: number | null;
}

/** What a job changed (re-extraction semantics; ingest reports added/unchanged/rejected). */
export interface JobCounts {
  added: number;
  retracted: number;
  unchanged: number;
  rejected: number;
}

export interface JobError {
  /** A MarketGraphError code, or `INTERNAL`. */
  code: string;
  message: string;
  /** Transient (worth retrying) or permanent. */
  retryable: boolean;
}

export interface JobRecord {
  id: string;
  kind: JobKind;
  status: JobStatus;
  /** The validated input. */
  input: unknown;
  progress: JobProgress;
  counts: JobCounts;
  /** LLM usage of the job (extraction, induction); null when it made no LLM calls. */
  llm: LlmUsage | null;
  /** Attempts started so far (1 on the first run). */
  attempts: number;
  maxAttempts: number;
  error: JobError | null;
  /** Kind-specific summary (e.g. the ingest report, the diff of a dry run). */
  result: unknown;
  createdAt: Millis;
  startedAt: Millis | null;
  finishedAt: Millis | null;
}

export function emptyCounts(): JobCounts {
  return { added: 0, retracted: 0, unchanged: 0, rejected: 0 };
}
