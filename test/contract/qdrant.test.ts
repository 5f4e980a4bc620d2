/**
 * Runs the VectorStore contract against a live Qdrant when QDRANT_URL is set (QDRANT_API_KEY
 * optional), each test on a fresh collection that is deleted afterwards; otherwise prints one line
 * and registers a skipped suite. What needs no server is pinned in test/unit/qdrant/.
 */
import { randomUUID } from 'node:crypto';
import { QdrantClient } from '@qdrant/js-client-rest';
import { afterEach, describe, expect, it } from 'vitest';
import { QdrantVectorStore } from '../../graph/qdrant/qdrant-vector-store.ts';
import { vectorStoreContract } from './vector-store.contract.ts';

const url = process.env.QDRANT_URL?.trim() || undefined;
const apiKey = process.env.QDRANT_API_KEY?.trim() || undefined;

if (url === undefined) {
  console.info('Qdrant contract suite skipped: QDRANT_URL is not set');
  describe.skip('VectorStore contract: qdrant (set QDRANT_URL to run)', () => {
    it('runs against a live Qdrant', () => {});
  });
} else {
  const admin = new QdrantClient({ url, apiKey, checkCompatibility: false });
  const created: string[] = [];
  const freshName = () => {
    const name = `mkg_test_${randomUUID().replaceAll('-', '')}`;
    created.push(name);
    return name;
  };
  afterEach(async () => {
    // A test may have deleted its collection already; only a collection still there is a failure.
    await Promise.all(created.splice(0).map((name) => admin.deleteCollection(name).catch(async (error: unknown) => {
      if ((await admin.collectionExists(name)).exists) throw error;
    })));
  });

  vectorStoreContract('qdrant', (dimensions) =>
    QdrantVectorStore.connect({ url, apiKey, collection: freshName(), dimensions, batchSize: 100 }));

  describe('QdrantVectorStore specifics (live)', () => {
    it('creates the collection with Cosine distance and every payload index, and verifies it', async () => {
      const collection = freshName();
      const store = await QdrantVectorStore.connect({ url, apiKey, collection, dimensions: 3 });
      const info = await admin.getCollection(collection);
      expect(info.config.params.vectors).toMatchObject({ size: 3, distance: 'Cosine' });
      expect(Object.fromEntries(Object.entries(info.payload_schema).map(([k, v]) => [k, v?.data_type]))).toEqual({
        nodeId: 'keyword', kind: 'keyword', tenant: 'keyword', validFrom: 'integer', validTo: 'integer', retracted: 'bool',
      });
      await store.upsert([{ id: 'a', vector: [1, 0, 0], kind: 'Account' }]);
      expect(await store.verify()).toMatchObject({ collection, dimensions: 3 });
      await store.close();
    });

    it('reopens an existing collection and refuses another dimension, naming both', async () => {
      const collection = freshName();
      const first = await QdrantVectorStore.connect({ url, apiKey, collection, dimensions: 3 });
      await first.upsert([{ id: 'a', vector: [1, 0, 0], kind: 'Account' }]);
      await expect(QdrantVectorStore.connect({ url, apiKey, collection, dimensions: 4 }))
        .rejects.toThrow(/holds 3-dimensional vectors.*opened with 4/);
      const again = await QdrantVectorStore.connect({ url, apiKey, collection, dimensions: 3 });
      expect(await again.count()).toBe(1);
    });

    it('tells a missing collection apart after it was deleted', async () => {
      const collection = freshName();
      const store = await QdrantVectorStore.connect({ url, apiKey, collection, dimensions: 2 });
      await admin.deleteCollection(collection);
      await expect(store.verify()).rejects.toThrow(/does not exist/);
      await expect(store.count()).rejects.toThrow(/does not exist/);
    });
  });
}
