/**
 * `mkg` choosing and checking its stores, as a user runs it (child process): what it prints when a
 * store is missing, unreachable or refuses it — one line, non-zero exit, never a stack trace — and
 * `mkg migrate`. Remote stores appear only at the network boundary (a closed port, a fake Qdrant).
 */
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeBolt, type FakeBolt } from '../fixtures/fake-bolt.ts';
import { closedPort, fakeQdrant, type FakeQdrant } from '../fixtures/fake-qdrant.ts';
import { MKG, mkg } from '../fixtures/mkg-cli.ts';
import { SAMPLE_DIR, tempDir } from '../fixtures/paths.ts';

/** Only the variables under test: nothing from the developer's own environment leaks in. */
const mkgIsolated = (args: string[], env: Record<string, string> = {}) => mkg(args, env, { isolated: true, timeoutMs: 45_000 });

const ROOT = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

/**
 * One `mkg: …` line on stderr, no stack frames. The Qdrant client's own warning about an API key
 * sent over plain http (a fair warning, printed by the library) is the only other line allowed.
 */
function expectOneLine(stderr: string): string {
  expect(stderr).not.toMatch(/^\s+at /m);
  const lines = stderr.trim().split('\n').filter((l) => !/^Api key is used with unsecure connection\.$/.test(l));
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^mkg: /);
  return lines[0]!;
}

describe('mkg and its stores', () => {
  const tmp = tempDir();
  const labels = join(SAMPLE_DIR, 'address_labels_subset.json');
  let qdrant: FakeQdrant;
  let bolt: FakeBolt;
  let closed: number;
  beforeAll(async () => {
    qdrant = await fakeQdrant();
    bolt = await fakeBolt();
    closed = await closedPort();
  });
  afterAll(async () => {
    await qdrant.close();
    await bolt.close();
    tmp.cleanup();
  });
  const neo4jEnv = (extra: Record<string, string> = {}): Record<string, string> => ({
    MKG_GRAPH: 'neo4j', NEO4J_URI: bolt.uri, NEO4J_PASSWORD: 'secret-pw', MKG_DB: join(tmp.dir, 'vectors.db'), ...extra,
  });

  it('`mkg migrate` on SQLite says the file migrates on open, and exits 0', async () => {
    const db = join(tmp.dir, 'migrate.db');
    const r = await mkgIsolated(['migrate', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      `Graph: SQLite file ${db} migrates when it is opened; it is at the current schema, nothing else to do.\n` +
        `Vectors: SQLite file ${db} is ready (256 dimensions).\n`,
    );
  });

  it('`mkg migrate` prepares a Qdrant collection too', async () => {
    const db = join(tmp.dir, 'migrate-q.db');
    const r = await mkgIsolated(['migrate', '--db', db], { MKG_VECTORS: 'qdrant', QDRANT_URL: qdrant.url });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Vectors: Qdrant at ${qdrant.url} (collection 'mkg_vectors') is ready (256 dimensions).`);
  });

  it('names a missing setting of the chosen adapter (exit 2)', async () => {
    const r = await mkgIsolated(['serve'], { MKG_GRAPH: 'neo4j', NEO4J_URI: 'bolt://localhost:7687' });
    expect(r.code).toBe(2);
    expect(expectOneLine(r.stderr)).toBe('mkg: Invalid configuration NEO4J_PASSWORD: required when MKG_GRAPH=neo4j');
  });

  it('says Neo4j is unreachable at start-up of serve, ingest, rejects and migrate (exit 1)', async () => {
    const env = { MKG_GRAPH: 'neo4j', NEO4J_URI: `bolt://127.0.0.1:${closed}`, NEO4J_PASSWORD: 'secret-pw' };
    for (const args of [['serve'], ['ingest', labels], ['rejects'], ['migrate']]) {
      const r = await mkgIsolated(args, env);
      expect(r.code, `${args[0]}: ${r.stderr}`).toBe(1);
      const line = expectOneLine(r.stderr);
      expect(line).toMatch(new RegExp(`^mkg: neo4j graph store: cannot reach Neo4j at bolt://127\\.0\\.0\\.1:${closed} `));
      expect(line).not.toContain('secret-pw');
      expect(r.stdout).toBe('');
    }
  });

  it('says Qdrant is unreachable, or wants an API key, before ingesting anything', async () => {
    const db = join(tmp.dir, 'ingest-q.db');
    const down = await mkgIsolated(['ingest', labels, '--db', db], { MKG_VECTORS: 'qdrant', QDRANT_URL: `http://127.0.0.1:${closed}` });
    expect(down.code).toBe(1);
    expect(expectOneLine(down.stderr)).toMatch(new RegExp(`cannot reach Qdrant at http://127\\.0\\.0\\.1:${closed} \\(ECONNREFUSED\\)`));

    qdrant.requireApiKey('right-key');
    try {
      const locked = await mkgIsolated(['ingest', labels, '--db', db], { MKG_VECTORS: 'qdrant', QDRANT_URL: qdrant.url, QDRANT_API_KEY: 'wrong-key' });
      expect(locked.code).toBe(1);
      const line = expectOneLine(locked.stderr);
      expect(line).toMatch(/rejected the API key \(401 Unauthorized\)/);
      expect(line).not.toContain('wrong-key');
      const ok = await mkgIsolated(['ingest', labels, '--db', db, '--json'], { MKG_VECTORS: 'qdrant', QDRANT_URL: qdrant.url, QDRANT_API_KEY: 'right-key' });
      expect(ok.code, ok.stderr).toBe(0);
      expect(JSON.parse(ok.stdout).rejected).toBe(0);
    } finally {
      qdrant.requireApiKey(null);
    }
  });

  it('says Neo4j refused the credentials, or lacks the database', async () => {
    bolt.refuseAuth(true);
    try {
      const r = await mkgIsolated(['serve'], neo4jEnv({ NEO4J_USER: 'analyst' }));
      expect(r.code).toBe(1);
      expect(expectOneLine(r.stderr)).toBe(
        `mkg: neo4j graph store: Neo4j at ${bolt.uri} refused the credentials of user "analyst" (check the user and password): ` +
          'The client is unauthorized due to authentication failure.',
      );
    } finally {
      bolt.refuseAuth(false);
    }
    const r = await mkgIsolated(['ingest', labels], neo4jEnv({ NEO4J_DATABASE: 'markets' }));
    expect(r.code).toBe(1);
    expect(expectOneLine(r.stderr)).toBe(
      `mkg: neo4j graph store: database "markets" does not exist on ${bolt.uri} (create it, or configure another database)`,
    );
  });

  it('refuses to serve an unmigrated Neo4j; `mkg migrate` fixes it; then serve starts and answers /health', async () => {
    const before = await mkgIsolated(['serve'], neo4jEnv());
    expect(before.code).toBe(1);
    expect(expectOneLine(before.stderr)).toMatch(/^mkg: neo4j graph store: missing constraint mkg_thing_key, .*; run `mkg migrate`$/);

    const migrated = await mkgIsolated(['migrate'], neo4jEnv());
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stdout).toMatch(
      new RegExp(`^Graph: migrated Neo4j at ${bolt.uri.replace(/\./g, '\\.')} \\(database 'neo4j', user neo4j\\): constraints and indexes are in place \\(\\d+ ms\\)\\.\n`),
    );
    expect(bolt.schema.get('mkg_thing_key')).toBe('constraint');
    expect((await mkgIsolated(['migrate'], neo4jEnv())).code).toBe(0); // idempotent

    const port = await closedPort();
    const serve = spawn(process.execPath, [MKG, 'serve', '--port', String(port)], {
      env: { PATH: process.env.PATH ?? '', ...neo4jEnv() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let stderr = '';
      serve.stderr.setEncoding('utf8');
      await new Promise<void>((resolveStarted, reject) => {
        serve.stderr.on('data', (text: string) => {
          stderr += text;
          if (stderr.includes('MarketGraph GraphQL API on')) resolveStarted();
        });
        serve.on('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
      });
      expect(stderr).toBe(
        `Graph: Neo4j at ${bolt.uri} (database 'neo4j', user neo4j)\n` +
          `Vectors: SQLite file ${join(tmp.dir, 'vectors.db')}\n` +
          `Jobs: in-process, state in SQLite file ${join(tmp.dir, 'vectors.db')}\n` +
          `MarketGraph GraphQL API on http://127.0.0.1:${port}/graphql (GraphiQL in a browser)\n`,
      );
      // The image's own HEALTHCHECK command, run verbatim against this server.
      const healthcheck = /^HEALTHCHECK .*CMD (\[.*\])$/m.exec(readFileSync(join(ROOT, 'Dockerfile'), 'utf8').replace(/\\\n\s*/g, ' '));
      const [command, ...args] = JSON.parse(healthcheck![1]!) as string[];
      const probe = await run(command === 'node' ? process.execPath : command!, args, { env: { PORT: String(port) } }).then(() => 0, (e: { code: number }) => e.code);
      expect(probe).toBe(0);
    } finally {
      serve.kill('SIGTERM');
      if (serve.exitCode === null) await once(serve, 'exit');
    }
    expect(serve.exitCode).toBe(0);
  });
});
