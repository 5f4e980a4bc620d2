/**
 * Re-extraction (ARCHITECTURE.md §5, issue 5): re-run the current extractors over the files of the
 * selected sources and apply the diff to the graph. For each source, O = its live facts inside the
 * selection (read before anything is written) and N = the facts the re-run produces inside it:
 * N − O is added, O − N retracted (`retractedAt` = now, never deleted, so `asOf` earlier still sees
 * them), N ∩ O left untouched, not even rewritten. Events of the source that are no longer produced
 * and had facts in the selection are retracted with those facts, and their vectors marked
 * retracted; entities stay (other sources share them). A second identical run changes nothing.
 *
 * Facts are compared by base id (schema/ids.ts `baseFactId`). A fact of N − O that the store holds
 * retracted (an earlier run retracted it; its parameters came back) is revived: written as a new
 * row under `revivalFactId(id, now)`, never un-retracted, so history as of the gap stays as it was
 * (pipelines/reextract/revivals.ts). A live revived row is retracted by its own (revival) id.
 * Events too: a produced event the store holds only retracted is written as a new row under
 * `revivalEventId(id, now)`, and the facts of this run naming it name that row instead (revival
 * fact ids, base ids unchanged). Live events are compared by base id (`baseEventId`) as well.
 *
 * The re-run goes through the ingest pipeline itself (same readers, extractors and batch writer):
 * its `tap` sees every extracted part, records the ids, and lets through only facts not yet live
 * (with the entities, events and chunks they need), so an unchanged source writes almost nothing.
 * Ingest records with the source the digest of every fact id it produced (SourceRecord.factDigest,
 * pipelines/ingest/fact-digest.ts), a dry run records nothing.
 *
 * Fast path: an unchanged content hash alone proves nothing (an earlier narrower re-extraction
 * may have retracted facts; a changed detector parameter produces others). A source is skipped,
 * nothing read nor extracted, only when all of these hold: the selection is the whole source (no
 * extractor, time or entity filter), `force` is not set, the version string this run would
 * record equals the stored one (reader/extractor versions and run settings, detector parameters
 * included), the file still resolves to the same path and hashes (sha-256, as ingest hashes it) to
 * the stored `contentHash`, and the digest of the source's live fact ids (one pass over
 * `factIdsOfSource`, ids only) equals the stored `factDigest`: then the live facts are exactly what
 * the extractors produced, and a re-run would add and retract nothing. Progress then goes through
 * `checking` and `hashing`, never `reading`. Caveat: extraction that depends on other sources
 * (token decimals/standard from the graph for transfer files, the address chains documents link
 * to) is not in the version string; `force` re-runs regardless.
 *
 * Memory: O, N and the produced event ids are Sets of id strings, one source at a time (a source of
 * 1M transfers has ~3M fact ids, a few hundred MB at most); everything else streams.
 */
import { access, realpath } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { GraphStore } from '../../graph/graph-store.ts';
import type { VectorStore } from '../../graph/vector-store.ts';
import type { DetectorParams } from '../../extraction/structured/series.ts';
import { FileUnreadableError } from '../../schema/errors.ts';
import type { FactInput, GraphBatch, SourceRecord } from '../../schema/graph.ts';
import { baseEventId, baseFactId, EVENT_ID_PREFIX } from '../../schema/ids.ts';
import { MAX_PAGE_SIZE } from '../../schema/pagination.ts';
import { FILE_KINDS } from '../../schema/records.ts';
import { DOCUMENTS_KIND, type TextIngestOptions } from '../ingest/documents.ts';
import { FactDigest } from '../ingest/fact-digest.ts';
import { hashFile, ingest, sourceVersionOf, type IngestKind } from '../ingest/ingest.ts';
import { runSettingsOf } from '../ingest/source-version.ts';
import { emptyCounts, type JobCounts, type JobProgress, type ReextractJobInput } from '../jobs/job.ts';
import { Revivals } from './revivals.ts';
import { candidateSources, factFilter, type FactFilter } from './selection.ts';

export interface ReextractOptions {
  /** Vectors of retracted events are marked retracted here. @default none */
  vectors?: VectorStore | null;
  /** How document sources are re-read (LLM/rules, embedder); see TextIngestOptions in pipelines/ingest/documents.ts. */
  text?: TextIngestOptions;
  /** Detector parameters of this run (defaults when absent). */
  detectors?: DetectorParams;
  signal?: AbortSignal;
  onProgress?: (p: JobProgress) => void;
  /** Clock: the retraction time and the re-run's ingest time. @default Date.now */
  now?: () => number;
  /** Re-read and re-extract every selected source, even one the fast path would skip. @default false */
  force?: boolean;
}

export interface ReextractSourceResult {
  sourceId: string;
  added: number;
  retracted: number;
  unchanged: number;
  rejected: number;
  /**
   * The source was found unchanged (file, version and live facts as its last extraction left
   * them) and not re-read: `unchanged` is its live fact count, the rest 0.
   */
  fastPath: boolean;
}

export interface ReextractResult {
  /** Summed over sources. */
  counts: JobCounts;
  sources: ReextractSourceResult[];
  dryRun: boolean;
  /**
   * Up to 100 ids each of facts that would be / were added (base ids: a revived fact's row has a
   * revival id, see the top of the file) and retracted (the ids of the rows retracted).
   */
  sample: { added: string[]; retracted: string[] };
}

const SAMPLE_SIZE = 100;
/** Ids per retract call (one store transaction each). */
const RETRACT_BATCH = 10_000;

/** The live facts of one source inside the selection, and the events they name. */
interface OldFacts {
  /** Base id → the id of the live row (itself, or a revival id). */
  ids: Map<string, string>;
  /** Base event id → the id of the live row (itself, or a revival id). */
  events: Map<string, string>;
}

/**
 * Re-extracts the sources the selection names and applies (or, with `dryRun`, only computes) the diff.
 * @throws SourceNotFoundError when `selection.source` names no source
 * @throws FileUnreadableError when a selected source's file is gone or now reads as another source
 * @example await reextract(graph, { source: 'src:ohlcv:…', dryRun: false }, { detectors: { priceMove: { k: 2.5 } } })
 */
export async function reextract(
  graph: GraphStore,
  selection: ReextractJobInput,
  options: ReextractOptions = {},
): Promise<ReextractResult> {
  const now = options.now ?? Date.now;
  const dryRun = selection.dryRun ?? false;
  const filter = factFilter(selection);
  const whole = wholeSource(selection);
  const result: ReextractResult = { counts: emptyCounts(), sources: [], dryRun, sample: { added: [], retracted: [] } };
  for (const source of await candidateSources(graph, selection)) {
    options.signal?.throwIfAborted();
    const live = whole && !options.force ? await unchangedFacts(graph, source, options) : null;
    let one: { counts: ReextractSourceResult; added: string[]; retracted: string[] };
    if (live !== null) {
      one = { counts: { sourceId: source.id, added: 0, retracted: 0, unchanged: live, rejected: 0, fastPath: true }, added: [], retracted: [] };
    } else {
      const old = await liveFacts(graph, source.id, filter, options);
      // Without a named source, only sources with live facts in the selection are re-extracted.
      if (selection.source === undefined && old.ids.size === 0) continue;
      one = await reextractSource(graph, source, old, filter, dryRun, options, now);
    }
    result.sources.push(one.counts);
    for (const key of ['added', 'retracted', 'unchanged', 'rejected'] as const) result.counts[key] += one.counts[key];
    fill(result.sample.added, one.added);
    fill(result.sample.retracted, one.retracted);
  }
  return result;
}

async function reextractSource(
  graph: GraphStore,
  source: SourceRecord,
  old: OldFacts,
  filter: FactFilter,
  dryRun: boolean,
  options: ReextractOptions,
  now: () => number,
): Promise<{ counts: ReextractSourceResult; added: string[]; retracted: string[] }> {
  const path = await sourceFile(source);
  const produced = new Set<string>();
  const producedEvents = new Set<string>();
  let foreign: string | null = null;
  const at = now();
  // A dry run writes nothing, so it has nothing to revive.
  const revivals = dryRun ? null : new Revivals(graph, at, old.events);
  const tap = (sourceId: string, part: GraphBatch): GraphBatch => {
    if (sourceId !== source.id) {
      foreign = sourceId;
      return { nodes: [], events: [], facts: [] };
    }
    for (const e of part.events) producedEvents.add(e.id);
    const { batch, held } = keepChanged(part, (f) => {
      if (!filter(f)) return false;
      produced.add(f.id);
      return !old.ids.has(f.id);
    }, (f) => revivals?.mustHold(f) ?? false);
    // Exactly the facts of N − O: the ones `keep` accepted, written now or held for `write()`.
    revivals?.offer(batch.facts);
    revivals?.hold(held, part.events);
    return batch;
  };
  const { chainId, symbol } = runSettingsOf(source.version);
  const report = await ingest(graph, {
    paths: [path], chainId, symbol, tap, dryRun, now: () => at,
    ...(options.detectors ? { detectors: options.detectors } : {}),
    ...(options.text ? { text: options.text } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    onProgress: (p) => options.onProgress?.({ phase: 'reading', done: p.records, total: null }),
  });
  const file = report.files[0];
  if (file?.error) throw new FileUnreadableError(path, `source ${source.id}: ${file.error}`);
  if (foreign !== null || file?.sourceId !== source.id) {
    throw new FileUnreadableError(path, `source ${source.id}: the file now reads as source ${foreign ?? file?.sourceId}`);
  }

  // The re-run wrote the facts of N − O under their base ids, a no-op for those stored retracted:
  // those get their revival rows now, before anything is retracted, and the held facts (naming an
  // event that may be stored retracted only) are written, with revived events where needed.
  await revivals?.write(options.signal);
  const added = [...produced].filter((id) => !old.ids.has(id));
  const retracted = [...old.ids].filter(([base]) => !produced.has(base)).map(([, id]) => id);
  options.onProgress?.({ phase: 'diffing', done: produced.size, total: produced.size });
  if (!dryRun && retracted.length > 0) {
    await retractAll(graph, retracted, at, options);
    const events = await goneEvents(graph, source.id, old.events, producedEvents);
    await retractAll(graph, events, at, options);
    // New events and entities get their vectors from the `embed` job; retracted ones are hidden
    // here (stores ignore ids they have no vector for).
    if (options.vectors && events.length > 0) await options.vectors.setRetracted(events, true);
  }
  return {
    counts: {
      sourceId: source.id, added: added.length, retracted: retracted.length,
      unchanged: produced.size - added.length, rejected: file.rejected, fastPath: false,
    },
    added: added.slice(0, SAMPLE_SIZE),
    retracted: retracted.slice(0, SAMPLE_SIZE),
  };
}

/** Whether the selection takes every fact of the source (only `source`, `dryRun` set). */
function wholeSource(selection: ReextractJobInput): boolean {
  const { extractor, extractorVersion, from, to, entity } = selection;
  return [extractor, extractorVersion, from, to, entity].every((v) => v === undefined);
}

/**
 * The fast path (see the top of the file): the number of the source's live facts when a
 * whole-source re-run would find nothing to do, else null. Cheapest checks first: the stored digest
 * and version, then the digest of the live fact ids (ids only, one pass), then the file's content,
 * hashed last since that reads the whole file.
 * @throws FileUnreadableError when the source's file is gone
 */
async function unchangedFacts(graph: GraphStore, source: SourceRecord, options: ReextractOptions): Promise<number | null> {
  if (source.factDigest === null || source.factDigest === undefined) return null;
  if (!isIngestKind(source.kind)) return null;
  const { chainId, symbol } = runSettingsOf(source.version);
  const version = sourceVersionOf(source.kind, {
    chainId, symbol,
    ...(options.detectors ? { detectors: options.detectors } : {}),
    ...(options.text ? { text: options.text } : {}),
  });
  if (version !== source.version) return null;
  const live = await liveDigest(graph, source.id, options);
  if (live.value() !== source.factDigest) return null;
  const path = await sourceFile(source);
  // A path that now resolves elsewhere reads as another source: the full run reports it.
  if (await realpath(path).catch(() => null) !== path) return null;
  options.signal?.throwIfAborted();
  options.onProgress?.({ phase: 'hashing', done: 0, total: null });
  const hash = await hashFile(path).catch((cause: NodeJS.ErrnoException) => {
    throw new FileUnreadableError(path, `source ${source.id}: ${cause.message}`, { cause });
  });
  return hash === source.contentHash ? live.count : null;
}

/** The digest of the source's live fact ids, read a page at a time (ids only). */
async function liveDigest(graph: GraphStore, sourceId: string, options: ReextractOptions): Promise<FactDigest> {
  const digest = new FactDigest();
  let after: string | null = null;
  for (;;) {
    options.signal?.throwIfAborted();
    const page = await graph.factIdsOfSource(sourceId, { first: MAX_PAGE_SIZE, after });
    // FactDigest counts a revived row by its base id, as ingest recorded it.
    for (const { node: id } of page.edges) digest.add(id);
    options.onProgress?.({ phase: 'checking', done: digest.count, total: page.totalCount });
    if (!page.hasNextPage || page.edges.length === 0) return digest;
    after = page.edges[page.edges.length - 1]!.cursor;
  }
}

function isIngestKind(kind: string): kind is IngestKind {
  return kind === DOCUMENTS_KIND || (FILE_KINDS as readonly string[]).includes(kind);
}

/**
 * The part of an extracted batch that must be written: facts that `keep` accepts, the nodes and
 * events they name, and whatever names no fact at all (written as ingest would; idempotent).
 * Chunks always go through: the first write of a content hash wins, so rewriting changes nothing.
 * Accepted facts that `hold` takes are left out of the batch (their nodes and events stay in) and
 * returned apart: the caller writes them later.
 */
function keepChanged(
  part: GraphBatch,
  keep: (f: FactInput) => boolean,
  hold: (f: FactInput) => boolean,
): { batch: GraphBatch; held: FactInput[] } {
  const facts = part.facts.filter(keep);
  const held = facts.filter(hold);
  const heldSet = new Set(held);
  const written = held.length === 0 ? facts : facts.filter((f) => !heldSet.has(f));
  if (facts.length === part.facts.length) return { batch: held.length === 0 ? part : { ...part, facts: written }, held };
  const needed = new Set<string>();
  for (const f of facts) needed.add(f.subject).add(f.object);
  const named = new Set<string>();
  for (const f of part.facts) named.add(f.subject).add(f.object);
  const wanted = (id: string): boolean => needed.has(id) || !named.has(id);
  const batch: GraphBatch = {
    nodes: part.nodes.filter((n) => wanted(n.id)),
    events: part.events.filter((e) => wanted(e.id)),
    facts: written,
    ...(part.chunks ? { chunks: part.chunks } : {}),
  };
  return { batch, held };
}

/** Reads the source's live facts a page at a time, keeping the ids inside the selection. */
async function liveFacts(graph: GraphStore, sourceId: string, filter: FactFilter, options: ReextractOptions): Promise<OldFacts> {
  const old: OldFacts = { ids: new Map(), events: new Map() };
  let after: string | null = null;
  let done = 0;
  for (;;) {
    options.signal?.throwIfAborted();
    const page = await graph.factsOfSource(sourceId, { first: MAX_PAGE_SIZE, after });
    for (const { node: f } of page.edges) {
      if (!filter(f)) continue;
      old.ids.set(baseFactId(f.id), f.id);
      if (f.subject.startsWith(EVENT_ID_PREFIX)) old.events.set(baseEventId(f.subject), f.subject);
      if (f.object.startsWith(EVENT_ID_PREFIX)) old.events.set(baseEventId(f.object), f.object);
    }
    done += page.edges.length;
    options.onProgress?.({ phase: 'diffing', done, total: page.totalCount });
    if (!page.hasNextPage || page.edges.length === 0) return old;
    after = page.edges[page.edges.length - 1]!.cursor;
  }
}

/**
 * Events the source wrote, named by its old facts in the selection, that the re-run no longer
 * produces (compared by base id: a live event row may be a revival), by the ids of their live rows.
 * Every extracted event has facts of its own source (participants, mentions), which is how they
 * are found; an event of another source that these facts merely point at is left alone.
 */
async function goneEvents(graph: GraphStore, sourceId: string, named: Map<string, string>, produced: Set<string>): Promise<string[]> {
  const gone: string[] = [];
  for (const [base, id] of named) {
    if (produced.has(base)) continue;
    const event = await graph.getEvent(id);
    if (event?.sourceId === sourceId) gone.push(id);
  }
  return gone;
}

async function retractAll(graph: GraphStore, ids: string[], at: number, options: ReextractOptions): Promise<void> {
  for (let i = 0; i < ids.length; i += RETRACT_BATCH) {
    options.signal?.throwIfAborted();
    await graph.retract(ids.slice(i, i + RETRACT_BATCH), at);
    options.onProgress?.({ phase: 'retracting', done: Math.min(i + RETRACT_BATCH, ids.length), total: ids.length });
  }
}

/** @throws FileUnreadableError naming the source and path when its file is gone */
async function sourceFile(source: SourceRecord): Promise<string> {
  let path: string;
  try {
    path = fileURLToPath(source.uri);
  } catch {
    throw new FileUnreadableError(source.uri, `source ${source.id} is not a local file`);
  }
  await access(path).catch((cause: NodeJS.ErrnoException) => {
    const reason = cause.code === 'ENOENT' ? 'no such file or directory' : cause.message;
    throw new FileUnreadableError(path, `source ${source.id}: ${reason}`, { cause });
  });
  return path;
}

function fill(into: string[], ids: string[]): void {
  for (const id of ids) {
    if (into.length >= SAMPLE_SIZE) return;
    into.push(id);
  }
}
