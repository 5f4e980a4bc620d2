/**
 * Checks a job before it is queued (issue 5, bad input): the kind must be known, the input must fit
 * MAX_JOB_INPUT_BYTES as JSON and match the kind's zod schema. Both adapters call this in `submit`,
 * so a malformed selection fails at once, naming the field, and nothing is queued.
 */
import type { GraphStore } from '../../graph/graph-store.ts';
import { InvalidArgumentError, SourceNotFoundError } from '../../schema/errors.ts';
import { JOB_INPUTS, JOB_KINDS, MAX_JOB_INPUT_BYTES, type JobInputOf, type JobKind } from './job.ts';

/** A kind and its validated input (defaults applied). */
export type ValidJob = { [K in JobKind]: { kind: K; input: JobInputOf[K] } }[JobKind];

export function isJobKind(kind: string): kind is JobKind {
  return (JOB_KINDS as readonly string[]).includes(kind);
}

/**
 * @throws InvalidArgumentError for an unknown kind, an input over MAX_JOB_INPUT_BYTES, or an input
 * the kind's schema rejects (naming the field path and the reason)
 * @example const { kind, input } = validateJobInput('reextract', { source: 'src:…' });
 */
export function validateJobInput(kind: string, input: unknown): ValidJob {
  if (!isJobKind(kind)) {
    throw new InvalidArgumentError('kind', `unknown job kind "${kind.slice(0, 100)}"; one of ${JOB_KINDS.join(', ')}`);
  }
  let json: string | undefined;
  try {
    json = JSON.stringify(input ?? {});
  } catch (cause) {
    throw new InvalidArgumentError('input', `not serialisable as JSON: ${(cause as Error).message}`);
  }
  const bytes = Buffer.byteLength(json ?? '', 'utf8');
  if (bytes > MAX_JOB_INPUT_BYTES) {
    throw new InvalidArgumentError('input', `${bytes} bytes as JSON, over the limit of ${MAX_JOB_INPUT_BYTES} bytes`);
  }
  const parsed = JOB_INPUTS[kind].safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = ['input', ...issue.path.map(String)].join('.');
    throw new InvalidArgumentError(path, issue.message);
  }
  const job = { kind, input: parsed.data } as ValidJob;
  if (job.kind === 'ingest') checkUploadNames(job.input.uploads.map((u) => u.name));
  return job;
}

/** Upload names become file names in one directory: no `.`/`..`, no two alike. */
function checkUploadNames(names: string[]): void {
  const seen = new Set<string>();
  for (const [i, name] of names.entries()) {
    if (name === '.' || name === '..') throw new InvalidArgumentError(`input.uploads.${i}.name`, `"${name}" is not a file name`);
    if (seen.has(name)) throw new InvalidArgumentError(`input.uploads.${i}.name`, `"${name}" is given twice`);
    seen.add(name);
  }
}

/**
 * The key under which at most one job may be queued or running: `reextract:<source>` for a
 * re-extraction of one source (two of them must never run at once), else null.
 */
export function dedupeKey(kind: JobKind, input: unknown): string | null {
  if (kind !== 'reextract') return null;
  const source = (input as { source?: unknown } | null)?.source;
  return typeof source === 'string' ? `reextract:${source}` : null;
}

/**
 * A re-extraction naming a source the graph does not have fails at submit, not in a worker later.
 * @throws SourceNotFoundError
 */
export async function assertJobTargetsExist(graph: GraphStore, job: ValidJob): Promise<void> {
  if (job.kind !== 'reextract' || job.input.source === undefined) return;
  const source = job.input.source;
  const sources = await graph.listSources();
  if (!sources.some((s) => s.id === source)) throw new SourceNotFoundError(source);
}

/**
 * The attempts a submit asks for, checked.
 * @throws InvalidArgumentError unless an integer from 1 to 100
 */
export function checkMaxAttempts(maxAttempts: number): number {
  if (!Number.isSafeInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 100) {
    throw new InvalidArgumentError('maxAttempts', 'must be an integer from 1 to 100');
  }
  return maxAttempts;
}
