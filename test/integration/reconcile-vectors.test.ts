/**
 * reconcileVectors on real SQLite stores sharing one file, as `mkg` runs them. The "crash" is a
 * graph retraction (through the adapter's own `retract`) that the vector store never heard of;
 * the next reconcile run repairs it, and a run after that changes nothing.
 */
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SqliteGraphStore } from '../../graph/sqlite/sqlite-graph-store.ts';
import { SqliteVectorStore } from '../../graph/sqlite/sqlite-vector-store.ts';
import type { VectorStore } from '../../graph/vector-store.ts';
import { reconcileVectors } from '../../pipelines/reconcile-vectors.ts';
import { batch, event, HOUR, node, T0 } from '../contract/graph-fixtures.ts';
import { tempDir } from '../fixtures/paths.ts';

const tmp = tempDir('mkg-reconcile-');
afterAll(() => tmp.cleanup());
let files = 0;

const DIMS = 4;
const QUERY = [1, 0, 0, 0];
/** Distinct, non-zero vectors all close to QUERY, so one search sees every point. */
const vec = (i: number) => [1, i / 10, 0, 0];

const ENTITIES = ['ent:a', 'ent:b', 'ent:c', 'ent:d'];
const EVENTS = ['evt:1', 'evt:2'];

describe('reconcileVectors (SQLite graph + sqlite-vec)', () => {
  let graph: SqliteGraphStore;
  let vectors: SqliteVectorStore;
  afterEach(async () => {
    await vectors.close();
    await graph.close();
  });

  /** Graph with 4 entities and 2 events, a vector for each plus orphans the graph never had. */
  async function setUp(): Promise<void> {
    const path = join(tmp.dir, `graph-${++files}.db`);
    graph = SqliteGraphStore.open(path);
    vectors = SqliteVectorStore.open(path, { dimensions: DIMS });
    await graph.writeBatch(batch({ nodes: ENTITIES.map((id) => node(id)), events: EVENTS.map((id) => event(id)) }));
    await vectors.upsert([
      ...ENTITIES.map((id, i) => ({ id, vector: vec(i), kind: 'Account', retracted: id === 'ent:d' })),
      ...EVENTS.map((id, i) => ({ id, vector: vec(4 + i), kind: 'Transfer' })),
      { id: 'ent:orphan', vector: vec(6), kind: 'Account' },
      { id: 'evt:orphan', vector: vec(7), kind: 'Transfer' },
      { id: 'ent:orphan', vector: vec(8), kind: 'Account', tenant: 'acme' },
    ]);
  }

  const visible = async (vs: VectorStore, includeRetracted = false) =>
    (await vs.search({ vector: QUERY, k: 20, includeRetracted })).map((h) => h.id).sort();

  it('repairs retractions the vectors missed, deletes orphans, and is idempotent', async () => {
    await setUp();
    // The crash: the graph retracts, the vector store is never told (ent:d's vector already was).
    expect(await graph.retract(['ent:c', 'ent:d', 'evt:2'], T0 + HOUR)).toBe(3);
    expect(await visible(vectors)).toEqual(['ent:a', 'ent:b', 'ent:c', 'ent:orphan', 'evt:1', 'evt:2', 'evt:orphan']);

    expect(await reconcileVectors(graph, vectors, { pageSize: 2 }))
      .toEqual({ checked: 8, retracted: 2, restored: 0, deleted: 2 });
    expect(await visible(vectors)).toEqual(['ent:a', 'ent:b', 'evt:1']);
    // Retracted points stay (history), the orphans are gone, other tenants are untouched.
    expect(await visible(vectors, true)).toEqual(['ent:a', 'ent:b', 'ent:c', 'ent:d', 'evt:1', 'evt:2']);
    expect(await vectors.count()).toBe(6);
    expect(await vectors.count('acme')).toBe(1);
    // Live points keep their vectors.
    expect((await vectors.search({ vector: vec(1), k: 1 }))[0]).toMatchObject({ id: 'ent:b', score: expect.closeTo(1, 5) });

    expect(await reconcileVectors(graph, vectors, { pageSize: 2 }))
      .toEqual({ checked: 6, retracted: 0, restored: 0, deleted: 0 });
    expect(await reconcileVectors(graph, vectors)).toEqual({ checked: 6, retracted: 0, restored: 0, deleted: 0 });
  });

  it('restores a live id the vector store marked retracted, and reconciles one tenant at a time', async () => {
    await setUp();
    await vectors.setRetracted(['ent:a', 'evt:1'], true);
    expect(await visible(vectors)).toEqual(['ent:b', 'ent:c', 'ent:orphan', 'evt:2', 'evt:orphan']);
    // ent:d was written retracted but the graph shows it, so it is restored along with the two.
    expect(await reconcileVectors(graph, vectors, { pageSize: 3 }))
      .toEqual({ checked: 8, retracted: 0, restored: 3, deleted: 2 });
    expect(await visible(vectors)).toEqual(['ent:a', 'ent:b', 'ent:c', 'ent:d', 'evt:1', 'evt:2']);
    expect(await reconcileVectors(graph, vectors)).toEqual({ checked: 6, retracted: 0, restored: 0, deleted: 0 });

    expect(await reconcileVectors(graph, vectors, { tenant: 'acme' }))
      .toEqual({ checked: 1, retracted: 0, restored: 0, deleted: 1 });
    expect(await vectors.count('acme')).toBe(0);
    expect(await vectors.count()).toBe(6);
  });

  it('handles an empty vector store and rejects a bad page size', async () => {
    await setUp();
    expect(await reconcileVectors(graph, vectors, { tenant: 'nobody' })).toEqual({ checked: 0, retracted: 0, restored: 0, deleted: 0 });
    await expect(reconcileVectors(graph, vectors, { pageSize: 0 })).rejects.toThrow(/pageSize/);
  });
});
