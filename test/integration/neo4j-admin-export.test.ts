/**
 * `mkg export --format neo4j-admin` end to end, against the real import tool and a real server:
 * the sample (plus a batch of hostile strings, a retracted fact, ended validity and fact ends that
 * nothing describes) is ingested into SQLite and exported; the export's own script runs
 * `neo4j-admin database import full` (scripts/neo4j-test-server.sh admin) into a fresh directory,
 * a server is started on it and migrated, and the Neo4j store must then read what the SQLite store
 * reads, through the GraphStore port. The hostile batch is also written through the Neo4j adapter
 * into a fresh namespace of the shared server (NEO4J_URI), and every stored property of it must
 * equal what the import made: the export writes the adapter's model, not a look-alike.
 *
 * Runs only where the Neo4j test infrastructure is (NEO4J_URI set, as .ci/run does; Java and Maven
 * for the test server); skipped with one line otherwise. The imported server is this file's own,
 * stopped and deleted afterwards.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Driver } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HashingEmbedder } from '../../extraction/embed/hashing-embedder.ts';
import type { GraphStore } from '../../graph/graph-store.ts';
import { createDriver } from '../../graph/neo4j/connect.ts';
import { Neo4jGraphStore } from '../../graph/neo4j/neo4j-graph-store.ts';
import { sqliteGraphDump } from '../../graph/sqlite/sqlite-graph-dump.ts';
import { SqliteGraphStore } from '../../graph/sqlite/sqlite-graph-store.ts';
import { exportNeo4jAdmin, type ExportNeo4jAdminReport } from '../../pipelines/export-neo4j-admin.ts';
import { ingest } from '../../pipelines/ingest/ingest.ts';
import { induceAndResolve } from '../../pipelines/text-schema.ts';
import type { Page } from '../../schema/pagination.ts';
import { describeWithNeo4j } from '../fixtures/neo4j-env.ts';
import { EXAMPLE_NOTES_DIR, SAMPLE_DIR, tempDir } from '../fixtures/paths.ts';
import { HOSTILE, HOSTILE_IDS, HOSTILE_REJECTS, HOSTILE_SOURCES, T0, writeHostile } from '../fixtures/hostile-graph.ts';

const run = promisify(execFile);
const SERVER = resolve(import.meta.dirname, '../../scripts/neo4j-test-server.sh');
const HOUR = 3_600_000;

type Row = Record<string, unknown>;

async function cypher(driver: Driver, text: string, params: Row = {}): Promise<Row[]> {
  const session = driver.session({ database: 'neo4j' });
  try {
    return (await session.run(text, params)).records.map((r) => r.toObject() as Row);
  } finally {
    await session.close();
  }
}

/** Every item of a paginated read, page by page. */
async function all<T>(read: (after: string | null) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  for (let after: string | null = null; ;) {
    const page: Page<T> = await read(after);
    items.push(...page.edges.map((e) => e.node));
    if (!page.hasNextPage) return items;
    after = page.edges.at(-1)!.cursor;
  }
}

/** Each stored property with its Cypher type, `ns` and `seq` left out (they differ by design). */
const RAW_NODES = `MATCH (n) WHERE n.ns = $ns AND n.id IN $ids
  RETURN n.id AS id, labels(n) AS labels,
    [k IN keys(n) WHERE NOT k IN ['ns', 'seq'] | [k, n[k], valueType(n[k])]] AS props`;
const RAW_RELS = `MATCH (s)-[r]->(o) WHERE s.ns = $ns AND s.id IN $ids
  RETURN s.id AS start, type(r) AS type, o.id AS end, r.factId AS factId, r.seq AS seq,
    [k IN keys(r) WHERE k <> 'seq' | [k, r[k], valueType(r[k])]] AS props`;

/** Rows in a stable order, labels and properties sorted, `seq` dropped. */
function canonical(rows: Row[]): Row[] {
  const sortProps = (props: unknown) => [...(props as unknown[][])].sort((a, b) => String(a[0]).localeCompare(String(b[0])));
  const key = (r: Row) => JSON.stringify([r.id, r.start, r.type, r.end, r.factId]);
  return rows
    .map((r): Row => ({ ...r, labels: Array.isArray(r.labels) ? [...r.labels].sort() : undefined, props: sortProps(r.props), seq: undefined }))
    .sort((a, b) => key(a).localeCompare(key(b)));
}

describeWithNeo4j('mkg export --format neo4j-admin', (shared) => {

  describe('mkg export --format neo4j-admin, imported by neo4j-admin into a fresh Neo4j', () => {
    const tmp = tempDir('mkg-admin-export-');
    const serverDir = join(tmp.dir, 'neo4j');
    const outDir = join(tmp.dir, 'export');
    let sqlite: SqliteGraphStore;
    let report: ExportNeo4jAdminReport;
    let importLog = '';
    let serverStarted = false;
    let imported: Neo4jGraphStore | undefined;
    let importedDriver: Driver | undefined;
    let reference: Neo4jGraphStore | undefined;
    let sharedDriver: Driver | undefined;
    const refNs = `test-admin-export-${randomUUID()}`;

    beforeAll(async () => {
      sqlite = SqliteGraphStore.open(join(tmp.dir, 'graph.db'));
      await ingest(sqlite, { paths: [SAMPLE_DIR, EXAMPLE_NOTES_DIR], now: () => Date.UTC(2026, 10, 21) });
      await induceAndResolve(sqlite, { llm: null, embedder: new HashingEmbedder() });
      await writeHostile(sqlite, (ids, at) => sqlite.endValidity(ids, at));

      const dump = sqliteGraphDump(sqlite, { pageSize: 1000 });
      try {
        report = await exportNeo4jAdmin(dump, { outDir });
      } finally {
        await dump.close();
      }

      // The export's own script, with neo4j-admin being the test server's, on a fresh directory.
      mkdirSync(serverDir);
      const admin = join(tmp.dir, 'neo4j-admin');
      writeFileSync(admin, `#!/bin/sh\nexec '${SERVER}' admin '${serverDir}' "$@"\n`);
      chmodSync(admin, 0o755);
      try {
        importLog = (await run('sh', [report.script], { env: { ...process.env, NEO4J_ADMIN: admin }, maxBuffer: 64 << 20 })).stdout;
      } catch (error) {
        const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
        throw new Error(`the import failed:\n${stdout.slice(-4000)}\n${stderr.slice(-4000)}`, { cause: error });
      }

      serverStarted = true;
      const started = await run(SERVER, ['start', serverDir], { maxBuffer: 16 << 20 });
      const env = Object.fromEntries(started.stdout.trim().split('\n').map((l) => l.split('=', 2) as [string, string]));
      const target = { uri: env.NEO4J_URI!, user: env.NEO4J_USER!, password: env.NEO4J_PASSWORD! };
      importedDriver = createDriver(target);
      imported = await Neo4jGraphStore.connect({ ...target, namespace: '' });
      await imported.migrate();

      sharedDriver = createDriver(shared);
      reference = await Neo4jGraphStore.connect({ ...shared, namespace: refNs, driver: sharedDriver });
      await writeHostile(reference, (ids, at) => reference!.endValidity(ids, at));
    }, 900_000);

    afterAll(async () => {
      await imported?.close().catch(() => undefined);
      await importedDriver?.close().catch(() => undefined);
      await reference?.deleteNamespace().catch(() => undefined);
      await reference?.close().catch(() => undefined);
      await sharedDriver?.close().catch(() => undefined);
      if (serverStarted) await run(SERVER, ['stop', serverDir]).catch(() => undefined);
      await sqlite?.close();
      tmp.cleanup();
    }, 120_000);

    const neo = (): GraphStore => imported!;

    it('imports every row the export wrote', async () => {
      expect(importLog).toMatch(/IMPORT DONE/);
      const [{ nodes, relationships }] = await cypher(importedDriver!, 'RETURN COUNT { MATCH (n) } AS nodes, COUNT { ()-[r]->() } AS relationships') as [Row];
      expect({ nodes, relationships }).toEqual({ nodes: report.nodes, relationships: report.relationships });
      expect(report.files.find((f) => f.file === 'nodes-placeholders.csv')?.rows).toBeGreaterThanOrEqual(2);
      expect(report.files.find((f) => f.file === 'nodes-source-placeholders.csv')?.rows).toBe(1);
    });

    it('has as many nodes per label and relationships per type as the SQLite store has rows', async () => {
      const one = (query: string): number => (sqlite.db.prepare(query).get() as { n: number }).n;
      const grouped = (query: string): Record<string, number> =>
        Object.fromEntries(sqlite.db.prepare(query).all().map((r) => [r.k as string, r.n as number]));
      const placeholders = one(`SELECT count(*) AS n FROM (SELECT subject AS id FROM facts UNION SELECT object FROM facts)
        WHERE id NOT IN (SELECT id FROM nodes UNION ALL SELECT id FROM events UNION ALL SELECT id FROM chunks)`);
      const bareSources = one('SELECT count(DISTINCT source_id) AS n FROM chunks WHERE source_id NOT IN (SELECT id FROM sources)');
      const [nodes, events, chunks] = ['nodes', 'events', 'chunks'].map((t) => one(`SELECT count(*) AS n FROM ${t}`));
      const expectedLabels = {
        Thing: nodes! + events! + chunks! + placeholders, Entity: nodes, Event: events, Chunk: chunks,
        Source: one('SELECT count(*) AS n FROM sources') + bareSources, Reject: one('SELECT count(*) AS n FROM rejects'),
        ...grouped('SELECT kind AS k, count(*) AS n FROM nodes GROUP BY kind'),
        ...grouped('SELECT type AS k, count(*) AS n FROM events GROUP BY type'),
      };
      const labels = await cypher(importedDriver!, 'MATCH (n) UNWIND labels(n) AS k RETURN k, count(*) AS n');
      expect(Object.fromEntries(labels.map((r) => [r.k, r.n]))).toEqual(expectedLabels);
      const types = await cypher(importedDriver!, 'MATCH ()-[r]->() RETURN type(r) AS k, count(*) AS n');
      expect(Object.fromEntries(types.map((r) => [r.k, r.n]))).toEqual({
        ...grouped('SELECT type AS k, count(*) AS n FROM facts GROUP BY type'), PART_OF: chunks,
      });
      const [bad] = await cypher(importedDriver!, `MATCH (n) WHERE n.ns IS NULL OR n.ns <> '' OR n.name IS NULL OR n.id IS NULL
        RETURN count(n) AS n`);
      expect(bad!.n).toBe(0);
    });

    it('has the same statistics, now and as of earlier times', async () => {
      expect(await neo().stats()).toEqual(await sqlite.stats());
      for (const asOf of [Date.UTC(2018, 0, 1), T0 + 90 * 60_000, T0 + 150 * 60_000, T0 + 4 * HOUR]) {
        expect(await neo().stats({ asOf }), new Date(asOf).toISOString()).toEqual(await sqlite.stats({ asOf }));
      }
    });

    it('lists the same entities and events, with participants in the same order', async () => {
      const nodes = (store: GraphStore) => all((after) => store.findNodes({}, { first: 500, after }));
      expect(await nodes(neo())).toEqual(await nodes(sqlite));
      const events = (store: GraphStore) => all((after) => store.findEvents({}, { first: 500, after }));
      const fromSqlite = await events(sqlite);
      expect(fromSqlite.some((e) => e.participants.length > 2)).toBe(true);
      expect(await events(neo())).toEqual(fromSqlite);
    });

    it('reads the same records by id: nodes, events, facts and chunks, now and as of earlier', async () => {
      const sampled = sqlite.db.prepare(`SELECT id FROM nodes WHERE rid % 53 = 0 UNION ALL SELECT id FROM events WHERE rid % 23 = 0`)
        .all().map((r) => r.id as string);
      const ids = [...sampled, ...HOSTILE_IDS];
      expect(ids.length).toBeGreaterThan(100);
      for (const asOf of [undefined, T0 + 150 * 60_000, Date.UTC(2023, 5, 1)]) {
        for (const id of ids) {
          const where = `${id} as of ${asOf}`;
          expect(await neo().getNode(id, { asOf }), where).toEqual(await sqlite.getNode(id, { asOf }));
          expect(await neo().getEvent(id, { asOf }), where).toEqual(await sqlite.getEvent(id, { asOf }));
          expect(await neo().factsOf(id, { asOf, limit: 1000 }), where).toEqual(await sqlite.factsOf(id, { asOf, limit: 1000 }));
        }
      }
      const chunkIds = sqlite.db.prepare('SELECT id FROM chunks').all().map((r) => r.id as string);
      const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
      expect((await neo().getChunks(chunkIds)).sort(byId)).toEqual((await sqlite.getChunks(chunkIds)).sort(byId));
      expect(await neo().exists([HOSTILE.nobody, HOSTILE.acme])).toEqual(await sqlite.exists([HOSTILE.nobody, HOSTILE.acme]));
    });

    it('lists the same sources and rejects (reject ids are each store\'s own)', async () => {
      expect(await neo().listSources()).toEqual(await sqlite.listSources());
      const rejects = async (store: GraphStore) =>
        (await all((after) => store.listRejects({}, { first: 500, after }))).map(({ id: _id, ...r }) => r);
      const fromSqlite = await rejects(sqlite);
      expect(fromSqlite.length).toBeGreaterThan(HOSTILE_REJECTS.length);
      expect(await rejects(neo())).toEqual(fromSqlite);
    });

    it('finds the same names and passages', async () => {
      const ids = (hits: { id: string }[]) => hits.map((h) => h.id).sort();
      for (const text of ['Uniswap', 'Wrapped Ether', 'Acme', 'semi', 'exploit', 'Tether USD', 'ünïcödé', '日本語']) {
        const [a, b] = [await neo().search(text, { first: 500 }), await sqlite.search(text, { first: 500 })];
        expect(b.length, text).toBeLessThan(500);
        expect(ids(a), text).toEqual(ids(b));
      }
      expect((await sqlite.search('Acme', { first: 5 })).map((h) => h.id)).toContain(HOSTILE.acme);
      for (const text of ['exploited', 'lending contracts', 'quoted']) {
        const chunkIds = (hits: { chunk: { id: string } }[]) => hits.map((h) => h.chunk.id).sort();
        expect(chunkIds(await neo().searchChunks(text, { first: 100 })), text)
          .toEqual(chunkIds(await sqlite.searchChunks(text, { first: 100 })));
      }
    });

    it('stores exactly the properties the Neo4j adapter writes (hostile batch, written both ways)', async () => {
      const nodeIds = [...HOSTILE_IDS, HOSTILE.nobody, HOSTILE.nowhere, HOSTILE.missingSource, ...HOSTILE_SOURCES.map((s) => s.id)];
      const fromImport = await cypher(importedDriver!, RAW_NODES, { ns: '', ids: nodeIds });
      const fromAdapter = await cypher(sharedDriver!, RAW_NODES, { ns: refNs, ids: nodeIds });
      expect(fromAdapter.length).toBe(nodeIds.length);
      // neo4j-admin reads an empty field as no property: an entity without aliases has no list (readers treat both alike).
      const noEmptyLists = fromAdapter.map((r) => ({
        ...r, props: (r.props as unknown[][]).filter(([, value]) => !(Array.isArray(value) && value.length === 0)),
      }));
      expect(canonical(fromImport)).toEqual(canonical(noEmptyLists));

      const rels = (driver: Driver, ns: string) => cypher(driver, RAW_RELS, { ns, ids: nodeIds });
      const [importedRels, adapterRels] = [await rels(importedDriver!, ''), await rels(sharedDriver!, refNs)];
      expect(importedRels.length).toBeGreaterThanOrEqual(8);
      expect(canonical(importedRels)).toEqual(canonical(adapterRels));
      // Write order survives: the same facts come in the same order by seq.
      const order = (rows: Row[]) => rows.filter((r) => r.factId !== null).sort((a, b) => Number(a.seq) - Number(b.seq)).map((r) => r.factId);
      expect(order(importedRels)).toEqual(order(adapterRels));

      const rejectRows = `MATCH (r:Reject) WHERE r.ns = $ns AND r.file STARTS WITH 'hostile'
        RETURN r.id AS id, labels(r) AS labels, r.seq AS seq, [k IN keys(r) WHERE NOT k IN ['ns', 'seq'] | [k, r[k], valueType(r[k])]] AS props`;
      const [importedRejects, adapterRejects] = [
        await cypher(importedDriver!, rejectRows, { ns: '' }), await cypher(sharedDriver!, rejectRows, { ns: refNs }),
      ];
      expect(importedRejects.length).toBe(HOSTILE_REJECTS.length);
      expect(canonical(importedRejects)).toEqual(canonical(adapterRejects));
      const bySeq = (rows: Row[]) => [...rows].sort((a, b) => Number(a.seq) - Number(b.seq)).map((r) => r.id);
      expect(bySeq(importedRejects)).toEqual(bySeq(adapterRejects));
    });
  });
});
