/**
 * Write-batching benchmark, on SQLite and on a live Neo4j in one invocation (bench/neo4j-server.ts):
 *   (a) facts/s writing generated transfer facts one per transaction (one `writeBatch` per fact,
 *       carrying the event and nodes it is the first to name) vs the adapter's batches (the same
 *       rows in `writeBatch` calls of `--batch` rows, which the adapter splits into its statements);
 *   (b) upsert on the unique index (`writeBatch`) vs plain insert of the same final rows at each
 *       `--rows` size, into fresh stores: SQLite's `plainInsert` ceiling (graph/sqlite/plain-insert.ts)
 *       and Neo4j's `UNWIND … CREATE` ceiling (graph/neo4j/plain-insert.ts), same batches.
 * Both stores are warmed up first (statements prepared/planned) on throwaway data.
 *
 *   npm run bench -- write-batching [--facts 3000] [--sqlite-facts 20000] [--batched-facts 100000]
 *                                   [--rows 10000,100000] [--batch 50000]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { plainInsert as neo4jPlainInsert } from '../graph/neo4j/plain-insert.ts';
import { plainInsert as sqlitePlainInsert } from '../graph/sqlite/plain-insert.ts';
import { SqliteGraphStore } from '../graph/sqlite/sqlite-graph-store.ts';
import type { GraphStore, GraphStats } from '../graph/graph-store.ts';
import { parseConfig } from '../schema/config.ts';
import type { GraphBatch } from '../schema/graph.ts';
import { benchNeo4j, freshNeo4jStore, type BenchNeo4j } from './neo4j-server.ts';
import { combine, factUnits, rowsOf, unitsOfRows } from './transfer-units.ts';

/** Rows per statement on Neo4j: the store's default, for writeBatch and plain insert alike. */
const NEO4J_STATEMENT_ROWS = 2000;

type StoreName = 'sqlite' | 'neo4j';

interface FactRun {
  store: StoreName;
  arm: 'one fact per transaction' | 'batched';
  facts: number;
  rows: number;
  calls: number;
  ms: number;
  factsPerSec: number;
}

interface InsertRun {
  store: StoreName;
  rows: number;
  facts: number;
  calls: number;
  upsertMs: number;
  plainMs: number;
  /** upsertMs / plainMs. */
  ratio: number;
}

const rowsIn = (batches: readonly GraphBatch[]): number => batches.reduce((n, b) => n + rowsOf(b), 0);
const factsIn = (batches: readonly GraphBatch[]): number => batches.reduce((n, b) => n + b.facts.length, 0);
const round = (x: number, digits = 1): number => Number(x.toFixed(digits));

/** Writes every batch with `writeBatch`, one transaction each; checks every fact was added. */
async function writeAll(store: GraphStore, batches: readonly GraphBatch[]): Promise<number> {
  let added = 0;
  const t0 = performance.now();
  for (const b of batches) added += (await store.writeBatch(b)).facts.added;
  const ms = performance.now() - t0;
  if (added !== factsIn(batches)) throw new Error(`writeBatch added ${added} facts of ${factsIn(batches)}`);
  return ms;
}

function factRun(store: StoreName, arm: FactRun['arm'], batches: readonly GraphBatch[], ms: number): FactRun {
  const facts = factsIn(batches);
  return { store, arm, facts, rows: rowsIn(batches), calls: batches.length, ms: Math.round(ms), factsPerSec: Math.round(facts / (ms / 1000)) };
}

/** Counts that must agree between the upsert and the plain-insert store. */
const shape = (s: GraphStats) => ({ entities: s.entities, events: s.events, facts: s.facts, byKind: s.entitiesByKind, byType: s.factsByType });

function sameShape(what: string, a: GraphStats, b: GraphStats): void {
  if (JSON.stringify(shape(a)) !== JSON.stringify(shape(b))) {
    throw new Error(`${what}: writeBatch and plain insert stored different counts: ${JSON.stringify(shape(a))} vs ${JSON.stringify(shape(b))}`);
  }
}

class SqliteArms {
  readonly #dir: string;
  #n = 0;

  constructor(dir: string) {
    this.#dir = dir;
  }

  #open(): SqliteGraphStore {
    return SqliteGraphStore.open(join(this.#dir, `sqlite-${++this.#n}.db`));
  }

  async write(batches: readonly GraphBatch[]): Promise<{ ms: number; stats: GraphStats }> {
    const store = this.#open();
    try {
      const ms = await writeAll(store, batches);
      return { ms, stats: await store.stats() };
    } finally {
      await store.close();
    }
  }

  async plain(batches: readonly GraphBatch[]): Promise<{ ms: number; stats: GraphStats }> {
    const store = this.#open();
    try {
      const t0 = performance.now();
      for (const b of batches) sqlitePlainInsert(store, b);
      const ms = performance.now() - t0;
      return { ms, stats: await store.stats() };
    } finally {
      await store.close();
    }
  }
}

class Neo4jArms {
  readonly neo: BenchNeo4j;

  constructor(neo: BenchNeo4j) {
    this.neo = neo;
  }

  async write(batches: readonly GraphBatch[], label: string): Promise<{ ms: number; stats: GraphStats }> {
    const { store, dispose } = await freshNeo4jStore(this.neo, label, NEO4J_STATEMENT_ROWS);
    try {
      const ms = await writeAll(store, batches);
      return { ms, stats: await store.stats() };
    } finally {
      await dispose();
    }
  }

  async plain(batches: readonly GraphBatch[], label: string): Promise<{ ms: number; stats: GraphStats }> {
    const { store, namespace, dispose } = await freshNeo4jStore(this.neo, label, NEO4J_STATEMENT_ROWS);
    try {
      const target = { driver: this.neo.driver, database: this.neo.database, namespace, batchSize: NEO4J_STATEMENT_ROWS, uri: this.neo.uri, user: this.neo.user };
      const t0 = performance.now();
      for (const b of batches) await neo4jPlainInsert(target, b);
      const ms = performance.now() - t0;
      return { ms, stats: await store.stats() };
    } finally {
      await dispose();
    }
  }
}

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      facts: { type: 'string', default: '3000' },
      'sqlite-facts': { type: 'string' },
      'batched-facts': { type: 'string' },
      rows: { type: 'string', default: '10000,100000' },
      batch: { type: 'string', default: String(parseConfig({}).batchSize) },
    },
  });
  const neo4jFacts = Number(values.facts);
  const sqliteFacts = values['sqlite-facts'] ? Number(values['sqlite-facts']) : neo4jFacts * 20 / 3;
  const batchedFacts = values['batched-facts'] ? Number(values['batched-facts']) : neo4jFacts * 100 / 3;
  const rowSizes = values.rows.split(',').map(Number);
  const batchRows = Number(values.batch);
  const dir = mkdtempSync(join(tmpdir(), 'mkg-bench-write-batching-'));
  const neo = await benchNeo4j();
  try {
    const sqlite = new SqliteArms(dir);
    const neo4j = new Neo4jArms(neo);
    const { store: probe, dispose: disposeProbe } = await freshNeo4jStore(neo, 'probe');
    const server = (await probe.verify()).server;
    await disposeProbe();
    process.stderr.write(`${server}; warming up both stores …\n`);
    // Throwaway data (other seeds): statements prepared and planned, both JITs warm.
    const warm = factUnits(3000, { transfers: 1000, seed: 99 });
    const warmRows = unitsOfRows(5000, { transfers: 1250, seed: 98 });
    await sqlite.write(warm);
    await sqlite.write(combine(warm, batchRows));
    await sqlite.plain(combine(warmRows, batchRows));
    await neo4j.write(warm.slice(0, 150), 'warm-single');
    await neo4j.write(combine(warm, batchRows), 'warm-batched');
    await neo4j.write(combine(warmRows, batchRows), 'warm-upsert');
    await neo4j.plain(combine(warmRows, batchRows), 'warm-plain');

    const facts: FactRun[] = [];
    const arm = async (store: StoreName, armName: FactRun['arm'], batches: GraphBatch[]): Promise<void> => {
      process.stderr.write(`  (a) ${store}, ${armName}: ${factsIn(batches).toLocaleString('en-US')} facts in ${batches.length.toLocaleString('en-US')} writeBatch calls …\n`);
      const { ms } = store === 'sqlite' ? await sqlite.write(batches) : await neo4j.write(batches, `a-${armName === 'batched' ? 'batched' : 'single'}`);
      facts.push(factRun(store, armName, batches, ms));
    };
    const units = (n: number) => factUnits(Math.round(n), { transfers: Math.round(n / 3) });
    await arm('sqlite', 'one fact per transaction', units(sqliteFacts));
    await arm('sqlite', 'batched', combine(units(batchedFacts), batchRows));
    await arm('neo4j', 'one fact per transaction', units(neo4jFacts));
    await arm('neo4j', 'batched', combine(units(batchedFacts), batchRows));

    const inserts: InsertRun[] = [];
    for (const rows of rowSizes) {
      const source = unitsOfRows(rows, { transfers: Math.round(rows / 4) });
      const batches = combine(source, batchRows);
      for (const store of ['sqlite', 'neo4j'] as const) {
        process.stderr.write(`  (b) ${store}, ${rowsIn(batches).toLocaleString('en-US')} rows: writeBatch (upsert) and plain insert …\n`);
        const upsert = store === 'sqlite' ? await sqlite.write(batches) : await neo4j.write(batches, 'b-upsert');
        const plain = store === 'sqlite' ? await sqlite.plain(batches) : await neo4j.plain(batches, 'b-plain');
        sameShape(`${store} at ${rows} rows`, upsert.stats, plain.stats);
        inserts.push({
          store, rows: rowsIn(batches), facts: factsIn(batches), calls: batches.length, upsertMs: Math.round(upsert.ms),
          plainMs: Math.round(plain.ms), ratio: round(upsert.ms / plain.ms, 2),
        });
      }
    }

    const ratioOf = (store: StoreName): number => {
      const single = facts.find((f) => f.store === store && f.arm !== 'batched')!;
      const batched = facts.find((f) => f.store === store && f.arm === 'batched')!;
      return round(batched.factsPerSec / single.factsPerSec);
    };
    const result = {
      neo4j: { server, scriptVersion: neo.scriptVersion, startedByBench: neo.dir !== null, statementRows: NEO4J_STATEMENT_ROWS },
      batchRows,
      facts,
      batchingSpeedup: { sqlite: ratioOf('sqlite'), neo4j: ratioOf('neo4j') },
      inserts,
      node: process.version,
      cpus: availableParallelism(),
      at: new Date().toISOString(),
    };
    print(result);
    mkdirSync(join(import.meta.dirname, 'out'), { recursive: true });
    writeFileSync(join(import.meta.dirname, 'out', 'write-batching.json'), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await neo.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (n: number): string => n.toLocaleString('en-US');
const secs = (ms: number): string => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${fmt(ms)} ms`);
const STORE_NAMES: Record<StoreName, string> = { sqlite: 'SQLite', neo4j: 'Neo4j' };

function print(r: {
  neo4j: { server: string; scriptVersion: string | null; startedByBench: boolean };
  batchRows: number;
  facts: FactRun[];
  batchingSpeedup: Record<StoreName, number>;
  inserts: InsertRun[];
  node: string;
  cpus: number;
}): void {
  const lines = [
    `Write batching: SQLite and ${r.neo4j.server}${r.neo4j.startedByBench ? ' (started by the bench)' : ' (NEO4J_URI)'}, Node ${r.node}, ${r.cpus} CPUs`,
    '',
    `(a) generated ERC-20 transfer facts (PARTICIPANT facts, with their events and nodes); batched = writeBatch calls of ~${fmt(r.batchRows)} rows`,
    '| store | arm | facts | rows | writeBatch calls | time | facts/s |',
    '|---|---|---|---|---|---|---|',
    ...r.facts.map((f) => `| ${STORE_NAMES[f.store]} | ${f.arm} | ${fmt(f.facts)} | ${fmt(f.rows)} | ${fmt(f.calls)} | ${secs(f.ms)} | ${fmt(f.factsPerSec)} |`),
    ...(['sqlite', 'neo4j'] as const).map((s) => `${STORE_NAMES[s]}: batched writes ${r.batchingSpeedup[s]}× the facts/s of one fact per transaction (goal ≥ 50×)`),
    '',
    `(b) upsert on the unique index (writeBatch) vs plain insert of the same new rows, fresh stores, writeBatch calls of ~${fmt(r.batchRows)} rows`,
    '| store | rows | facts | upsert (writeBatch) | plain insert | upsert / plain |',
    '|---|---|---|---|---|---|',
    ...r.inserts.map((i) => `| ${STORE_NAMES[i.store]} | ${fmt(i.rows)} | ${fmt(i.facts)} | ${secs(i.upsertMs)} | ${secs(i.plainMs)} | ${i.ratio}× |`),
    `upsert costs ${r.inserts.map((i) => `${i.ratio}× on ${STORE_NAMES[i.store]} at ${fmt(i.rows)} rows`).join(', ')} the plain insert (goal ≤ 2×)`,
    '',
  ];
  process.stdout.write(lines.join('\n'));
}
