/**
 * The README's Neo4j Browser guide, executed: the real sample (../shared/data/sample and
 * examples/notes, through the real pipeline, plus a re-extraction with another detector parameter)
 * is loaded into a live Neo4j in a fresh namespace, and every ```cypher block of the guide runs with
 * the README's own `:params` values and must return at least one row. The guide's queries do not
 * filter by `ns` (a user has the one namespace ''), so other namespaces of a shared test database
 * may add rows; the ids the parameters name are therefore also checked in this run's namespace.
 * Needs NEO4J_URI (and NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE); skipped with one line without.
 */
import type { Driver } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDriver } from '../../graph/neo4j/connect.ts';
import { describeWithNeo4j } from '../fixtures/neo4j-env.ts';
import { loadSampleIntoNeo4j, type SampleInNeo4j } from '../fixtures/neo4j-sample.ts';
import { readmeGuide } from '../fixtures/readme-guide.ts';

const guide = readmeGuide();

/** Loading the whole sample into Neo4j takes about 1.5 min on a 2-core machine. */
const LOAD_TIMEOUT_MS = 10 * 60_000;
const QUERY_TIMEOUT_MS = 2 * 60_000;

describeWithNeo4j('README Neo4j Browser guide on the sample in Neo4j', (settings) => {
  let sample: SampleInNeo4j | undefined;
  let driver: Driver | undefined;

  beforeAll(async () => {
    driver = createDriver(settings);
    sample = await loadSampleIntoNeo4j(settings, {
      namespacePrefix: 'test-guide',
      reextractFile: String(guide.params.reextractedFile),
    });
  }, LOAD_TIMEOUT_MS);

  afterAll(async () => {
    await driver?.close();
    await sample?.dispose();
  }, LOAD_TIMEOUT_MS);

  it('loaded the sample, its schema and a re-extraction that retracted facts', () => {
    expect(sample!.ingest.records).toBeGreaterThan(10_000);
    expect(sample!.ingest.chunks).toBeGreaterThan(0);
    expect(sample!.schema.induction.concepts).toBeGreaterThan(0);
    expect(sample!.schema.resolution.write.facts.added).toBeGreaterThan(0); // SAME_AS
    expect(sample!.reextraction.counts.retracted).toBeGreaterThan(0);
  });

  it("has what the guide's parameters name in this run's namespace", async () => {
    const store = sample!.store;
    const ids = Object.values(guide.params).filter((v): v is string => typeof v === 'string' && /^(eip155:|evt:|asset:)/.test(v));
    expect(ids.length).toBeGreaterThanOrEqual(6);
    for (const id of ids) {
      const found = id.startsWith('evt:') ? await store.getEvent(id) : await store.getNode(id);
      expect(found, id).not.toBeNull();
    }
    const sources = await store.listSources();
    const sourceOf = (file: string | number | undefined) => sources.find((s) => s.uri.endsWith(`/${String(file)}`));
    const rejecting = sourceOf(guide.params.file);
    expect(rejecting, String(guide.params.file)).toBeDefined();
    expect((await store.listRejects({ sourceId: rejecting!.id }, { first: 1 })).edges).toHaveLength(1);
    expect(sourceOf(guide.params.reextractedFile), String(guide.params.reextractedFile)).toBeDefined();
    expect((await store.search(String(guide.params.text), { first: 5 })).length).toBeGreaterThan(0);
    expect((await store.searchChunks(String(guide.params.passage), { first: 5 })).length).toBeGreaterThan(0);
  });

  it('has a test for every query of the guide', () => {
    expect(guide.queries.length).toBeGreaterThanOrEqual(10);
  });

  it.each(guide.queries.map((q) => ({ title: q.title, text: q.text })))('$title', async ({ text }) => {
    const session = driver!.session({ database: settings.database, defaultAccessMode: 'READ' });
    try {
      // The whole :params map; the server ignores parameters a query does not use.
      const result = await session.run(text, guide.params);
      expect(result.records.length).toBeGreaterThan(0);
    } finally {
      await session.close();
    }
  }, QUERY_TIMEOUT_MS);
});
