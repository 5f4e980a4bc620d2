/**
 * embedGraph on real SQLite stores sharing one temp file, after ingesting real sample files, with
 * the offline HashingEmbedder: one vector per entity and per non-bulk event, KNN and as-of KNN
 * over them, the dimension check, and idempotence.
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HashingEmbedder } from '../../extraction/embed/hashing-embedder.ts';
import { embedderFromConfig } from '../../extraction/embed/create-embedder.ts';
import { OpenAiEmbedder } from '../../extraction/embed/openai-embedder.ts';
import { SqliteGraphStore } from '../../graph/sqlite/sqlite-graph-store.ts';
import { SqliteVectorStore } from '../../graph/sqlite/sqlite-vector-store.ts';
import { DEFAULT_EMBED_EVENT_TYPES, embedGraph } from '../../pipelines/embed-graph.ts';
import { ingest } from '../../pipelines/ingest/ingest.ts';
import { parseConfig } from '../../schema/config.ts';
import { ConfigError } from '../../schema/errors.ts';
import { SAMPLE_DIR, tempDir } from '../fixtures/paths.ts';

const tmp = tempDir('mkg-embed-');
afterAll(() => tmp.cleanup());
let files = 0;

const DIMS = 256;
const embedder = new HashingEmbedder({ dimensions: DIMS });
const PATHS = [join(SAMPLE_DIR, 'address_labels_subset.json'), join(SAMPLE_DIR, 'incidents_2023_2024.csv')];

describe('embedGraph (SQLite graph + sqlite-vec, hashing embedder)', () => {
  let graph: SqliteGraphStore;
  let vectors: SqliteVectorStore;
  beforeEach(async () => {
    const path = join(tmp.dir, `graph-${++files}.db`);
    graph = SqliteGraphStore.open(path);
    vectors = SqliteVectorStore.open(path, { dimensions: DIMS });
    await ingest(graph, { paths: PATHS });
  });
  afterEach(async () => {
    await vectors.close();
    await graph.close();
  });

  /** Every visible entity and non-bulk event, counted through the graph itself. */
  async function expectedCounts(): Promise<{ entities: number; events: number }> {
    const entities = (await graph.findNodes({}, { first: 0 })).totalCount;
    let events = 0;
    for (const type of DEFAULT_EMBED_EVENT_TYPES) events += (await graph.findEvents({ type }, { first: 0 })).totalCount;
    return { entities, events };
  }

  it('writes one vector per entity and per non-bulk event, and is idempotent', async () => {
    const expected = await expectedCounts();
    expect(expected.entities).toBeGreaterThan(100);
    expect(expected.events).toBeGreaterThan(50);
    const progress: number[] = [];
    const first = await embedGraph(graph, vectors, embedder, { batchSize: 100, onProgress: (p) => progress.push(p.batches) });
    expect(first).toMatchObject(expected);
    expect(first.batches).toBe(Math.ceil((expected.entities + expected.events) / 100));
    expect(progress).toEqual(Array.from({ length: first.batches }, (_, i) => i + 1));
    expect(await vectors.count()).toBe(expected.entities + expected.events);

    const again = await embedGraph(graph, vectors, embedder);
    expect(again).toMatchObject(expected);
    expect(await vectors.count()).toBe(expected.entities + expected.events);
  });

  it('finds the Bizness incident by KNN, and not as of a date before it', async () => {
    await embedGraph(graph, vectors, embedder);
    const query = embedder.embedOne('Bizness exploited on Base');
    const hits = await vectors.search({ vector: query, k: 3 });
    const bizness = hits.find((h) => h.kind === 'Incident');
    expect(bizness, JSON.stringify(hits)).toBeDefined();
    const event = await graph.getEvent(bizness!.id);
    expect(event?.summary).toMatch(/Bizness/);
    expect(new Date(event!.occurredAt).toISOString()).toMatch(/^2024-12-27/);

    const before = await vectors.search({ vector: query, k: 3, asOf: Date.UTC(2024, 11, 26) });
    expect(before.map((h) => h.id)).not.toContain(bizness!.id);
    const after = await vectors.search({ vector: query, k: 3, asOf: Date.UTC(2024, 11, 28) });
    expect(after.map((h) => h.id)).toContain(bizness!.id);
  });

  it('embeds only what it is asked to', async () => {
    const incidents = (await graph.findEvents({ type: 'Incident' }, { first: 0 })).totalCount;
    expect(incidents).toBeGreaterThan(0);
    const r = await embedGraph(graph, vectors, embedder, { kinds: ['events'], eventTypes: ['Incident'] });
    expect(r).toMatchObject({ entities: 0, events: incidents });
    expect(await vectors.count()).toBe(incidents);
  });

  it('refuses an embedder of another dimension with a clear configuration error', async () => {
    const small = new HashingEmbedder({ dimensions: 64 });
    const error = await embedGraph(graph, vectors, small).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/MKG_VECTOR_DIM/);
    expect((error as Error).message).toContain('hashing-v1-d64');
    expect(await vectors.count()).toBe(0);
  });
});

describe('embedderFromConfig', () => {
  it('is the hashing embedder offline and the OpenAI one with an endpoint', () => {
    const offline = embedderFromConfig(parseConfig({ MKG_VECTOR_DIM: '128' }));
    expect(offline).toBeInstanceOf(HashingEmbedder);
    expect(offline.dimensions).toBe(128);
    const online = embedderFromConfig(parseConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', MKG_EMBED_MODEL: 'nomic-embed', MKG_VECTOR_DIM: '768' }));
    expect(online).toBeInstanceOf(OpenAiEmbedder);
    expect(online).toMatchObject({ model: 'nomic-embed', dimensions: 768 });
  });
});
