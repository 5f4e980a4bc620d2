/**
 * The collection a QdrantVectorStore writes to: one unnamed dense vector of the configured size with
 * Cosine distance, plus the payload indexes of payload.ts. `ensureCollection` creates what is
 * missing and refuses a collection that cannot be used as it is; `checkCollection` only looks.
 */
import type { QdrantClient, Schemas } from '@qdrant/js-client-rest';
import { httpStatus, schemaMismatch } from './failures.ts';
import { PAYLOAD_INDEXES, type PayloadIndex } from './payload.ts';

export const DISTANCE = 'Cosine';

type CollectionInfo = Pick<Schemas['CollectionInfo'], 'config' | 'payload_schema'>;

/**
 * Checks an existing collection's vector parameters and payload indexes against what this store
 * needs; returns the indexes still to create.
 * @throws when the vector size, distance or an index's type differs, naming both sides
 */
export function checkCollection(name: string, info: CollectionInfo, dimensions: number): PayloadIndex[] {
  const vectors = info.config.params.vectors;
  if (vectors === undefined || typeof vectors.size !== 'number') {
    const names = vectors === undefined ? 'none' : Object.keys(vectors).join(', ');
    throw schemaMismatch(
      `collection "${name}" has no single unnamed vector (named vectors: ${names}); it was not created by MarketGraph`,
    );
  }
  const { size, distance } = vectors as Schemas['VectorParams'];
  if (size !== dimensions) {
    throw schemaMismatch(
      `dimension mismatch: collection "${name}" holds ${size}-dimensional vectors, the store was opened with ${dimensions}`,
    );
  }
  if (distance !== DISTANCE) {
    throw schemaMismatch(`collection "${name}" uses ${distance} distance; MarketGraph scores with ${DISTANCE}`);
  }
  const missing: PayloadIndex[] = [];
  for (const index of PAYLOAD_INDEXES) {
    const found = info.payload_schema[index.field];
    if (found === undefined) missing.push(index);
    else if (found.data_type !== index.type) {
      throw schemaMismatch(
        `collection "${name}" indexes payload field ${index.field} as ${found.data_type}, expected ${index.type}`,
      );
    }
  }
  return missing;
}

/** Reads collection info, waiting out the brief 5xx a collection answers while another client creates it. */
async function readAfterConflict(client: QdrantClient, name: string): Promise<Schemas['CollectionInfo']> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await client.getCollection(name);
    } catch (error) {
      const status = httpStatus(error);
      if (attempt >= 4 || status === null || status < 500) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
    }
  }
}

/**
 * Creates the collection (size `dimensions`, Cosine) if it does not exist, validates it if it does,
 * and creates any missing payload index, each with `wait: true`.
 * @returns whether this call created the collection
 */
export async function ensureCollection(client: QdrantClient, name: string, dimensions: number): Promise<boolean> {
  let missing: readonly PayloadIndex[] = PAYLOAD_INDEXES;
  let created = false;
  const { exists } = await client.collectionExists(name);
  if (!exists) {
    try {
      await client.createCollection(name, { vectors: { size: dimensions, distance: DISTANCE } });
      created = true;
    } catch (error) {
      // 409: another client created it between our check and our create; use theirs if it fits.
      if (httpStatus(error) !== 409) throw error;
      missing = checkCollection(name, await readAfterConflict(client, name), dimensions);
    }
  } else {
    missing = checkCollection(name, await client.getCollection(name), dimensions);
  }
  for (const index of missing) {
    await client.createPayloadIndex(name, { field_name: index.field, field_schema: index.schema, wait: true });
  }
  return created;
}
