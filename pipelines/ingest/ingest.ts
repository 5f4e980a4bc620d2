/**
 * The ingest pipeline: files → detected kind → streaming reader → structured extractor → batched,
 * idempotent store writes. Bad records are rejected one by one (file, line, reason) into the
 * rejects table and the rest goes on; a file that cannot be read at all is reported and skipped.
 * Documents (markdown, text, JSONL with a `text` field) go last, through text extraction
 * (documents.ts), so that the addresses and tickers they name link to what the data files wrote.
 */
import { pathToFileURL } from 'node:url';
import type { GraphStore } from '../../graph/graph-store.ts';
import type { LabelColumnMapping } from '../../extraction/readers/types.ts';
import type { DocumentFormat } from '../../extraction/documents/read-documents.ts';
import { readerFor } from '../../extraction/readers/index.ts';
import { MarketGraphError } from '../../schema/errors.ts';
import { emptyWriteResult, addWriteResults, type GraphBatch, type WriteResult } from '../../schema/graph.ts';
import type { DetectorParams } from '../../extraction/structured/series.ts';
import { LLM_EXTRACTOR_VERSION } from '../../extraction/text/llm/extract-llm.ts';
import { RULES_EXTRACTOR, RULES_VERSION } from '../../extraction/text/rules/extract-rules.ts';
import { sourceId as makeSourceId } from '../../schema/ids.ts';
import type { FileKind } from '../../schema/records.ts';
import { BatchWriter } from './batch-writer.ts';
import { FactDigest } from './fact-digest.ts';
import { DOCUMENTS_KIND, DOCUMENTS_VERSION, ingestDocumentsFile, type TextIngestOptions } from './documents.ts';
import { AddressChains } from './address-chains.ts';
import { expandPaths } from './expand-paths.ts';
import { createHandler, type RunContext } from './handlers.ts';
import { planFiles } from './plan-files.ts';
import { hashFile, resolveLocation } from './source-file.ts';

export { hashFile } from './source-file.ts';
import { IssueLog } from './issue-log.ts';
import { loadRunContext } from './run-context.ts';
import { sourceVersion } from './source-version.ts';

export interface IngestOptions {
  paths: string[];
  /** Chain of files that do not name one. @default 1 */
  chainId?: number;
  /** Rows per store transaction. @default 50000 */
  batchSize?: number;
  labelColumns?: LabelColumnMapping | null;
  symbol?: string | null;
  onProgress?: (progress: IngestProgress) => void;
  signal?: AbortSignal;
  /** Clock, for tests. @default Date.now */
  now?: () => number;
  /** How documents are extracted (LLM or offline rules, chunk vectors). @default offline, no vectors */
  text?: TextIngestOptions;
  /** Parameters of the series detectors (price files). @default each detector's defaults */
  detectors?: DetectorParams;
  /**
   * Sees every extracted part of a file (with the file's source id) before it is buffered for
   * writing, and returns what to write instead: re-extraction collects the ids and keeps only what
   * changed. @default everything is written
   */
  tap?: (sourceId: string, part: GraphBatch) => GraphBatch;
  /**
   * Extract (and tap) but write nothing: no rows, rejects, source records or chunk vectors. The
   * report still counts records and rejects; its write counts stay 0. @default false
   */
  dryRun?: boolean;
}

export interface IngestProgress {
  file: string;
  fileIndex: number;
  fileCount: number;
  records: number;
  done: boolean;
}

/** A data file kind, or `documents` for markdown/text/JSONL documents. */
export type IngestKind = FileKind | typeof DOCUMENTS_KIND;

export interface FileReport {
  file: string;
  kind: IngestKind | null;
  sourceId: string | null;
  records: number;
  rejected: number;
  warnings: number;
  /** Document chunks read (documents only; 0 for data files). */
  chunks: number;
  write: WriteResult;
  /** Set when the file could not be processed at all. */
  error: string | null;
}

export interface IngestReport {
  files: FileReport[];
  records: number;
  rejected: number;
  warnings: number;
  chunks: number;
  /** Nodes + events + facts + chunks newly written. */
  added: number;
  updated: number;
  unchanged: number;
  write: WriteResult;
  durationMs: number;
}

/** Rows per store transaction when the caller does not say (Config.batchSize's default). */
export const DEFAULT_BATCH_SIZE = 50_000;

/** The reader/extractor version set; part of each source's `version`. */
export const INGEST_VERSION = '1';

export async function ingest(store: GraphStore, options: IngestOptions): Promise<IngestReport> {
  const started = performance.now();
  const now = options.now ?? Date.now;
  const ingestedAt = now();
  const files = await expandPaths(options.paths);
  const planned = await planFiles(files);
  const ctx = await loadRunContext(store, { chainId: options.chainId ?? 1, ingestedAt });
  const reports: FileReport[] = [];
  // One per run: documents read after the data files see the addresses those files wrote.
  const addressChains = new AddressChains(store, ctx.chainId);

  for (const [index, item] of planned.entries()) {
    options.signal?.throwIfAborted();
    if ('error' in item) {
      reports.push(await reportUnreadable(store, item.file, item.error, ingestedAt, options.dryRun));
      continue;
    }
    try {
      const fileOptions = { ...options, index, count: planned.length, addressChains };
      reports.push(item.kind === DOCUMENTS_KIND
        ? await ingestDocuments(store, item.file, item.format, ctx, fileOptions)
        : await ingestFile(store, item.file, item.kind, item.format, ctx, fileOptions));
    } catch (error) {
      // A file that breaks off (unreadable, a JSON document over the size cap) is reported and the
      // run goes on; the batches it already wrote stay, and a re-run is idempotent.
      if (!(error instanceof MarketGraphError)) throw error;
      reports.push(await reportUnreadable(store, item.file, error.message, ingestedAt, options.dryRun, item.kind, error.code));
    }
  }

  const write = reports.reduce((acc, r) => addWriteResults(acc, r.write), emptyWriteResult());
  const sum = (k: 'added' | 'updated' | 'unchanged'): number => write.nodes[k] + write.events[k] + write.facts[k] + write.chunks[k];
  return {
    files: reports,
    records: reports.reduce((n, r) => n + r.records, 0),
    rejected: reports.reduce((n, r) => n + r.rejected + (r.error ? 1 : 0), 0),
    warnings: reports.reduce((n, r) => n + r.warnings, 0),
    chunks: reports.reduce((n, r) => n + r.chunks, 0),
    added: sum('added'),
    updated: sum('updated'),
    unchanged: sum('unchanged'),
    write,
    durationMs: Math.round(performance.now() - started),
  };
}

async function reportUnreadable(
  store: GraphStore,
  file: string,
  reason: string,
  at: number,
  dryRun = false,
  kind: IngestKind | null = null,
  code = 'UNKNOWN_FILE_KIND',
): Promise<FileReport> {
  const log = new IssueLog(file, null, at);
  log.error(null, code, reason);
  if (!dryRun) await store.addRejects(log.takeErrors());
  return { file, kind, sourceId: null, records: 0, rejected: 0, warnings: 0, chunks: 0, write: emptyWriteResult(), error: reason };
}

async function ingestFile(
  store: GraphStore,
  file: string,
  kind: FileKind,
  format: 'jsonl' | 'csv' | 'json',
  ctx: RunContext,
  options: IngestOptions & { index: number; count: number },
): Promise<FileReport> {
  const location = await resolveLocation(file);
  const srcId = makeSourceId(kind, location);
  const log = new IssueLog(file, srcId, ctx.ingestedAt);
  const digest = new FactDigest({ distinct: true });
  const writer = batchWriter(store, srcId, options, digest);
  const handler = createHandler(kind, { ...ctx, sourceId: srcId, file }, options.detectors);
  const reader = readerFor(kind);
  const progress = (records: number, done: boolean): void =>
    options.onProgress?.({ file, fileIndex: options.index, fileCount: options.count, records, done });

  let records = 0;
  for await (const item of reader.read(file, format, {
    chainId: ctx.chainId,
    labelColumns: options.labelColumns ?? null,
    symbol: options.symbol ?? null,
    signal: options.signal,
  })) {
    records++;
    if (!item.ok) {
      log.error(item.line, 'INVALID_RECORD', item.reason, item.raw);
    } else {
      for (const w of item.warnings ?? []) log.warning(item.line, 'RECORD_WARNING', w);
      const out = handler.handle(item.record, item.line);
      for (const issue of out.issues) {
        if (issue.severity === 'error') log.error(issue.line, issue.code, issue.reason);
        else log.warning(issue.line, issue.code, issue.reason);
      }
      await writer.add(out, log.takeErrors());
    }
    if (records % 10_000 === 0) {
      progress(records, false);
      options.signal?.throwIfAborted();
    }
  }
  const tail = handler.finish();
  await writer.add(tail, [...log.takeErrors(), ...log.takeWarnings()]);
  await writer.flush();
  progress(records, true);

  if (!options.dryRun) {
    await store.upsertSource({
      id: srcId,
      uri: pathToFileURL(location).href,
      kind,
      contentHash: await hashFile(location),
      version: sourceVersionOf(kind, options),
      recordedAt: ctx.ingestedAt,
      records,
      rejected: log.errors,
      factDigest: digest.value(),
    });
  }
  return {
    file,
    kind,
    sourceId: srcId,
    records,
    rejected: log.errors,
    warnings: log.warnings,
    chunks: 0,
    write: writer.result,
    error: null,
  };
}

/** One document file: read, chunked, extracted (LLM or rules) and written with its chunks. */
async function ingestDocuments(
  store: GraphStore,
  file: string,
  format: DocumentFormat,
  ctx: RunContext,
  options: IngestOptions & { index: number; count: number; addressChains: AddressChains },
): Promise<FileReport> {
  const location = await resolveLocation(file);
  const srcId = makeSourceId(DOCUMENTS_KIND, location);
  const log = new IssueLog(file, srcId, ctx.ingestedAt);
  const digest = new FactDigest({ distinct: true });
  const writer = batchWriter(store, srcId, options, digest);
  const progress = (records: number, done: boolean): void =>
    options.onProgress?.({ file, fileIndex: options.index, fileCount: options.count, records, done });
  // The source row first: chunks point at it (PART_OF), so it must exist before they do.
  const source = {
    id: srcId,
    uri: pathToFileURL(location).href,
    kind: DOCUMENTS_KIND,
    contentHash: await hashFile(location),
    version: sourceVersionOf(DOCUMENTS_KIND, options),
    recordedAt: ctx.ingestedAt,
    records: 0,
    rejected: 0,
    // Unknown until the whole file is extracted: a run that breaks off leaves no digest behind.
    factDigest: null,
  };
  if (!options.dryRun) await store.upsertSource(source);
  // A dry run gives chunks no vectors either.
  const text = options.dryRun ? { ...options.text, vectors: null } : options.text ?? {};
  const { records, chunks } = await ingestDocumentsFile(
    file, format,
    { store, addressChains: options.addressChains, sourceId: srcId, ctx, writer, log, options: text, signal: options.signal },
    (n) => { if (n % 100 === 0) progress(n, false); },
  );
  await writer.add({ nodes: [], events: [], facts: [] }, [...log.takeErrors(), ...log.takeWarnings()]);
  await writer.flush();
  progress(records, true);
  if (!options.dryRun) await store.upsertSource({ ...source, records, rejected: log.errors, factDigest: digest.value() });
  return {
    file, kind: DOCUMENTS_KIND, sourceId: srcId, records, rejected: log.errors, warnings: log.warnings, chunks,
    write: writer.result, error: null,
  };
}

function batchWriter(store: GraphStore, srcId: string, options: IngestOptions, digest: FactDigest): BatchWriter {
  const tap = options.tap;
  return new BatchWriter(store, options.batchSize ?? DEFAULT_BATCH_SIZE, {
    ...(tap ? { tap: (part: GraphBatch) => tap(srcId, part) } : {}),
    dryRun: options.dryRun ?? false,
    digest,
  });
}

/**
 * The `version` an ingest with these settings records for a source of this kind: the
 * reader/extractor version set plus the run settings that are not defaults (source-version.ts).
 * Re-extraction compares it with the stored one before skipping an unchanged source.
 */
export function sourceVersionOf(kind: IngestKind, options: Pick<IngestOptions, 'chainId' | 'symbol' | 'detectors' | 'text'>): string {
  if (kind === DOCUMENTS_KIND) {
    return sourceVersion(`${DOCUMENTS_KIND}@${DOCUMENTS_VERSION}/${textExtractorVersion(options.text)}/ingest@${INGEST_VERSION}`, options, false);
  }
  return sourceVersion(`${kind}@${readerFor(kind).version}/ingest@${INGEST_VERSION}`, options, kind === 'ohlcv' || kind === 'price-closes');
}

/** Which text extractor (and version) reads the documents of this run. */
function textExtractorVersion(text: TextIngestOptions | undefined): string {
  return text?.llm ? `llm:${text.llm.model}@${LLM_EXTRACTOR_VERSION}` : `${RULES_EXTRACTOR}@${RULES_VERSION}`;
}
