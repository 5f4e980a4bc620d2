/**
 * The GraphQL SDL of the read API. Enums come from the closed vocabularies of ontology.ts, so the
 * schema cannot drift from what the stores accept. Times are `DateTime` (ISO-8601, UTC); every
 * read takes an optional `asOf`, and everything nested under a root field honours that field's
 * `asOf`: nothing recorded or valid after it appears anywhere in the response.
 */
import { ENTITY_KINDS, EVENT_TYPES, REL_TYPES, ROLES } from './ontology.ts';
import { JOB_KINDS, JOB_STATUSES } from './jobs.ts';

function enumType(name: string, description: string, values: readonly string[]): string {
  return `"""${description}"""\nenum ${name} {\n${values.map((v) => `  ${v}`).join('\n')}\n}`;
}

export const typeDefs = /* GraphQL */ `
"""
An instant. Output: ISO-8601 in UTC (2024-05-01T12:00:00.000Z). Input: an ISO-8601 timestamp
(a timestamp without a zone is read as UTC) or a date YYYY-MM-DD, meaning 00:00Z of that day.
"""
scalar DateTime

"Any JSON value (free-form attributes)."
scalar JSON

${enumType('EntityKind', 'Kind of an entity (one label per node).', ENTITY_KINDS)}

${enumType('EventType', 'Type of an event.', EVENT_TYPES)}

${enumType('Role', 'Role of a participant in an event.', ROLES)}

${enumType('RelType', 'Canonical predicate (relationship type) of a fact.', REL_TYPES)}

${enumType('JobKind', 'What a job does.', JOB_KINDS)}

${enumType('JobStatus', 'queued → running → completed | failed | cancelled.', JOB_STATUSES)}

"Whether a search hit is an entity or an event."
enum SearchTarget {
  entity
  event
}

"Anything with a graph id: an entity, an event or a document chunk."
interface Node {
  id: ID!
}

"An entity: token, account, contract, protocol, asset, concept, ..."
type Entity implements Node {
  "Deterministic id, e.g. eip155:1:0xabc... or eip155:1/erc20:0xabc..."
  id: ID!
  kind: EntityKind!
  name: String!
  aliases: [String!]!
  attrs: JSON!
  "Names of the concepts this entity has a HAS_LABEL fact to."
  labels: [String!]!
  recordedAt: DateTime!
  validFrom: DateTime
  "End of validity; null while (or, under asOf, as far as then known) still valid."
  validTo: DateTime
  "Facts whose subject or object is this entity, newest first. types: RelType names."
  facts(first: Int = 50, types: [String!]): [Fact!]!
  "Events this entity takes part in, newest first."
  events(type: EventType, role: Role, first: Int = 20, after: String): EventConnection!
  "Document chunks that mention this entity (MENTIONED_IN facts), newest mention first."
  chunks(first: Int = 10): [Chunk!]!
  "Concepts this entity is an instance of (INSTANCE_OF), most specific first, each with its BROADER chain."
  concepts: [Entity!]!
  "Entities recorded as the same real-world thing (SAME_AS facts either way), with their evidence."
  sameAs: [SameAs!]!
}

"A passage of a document: where text facts came from."
type Chunk implements Node {
  "chunk:<sha-256 of the normalised text>: the same passage is one chunk wherever it appears."
  id: ID!
  text: String!
  "Id of the document it was first read from (JSONL id, front-matter id or file name)."
  documentId: String!
  "Position within that document, from 0."
  index: Int!
  "UTF-16 offsets of the text within the document."
  span: Span!
  "Tokens (o200k_base, counted locally)."
  tokens: Int!
  publishedAt: DateTime
  recordedAt: DateTime!
  "The document file it was first read from (PART_OF)."
  source: Source
  "Entities and events this chunk mentions."
  mentions(first: Int = 50): [Node!]!
  "Facts extracted from this chunk (facts whose chunkId is this chunk), mention facts aside."
  facts(first: Int = 50): [Fact!]!
}

type Span {
  start: Int!
  end: Int!
}

"A SAME_AS fact seen from one of its ends."
type SameAs {
  entity: Entity!
  "name, alias or embedding."
  method: String
  confidence: Float!
  fact: Fact!
}

type ChunkHit {
  chunk: Chunk!
  score: Float!
}

"A concept of the induced schema (AutoSchema) with its place in the hierarchy."
type ConceptInfo {
  concept: Entity!
  "Entities and events that are INSTANCE_OF it directly."
  instances: Int!
  "More general concepts (BROADER)."
  broader: [Entity!]!
}

type ConceptEdge {
  node: ConceptInfo!
  cursor: String!
}

type ConceptConnection {
  edges: [ConceptEdge!]!
  pageInfo: PageInfo!
  totalCount: Int!
}

"A verbatim predicate and the canonical relationship type it was mapped to."
type PredicateCount {
  type: RelType!
  predicate: String!
  count: Int!
}

"The schema induced from the data: concepts and how sources word their predicates."
type InducedSchema {
  "Concepts, by name. nameContains filters case-insensitively."
  concepts(nameContains: String, first: Int = 20, after: String): ConceptConnection!
  "Verbatim predicates with their canonical type and counts, most used first."
  predicates(type: RelType, first: Int = 50): [PredicateCount!]!
}

"Something that happened: a transfer, a swap, a price move, an incident, ..."
type Event implements Node {
  id: ID!
  type: EventType!
  occurredAt: DateTime!
  recordedAt: DateTime!
  summary: String!
  amounts: [Amount!]!
  attrs: JSON!
  participants: [Participant!]!
  "Facts whose subject or object is this event, newest first."
  facts(first: Int = 50): [Fact!]!
  "Where the event came from; null if that source was not yet recorded at asOf."
  source: Source
  "Document chunks that mention this event (text events: the passage they were read from)."
  chunks(first: Int = 10): [Chunk!]!
  "Concepts this event is an instance of (INSTANCE_OF)."
  concepts: [Entity!]!
  extractor: String!
  extractorVersion: String!
}

"An entity taking part in an event (a PARTICIPANT fact)."
type Participant {
  role: Role!
  "Null when the entity is not visible at asOf."
  entity: Entity
  factId: ID!
}

"A quantity; on-chain values are exact decimal strings."
type Amount {
  "What the amount is within its event, e.g. value, amount0In, loss."
  role: String!
  "Decimal string in whole units; null when the decimals are unknown."
  value: String
  "Raw integer string as it appeared on chain."
  raw: String
  decimals: Int
  "Symbol or currency (WETH, USD, ETH)."
  unit: String
  token: Entity
}

"A triple with provenance: subject -[type]-> object."
type Fact {
  id: ID!
  type: RelType!
  "The wording the source used."
  predicate: String!
  subject: Node
  object: Node
  role: Role
  confidence: Float!
  validFrom: DateTime
  validTo: DateTime
  recordedAt: DateTime!
  "Null under asOf when the retraction came later."
  retractedAt: DateTime
  source: Source
  chunkId: String
  "The passage the fact was read from (text extraction only)."
  chunk: Chunk
  extractor: String!
  extractorVersion: String!
  attrs: JSON!
}

type PageInfo {
  hasNextPage: Boolean!
  "Pass as after to get the next page."
  endCursor: String
}

type EntityEdge {
  node: Entity!
  cursor: String!
}

type EntityConnection {
  edges: [EntityEdge!]!
  pageInfo: PageInfo!
  totalCount: Int!
}

type EventEdge {
  node: Event!
  cursor: String!
}

type EventConnection {
  edges: [EventEdge!]!
  pageInfo: PageInfo!
  totalCount: Int!
}

type RejectEdge {
  node: Reject!
  cursor: String!
}

type RejectConnection {
  edges: [RejectEdge!]!
  pageInfo: PageInfo!
  totalCount: Int!
}

type SearchHit {
  id: ID!
  target: SearchTarget!
  "Entity kind or event type."
  label: String!
  name: String!
  score: Float!
  "Set when target is entity."
  entity: Entity
  "Set when target is event."
  event: Event
}

"A bounded neighbourhood of a node."
type Subgraph {
  nodes: [Entity!]!
  events: [Event!]!
  facts: [Fact!]!
  "True when limit cut the expansion short."
  truncated: Boolean!
}

type CountByKey {
  key: String!
  count: Int!
}

type Stats {
  entities: Int!
  events: Int!
  facts: Int!
  entitiesByKind: [CountByKey!]!
  eventsByType: [CountByKey!]!
  factsByType: [CountByKey!]!
  sources: Int!
  rejects: Int!
}

"An ingested input (file or feed)."
type Source {
  id: ID!
  uri: String!
  "Detected file kind, e.g. eth-logs, ohlcv, incidents."
  kind: String!
  contentHash: String!
  "Reader/extractor version set that last processed it."
  version: String!
  recordedAt: DateTime!
  records: Int!
  rejected: Int!
}

"An input record that could not be used (error) or was kept with a caveat (warning)."
type Reject {
  id: ID!
  sourceId: String
  file: String!
  line: Int
  code: String!
  reason: String!
  raw: String
  "error or warning"
  severity: String!
  recordedAt: DateTime!
}

input EntityFilter {
  kind: EntityKind
  "Case-insensitive substring of the name or an alias."
  nameContains: String
  "A label name or slug, e.g. dex (HAS_LABEL to concept:label:<slug>)."
  label: String
}

input EventFilter {
  type: EventType
  "An entity id taking part in the event."
  participant: ID
  "With participant: only in this role."
  role: Role
  "occurredAt >= from"
  from: DateTime
  "occurredAt <= to"
  to: DateTime
  sourceId: String
}

"Where a job is: a phase and how far through it."
type JobProgress {
  "e.g. reading, extracting, diffing, retracting, embedding."
  phase: String!
  done: Int!
  "Null while unknown."
  total: Int
}

"LLM calls a job made (extraction, schema induction)."
type LlmUsage {
  promptTokens: Int!
  completionTokens: Int!
  "HTTP requests sent, retries and repairs included."
  calls: Int!
  retries: Int!
  repairs: Int!
  "Answers served from the cache (no request)."
  cached: Int!
}

type JobError {
  "A MarketGraph error code (NOT_FOUND, FILE_UNREADABLE, STORE_ERROR, …) or INTERNAL."
  code: String!
  message: String!
  "Transient (its retries ran out) or permanent (never retried)."
  retryable: Boolean!
}

"""
A job: ingest, re-extraction, schema induction or embedding. added, retracted, unchanged and
rejected count facts (re-extraction) or rows (ingest) the job changed.
"""
type Job {
  id: ID!
  kind: JobKind!
  status: JobStatus!
  "The validated input."
  input: JSON!
  progress: JobProgress!
  added: Int!
  retracted: Int!
  unchanged: Int!
  rejected: Int!
  llm: LlmUsage
  "Attempts started (a transient failure or a crashed worker starts another)."
  attempts: Int!
  maxAttempts: Int!
  error: JobError
  "Kind-specific summary: the ingest report, the diff of a re-extraction (a dry run's too)."
  result: JSON
  createdAt: DateTime!
  startedAt: DateTime
  finishedAt: DateTime
  "finishedAt − startedAt, in milliseconds."
  durationMs: Int
}

type JobEdge {
  node: Job!
  cursor: String!
}

type JobConnection {
  edges: [JobEdge!]!
  pageInfo: PageInfo!
  totalCount: Int!
}

"""
What to re-extract: at least one of source, extractor, from/to or entity; together they narrow
each other. The current extractor versions are re-run over the selected sources; facts no longer
produced are retracted (never deleted), new ones added, unchanged ones left alone.
"""
input ReextractInput {
  "A source id, as sources lists it."
  source: String
  "Facts written by this extractor (e.g. price-move, incidents, rules, llm:gpt-4o-mini)."
  extractor: String
  extractorVersion: String
  "Facts whose world time (validFrom, else recordedAt) is at or after from."
  from: DateTime
  to: DateTime
  "Facts with this entity or event as subject or object."
  entity: ID
  "Detector parameters of the re-run: facts the old ones found and the new ones do not are retracted."
  detectors: DetectorParamsInput
  "Compute the diff (in the job's result and counts) without writing anything."
  dryRun: Boolean = false
}

"Detector parameters of a run; absent ones keep their defaults (PriceMove k=3 over 20 returns, Drawdown 20 %, VolumeSpike 3× the 20-bar mean)."
input DetectorParamsInput {
  priceMove: PriceMoveParamsInput
  drawdown: DrawdownParamsInput
  volumeSpike: VolumeSpikeParamsInput
}

input PriceMoveParamsInput {
  "Previous log returns σ is estimated from."
  window: Int
  "Threshold in standard deviations."
  k: Float
}

input DrawdownParamsInput {
  "Decline from the running peak, as a fraction (0.2 = 20 %)."
  threshold: Float
}

input VolumeSpikeParamsInput {
  window: Int
  "How many times the mean volume counts as a spike."
  multiple: Float
}

"A file's content carried in the job, so any worker can ingest it."
input UploadInput {
  "File name (letters, digits, _, . and -); its extension and content decide how it is read."
  name: String!
  content: String!
}

input IngestInput {
  "Files or directories on the workers' file system."
  paths: [String!]
  uploads: [UploadInput!]
  "Chain of files that do not name one."
  chainId: Int
  "Symbol of a single-series OHLCV file."
  symbol: String
  detectors: DetectorParamsInput
}

type Mutation {
  "Queues an ingest job."
  ingest(input: IngestInput!): Job!
  "Queues a re-extraction; one already queued or running for the same source is returned instead."
  reextract(input: ReextractInput!): Job!
  "Queues schema induction (concepts for what has none yet)."
  induceSchema: Job!
  "Queues embedding of entities and events into the vector store."
  embed: Job!
  "Cancels a queued job, or stops a running one at its next progress point; null for an unknown id."
  cancelJob(id: ID!): Job
}

type Subscription {
  "The job now and after every change until it finishes (Server-Sent Events)."
  jobProgress(id: ID!): Job!
}

"Which consumer a context is for (shapes nothing yet beyond the budget; recorded with the request)."
enum Consumer {
  trading
  portfolio
  risk
  analyst
}

input ContextInput {
  "The question, in words, with any addresses, tickers, CAIP ids or incident names."
  question: String!
  "Nothing recorded or valid after asOf is used. Default: now."
  asOf: DateTime
  "Most tokens (o200k, counted locally) of the text. 1 to 100,000."
  tokenBudget: Int = 1000
  consumer: Consumer = trading
  "Expansion depth from the seeds, 1 to 3."
  maxHops: Int = 2
}

"A fact in a context, with its citation."
type ContextFact {
  id: ID!
  subject: ID!
  subjectName: String!
  "The canonical relationship type (EXPLOITED, PARTICIPANT, …)."
  type: String!
  "The wording the source used (for PARTICIPANT, the role)."
  predicate: String!
  object: ID!
  objectName: String!
  time: DateTime
  confidence: Float!
  "Source id."
  source: String!
  chunkId: String
  "Rank score (personalised PageRank × recency × confidence)."
  score: Float!
}

type ContextSeed {
  id: ID!
  name: String!
  "How it was found: exact, bm25, vector."
  via: [String!]!
  score: Float!
}

type ContextTimings {
  seedMs: Float!
  expandMs: Float!
  rankMs: Float!
  serializeMs: Float!
  totalMs: Float!
}

"Graph-RAG context: compact fact lines with citations, the same facts as data, and how they were found."
type Context {
  text: String!
  tokens: Int!
  facts: [ContextFact!]!
  seeds: [ContextSeed!]!
  "Supernodes (e.g. exchange hot wallets) summarised instead of expanded."
  summaries: JSON!
  timings: ContextTimings!
}

"An event behind a ticker's view tilt."
type TickerSignal {
  eventId: ID!
  type: EventType!
  occurredAt: DateTime!
  summary: String!
  "The participant fact linking the event to the ticker's entity or protocol."
  factId: ID!
  role: Role!
  "Observed return as a fraction (PriceMove %/100, −drawdown depth, −0.5 for an incident; 0 for a volume spike)."
  move: Float!
  "Its share of the tilt: 0.1 × move × 2^(−age / (lookback / 2))."
  contribution: Float!
}

"One ticker's view: a tilt to add to the optimizer's mean return, with the events and facts behind it."
type TickerView {
  ticker: String!
  "The asset or token it resolved to; null when unknown."
  entityId: ID
  entityIds: [ID!]!
  tilt: Float!
  signals: [TickerSignal!]!
  evidence: [ID!]!
}

type Exclusion {
  ticker: String!
  reason: String!
  evidence: [ID!]!
}

"cufolio's weight_bounds."
type WeightBounds {
  w_min: Float!
  w_max: Float!
}

"cufolio's group_constraints entry."
type GroupConstraint {
  group_name: String!
  tickers: [String!]!
  weight_bounds: WeightBounds!
  evidence: [ID!]!
}

"An extra scenario column for R: a shock per affected ticker."
type StressScenario {
  name: String!
  eventId: ID!
  occurredAt: DateTime!
  "Ticker → return (fraction)."
  shocks: JSON!
  evidence: [ID!]!
}

type UnknownTicker {
  ticker: String!
  reason: String!
}

"""
Signals for the mean-CVaR optimizer in its own parameter shapes (INTEROP §B): w_min / w_max as
ticker → float dicts with an "others" fallback (exclusions are w_max 0.0), group_constraints, stress
scenarios, and per ticker view tilts — each with the fact and event ids behind it.
"""
type PortfolioSignals {
  asOf: DateTime!
  lookbackDays: Int!
  "Start of the look-back window."
  from: DateTime!
  tickers: [TickerView!]!
  w_min: JSON!
  w_max: JSON!
  exclusions: [Exclusion!]!
  group_constraints: [GroupConstraint!]!
  stress_scenarios: [StressScenario!]!
  "Tickers the graph does not know, each with the reason; the rest are answered."
  unknown: [UnknownTicker!]!
}

"One hop of a path: from an entity to the next, through an event or a direct fact."
type PathStep {
  from: ID!
  to: ID!
  "Relationship or event type of the hop."
  type: String!
  role: String
  eventId: ID
  factIds: [ID!]!
  time: DateTime
  txHash: String
  amounts: JSON
}

type Path {
  steps: [PathStep!]!
}

type FlaggedEntity {
  id: ID!
  name: String!
  "Why it is flagged, e.g. attacker in an incident, label: mixer."
  reasons: [String!]!
  hops: Int!
  weight: Float!
  path: Path
}

"How exposed an entity is to flagged ones (exploiters, attack contracts, sanctioned, mixers) within maxHops."
type RiskExposure {
  subject: ID!
  "0 (none found) to 1."
  score: Float!
  flagged: [FlaggedEntity!]!
  "True when fan-out caps cut the search short."
  truncated: Boolean!
}

"""
Every asOf is a bi-temporal cut: only what was recorded and valid at that instant is visible,
in the field itself and in everything nested under it.
"""
type Query {
  "An entity by id (CAIP ids in any letter case)."
  entity(id: ID!, asOf: DateTime): Entity
  "An event by id."
  event(id: ID!, asOf: DateTime): Event
  "An entity, an event or a chunk by id."
  node(id: ID!, asOf: DateTime): Node
  "A document chunk by id."
  chunk(id: ID!, asOf: DateTime): Chunk
  "Full-text search over document chunks (BM25)."
  searchChunks(text: String!, first: Int = 10, asOf: DateTime): [ChunkHit!]!
  "The induced schema (concepts, predicate mapping) as of asOf."
  schema(asOf: DateTime): InducedSchema!
  entities(filter: EntityFilter, first: Int = 20, after: String, asOf: DateTime): EntityConnection!
  "Events, newest occurredAt first."
  events(filter: EventFilter, first: Int = 20, after: String, asOf: DateTime): EventConnection!
  "Full-text search over entity names/aliases and event summaries."
  search(text: String!, first: Int = 10, asOf: DateTime): [SearchHit!]!
  "Breadth-first expansion around a node: depth 1 to 3 hops, at most limit (up to 2000) facts."
  neighborhood(id: ID!, depth: Int = 1, limit: Int = 200, asOf: DateTime): Subgraph!
  stats(asOf: DateTime): Stats!
  sources: [Source!]!
  "Graph-RAG context for a question, within a token budget, with no look-ahead past asOf."
  context(input: ContextInput!): Context!
  "Shortest paths between two entities (a transfer or swap between them is one hop), up to maxHops (1 to 4)."
  paths(from: ID!, to: ID!, maxHops: Int = 3, asOf: DateTime, first: Int = 5): [Path!]!
  "Event-driven signals for a portfolio optimizer over a ticker universe, from the lookbackDays (1 to 3650) before asOf."
  portfolioSignals(universe: [String!]!, asOf: DateTime, lookbackDays: Int = 90): PortfolioSignals!
  "Exposure of an entity to flagged ones within maxHops (1 to 4), with the evidence paths."
  riskExposure(subject: ID!, asOf: DateTime, maxHops: Int = 3): RiskExposure!
  "Jobs, newest first."
  jobs(status: JobStatus, kind: JobKind, first: Int = 20, after: String): JobConnection!
  job(id: ID!): Job
  "Rejected records; severity is error or warning."
  rejects(sourceId: String, severity: String, first: Int = 50, after: String): RejectConnection!
}
`;
