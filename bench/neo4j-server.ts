/**
 * The Neo4j a benchmark writes into: the one NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD name when
 * set, else a server of its own (scripts/neo4j-test-server.sh in a temp dir), stopped at the end —
 * also when the bench fails or is interrupted (SIGINT/SIGTERM). Every store a bench opens gets a
 * fresh namespace, deleted afterwards, so a shared server is left as it was found.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Driver } from 'neo4j-driver';
import { createDriver } from '../graph/neo4j/connect.ts';
import { Neo4jGraphStore } from '../graph/neo4j/neo4j-graph-store.ts';

const SCRIPT = join(import.meta.dirname, '..', 'scripts', 'neo4j-test-server.sh');

export interface BenchNeo4j {
  uri: string;
  user: string;
  password: string;
  database: string;
  /** `NEO4J_VERSION` as the script printed it, when this bench started the server. */
  scriptVersion: string | null;
  /** Where the server runs from, when this bench started it (else null: a server given by env). */
  dir: string | null;
  /** One driver for the whole bench. */
  driver: Driver;
  /** Closes the driver; stops and removes the server if this bench started it. Idempotent. */
  stop(): Promise<void>;
}

function parseEnvLines(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

/** Connects to the configured Neo4j, or starts one (printing progress to stderr). */
export async function benchNeo4j(): Promise<BenchNeo4j> {
  const given = process.env.NEO4J_URI;
  let dir: string | null = null;
  let settings: Record<string, string>;
  const stopServer = (): void => {
    if (dir === null) return;
    const d = dir;
    dir = null;
    try {
      execFileSync('bash', [SCRIPT, 'stop', d], { stdio: ['ignore', 'ignore', 'inherit'] });
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    process.stderr.write(`\n${signal}: stopping the bench's Neo4j …\n`);
    stopServer();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  if (given !== undefined && given !== '') {
    settings = { NEO4J_URI: given, NEO4J_USER: process.env.NEO4J_USER || 'neo4j', NEO4J_PASSWORD: process.env.NEO4J_PASSWORD || 'neo4j' };
    process.stderr.write(`using the Neo4j at NEO4J_URI (fresh namespaces, deleted afterwards)\n`);
  } else {
    dir = mkdtempSync(join(tmpdir(), 'mkg-bench-neo4j-'));
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    process.stderr.write(`starting a Neo4j for this bench in ${dir} (heap ${process.env.NEO4J_HEAP ?? '1g'}, page cache ${process.env.NEO4J_PAGECACHE ?? '512m'}) …\n`);
    try {
      settings = parseEnvLines(execFileSync('bash', [SCRIPT, 'start', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
    } catch (error) {
      stopServer();
      throw error;
    }
  }
  const uri = settings.NEO4J_URI!;
  const user = settings.NEO4J_USER ?? 'neo4j';
  const password = settings.NEO4J_PASSWORD ?? 'neo4j';
  const driver = createDriver({ uri, user, password });
  let stopped = false;
  return {
    uri, user, password, database: process.env.NEO4J_DATABASE || 'neo4j', scriptVersion: settings.NEO4J_VERSION ?? null, dir,
    driver,
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await driver.close();
      } finally {
        stopServer();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    },
  };
}

/**
 * A store in a fresh namespace (`bench-<label>-<uuid>`) on the bench's driver, schema migrated.
 * `dispose()` deletes the namespace and closes the store.
 */
export async function freshNeo4jStore(
  neo: BenchNeo4j,
  label: string,
  batchSize?: number,
): Promise<{ store: Neo4jGraphStore; namespace: string; dispose: () => Promise<void> }> {
  const namespace = `bench-${label}-${randomUUID()}`;
  const store = await Neo4jGraphStore.connect({
    uri: neo.uri, user: neo.user, password: neo.password, database: neo.database, namespace, driver: neo.driver, batchSize,
  });
  await store.migrate();
  return {
    store,
    namespace,
    async dispose() {
      try {
        await store.deleteNamespace();
      } finally {
        await store.close();
      }
    },
  };
}

/** Peak resident set of the server this bench started (VmHWM), MB; null for a server given by env. */
export function serverPeakRssMb(neo: BenchNeo4j): number | null {
  if (neo.dir === null) return null;
  try {
    const pid = readFileSync(join(neo.dir, 'neo4j.pid'), 'utf8').trim();
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}
