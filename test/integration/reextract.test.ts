/**
 * Re-extraction (issue 5, ARCHITECTURE.md §5) on the real sample in temporary SQLite files: a
 * changed detector parameter retracts exactly what the old one produced and adds what the new one
 * does (the expectation is computed independently, by ingesting with each parameter into its own
 * fresh store), history stays readable with `asOf`, a second run changes nothing, a dry run writes
 * nothing, and the selection filters narrow the diff. The fast path skips an unchanged source (same
 * file, version and live facts as its last extraction) without reading it, and only then. Facts a
 * run retracted and a later one produces again are revived as new rows, history left as it was.
 */
import { appendFileSync, copyFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphStore } from '../../graph/graph-store.ts';
import { SqliteGraphStore } from '../../graph/sqlite/sqlite-graph-store.ts';
import { SqliteVectorStore } from '../../graph/sqlite/sqlite-vector-store.ts';
import type { DetectorParams } from '../../extraction/structured/series.ts';
import { ingest } from '../../pipelines/ingest/ingest.ts';
import { ReextractJobInput } from '../../pipelines/jobs/job.ts';
import { FactDigest } from '../../pipelines/ingest/fact-digest.ts';
import { reextract, type ReextractOptions } from '../../pipelines/reextract/reextract.ts';
import { FileUnreadableError, SourceNotFoundError } from '../../schema/errors.ts';
import type { FactRecord } from '../../schema/graph.ts';
import { baseEventId, baseFactId, revivalEventId, revivalFactId } from '../../schema/ids.ts';
import { SAMPLE_DIR, tempDir } from '../fixtures/paths.ts';

const T_INGEST = Date.UTC(2026, 0, 10);
const T_REEXTRACT = Date.UTC(2026, 0, 20);
const NEW_PARAMS: DetectorParams = { priceMove: { k: 2.5 } };

const tmp = tempDir('mkg-reextract-');
afterAll(() => tmp.cleanup());
let stores = 0;
const opened: GraphStore[] = [];
afterAll(async () => {
  for (const s of opened) await s.close();
});

/** The ETH-USD sample copied into the temp dir (so a test may delete its copy). */
function ethFile(name = 'eth.csv'): string {
  const path = join(tmp.dir, name);
  copyFileSync(join(SAMPLE_DIR, 'eth_usd_daily_2017_2019.csv'), path);
  return path;
}

async function freshStore(): Promise<SqliteGraphStore> {
  const store = SqliteGraphStore.open(join(tmp.dir, `graph-${++stores}.db`));
  opened.push(store);
  return store;
}

/** A fresh store with `file` ingested with these detector parameters; its source id. */
async function ingested(file: string, detectors: DetectorParams = {}): Promise<{ store: SqliteGraphStore; sourceId: string }> {
  const store = await freshStore();
  const report = await ingest(store, { paths: [file], detectors, now: () => T_INGEST });
  return { store, sourceId: report.files[0]!.sourceId! };
}

async function liveFacts(store: GraphStore, sourceId: string): Promise<FactRecord[]> {
  const facts: FactRecord[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await store.factsOfSource(sourceId, { first: 100, after });
    facts.push(...page.edges.map((e) => e.node));
    if (!page.hasNextPage) return facts;
    after = page.edges.at(-1)!.cursor;
  }
}

const ids = (facts: FactRecord[]) => new Set(facts.map((f) => f.id));
const minus = <T>(a: Set<T>, b: Set<T>) => new Set([...a].filter((x) => !b.has(x)));
const both = <T>(a: Set<T>, b: Set<T>) => new Set([...a].filter((x) => b.has(x)));
const select = (input: Record<string, unknown>) => ReextractJobInput.parse(input);

describe('re-extracting the ETH-USD sample after changing a detector parameter', () => {
  const file = ethFile();
  let oldFacts: FactRecord[];
  let newFacts: FactRecord[];
  let store: SqliteGraphStore;
  let sourceId: string;

  beforeAll(async () => {
    // The expectation, independently: the same file ingested with each parameter set.
    const a = await ingested(file);
    const b = await ingested(file, NEW_PARAMS);
    oldFacts = await liveFacts(a.store, a.sourceId);
    newFacts = await liveFacts(b.store, b.sourceId);
    ({ store, sourceId } = await ingested(file));
  });

  it('changes the PriceMove events only, and 2.5σ events get ids of their own', () => {
    const removed = oldFacts.filter((f) => !ids(newFacts).has(f.id));
    const added = newFacts.filter((f) => !ids(oldFacts).has(f.id));
    expect(removed.length).toBeGreaterThan(0);
    expect(added.length).toBeGreaterThan(removed.length);
    expect(new Set([...removed, ...added].map((f) => f.extractor))).toEqual(new Set(['price-move']));
    expect(removed.every((f) => f.subject.endsWith(':ksigma'))).toBe(true);
    expect(added.every((f) => /:ksigma~[0-9a-f]{8}$/.test(f.subject))).toBe(true);
  });

  it('a dry run returns the diff and writes nothing', async () => {
    const before = { stats: await store.stats(), sources: await store.listSources(), rejects: await store.listRejects({}, { first: 5 }) };
    const out = await reextract(store, select({ source: sourceId, dryRun: true }), { detectors: NEW_PARAMS, now: () => T_REEXTRACT });
    const expected = { added: minus(ids(newFacts), ids(oldFacts)), retracted: minus(ids(oldFacts), ids(newFacts)) };
    expect(out.dryRun).toBe(true);
    expect(out.counts).toEqual({
      added: expected.added.size, retracted: expected.retracted.size,
      unchanged: both(ids(newFacts), ids(oldFacts)).size, rejected: 0,
    });
    expect(new Set(out.sample.added)).toEqual(expected.added);
    expect(new Set(out.sample.retracted)).toEqual(expected.retracted);
    expect(await store.stats()).toEqual(before.stats);
    expect(await store.listSources()).toEqual(before.sources);
    expect(await store.listRejects({}, { first: 5 })).toEqual(before.rejects);
  });

  it('retracts exactly what the old parameter produced, adds the new, keeps history', async () => {
    const vectors = SqliteVectorStore.open(join(tmp.dir, 'vectors.db'), { dimensions: 2 });
    const oldEvents = [...new Set(oldFacts.map((f) => f.subject))].filter((id) => id.includes(':pricemove:'));
    await vectors.upsert(oldEvents.map((id) => ({ id, vector: [1, 0], kind: 'PriceMove' })));
    const beforeLive = await liveFacts(store, sourceId);

    const out = await reextract(store, select({ source: sourceId }), { detectors: NEW_PARAMS, vectors, now: () => T_REEXTRACT });

    const after = await liveFacts(store, sourceId);
    expect(ids(after)).toEqual(ids(newFacts));
    expect(out.counts).toEqual({
      added: minus(ids(newFacts), ids(oldFacts)).size,
      retracted: minus(ids(oldFacts), ids(newFacts)).size,
      unchanged: both(ids(newFacts), ids(oldFacts)).size,
      rejected: 0,
    });
    expect(out.sources).toEqual([{ sourceId, ...out.counts, fastPath: false }]);
    // Unchanged facts untouched: the same rows, recordedAt and all.
    const kept = new Map(after.map((f) => [f.id, f]));
    for (const f of beforeLive) if (kept.has(f.id)) expect(kept.get(f.id)).toEqual(f);

    // The old 3σ events: gone now, still there as of just before the re-extraction.
    for (const id of oldEvents) {
      expect(await store.getEvent(id)).toBeNull();
      expect(await store.getEvent(id, { asOf: T_REEXTRACT - 1 })).toMatchObject({ id, retractedAt: T_REEXTRACT });
    }
    const moves = async (asOf?: number) =>
      new Set((await store.findEvents({ type: 'PriceMove' }, { first: 500 }, asOf === undefined ? {} : { asOf })).edges.map((e) => e.node.id));
    expect(both(await moves(T_REEXTRACT - 1), new Set(oldEvents))).toEqual(new Set(oldEvents));
    expect(both(await moves(), new Set(oldEvents)).size).toBe(0);
    expect((await moves()).size).toBeGreaterThan(oldEvents.length);

    const flags = (await vectors.listIds({ limit: 500 })).ids;
    expect(flags.filter((v) => v.retracted).map((v) => v.id).sort()).toEqual([...oldEvents].sort());
    await vectors.close();

    // The source now records the parameters it was read with.
    expect((await store.listSources())[0]!.version).toBe('ohlcv@1/ingest@1/detectors:price-move(k=2.5)');
  });

  it('a second identical run changes nothing (and skips the unchanged source)', async () => {
    const before = await store.stats();
    const out = await reextract(store, select({ source: sourceId }), { detectors: NEW_PARAMS, now: () => T_REEXTRACT + 1000 });
    expect(out.counts).toEqual({ added: 0, retracted: 0, unchanged: newFacts.length, rejected: 0 });
    expect(out.sources[0]!.fastPath).toBe(true);
    expect(await store.stats()).toEqual(before);
    const forced = await reextract(store, select({ source: sourceId }), { detectors: NEW_PARAMS, force: true, now: () => T_REEXTRACT + 2000 });
    expect(forced.counts).toEqual(out.counts);
    expect(forced.sources[0]!.fastPath).toBe(false);
    expect(await store.stats()).toEqual(before);
  });
});

describe('selections narrow the diff', () => {
  const file = ethFile('eth-narrow.csv');
  const changed: DetectorParams = { priceMove: { k: 2.5 }, drawdown: { threshold: 0.3 } };
  let oldFacts: FactRecord[];
  let newFacts: FactRecord[];

  beforeAll(async () => {
    const a = await ingested(file);
    const b = await ingested(file, changed);
    oldFacts = await liveFacts(a.store, a.sourceId);
    newFacts = await liveFacts(b.store, b.sourceId);
  });

  /** The expected diff restricted to facts matching `keep`. */
  const expectedDiff = (keep: (f: FactRecord) => boolean) => {
    const o = ids(oldFacts.filter(keep));
    const n = ids(newFacts.filter(keep));
    return { added: minus(n, o).size, retracted: minus(o, n).size, unchanged: both(n, o).size, rejected: 0 };
  };

  it('by extractor: only price-move facts change, drawdowns stay as they were', async () => {
    const { store, sourceId } = await ingested(file);
    const out = await reextract(store, select({ extractor: 'price-move' }), { detectors: changed, now: () => T_REEXTRACT });
    expect(out.counts).toEqual(expectedDiff((f) => f.extractor === 'price-move'));
    expect(out.counts.retracted).toBeGreaterThan(0);
    const live = await liveFacts(store, sourceId);
    expect(ids(live.filter((f) => f.extractor === 'drawdown'))).toEqual(ids(oldFacts.filter((f) => f.extractor === 'drawdown')));
    expect(ids(live.filter((f) => f.extractor === 'price-move'))).toEqual(ids(newFacts.filter((f) => f.extractor === 'price-move')));
  });

  it('by time range: only facts of 2018 change', async () => {
    const { store, sourceId } = await ingested(file);
    const from = Date.UTC(2018, 0, 1);
    const to = Date.UTC(2018, 11, 31, 23, 59, 59, 999);
    const inRange = (f: FactRecord) => (f.validFrom ?? f.recordedAt) >= from && (f.validFrom ?? f.recordedAt) <= to;
    const out = await reextract(store, select({ source: sourceId, from, to }), { detectors: changed, now: () => T_REEXTRACT });
    expect(out.counts).toEqual(expectedDiff(inRange));
    expect(out.counts.added + out.counts.retracted).toBeGreaterThan(0);
    const live = await liveFacts(store, sourceId);
    expect(ids(live.filter((f) => !inRange(f)))).toEqual(ids(oldFacts.filter((f) => !inRange(f))));
  });

  it('by entity: only the facts of that event', async () => {
    const { store } = await ingested(file);
    const gone = oldFacts.find((f) => f.extractor === 'price-move' && !ids(newFacts).has(f.id))!;
    const out = await reextract(store, select({ entity: gone.subject }), { detectors: changed, now: () => T_REEXTRACT });
    expect(out.counts).toEqual({ added: 0, retracted: 1, unchanged: 0, rejected: 0 });
    expect(out.sample.retracted).toEqual([gone.id]);
    expect(await store.getEvent(gone.subject)).toBeNull();
    expect((await store.stats()).events).toBe((await store.stats({ asOf: T_REEXTRACT - 1 })).events - 1);
  });
});

describe('re-extraction of unchanged sources and bad input', () => {
  it('re-extracting the unchanged sample incidents adds and retracts nothing', async () => {
    const file = join(tmp.dir, 'incidents.csv');
    copyFileSync(join(SAMPLE_DIR, 'incidents_2023_2024.csv'), file);
    const { store, sourceId } = await ingested(file);
    const before = await store.stats();
    const live = (await liveFacts(store, sourceId)).length;
    const out = await reextract(store, select({ source: sourceId }), { now: () => T_REEXTRACT });
    expect(out.counts).toMatchObject({ added: 0, retracted: 0, unchanged: live });
    expect(live).toBeGreaterThan(0);
    expect(await store.stats()).toEqual(before);
  });

  it('an unknown source is SourceNotFoundError', async () => {
    const store = await freshStore();
    await expect(reextract(store, select({ source: 'src:ohlcv:nope' }))).rejects.toBeInstanceOf(SourceNotFoundError);
  });

  it('a source whose file was deleted is FileUnreadableError naming the source and the path', async () => {
    const file = ethFile('eth-deleted.csv');
    const { store, sourceId } = await ingested(file);
    rmSync(file);
    const failure = reextract(store, select({ source: sourceId }));
    await expect(failure).rejects.toBeInstanceOf(FileUnreadableError);
    await expect(failure).rejects.toThrow(sourceId);
    await expect(failure).rejects.toThrow('eth-deleted.csv');
  });

  it('honours an aborted signal', async () => {
    const { store, sourceId } = await ingested(ethFile('eth-abort.csv'));
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(reextract(store, select({ source: sourceId }), { signal: controller.signal })).rejects.toThrow('stop');
  });
});

describe('FactDigest', () => {
  const id = (hex: string) => `fact:${hex.padStart(32, '0')}`;

  it('is <count>:<sum mod 2^64 of the first 16 hex digits>, whatever the order', () => {
    const a = id('1'.padStart(16, '0') + 'f'.repeat(16));
    const b = id('2'.padStart(16, '0') + 'e'.repeat(16));
    expect(FactDigest.of([a, b])).toBe('2:0000000000000003');
    expect(FactDigest.of([b, a])).toBe('2:0000000000000003');
    expect(FactDigest.of([])).toBe('0:0000000000000000');
    // Carries between the 32-bit halves and wraps at 2^64.
    expect(FactDigest.of([`fact:00000000ffffffff${'0'.repeat(16)}`, `fact:0000000000000001${'0'.repeat(16)}`])).toBe('2:0000000100000000');
    expect(FactDigest.of([`fact:ffffffffffffffff${'0'.repeat(16)}`, `fact:0000000000000002${'0'.repeat(16)}`])).toBe('2:0000000000000001');
  });

  it('hashes ids that are not fact hashes, and a distinct digest counts a repeated id once', () => {
    expect(FactDigest.of(['x'])).toMatch(/^1:[0-9a-f]{16}$/);
    expect(FactDigest.of(['x'])).not.toBe(FactDigest.of(['y']));
    const distinct = new FactDigest({ distinct: true });
    const ids = Array.from({ length: 5000 }, (_, i) => `fact:${(i * 7919).toString(16).padStart(16, '0')}${'a'.repeat(16)}`);
    for (const x of [...ids, ...ids.slice(0, 1000)]) distinct.add(x);
    expect(distinct.value()).toBe(FactDigest.of(ids));
    expect(distinct.count).toBe(5000);
  });
});

describe('the fast path: an unchanged source is not re-read', () => {
  const INCIDENTS = join(SAMPLE_DIR, 'incidents_2023_2024.csv');

  /** Runs `reextract`, also returning the progress phases it went through. */
  async function run(store: GraphStore, input: Record<string, unknown>, options: ReextractOptions = {}) {
    const phases = new Set<string>();
    const out = await reextract(store, select(input), { now: () => T_REEXTRACT, ...options, onProgress: (p) => phases.add(p.phase) });
    return { out, phases, only: out.sources[0]! };
  }

  it('ingest records the digest of the facts it produced; an unchanged source is skipped without reading it', async () => {
    const file = join(tmp.dir, 'incidents-fast.csv');
    copyFileSync(INCIDENTS, file);
    const { store, sourceId } = await ingested(file);
    const live = await liveFacts(store, sourceId);
    const [source] = await store.listSources();
    expect(source!.factDigest).toBe(FactDigest.of(ids(live)));
    expect(live.length).toBeGreaterThan(1000);

    const before = { stats: await store.stats(), sources: await store.listSources() };
    const { out, phases, only } = await run(store, { source: sourceId });
    expect(only).toEqual({ sourceId, added: 0, retracted: 0, unchanged: live.length, rejected: 0, fastPath: true });
    expect(out.counts).toEqual({ added: 0, retracted: 0, unchanged: live.length, rejected: 0 });
    // The file was hashed, never read by the ingest pipeline (which reports `reading` for every file).
    expect(phases.has('hashing')).toBe(true);
    expect(phases.has('reading')).toBe(false);
    expect({ stats: await store.stats(), sources: await store.listSources() }).toEqual(before);

    // force: the full run, same (empty) diff.
    const forced = await run(store, { source: sourceId }, { force: true });
    expect(forced.only).toEqual({ ...only, fastPath: false });
    expect(forced.phases.has('reading')).toBe(true);
    expect(await store.stats()).toEqual(before.stats);
    // A dry run may take it too (it writes nothing either way).
    expect((await run(store, { source: sourceId, dryRun: true })).only.fastPath).toBe(true);
  });

  it('after a narrower re-extraction retracted facts, a whole-source run takes the full path and restores consistency', async () => {
    const file = ethFile('eth-fast-narrow.csv');
    const changed: DetectorParams = { priceMove: { k: 2.5 }, drawdown: { threshold: 0.3 } };
    const reference = await ingested(file, changed);
    const expected = ids(await liveFacts(reference.store, reference.sourceId));
    const { store, sourceId } = await ingested(file);
    const old = ids(await liveFacts(store, sourceId));

    // Only the price-move facts follow `changed`; the source now records the new version anyway.
    const narrow = await run(store, { source: sourceId, extractor: 'price-move' }, { detectors: changed });
    expect(narrow.only.fastPath).toBe(false);
    expect(narrow.only.retracted).toBeGreaterThan(0);
    const [source] = await store.listSources();
    expect(source!.version).toBe('ohlcv@1/ingest@1/detectors:price-move(k=2.5),drawdown(threshold=0.3)');
    expect(source!.factDigest).toBe(FactDigest.of(expected));
    const afterNarrow = ids(await liveFacts(store, sourceId));
    expect(afterNarrow).not.toEqual(expected);

    // Same file, same version, yet the live facts are not what the extractors produce: full run.
    const whole = await run(store, { source: sourceId }, { detectors: changed, now: () => T_REEXTRACT + 1000 });
    expect(whole.only.fastPath).toBe(false);
    expect(whole.phases.has('reading')).toBe(true);
    expect(whole.out.counts).toEqual({
      added: minus(expected, afterNarrow).size, retracted: minus(afterNarrow, expected).size,
      unchanged: both(expected, afterNarrow).size, rejected: 0,
    });
    // What it changed is exactly the drawdown facts the narrow run left as they were.
    expect(whole.out.counts.added + whole.out.counts.retracted).toBeGreaterThan(0);
    expect(minus(afterNarrow, expected).size).toBe(minus(old, expected).size - narrow.only.retracted);
    expect(ids(await liveFacts(store, sourceId))).toEqual(expected);

    const again = await run(store, { source: sourceId }, { detectors: changed, now: () => T_REEXTRACT + 2000 });
    expect(again.only).toEqual({ sourceId, added: 0, retracted: 0, unchanged: expected.size, rejected: 0, fastPath: true });
  });

  it('a changed file takes the full path', async () => {
    const file = join(tmp.dir, 'incidents-appended.csv');
    copyFileSync(INCIDENTS, file);
    const { store, sourceId } = await ingested(file);
    const live = (await liveFacts(store, sourceId)).length;
    const row = readFileSync(INCIDENTS, 'utf8').split('\r\n')[1]!;
    expect(row.startsWith('20241227_Bizness,2024-12-27,Bizness,')).toBe(true);
    appendFileSync(file, `${row.replace('20241227_Bizness,2024-12-27,Bizness,', '20250105_Appended,2025-01-05,Appended Finance,')}\r\n`);

    const { only, phases } = await run(store, { source: sourceId });
    expect(only.fastPath).toBe(false);
    expect(phases.has('reading')).toBe(true);
    expect(only).toMatchObject({ retracted: 0, unchanged: live, rejected: 0 });
    expect(only.added).toBeGreaterThan(0);
    expect((await liveFacts(store, sourceId)).length).toBe(live + only.added);
    // The new content hash and digest are on record: the next run is skipped.
    expect((await run(store, { source: sourceId })).only).toEqual({ ...only, added: 0, unchanged: live + only.added, fastPath: true });
  });

  it('changed detector parameters take the full path', async () => {
    const file = ethFile('eth-fast-params.csv');
    const { store, sourceId } = await ingested(file);
    const changedRun = await run(store, { source: sourceId }, { detectors: NEW_PARAMS });
    expect(changedRun.only.fastPath).toBe(false);
    expect(changedRun.only.added + changedRun.only.retracted).toBeGreaterThan(0);
    expect((await run(store, { source: sourceId }, { detectors: NEW_PARAMS })).only.fastPath).toBe(true);
    // Back to the defaults: another version, another full run.
    expect((await run(store, { source: sourceId })).only.fastPath).toBe(false);
  });

  it('a source written before fact digests takes the full path, which records one', async () => {
    const file = ethFile('eth-fast-old.csv');
    const { store, sourceId } = await ingested(file);
    // As a store written before digests has it: no digest, so no fast path until a full run records one.
    const [source] = await store.listSources();
    await store.upsertSource({ ...source!, factDigest: null });
    const first = await run(store, { source: sourceId });
    expect(first.only).toMatchObject({ fastPath: false, added: 0, retracted: 0 });
    expect((await store.listSources())[0]!.factDigest).toBe(source!.factDigest);
    expect((await run(store, { source: sourceId })).only.fastPath).toBe(true);
  });
});

describe('parameters changed, then changed back: retracted facts are revived as new rows', () => {
  const file = ethFile('eth-revive.csv');
  const changed: DetectorParams = { priceMove: { k: 2.5 }, drawdown: { threshold: 0.3 } };
  const T1 = T_REEXTRACT;
  const T2 = T_REEXTRACT + 10 * 86_400_000;
  const T3 = T2 + 86_400_000;
  let defaults: FactRecord[];
  let changedFacts: FactRecord[];
  let store: SqliteGraphStore;
  let sourceId: string;
  /** Fresh stores ingested with each parameter set: what should be visible (world time applies too). */
  let reference: { defaults: GraphStore; changed: GraphStore };

  /** The ids of the facts out of the subjects of `among` visible in `graph` as of `asOf`. */
  async function visible(graph: GraphStore, among: FactRecord[], asOf: number): Promise<Set<string>> {
    const rows = new Set<string>();
    for (const subject of new Set(among.map((f) => f.subject))) {
      for (const f of await graph.factsOf(subject, { direction: 'out', limit: 1000, asOf })) rows.add(f.id);
    }
    return rows;
  }

  beforeAll(async () => {
    const a = await ingested(file);
    const b = await ingested(file, changed);
    defaults = await liveFacts(a.store, a.sourceId);
    changedFacts = await liveFacts(b.store, b.sourceId);
    reference = { defaults: a.store, changed: b.store };
    ({ store, sourceId } = await ingested(file));
  });

  it('revives what the changed parameters retracted, reports it once, and then takes the fast path', async () => {
    const gone = minus(ids(defaults), ids(changedFacts));
    const fresh = minus(ids(changedFacts), ids(defaults));
    const extractors = new Set(defaults.filter((f) => gone.has(f.id)).map((f) => f.extractor));
    expect(extractors).toEqual(new Set(['price-move', 'drawdown']));

    const first = await reextract(store, select({ source: sourceId }), { detectors: changed, now: () => T1 });
    expect(first.counts).toEqual({ added: fresh.size, retracted: gone.size, unchanged: both(ids(defaults), ids(changedFacts)).size, rejected: 0 });
    expect(await store.retractedFactIds([...ids(defaults)])).toEqual(gone);

    // Back to the defaults: every fact a fresh default ingest has is live again, the retracted ones
    // as revival rows recorded now; the changed-parameter facts are retracted.
    const second = await reextract(store, select({ source: sourceId }), { now: () => T2 });
    expect(second.counts).toEqual({ added: gone.size, retracted: fresh.size, unchanged: defaults.length - gone.size, rejected: 0 });
    expect(second.sources[0]!.fastPath).toBe(false);
    expect(new Set(second.sample.added)).toEqual(gone);
    expect(new Set(second.sample.retracted)).toEqual(fresh);
    const live = await liveFacts(store, sourceId);
    expect(new Set(live.map((f) => baseFactId(f.id)))).toEqual(ids(defaults));
    expect(live.length).toBe(defaults.length);
    const revived = live.filter((f) => f.id !== baseFactId(f.id));
    expect(ids(revived)).toEqual(new Set([...gone].map((id) => revivalFactId(id, T2))));
    const original = new Map(defaults.map((f) => [f.id, f]));
    // An end that is an event the first run retracted names that event's revival row.
    const end = (id: string, now: string) => (now === id ? id : revivalEventId(id, T2));
    for (const f of revived) {
      const o = original.get(baseFactId(f.id))!;
      expect(f).toEqual({ ...o, id: f.id, recordedAt: T2, subject: end(o.subject, f.subject), object: end(o.object, f.object) });
    }
    expect(revived.some((f) => f.subject !== original.get(baseFactId(f.id))!.subject)).toBe(true);
    // The old rows stay retracted as they were (history is not rewritten).
    expect(await store.retractedFactIds([...gone])).toEqual(gone);
    expect(await store.retractedFactIds([...ids(revived)])).toEqual(new Set());

    // As of before the first run: the original rows; during the gap: the changed-parameter facts only.
    const all = [...defaults, ...changedFacts];
    const before = await visible(store, all, T1 - 1);
    // (Facts a re-run writes carry the recordedAt their extractor gives them, here the candle's day,
    // so the changed-parameter rows written at T1 show as of T1 - 1 too; only the defaults' rows are compared.)
    expect(both(before, ids(defaults))).toEqual(await visible(reference.defaults, all, T1 - 1));
    expect(both(before, gone).size).toBeGreaterThan(0);
    const gap = await visible(store, all, T1 + (T2 - T1) / 2);
    expect(gap).toEqual(await visible(reference.changed, all, T1 + (T2 - T1) / 2));
    expect(both(new Set([...gap].map(baseFactId)), gone).size).toBe(0);
    expect(both(gap, fresh).size).toBeGreaterThan(0);

    // A third identical run: nothing to do, and the digest over base ids lets it skip the source.
    const third = await reextract(store, select({ source: sourceId }), { now: () => T3 });
    expect(third.counts).toEqual({ added: 0, retracted: 0, unchanged: defaults.length, rejected: 0 });
    expect(third.sources[0]!.fastPath).toBe(true);
    const forced = await reextract(store, select({ source: sourceId }), { force: true, now: () => T3 + 1 });
    expect(forced.counts).toEqual(third.counts);
    expect(new Set((await liveFacts(store, sourceId)).map((f) => f.id))).toEqual(ids(live));
  });

  it('revives the events the changed parameters retracted as new rows: current reads see them and their facts, history as it was', async () => {
    const { store, sourceId } = await ingested(file);
    const k25 = await ingested(file, NEW_PARAMS);
    const moves = async (graph: GraphStore, asOf?: number) => {
      const page = await graph.findEvents({ type: 'PriceMove' }, { first: 500 }, asOf === undefined ? {} : { asOf });
      expect(page.hasNextPage).toBe(false);
      return new Set(page.edges.map((e) => e.node.id));
    };
    const original = await moves(store);
    const mid = T1 + (T2 - T1) / 2;

    await reextract(store, select({ source: sourceId }), { detectors: NEW_PARAMS, now: () => T1 });
    expect(both(await moves(store), original).size).toBe(0);
    const second = await reextract(store, select({ source: sourceId }), { now: () => T2 });
    expect(second.counts.added).toBeGreaterThan(0);
    expect(second.counts.retracted).toBeGreaterThan(0);

    // Now: as a fresh default ingest has it, the revived events under revival ids recorded now.
    const fresh = reference.defaults;
    const { entities, events, facts } = await store.stats();
    const expected = await fresh.stats();
    expect({ entities, events, facts }).toEqual({ entities: expected.entities, events: expected.events, facts: expected.facts });
    const now = await moves(store);
    expect(new Set([...now].map(baseEventId))).toEqual(await moves(fresh));
    expect(now.size).toBe(original.size);
    const revived = [...now].filter((id) => id !== baseEventId(id));
    expect(new Set(revived)).toEqual(new Set([...original].filter((id) => id.endsWith(':ksigma')).map((id) => revivalEventId(id, T2))));
    expect(revived.length).toBeGreaterThan(0);
    for (const id of revived) {
      const event = (await store.getEvent(id))!;
      const base = (await fresh.getEvent(baseEventId(id)))!;
      expect(event).toMatchObject({ id, recordedAt: T2, retractedAt: null, occurredAt: base.occurredAt, type: base.type, summary: base.summary });
      // Its participant facts are the revived rows, visible in reads.
      expect(event.participants.map((p) => p.factId).sort()).toEqual(base.participants.map((p) => revivalFactId(p.factId, T2)).sort());
      const visibleFacts = await store.factsOf(id, { limit: 100 });
      expect(visibleFacts.length).toBe((await fresh.factsOf(baseEventId(id), { limit: 100 })).length);
      expect(visibleFacts.every((f) => f.id === revivalFactId(baseFactId(f.id), T2) && f.subject === id)).toBe(true);
      // The old row stays retracted as the first run left it.
      expect(await store.getEvent(baseEventId(id))).toBeNull();
      expect(await store.getEvent(baseEventId(id), { asOf: T1 - 1 })).toMatchObject({ retractedAt: T1 });
    }

    // History: between the runs the 2.5σ moves only, before the first the original ones.
    expect(await moves(store, mid)).toEqual(await moves(k25.store, mid));
    // (The 2.5σ rows written at T1 carry the recordedAt their extractor gives them, the candle's
    // day, so they show as of T1 - 1 too, as in the test above; the original rows are all there.)
    const before = await moves(store, T1 - 1);
    expect(both(before, original)).toEqual(original);
    expect(minus(before, original).size).toBeGreaterThan(0);
    expect([...minus(before, original)].every((id) => /:ksigma~[0-9a-f]{8}$/.test(id))).toBe(true);
    expect(both(before, new Set(revived)).size).toBe(0);

    // A third identical run changes nothing.
    const third = await reextract(store, select({ source: sourceId }), { now: () => T3 });
    expect(third.counts).toMatchObject({ added: 0, retracted: 0 });
    const forced = await reextract(store, select({ source: sourceId }), { force: true, now: () => T3 + 1 });
    expect(forced.counts).toMatchObject({ added: 0, retracted: 0 });
    expect(await moves(store)).toEqual(now);
  });
});
