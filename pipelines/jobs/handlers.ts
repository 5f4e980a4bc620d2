/**
 * The real job handlers: what each job kind does, the same under every JobRunner adapter. Each one
 * calls the pipeline it names with the job's stores, signal and progress sink, and turns the
 * pipeline's report into JobCounts and a compact result. All pipelines here are idempotent, so a
 * re-run after a crash or a transient failure starts from the beginning safely.
 *
 * Poison records are the pipelines' business: ingest rejects a bad record into the rejects table and
 * goes on, so such a job completes with `counts.rejected` > 0 instead of failing.
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../schema/errors.ts';
import { embedGraph } from '../embed-graph.ts';
import { induceSchema } from '../induce-schema.ts';
import { ingest, type IngestReport } from '../ingest/ingest.ts';
import { reextract } from '../reextract/reextract.ts';
import type { IngestJobInput, JobCounts } from './job.ts';
import type { JobContext, JobHandlers, JobOutcome } from './job-runner.ts';

export interface JobHandlerOptions {
  /**
   * Where uploaded content is kept: one directory per upload set, named by its content. Uploads
   * stay there after the job (their source is that file: re-extraction reads it again); with
   * workers on several machines, make it shared storage. @default <os.tmpdir()>/mkg-uploads
   */
  uploadDir?: string;
  /** Clock of ingest jobs, for tests. @default Date.now */
  now?: () => number;
}

/** Files listed in an ingest job's result; the rest is counted, not listed. */
const MAX_RESULT_FILES = 200;

/**
 * @example const runner = InProcessJobRunner.open({ file, services, handlers: createJobHandlers() });
 */
export function createJobHandlers(options: JobHandlerOptions = {}): JobHandlers {
  return {
    ingest: (input, ctx) => ingestJob(input, ctx, options),

    reextract: async (input, ctx) => {
      const out = await reextract(ctx.graph, input, {
        vectors: ctx.vectors,
        text: textOptions(ctx),
        detectors: input.detectors,
        signal: ctx.signal,
        onProgress: ctx.progress,
      });
      return { counts: out.counts, result: { sources: out.sources, dryRun: out.dryRun, sample: out.sample } };
    },

    induceSchema: async (_input, ctx) => {
      ctx.progress({ phase: 'conceptualizing', done: 0, total: null });
      const r = await induceSchema(ctx.graph, {
        llm: ctx.llm,
        usage: ctx.usage,
        signal: ctx.signal,
        onProgress: (p) => ctx.progress({ phase: 'conceptualizing', done: p.items, total: null }),
      });
      ctx.progress({ phase: 'done', done: r.items, total: r.items });
      const counts: JobCounts = {
        added: r.write.facts.added + r.write.nodes.added,
        retracted: 0,
        unchanged: r.write.facts.unchanged + r.write.nodes.unchanged,
        rejected: r.issueSamples.filter((i) => i.severity === 'error').length,
      };
      return { counts, result: { ...r, issueSamples: r.issueSamples.slice(0, 20) } };
    },

    embed: async (input, ctx) => {
      if (!ctx.vectors) throw new ConfigError('MKG_VECTORS', 'an embed job needs a vector store, and this process has none');
      ctx.signal.throwIfAborted();
      ctx.progress({ phase: 'embedding', done: 0, total: null });
      const r = await embedGraph(ctx.graph, ctx.vectors, ctx.embedder, {
        kinds: input.kinds,
        // embedGraph takes no signal; its progress callback runs after each stored batch, which is
        // a consistent point to stop at.
        onProgress: (p) => {
          ctx.progress({ phase: 'embedding', done: p.entities + p.events, total: null });
          ctx.signal.throwIfAborted();
        },
      });
      const total = r.entities + r.events;
      ctx.progress({ phase: 'done', done: total, total });
      return { counts: { added: total, retracted: 0, unchanged: 0, rejected: 0 }, result: r };
    },
  };
}

async function ingestJob(input: IngestJobInput, ctx: JobContext, options: JobHandlerOptions): Promise<JobOutcome> {
  const uploaded = await writeUploads(input.uploads, options.uploadDir ?? join(tmpdir(), 'mkg-uploads'));
  let done = 0;
  ctx.progress({ phase: 'reading', done: 0, total: null });
  const report = await ingest(ctx.graph, {
    paths: [...input.paths, ...uploaded],
    chainId: input.chainId,
    symbol: input.symbol ?? null,
    detectors: input.detectors,
    signal: ctx.signal,
    now: options.now,
    text: textOptions(ctx),
    onProgress: (p) => {
      // Records read so far over all files; the total is unknown until every file is read.
      if (p.done) done += p.records;
      ctx.progress({ phase: 'reading', done: p.done ? done : done + p.records, total: null });
    },
  });
  ctx.progress({ phase: 'done', done: report.records, total: report.records });
  return {
    counts: { added: report.added, retracted: 0, unchanged: report.unchanged, rejected: report.rejected },
    result: compactReport(report),
  };
}

function textOptions(ctx: JobContext) {
  return { llm: ctx.llm, usage: ctx.usage, embedder: ctx.embedder, vectors: ctx.vectors };
}

/**
 * Writes uploads to a directory named by their content, so a re-run (or the same upload in another
 * job) reads the same path and gets the same source ids — ingest keys sources by location — and a
 * re-extraction of the source finds its file.
 */
async function writeUploads(uploads: IngestJobInput['uploads'], root: string): Promise<string[]> {
  if (uploads.length === 0) return [];
  const hash = createHash('sha256');
  for (const u of uploads) hash.update(`${u.name}\0${u.content}\0`);
  const dir = join(root, `mkg-upload-${hash.digest('hex').slice(0, 24)}`);
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  for (const u of uploads) {
    const path = join(dir, u.name);
    await writeFile(path, u.content, 'utf8');
    paths.push(path);
  }
  return paths;
}

/** The ingest report without per-file write details, and at most MAX_RESULT_FILES files. */
function compactReport(report: IngestReport): unknown {
  const { files, write, ...totals } = report;
  return {
    ...totals,
    write,
    fileCount: files.length,
    files: files.slice(0, MAX_RESULT_FILES).map(({ write: _w, ...f }) => f),
  };
}
