/**
 * Factories that pick adapters from configuration. Only the embedded SQLite adapters exist so far;
 * Neo4j and Qdrant plug in here behind the same ports.
 */
import type { Config } from '../schema/config.ts';
import type { GraphStore } from './graph-store.ts';
import type { VectorStore } from './vector-store.ts';
import { SqliteGraphStore } from './sqlite/sqlite-graph-store.ts';
import { SqliteVectorStore } from './sqlite/sqlite-vector-store.ts';

export async function createGraphStore(config: Pick<Config, 'dbPath'>): Promise<GraphStore> {
  return SqliteGraphStore.open(config.dbPath);
}

export async function createVectorStore(config: Pick<Config, 'dbPath' | 'vectorDimensions'>): Promise<VectorStore> {
  return SqliteVectorStore.open(config.dbPath, { dimensions: config.vectorDimensions });
}
