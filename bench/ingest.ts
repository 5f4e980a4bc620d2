/**
 * Ingest benchmark: end-to-end structured ingest of N generated ERC-20 transfers (ethereum-etl
 * JSON lines, realistic address reuse) into a fresh SQLite file, against the ceiling — plain
 * prepared INSERTs of the very same rows into the same tables. Each side runs in its own child
 * process so that peak RSS is that side's alone; both run in this one invocation, so the ratio is
 * measured on the same machine state.
 *
 * With `--graph neo4j`, the same generated input goes through the same pipeline into SQLite and
 * into a live Neo4j (bench/neo4j-server.ts: NEO4J_URI or a server of its own; a fresh namespace,
 * migrated first and deleted afterwards), each in its own child process, and the bench reports
 * both rates and their ratio (JSON in bench/out/ingest-neo4j.json).
 *
 *   npm run bench -- ingest [--transfers 1000000] [--accounts N] [--keep]
 *   npm run bench -- ingest --graph neo4j [--transfers 100000] [--accounts N] [--keep]
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Neo4jGraphStore } from '../graph/neo4j/neo4j-graph-store.ts';
import { writeDemoTransfers } from '../pipelines/demo/transfers.ts';
import { benchNeo4j, serverPeakRssMb, type BenchNeo4j } from './neo4j-server.ts';

export interface ChildResult {
  mode: 'e2e' | 'ceiling' | 'neo4j';
  /** Time of the measured part, ms. */
  ms: number;
  transfers: number;
  rows: { nodes: number; events: number; facts: number };
  maxRssMb: number;
  /** The server agent, e.g. `Neo4j/5.26.30` (neo4j mode). */
  server?: string;
}

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      transfers: { type: 'string' }, accounts: { type: 'string' }, keep: { type: 'boolean', default: false },
      graph: { type: 'string', default: 'sqlite' },
    },
  });
  if (values.graph !== 'sqlite' && values.graph !== 'neo4j') throw new Error(`--graph: expected sqlite or neo4j, got ${values.graph}`);
  const neo4jMode = values.graph === 'neo4j';
  const transfers = Number(values.transfers ?? (neo4jMode ? '100000' : '1000000'));
  const accounts = values.accounts ? Number(values.accounts) : Math.floor(transfers / 5);
  const dir = mkdtempSync(join(tmpdir(), 'mkg-bench-ingest-'));
  try {
    process.stderr.write(`generating ${transfers} transfers over ${accounts} accounts in ${dir} …\n`);
    const files = await writeDemoTransfers(dir, { transfers, accounts, seed: 1 });
    const mb = (statSync(files.transfersFile).size / 2 ** 20).toFixed(0);
    if (neo4jMode) {
      await againstNeo4j(dir, transfers, accounts, Number(mb));
      return;
    }
    process.stderr.write(`  ${mb} MB of JSON lines; running end-to-end ingest …\n`);
    const e2e = child('e2e', dir);
    process.stderr.write(`  end-to-end ${(e2e.ms / 1000).toFixed(1)} s; running the plain-insert ceiling …\n`);
    const ceiling = child('ceiling', dir);
    const result = {
      transfers,
      accounts,
      inputMb: Number(mb),
      e2e: { ...e2e, transfersPerSec: Math.round(transfers / (e2e.ms / 1000)) },
      ceiling: { ...ceiling, transfersPerSec: Math.round(transfers / (ceiling.ms / 1000)) },
      ratio: Number((ceiling.ms / e2e.ms).toFixed(3)),
      node: process.version,
      at: new Date().toISOString(),
    };
    print(result);
    mkdirSync(join(import.meta.dirname, 'out'), { recursive: true });
    writeFileSync(join(import.meta.dirname, 'out', 'ingest.json'), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
  }
}

function child(mode: ChildResult['mode'], dir: string, extra: string[] = [], env: NodeJS.ProcessEnv = process.env): ChildResult {
  const out = execFileSync(process.execPath, [join(import.meta.dirname, 'ingest-child.ts'), mode, dir, ...extra], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 * 2 ** 20,
    env,
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as ChildResult;
}

function print(r: { transfers: number; e2e: ChildResult & { transfersPerSec: number }; ceiling: ChildResult & { transfersPerSec: number }; ratio: number }): void {
  const row = (name: string, c: ChildResult & { transfersPerSec: number }): string =>
    `| ${name} | ${(c.ms / 1000).toFixed(1)} s | ${c.transfersPerSec.toLocaleString('en-US')} | ${c.maxRssMb} MB |`;
  process.stdout.write(
    [
      `ingest of ${r.transfers.toLocaleString('en-US')} ERC-20 transfers (${r.e2e.rows.events} events, ${r.e2e.rows.facts} facts, ${r.e2e.rows.nodes} nodes)`,
      '| run | time | transfers/s | peak RSS |',
      '|---|---|---|---|',
      row('end-to-end (read → extract → merge-upsert)', r.e2e),
      row('ceiling (plain prepared INSERTs, same rows)', r.ceiling),
      `end-to-end reaches ${(r.ratio * 100).toFixed(0)}% of the ceiling (goal ≥ 50%); peak RSS ${r.e2e.maxRssMb} MB (goal < 1024 MB)`,
      '',
    ].join('\n'),
  );
}

type Rated = ChildResult & { transfersPerSec: number };

const rated = (c: ChildResult, transfers: number): Rated => ({ ...c, transfersPerSec: Math.round(transfers / (c.ms / 1000)) });

/** `--graph neo4j`: the same input through the same pipeline into SQLite and into Neo4j. */
async function againstNeo4j(dir: string, transfers: number, accounts: number, inputMb: number): Promise<void> {
  const neo = await benchNeo4j();
  const namespace = `bench-ingest-${randomUUID()}`;
  try {
    process.stderr.write(`  ${inputMb} MB of JSON lines; end-to-end ingest into SQLite …\n`);
    const sqlite = rated(child('e2e', dir), transfers);
    process.stderr.write(`  SQLite ${(sqlite.ms / 1000).toFixed(1)} s; end-to-end ingest into Neo4j (namespace ${namespace}) …\n`);
    const env = { ...process.env, NEO4J_URI: neo.uri, NEO4J_USER: neo.user, NEO4J_PASSWORD: neo.password, NEO4J_DATABASE: neo.database };
    const neo4j = rated(child('neo4j', dir, [namespace], env), transfers);
    const sameRows = JSON.stringify(sqlite.rows) === JSON.stringify(neo4j.rows);
    const result = {
      graph: 'neo4j',
      transfers,
      accounts,
      inputMb,
      neo4jServer: { server: neo4j.server ?? null, scriptVersion: neo.scriptVersion, startedByBench: neo.dir !== null, peakRssMb: serverPeakRssMb(neo), heap: neo.dir === null ? null : process.env.NEO4J_HEAP ?? '1g' },
      sqlite,
      neo4j,
      sameRows,
      /** Neo4j transfers/s over SQLite transfers/s. */
      ratio: Number((neo4j.transfersPerSec / sqlite.transfersPerSec).toFixed(3)),
      node: process.version,
      at: new Date().toISOString(),
    };
    printNeo4j(result);
    mkdirSync(join(import.meta.dirname, 'out'), { recursive: true });
    writeFileSync(join(import.meta.dirname, 'out', 'ingest-neo4j.json'), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await dropNamespace(neo, namespace).catch((error: unknown) => process.stderr.write(`could not delete namespace ${namespace}: ${String(error)}\n`));
    await neo.stop();
  }
}

async function dropNamespace(neo: BenchNeo4j, namespace: string): Promise<void> {
  const store = await Neo4jGraphStore.connect({ uri: neo.uri, user: neo.user, password: neo.password, database: neo.database, namespace, driver: neo.driver });
  try {
    await store.deleteNamespace();
  } finally {
    await store.close();
  }
}

function printNeo4j(r: {
  transfers: number; sqlite: Rated; neo4j: Rated; sameRows: boolean; ratio: number;
  neo4jServer: { server: string | null; startedByBench: boolean; peakRssMb: number | null; heap: string | null };
}): void {
  const row = (name: string, c: Rated): string =>
    `| ${name} | ${(c.ms / 1000).toFixed(1)} s | ${c.transfersPerSec.toLocaleString('en-US')} | ${c.maxRssMb} MB |`;
  const s = r.neo4jServer;
  const serverRss = s.peakRssMb === null ? '' : `; Neo4j server peak RSS ${s.peakRssMb} MB (heap ${s.heap})`;
  process.stdout.write(
    [
      `ingest of ${r.transfers.toLocaleString('en-US')} ERC-20 transfers (${r.sqlite.rows.events} events, ${r.sqlite.rows.facts} facts, ${r.sqlite.rows.nodes} nodes) into SQLite and ${s.server ?? 'Neo4j'}${s.startedByBench ? ' (started by the bench)' : ' (NEO4J_URI)'}`,
      '| store | time | transfers/s | peak RSS (ingesting process) |',
      '|---|---|---|---|',
      row('SQLite (read → extract → merge-upsert)', r.sqlite),
      row('Neo4j (same pipeline, fresh namespace)', r.neo4j),
      `Neo4j/SQLite transfers/s = ${r.ratio} (Neo4j takes ${(r.neo4j.ms / r.sqlite.ms).toFixed(1)}× as long)${serverRss}`,
      r.sameRows ? 'both stores hold the same counts of nodes, events and facts' : `ROW COUNTS DIFFER: SQLite ${JSON.stringify(r.sqlite.rows)}, Neo4j ${JSON.stringify(r.neo4j.rows)}`,
      '',
    ].join('\n'),
  );
}
