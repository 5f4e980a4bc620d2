/**
 * The benchmark's ceiling for `writeBatch`: plain prepared INSERTs of already-final rows into the
 * same tables (FTS rows included), one transaction, no merging, no conflict handling, no counts.
 * Rows are laid out exactly as the writer lays them out, so the two differ only in the work the
 * writer does to stay idempotent. Not for ingestion: a repeated id fails on the UNIQUE index.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { GraphBatch } from '../../schema/graph.ts';
import { NamePriority } from '../../schema/graph.ts';
import { isTextSearchable } from '../../schema/ontology.ts';
import { eventSearchRowid } from './graph-writer.ts';
import { nodeSearchKey, unionAliases } from '../node-merge.ts';
import { aliasTermText, termText } from '../search-terms.ts';
import { inTransaction } from './open-database.ts';
import type { SqliteGraphStore } from './sqlite-graph-store.ts';

interface PlainStatements {
  node: StatementSync;
  event: StatementSync;
  fact: StatementSync;
  text: StatementSync;
}

/** Prepared once per connection, like the writer's statements. */
const prepared = new WeakMap<DatabaseSync, PlainStatements>();

function statementsFor(db: DatabaseSync): PlainStatements {
  let statements = prepared.get(db);
  if (statements === undefined) {
    statements = {
      node: db.prepare(
        `INSERT INTO nodes (id, kind, name, name_priority, aliases, attrs, search_key, valid_from, valid_to,
                            recorded_at, retracted_at, source_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, NULL, ?)`,
      ),
      event: db.prepare(
        `INSERT INTO events (id, type, occurred_at, summary, amounts, attrs, recorded_at, retracted_at,
                             source_id, extractor, extractor_version)
         VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)`,
      ),
      fact: db.prepare(
        `INSERT INTO facts (id, subject, type, predicate, object, role, confidence, valid_from, valid_to,
                            recorded_at, retracted_at, source_id, chunk_id, extractor, extractor_version, attrs)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?)`,
      ),
      text: db.prepare('INSERT INTO search_fts (rowid, name, aliases) VALUES (?, ?, ?)'),
    };
    prepared.set(db, statements);
  }
  return statements;
}

/**
 * Inserts final rows with no merging or counting (benchmark ceiling). Each node id, event id and
 * fact id must be new to the store and appear once in `batch`.
 */
export function plainInsert(store: SqliteGraphStore, batch: GraphBatch): void {
  const db = store.db;
  const q = statementsFor(db);
  inTransaction(db, () => {
    for (const n of batch.nodes) {
      const aliases = unionAliases(n.name, n.aliases ?? []);
      const { lastInsertRowid } = q.node.run(
        n.id, n.kind, n.name, n.namePriority ?? NamePriority.fallback, JSON.stringify(aliases),
        JSON.stringify(n.attrs ?? {}), nodeSearchKey(n.name, aliases), n.validFrom ?? null, n.recordedAt, n.sourceId,
      );
      q.text.run(lastInsertRowid, termText(n.name), aliasTermText(aliases));
    }
    for (const e of batch.events) {
      const { lastInsertRowid } = q.event.run(
        e.id, e.type, e.occurredAt, e.summary, JSON.stringify(e.amounts), JSON.stringify(e.attrs), e.recordedAt,
        e.sourceId, e.extractor, e.extractorVersion,
      );
      if (isTextSearchable(e.type)) q.text.run(eventSearchRowid(lastInsertRowid), termText(e.summary), '');
    }
    for (const f of batch.facts) {
      q.fact.run(
        f.id, f.subject, f.type, f.predicate, f.object, f.role, f.confidence, f.validFrom ?? null,
        f.validTo ?? null, f.recordedAt, f.sourceId, f.chunkId ?? null, f.extractor, f.extractorVersion,
        JSON.stringify(f.attrs),
      );
    }
  });
  // The writer's node cache cannot know about rows written behind its back.
  store.invalidateWriteCache();
}
