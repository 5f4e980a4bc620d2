/**
 * The GraphDump port: every row a graph store holds — retracted or not, whatever its world time —
 * a page at a time, for bulk copies into another store (`mkg export --format neo4j-admin`). No
 * visibility rule applies, unlike the reads of the GraphStore port: a copy must keep history too.
 *
 * Pages are bounded (the adapter's page size), so a copy of a store with millions of transfers
 * never holds more than one page per table in memory. An adapter reads one consistent snapshot
 * from the first page to `close()`, so the tables agree with each other even while writers go on.
 */
import type { ChunkRecord, EventRecord, FactRecord, NodeRecord, RejectInput, SourceRecord } from '../schema/graph.ts';

/** An entity as stored: its record plus what writers merge by (node-merge.ts NodeState). */
export interface DumpedNode extends NodeRecord {
  /** How strongly the source vouches for `name` (schema/graph.ts NamePriority). */
  namePriority: number;
  /** The source of the node's first write. */
  sourceId: string;
}

/** An event as stored; its participants are PARTICIPANT facts, which `facts()` returns. */
export type DumpedEvent = Omit<EventRecord, 'participants'>;

/**
 * A reject as reported. Its id is left out: each store keys rejects its own way (SQLite by row,
 * Neo4j by a hash of what the report is about), and a copy gives it the target's.
 */
export type DumpedReject = RejectInput;

/** Pages of rows of one kind, in the order the method names; never an empty page. */
export type DumpPages<T> = AsyncIterable<readonly T[]>;

export interface GraphDump {
  /** What is being dumped, for messages, e.g. `SQLite file /data/graph.db`. */
  readonly description: string;
  /** Every entity, in write order. */
  nodes(): DumpPages<DumpedNode>;
  /** Every event, in write order. */
  events(): DumpPages<DumpedEvent>;
  /** Every document chunk, in write order. */
  chunks(): DumpPages<ChunkRecord>;
  /** Every fact, in write order (what orders an event's participants). */
  facts(): DumpPages<FactRecord>;
  /** Every source record, by id. */
  sources(): DumpPages<SourceRecord>;
  /** Every reject, in write order. */
  rejects(): DumpPages<DumpedReject>;
  /**
   * Each id that some fact names as its subject or object but no entity, event or chunk row
   * describes (a fact may name an id before anything describes it), once, sorted.
   */
  undescribedFactEnds(): DumpPages<string>;
  /** Each source id that some chunk names but no source record describes, once, sorted. */
  undescribedChunkSources(): DumpPages<string>;
  /** Ends the snapshot. The store it reads stays open (its owner closes it). */
  close(): Promise<void>;
}
