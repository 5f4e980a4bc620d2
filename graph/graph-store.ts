/**
 * The GraphStore port. Adapters (SQLite now, Neo4j next) implement exactly this and pass
 * test/contract/graph-store.contract.ts. Domain code never knows which adapter is behind it.
 * All reads take an optional `asOf` (epoch ms) and honour the bi-temporal rules of schema/graph.ts.
 */
import type { EntityKind, EventType, RelType, Role } from '../schema/ontology.ts';
import type {
  ChunkRecord, EventRecord, FactRecord, GraphBatch, Millis, NodeRecord, RejectInput, RejectRecord,
  RejectSeverity, SourceRecord, WriteResult,
} from '../schema/graph.ts';
import type { Page, PageArgs } from '../schema/pagination.ts';

export interface AsOf {
  asOf?: Millis | null;
}

export interface NodeFilter {
  kind?: EntityKind | null;
  /** Case-insensitive substring of name or an alias. */
  nameContains?: string | null;
  /** Nodes carrying this label (a `HAS_LABEL` fact to `concept:label:<slug>`). */
  label?: string | null;
  ids?: string[] | null;
}

export interface EventFilter {
  type?: EventType | null;
  /** An entity id that takes part in the event. */
  participant?: string | null;
  /** With `participant`: only in this role. */
  role?: Role | null;
  /** `occurredAt >= from`. */
  from?: Millis | null;
  /** `occurredAt <= to`. */
  to?: Millis | null;
  sourceId?: string | null;
}

export interface FactQuery extends AsOf {
  /** `out`: the id is the subject; `in`: the object; @default 'both' */
  direction?: 'out' | 'in' | 'both';
  types?: RelType[] | null;
  /** @default 100 */
  limit?: number;
}

export interface SearchHit {
  id: string;
  /** `entity` or `event`. */
  target: 'entity' | 'event';
  /** Entity kind or event type. */
  label: string;
  name: string;
  score: number;
}

export interface Subgraph {
  nodes: NodeRecord[];
  events: EventRecord[];
  facts: FactRecord[];
  /** True when `limit` cut the expansion short. */
  truncated: boolean;
}

/** A document chunk found by full-text search over chunk text. */
export interface ChunkHit {
  chunk: ChunkRecord;
  /** BM25 relevance, higher is better (comparable within one result list only). */
  score: number;
}

/** How often one verbatim predicate was used, under the canonical type it was mapped to. */
export interface PredicateCount {
  type: RelType;
  /** The wording as the source used it (`predicate` of the facts). */
  predicate: string;
  count: number;
}

export interface CountByKey {
  key: string;
  count: number;
}

export interface GraphStats {
  entities: number;
  events: number;
  facts: number;
  entitiesByKind: CountByKey[];
  eventsByType: CountByKey[];
  factsByType: CountByKey[];
  sources: number;
  rejects: number;
}

export interface RejectFilter {
  sourceId?: string | null;
  severity?: RejectSeverity | null;
}

export interface GraphStore {
  /** Upserts nodes, events and facts atomically and idempotently; counts what changed. */
  writeBatch(batch: GraphBatch): Promise<WriteResult>;
  upsertSource(source: SourceRecord): Promise<void>;
  addRejects(rejects: RejectInput[]): Promise<void>;

  getNode(id: string, opts?: AsOf): Promise<NodeRecord | null>;
  /**
   * The ids among `ids` that name a stored entity, event or chunk, retracted or not and whatever their
   * world time: what tells a retracted row from one that never existed (reconciling the vectors).
   */
  exists(ids: string[]): Promise<Set<string>>;
  getEvent(id: string, opts?: AsOf): Promise<EventRecord | null>;
  findNodes(filter: NodeFilter, page: PageArgs, opts?: AsOf): Promise<Page<NodeRecord>>;
  /** Ordered by `occurredAt` descending, then id. */
  findEvents(filter: EventFilter, page: PageArgs, opts?: AsOf): Promise<Page<EventRecord>>;
  /** Facts whose subject or object is `id`, newest `recordedAt` first. */
  factsOf(id: string, query?: FactQuery): Promise<FactRecord[]>;
  /**
   * `factsOf(id, query)` for each of `ids` at once (`limit` applies per id): every id is a key,
   * with `[]` when it has no visible fact. Loops over many items (schema induction, resolution)
   * use it, so a server store answers a page of items in one round trip instead of one per item.
   */
  factsOfEach(ids: readonly string[], query?: FactQuery): Promise<Map<string, FactRecord[]>>;
  /** Breadth-first expansion over visible facts, at most `depth` hops and `limit` facts. */
  neighborhood(id: string, opts: AsOf & { depth: number; limit: number }): Promise<Subgraph>;
  /** Full-text search over entity names/aliases and event summaries (BM25 ranked). */
  search(text: string, opts: AsOf & { first: number }): Promise<SearchHit[]>;
  stats(opts?: AsOf): Promise<GraphStats>;
  /** The chunks among `ids` visible at `asOf` (missing ids are left out), in no particular order. */
  getChunks(ids: string[], opts?: AsOf): Promise<ChunkRecord[]>;
  /** Full-text search over chunk text (BM25 ranked, best first). */
  searchChunks(text: string, opts: AsOf & { first: number }): Promise<ChunkHit[]>;
  /**
   * Visible facts grouped by (type, verbatim predicate), most used first, then type and predicate.
   * `types` restricts the canonical types counted. What GraphQL `schema { predicates }` shows.
   */
  predicateCounts(opts: AsOf & { types?: RelType[] | null; first: number }): Promise<PredicateCount[]>;
  /**
   * Per id in `objectIds`, how many visible facts of `type` point at it (e.g. INSTANCE_OF facts into
   * concepts = their instance counts). Ids with none are absent from the map.
   */
  countFactsInto(objectIds: string[], type: RelType, opts?: AsOf): Promise<Map<string, number>>;
  listSources(): Promise<SourceRecord[]>;
  /**
   * The facts a source produced that are not retracted (whatever their world time or their ends'
   * visibility), in a stable order, a page at a time: what re-extraction diffs against.
   */
  factsOfSource(sourceId: string, page: PageArgs): Promise<Page<FactRecord>>;
  /**
   * The ids of `factsOfSource`, same order and cursors, without reading the rest of each fact:
   * re-extraction's fast path digests them (SourceRecord.factDigest).
   */
  factIdsOfSource(sourceId: string, page: PageArgs): Promise<Page<string>>;
  /**
   * The ids among `ids` that name a stored fact which is retracted (unknown and live ids are left
   * out): re-extraction writes a fact it finds retracted again under a revival id (schema/ids.ts).
   */
  retractedFactIds(ids: string[]): Promise<Set<string>>;
  /**
   * Marks the nodes, events, facts and chunks with these ids retracted at `at` (system time; never
   * deleted, so reads as of an earlier time still see them). Rows already retracted keep their
   * first retraction. Returns how many rows were newly retracted.
   */
  retract(ids: readonly string[], at: Millis): Promise<number>;
  listRejects(filter: RejectFilter, page: PageArgs): Promise<Page<RejectRecord>>;
  /**
   * Creates what the store needs before use (constraints, indexes) and checks it is there.
   * Idempotent; `mkg migrate` calls it. Stores that migrate on open (SQLite) need not implement it.
   */
  migrate?(): Promise<void>;
  close(): Promise<void>;
}
