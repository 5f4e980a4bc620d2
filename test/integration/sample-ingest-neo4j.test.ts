/**
 * The whole product on a live Neo4j: the real sample ingested with `MKG_GRAPH=neo4j` (configuration
 * → createGraphStore, in a namespace of its own, `MKG_NEO4J_NAMESPACE`), checked with the same
 * acceptance tests as the SQLite run (sample-acceptance.ts), and compared with a SQLite store that
 * ingested the same files: the same answers to the same GraphQL queries, and a re-extraction after a
 * detector change that retracts and adds exactly the same facts on both. Runs only when `NEO4J_URI`
 * is set (CI starts a server: scripts/neo4j-test-server.sh).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../api/index.ts';
import { createGraphStore } from '../../graph/create-stores.ts';
import type { GraphStore } from '../../graph/graph-store.ts';
import { Neo4jGraphStore } from '../../graph/neo4j/neo4j-graph-store.ts';
import { SqliteGraphStore } from '../../graph/sqlite/sqlite-graph-store.ts';
import { ReextractJobInput } from '../../pipelines/jobs/job.ts';
import { reextract } from '../../pipelines/reextract/reextract.ts';
import { parseConfig } from '../../schema/config.ts';
import type { FactRecord } from '../../schema/graph.ts';
import { describeWithNeo4j } from '../fixtures/neo4j-env.ts';
import { tempDir } from '../fixtures/paths.ts';
import { queryData as gql } from '../fixtures/graphql-client.ts';
import { HashingEmbedder } from '../../extraction/embed/hashing-embedder.ts';
import { ingest } from '../../pipelines/ingest/ingest.ts';
import { induceAndResolve } from '../../pipelines/text-schema.ts';
import { ingestSample, SAMPLE_INGESTED_AT, SAMPLE_PATHS } from '../fixtures/sample.ts';
import { COUNTS, sampleAcceptance, type SampleRun } from './sample-acceptance.ts';

type Json = Record<string, any>;

/**
 * Queries whose answers do not depend on how a store scores text: both stores must answer each
 * exactly alike. (Search and context rank by BM25, whose scores differ between FTS5 and Lucene;
 * their hit sets are compared below instead.)
 */
const SAME_ANSWERS: Record<string, string> = {
  stats: COUNTS,
  statsAsOf: `{ stats(asOf: "2023-05-02T12:00:00Z") { entities events facts entitiesByKind { key count } factsByType { key count } } }`,
  transfers: `{ events(filter: {type: Transfer}, first: 500) { totalCount edges { node { id occurredAt amounts { role value raw decimals unit } } } } }`,
  swapsOfRouter: `{ events(filter: {type: Swap, participant: "eip155:1:0xef1c6e67703c7bd7107eed8303fbe6ec2554bf6b"}, first: 100) {
    totalCount edges { node { id participants { role entity { id } } } } } }`,
  priceMoves2018: `{ events(filter: {type: PriceMove, from: "2018-01-01T00:00:00Z", to: "2018-12-31T23:59:59Z"}, first: 100) {
    totalCount edges { node { id occurredAt summary attrs } } } }`,
  incidentsOfBase: `{ events(filter: {type: Incident, participant: "eip155:8453"}, first: 200) { totalCount edges { node { id summary amounts { role value unit } } } } }`,
  tokens: `{ entities(filter: {kind: Token}, first: 200) { totalCount edges { node { id name kind labels } } } }`,
  router: `{ entity(id: "eip155:1:0xef1c6e67703c7bd7107eed8303fbe6ec2554bf6b") { id name kind aliases labels
    facts(first: 50) { id type predicate object { id } } } }`,
  attackerNeighbourhood: `{ neighborhood(id: "eip155:8453:0x3cc1edd8a25c912fcb51d7e61893e737c48cd98d", depth: 2, limit: 60) {
    truncated nodes { id } events { id } facts { id } } }`,
  rejects: `{ rejects(first: 500) { totalCount edges { node { file line severity code reason } } } }`,
  sources: `{ sources { id kind records rejected } }`,
  concepts: `{ schema { concepts(first: 100) { totalCount edges { node { concept { id name } instances broader { id } } } }
    predicates(first: 100) { type predicate count } } }`,
};

describeWithNeo4j('The sample on a live Neo4j, beside SQLite', (neo4j) => {
  const env = {
    MKG_GRAPH: 'neo4j', NEO4J_URI: neo4j.uri, NEO4J_USER: neo4j.user, NEO4J_PASSWORD: neo4j.password,
    NEO4J_DATABASE: neo4j.database, MKG_NEO4J_NAMESPACE: `test-sample-${randomUUID()}`,
  };
  const tmp = tempDir('mkg-sample-neo4j-');
  let neo: SampleRun;
  let sqlite: SampleRun;

  beforeAll(async () => {
    const store = await createGraphStore(parseConfig(env));
    expect(store).toBeInstanceOf(Neo4jGraphStore);
    await store.migrate!();
    neo = { store, yoga: createApi({ graph: store }), paths: SAMPLE_PATHS, ...(await ingestSample(store)) };
    const file = SqliteGraphStore.open(join(tmp.dir, 'sample.db'));
    sqlite = { store: file, yoga: createApi({ graph: file }), paths: SAMPLE_PATHS, ...(await ingestSample(file)) };
  }, 600_000);
  afterAll(async () => {
    await (neo?.store as Neo4jGraphStore | undefined)?.deleteNamespace();
    await neo?.store.close();
    await sqlite?.store.close();
    tmp.cleanup();
  }, 120_000);

  describe('the sample ingested with MKG_GRAPH=neo4j and into SQLite', () => {
    it('wrote what SQLite wrote: the same ingest report and induction counts', () => {
      const report = (r: SampleRun) => ({
        added: r.first.added, updated: r.first.updated, unchanged: r.first.unchanged, chunks: r.first.chunks,
        files: r.first.files.map((f) => ({ file: f.file, kind: f.kind, records: f.records, rejected: f.rejected })),
      });
      expect(report(neo)).toEqual(report(sqlite));
      expect(neo.schema.induction.write).toEqual(sqlite.schema.induction.write);
      expect(neo.schema.resolution.write).toEqual(sqlite.schema.resolution.write);
    });

    it.each(Object.entries(SAME_ANSWERS))('answers %s exactly as the SQLite store does', async (_name, query) => {
      expect(await gql(neo.yoga, query)).toEqual(await gql(sqlite.yoga, query));
    });

    it.each([
      'Uniswap', '20241227_Bizness', 'bizness', 'Wrapped Ether', 'Tether', 'reentrancy', 'euler', 'weth', 'ETH price',
      'flash loan', 'Base', '0xef1c6e67703c7bd7107eed8303fbe6ec2554bf6b',
    ])('finds the same things for the words "%s"', async (text) => {
      const hits = async (run: SampleRun) => {
        const data = await gql(run.yoga, `query($text: String!) { search(text: $text, first: 50) { id }
          searchChunks(text: $text, first: 50) { chunk { id } } }`, { text });
        return { search: data.search.map((h: Json) => h.id).sort(), chunks: data.searchChunks.map((h: Json) => h.chunk.id).sort() };
      };
      const [onNeo, onSqlite] = [await hits(neo), await hits(sqlite)];
      expect(onNeo).toEqual(onSqlite);
    });
  });

  // Its idempotence check ingests the sample into the Neo4j store a second time.
  describe('the sample on Neo4j: the acceptance tests of the SQLite run', () => {
    sampleAcceptance(() => neo, 300_000);
  });

  describe('re-extraction on Neo4j', () => {
    const T_REEXTRACT = Date.UTC(2026, 10, 25);
    const select = ReextractJobInput.parse({ extractor: 'price-move' });

    async function liveFacts(store: GraphStore, sourceId: string): Promise<FactRecord[]> {
      const facts: FactRecord[] = [];
      for (let after: string | null = null; ;) {
        const page = await store.factsOfSource(sourceId, { first: 200, after });
        facts.push(...page.edges.map((e) => e.node));
        if (!page.hasNextPage) return facts;
        after = page.edges.at(-1)!.cursor;
      }
    }

    it('retracts and adds exactly what it does on SQLite after a detector change', async () => {
      // The Neo4j store was ingested twice (the acceptance tests' idempotence check): so is SQLite.
      await ingest(sqlite.store, { paths: SAMPLE_PATHS, now: () => SAMPLE_INGESTED_AT + 86_400_000 });
      await induceAndResolve(sqlite.store, { llm: null, embedder: new HashingEmbedder() });
      const sourceIds = neo.first.files.flatMap((f) => (f.sourceId ? [f.sourceId] : []));
      const live = async (store: GraphStore) => new Set((await Promise.all(sourceIds.map((id) => liveFacts(store, id)))).flat().map((f) => f.id));
      const before = await live(neo.store);
      const [onNeo, onSqlite] = [
        await reextract(neo.store, select, { detectors: { priceMove: { k: 2.5 } }, now: () => T_REEXTRACT }),
        await reextract(sqlite.store, select, { detectors: { priceMove: { k: 2.5 } }, now: () => T_REEXTRACT }),
      ];
      expect(onNeo.counts).toEqual(onSqlite.counts);
      expect(onNeo.sources).toEqual(onSqlite.sources);
      expect(onNeo.counts.retracted).toBeGreaterThan(0);
      expect(onNeo.counts.added).toBeGreaterThan(0);
      const [afterNeo, afterSqlite] = [await live(neo.store), await live(sqlite.store)];
      expect([...afterNeo].sort()).toEqual([...afterSqlite].sort());
      expect([...before].filter((id) => !afterNeo.has(id))).toHaveLength(onNeo.counts.retracted);
      expect([...afterNeo].filter((id) => !before.has(id))).toHaveLength(onNeo.counts.added);
      // As of just before, both still see the old price moves; now, both see the new ones.
      for (const query of [
        `{ events(filter: {type: PriceMove}, first: 500, asOf: "${new Date(T_REEXTRACT - 1).toISOString()}") { totalCount edges { node { id } } } }`,
        `{ events(filter: {type: PriceMove}, first: 500) { totalCount edges { node { id } } } }`,
      ]) {
        expect(await gql(neo.yoga, query)).toEqual(await gql(sqlite.yoga, query));
      }
    });
  });
});
