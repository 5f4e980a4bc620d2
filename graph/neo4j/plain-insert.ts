/**
 * The benchmark's ceiling for the Neo4j `writeBatch` (bench/write-batching.ts), the counterpart of
 * graph/sqlite/plain-insert.ts: already-final, new rows written with plain `UNWIND $rows … CREATE`
 * statements (cypher/bench-writes.ts) of the same rows and properties the writer sends, in one
 * managed transaction, statements of `batchSize` rows, with the constraints in place; no
 * placeholders, no locks, no read-back, no MERGE, no counts. The rows come from the writer's own
 * planning functions (write-plan.ts), so both store the same shape and differ only in the work the
 * writer does to stay idempotent. Not for ingestion: a repeated id fails on the uniqueness
 * constraint, and a fact end must be in the batch or already stored.
 */
import type { Driver } from 'neo4j-driver';
import { InvalidArgumentError } from '../../schema/errors.ts';
import type { GraphBatch } from '../../schema/graph.ts';
import { emptyWriteResult } from '../../schema/graph.ts';
import { PLAIN_CREATE_EVENTS, PLAIN_CREATE_FACTS, PLAIN_CREATE_NODES } from './cypher/bench-writes.ts';
import { storeFailure, type Neo4jTarget } from './connect.ts';
import { chunks, update, type Scope } from './runner.ts';
import { planEvents, planFacts, planNodes, prepareBatch, WriteClock, type PreparedBatch } from './write-plan.ts';

export interface PlainInsertTarget {
  /** The driver of the store the rows go into (the caller's; never closed here). */
  driver: Driver;
  /** @default 'neo4j' */
  database?: string;
  /** The store's namespace. @default '' */
  namespace?: string;
  /** Rows per statement, as the store's own `batchSize`. @default 2000 */
  batchSize?: number;
  /** The driver's URI and user, for error messages only. @default 'neo4j', '' */
  uri?: string;
  user?: string;
}

// Write-order numbers for facts, as the store's WriteClock hands them out (never repeating here).
const clock = new WriteClock();

/** The plain statements for a prepared batch inside `scope`'s transaction. */
export async function plainInsertPrepared(scope: Scope, batch: PreparedBatch, batchSize: number, writeClock: WriteClock = clock): Promise<void> {
  const counts = emptyWriteResult();
  const nodeRows = planNodes(batch.nodes, new Map(), counts.nodes);
  for (const rows of chunks(nodeRows, batchSize)) await update(scope, PLAIN_CREATE_NODES, { rows });
  const eventRows = planEvents(batch.events, new Map(), counts.events);
  for (const rows of chunks(eventRows, batchSize)) await update(scope, PLAIN_CREATE_EVENTS, { rows });
  const { rows: factRows } = planFacts(batch.facts, writeClock.take(batch.facts.length));
  for (const rows of chunks(factRows, batchSize)) await update(scope, PLAIN_CREATE_FACTS, { rows });
}

/**
 * Creates final rows with no merging or counting (benchmark ceiling). Each node, event and fact id
 * must be new to the namespace and appear once in `batch`; chunks are not supported.
 * @throws InvalidArgumentError for chunks or anything `writeBatch` would refuse; StoreError when
 *   the server fails (e.g. a repeated id)
 */
export async function plainInsert(target: PlainInsertTarget, batch: GraphBatch): Promise<void> {
  if ((batch.chunks?.length ?? 0) > 0) throw new InvalidArgumentError('batch.chunks', 'plainInsert writes no chunks');
  const prepared = prepareBatch(batch);
  const database = target.database ?? 'neo4j';
  const batchSize = target.batchSize ?? 2000;
  const session = target.driver.session({ database });
  try {
    await session.executeWrite(
      (tx) => plainInsertPrepared({ tx, ns: target.namespace ?? '' }, prepared, batchSize),
      { metadata: { app: 'marketgraph', action: 'plainInsert' } },
    );
  } catch (error) {
    const where: Neo4jTarget = { uri: target.uri ?? 'neo4j', user: target.user ?? '', database };
    throw storeFailure(where, 'plainInsert', error);
  } finally {
    await session.close();
  }
}
