/**
 * The graph schema, versioned by `PRAGMA user_version`. Migrations only ever append: a database
 * at version N runs migrations N+1.. in one transaction. Times are INTEGER epoch ms; JSON columns
 * (`aliases`, `attrs`, `amounts`) hold compact JSON text.
 *
 * Every table has an INTEGER `rid` (the rowid) next to its text `id`: the FTS index needs integer
 * rowids, and rowid order doubles as the stable insertion order of facts and rejects.
 */
import type { DatabaseSync } from 'node:sqlite';
import { StoreError } from '../../schema/errors.ts';
import { EVENT_TYPES, isTextSearchable } from '../../schema/ontology.ts';
import { aliasTermText, termText } from '../search-terms.ts';
import { eventSearchRowid } from './graph-writer.ts';
import { inTransaction } from './open-database.ts';

const V1 = `
CREATE TABLE nodes (
  rid           INTEGER PRIMARY KEY,
  id            TEXT    NOT NULL UNIQUE,
  kind          TEXT    NOT NULL,
  name          TEXT    NOT NULL,
  name_priority INTEGER NOT NULL,
  aliases       TEXT    NOT NULL,
  attrs         TEXT    NOT NULL,
  -- lower-cased name and aliases, one per line: SQLite's lower() folds ASCII only.
  search_key    TEXT    NOT NULL,
  valid_from    INTEGER,
  valid_to      INTEGER,
  recorded_at   INTEGER NOT NULL,
  retracted_at  INTEGER,
  source_id     TEXT    NOT NULL
);
CREATE INDEX nodes_by_kind ON nodes (kind, id);

CREATE TABLE events (
  rid               INTEGER PRIMARY KEY,
  id                TEXT    NOT NULL UNIQUE,
  type              TEXT    NOT NULL,
  occurred_at       INTEGER NOT NULL,
  summary           TEXT    NOT NULL,
  amounts           TEXT    NOT NULL,
  attrs             TEXT    NOT NULL,
  recorded_at       INTEGER NOT NULL,
  retracted_at      INTEGER,
  source_id         TEXT    NOT NULL,
  extractor         TEXT    NOT NULL,
  extractor_version TEXT    NOT NULL
);
CREATE INDEX events_by_type_time ON events (type, occurred_at);
CREATE INDEX events_by_time ON events (occurred_at);
CREATE INDEX events_by_source ON events (source_id);

CREATE TABLE facts (
  rid               INTEGER PRIMARY KEY,
  id                TEXT    NOT NULL UNIQUE,
  subject           TEXT    NOT NULL,
  type              TEXT    NOT NULL,
  predicate         TEXT    NOT NULL,
  object            TEXT    NOT NULL,
  role              TEXT,
  confidence        REAL    NOT NULL,
  valid_from        INTEGER,
  valid_to          INTEGER,
  recorded_at       INTEGER NOT NULL,
  retracted_at      INTEGER,
  source_id         TEXT    NOT NULL,
  chunk_id          TEXT,
  extractor         TEXT    NOT NULL,
  extractor_version TEXT    NOT NULL,
  attrs             TEXT    NOT NULL
);
CREATE INDEX facts_by_subject ON facts (subject, type);
CREATE INDEX facts_by_object ON facts (object, type, role);
CREATE INDEX facts_by_source ON facts (source_id);

CREATE TABLE sources (
  id           TEXT    PRIMARY KEY,
  uri          TEXT    NOT NULL,
  kind         TEXT    NOT NULL,
  content_hash TEXT    NOT NULL,
  version      TEXT    NOT NULL,
  recorded_at  INTEGER NOT NULL,
  records      INTEGER NOT NULL,
  rejected     INTEGER NOT NULL
);

CREATE TABLE rejects (
  rid         INTEGER PRIMARY KEY,
  source_id   TEXT,
  file        TEXT    NOT NULL,
  line        INTEGER,
  code        TEXT    NOT NULL,
  reason      TEXT    NOT NULL,
  raw         TEXT,
  severity    TEXT    NOT NULL,
  recorded_at INTEGER NOT NULL
);
CREATE INDEX rejects_by_time ON rejects (recorded_at, rid);
-- The same reject seen again (a re-ingest of the same file) is not a new one.
CREATE UNIQUE INDEX rejects_identity ON rejects (ifnull(source_id, ''), file, ifnull(line, -1), code, reason);
CREATE INDEX rejects_by_source ON rejects (source_id, recorded_at, rid);

-- One BM25 index for entities and events so their scores are comparable. Contentless (the text
-- lives in nodes/events) with delete support, so renamed nodes can be re-indexed. Row ids:
-- a node's rid as is, an event's rid negated (eventSearchRowid in graph-writer.ts).
CREATE VIRTUAL TABLE search_fts USING fts5 (
  name, aliases,
  content = '', contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 2'
);
`;

/**
 * Document chunks (schema/graph.ts ChunkInput): immutable once written (the id is a content hash and
 * the first write wins), so their text can back an external-content FTS index. That index is its
 * own (`chunk_fts`), not a part of `search_fts`: passages are long and numerous, and in one index
 * they would shift the BM25 statistics, and so the scores, of entity and event search.
 */
const V2 = `
CREATE TABLE chunks (
  rid          INTEGER PRIMARY KEY,
  id           TEXT    NOT NULL UNIQUE,
  source_id    TEXT    NOT NULL,
  document_id  TEXT    NOT NULL,
  idx          INTEGER NOT NULL,
  text         TEXT    NOT NULL,
  span_start   INTEGER NOT NULL,
  span_end     INTEGER NOT NULL,
  tokens       INTEGER NOT NULL,
  published_at INTEGER,
  recorded_at  INTEGER NOT NULL,
  retracted_at INTEGER
);
CREATE INDEX chunks_by_document ON chunks (document_id, idx);

-- Rows are added by the writer (chunks are never updated in text nor deleted), same tokenizer as
-- search_fts so both searches cut and fold words alike.
CREATE VIRTUAL TABLE chunk_fts USING fts5 (
  text,
  content = 'chunks', content_rowid = 'rid',
  tokenize = 'unicode61 remove_diacritics 2'
);
`;

/**
 * A source's fact digest (SourceRecord.factDigest): what its last full extraction produced, so
 * that re-extraction can skip an unchanged source. Sources written before have none (NULL).
 */
const V3 = `
ALTER TABLE sources ADD COLUMN fact_digest TEXT;
`;

/**
 * Both full-text indexes hold the term text of graph/search-terms.ts (the Neo4j store indexes the
 * same terms, so both find the same things), not the raw text: they are rebuilt, and chunk_fts
 * becomes contentless, since its content is no longer the chunks' text. {@link reindexSearch}
 * fills them again in the same transaction.
 */
const V4 = `
DROP TABLE search_fts;
CREATE VIRTUAL TABLE search_fts USING fts5 (
  name, aliases,
  content = '', contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 2'
);
DROP TABLE chunk_fts;
CREATE VIRTUAL TABLE chunk_fts USING fts5 (
  text,
  content = '',
  tokenize = 'unicode61 remove_diacritics 2'
);
`;

/**
 * Migration n (1-based) brings the database from user_version n-1 to n. Exported so the upgrade
 * test can build a database exactly as an older MarketGraph left it.
 */
export const MIGRATIONS: readonly string[] = [V1, V2, V3, V4];

/** Steps that need code after a migration's SQL, by the version they bring the database to. */
const AFTER: Readonly<Record<number, (db: DatabaseSync) => void>> = { 4: reindexSearch };

/** Fills both full-text indexes from the stored nodes, searchable events and chunks. */
function reindexSearch(db: DatabaseSync): void {
  const text = db.prepare('INSERT INTO search_fts (rowid, name, aliases) VALUES (?, ?, ?)');
  for (const row of db.prepare('SELECT rid, name, aliases FROM nodes').iterate()) {
    text.run(row.rid as number, termText(row.name as string), aliasTermText(JSON.parse(row.aliases as string) as string[]));
  }
  const searchable = EVENT_TYPES.filter(isTextSearchable);
  const events = db.prepare(`SELECT rid, summary FROM events WHERE type IN (${searchable.map(() => '?').join(', ')})`);
  for (const row of events.iterate(...searchable)) text.run(eventSearchRowid(row.rid as number), termText(row.summary as string), '');
  const chunk = db.prepare('INSERT INTO chunk_fts (rowid, text) VALUES (?, ?)');
  for (const row of db.prepare('SELECT rid, text FROM chunks').iterate()) chunk.run(row.rid as number, termText(row.text as string));
}

/** The schema version this code writes. */
export const GRAPH_SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the database up to {@link GRAPH_SCHEMA_VERSION}.
 * @throws StoreError when the file was written by a newer MarketGraph
 */
export function migrateGraph(db: DatabaseSync): void {
  const row = db.prepare('PRAGMA user_version').get() as { user_version: number };
  const current = row.user_version;
  if (current > GRAPH_SCHEMA_VERSION) {
    throw new StoreError(
      'sqlite graph store',
      `database schema version ${current} is newer than this code supports (${GRAPH_SCHEMA_VERSION})`,
    );
  }
  if (current === GRAPH_SCHEMA_VERSION) return;
  inTransaction(db, () => {
    for (let v = current; v < GRAPH_SCHEMA_VERSION; v++) {
      db.exec(MIGRATIONS[v]!);
      AFTER[v + 1]?.(db);
    }
    db.exec(`PRAGMA user_version = ${GRAPH_SCHEMA_VERSION}`);
  });
}
