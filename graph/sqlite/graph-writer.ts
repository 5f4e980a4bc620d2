/**
 * The write path of the SQLite graph store: one transaction per batch, idempotent, with exact
 * counts. Built for bulk on-chain ingestion (millions of events and facts, accounts reused
 * heavily), so it avoids per-row reads where SQLite can answer instead:
 * - facts and events are `INSERT … ON CONFLICT DO NOTHING`; `changes` says added or not, and only a
 *   conflicting event is read back (to merge its attrs);
 * - nodes are merged within the batch first, then read once per distinct id, through a bounded
 *   cache of recently written rows that is dropped whenever another connection commits
 *   (`PRAGMA data_version`) or a batch fails.
 *
 * - chunks are `INSERT … ON CONFLICT DO NOTHING` too (the first write of a content hash wins), and
 *   are written before facts, so a `MENTIONED_IN` fact of the same batch finds its chunk.
 *
 * Counts: nodes per distinct id in the batch (inputs are merged first); events, facts and chunks per
 * input row, so a row repeated within one batch counts as unchanged (or updated) the second time.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { InvalidArgumentError } from '../../schema/errors.ts';
import { CHUNK_ID_PREFIX, EVENT_ID_PREFIX } from '../../schema/ids.ts';
import type { ChunkInput, EventInput, FactInput, GraphBatch, WriteResult } from '../../schema/graph.ts';
import { emptyWriteResult } from '../../schema/graph.ts';
import { isEventType, isRelType, isTextSearchable, ROLES, type EntityKind } from '../../schema/ontology.ts';
import { inTransaction } from './open-database.ts';
import { mergeAttrs, mergeBatchNodes, mergeNodes, nodeSearchKey, sameNodeState, type NodeState } from '../node-merge.ts';
import { aliasTermText, termText } from '../search-terms.ts';

/** FTS row id of an event: its rid negated, so node and event rows share one index. */
export function eventSearchRowid(eventRid: number | bigint): number {
  return -Number(eventRid);
}

interface StoredNode {
  rid: number;
  state: NodeState;
}

interface NodeRow {
  rid: number;
  kind: string;
  name: string;
  name_priority: number;
  aliases: string;
  attrs: string;
  valid_from: number | null;
  recorded_at: number;
  source_id: string;
}

const ROLE_SET = new Set<string>(ROLES);

/** Writes batches into one open graph database. Statements are prepared once, here. */
export class GraphWriter {
  readonly #db: DatabaseSync;
  readonly #cache = new Map<string, StoredNode>();
  readonly #cacheSize: number;
  #dataVersion = -1;
  readonly #q: {
    dataVersion: StatementSync;
    selectNode: StatementSync;
    insertNode: StatementSync;
    updateNode: StatementSync;
    insertEvent: StatementSync;
    selectEventAttrs: StatementSync;
    updateEventAttrs: StatementSync;
    insertFact: StatementSync;
    insertChunk: StatementSync;
    indexChunk: StatementSync;
    indexText: StatementSync;
    reindexText: StatementSync;
  };

  /** @param cacheSize most node rows kept between batches. @default 50_000 */
  constructor(db: DatabaseSync, cacheSize = 50_000) {
    this.#db = db;
    this.#cacheSize = cacheSize;
    this.#q = {
      dataVersion: db.prepare('PRAGMA data_version'),
      selectNode: db.prepare(
        `SELECT rid, kind, name, name_priority, aliases, attrs, valid_from, recorded_at, source_id
           FROM nodes WHERE id = ?`,
      ),
      insertNode: db.prepare(
        `INSERT INTO nodes (id, kind, name, name_priority, aliases, attrs, search_key, valid_from,
                            valid_to, recorded_at, retracted_at, source_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, NULL, ?)`,
      ),
      updateNode: db.prepare(
        `UPDATE nodes SET kind = ?, name = ?, name_priority = ?, aliases = ?, attrs = ?, search_key = ?,
                          valid_from = ?, recorded_at = ?
          WHERE rid = ?`,
      ),
      insertEvent: db.prepare(
        `INSERT INTO events (id, type, occurred_at, summary, amounts, attrs, recorded_at, retracted_at,
                             source_id, extractor, extractor_version)
         VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)
         ON CONFLICT (id) DO NOTHING`,
      ),
      selectEventAttrs: db.prepare('SELECT rid, attrs FROM events WHERE id = ?'),
      updateEventAttrs: db.prepare('UPDATE events SET attrs = ? WHERE rid = ?'),
      insertFact: db.prepare(
        `INSERT INTO facts (id, subject, type, predicate, object, role, confidence, valid_from, valid_to,
                            recorded_at, retracted_at, source_id, chunk_id, extractor, extractor_version, attrs)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO NOTHING`,
      ),
      insertChunk: db.prepare(
        `INSERT INTO chunks (id, source_id, document_id, idx, text, span_start, span_end, tokens, published_at,
                             recorded_at, retracted_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)
         ON CONFLICT (id) DO NOTHING`,
      ),
      indexChunk: db.prepare('INSERT INTO chunk_fts (rowid, text) VALUES (?, ?)'),
      indexText: db.prepare('INSERT INTO search_fts (rowid, name, aliases) VALUES (?, ?, ?)'),
      // INSERT OR REPLACE is how a contentless-delete FTS5 row is rewritten in place.
      reindexText: db.prepare('INSERT OR REPLACE INTO search_fts (rowid, name, aliases) VALUES (?, ?, ?)'),
    };
  }

  /**
   * Upserts the batch in one transaction.
   * @throws InvalidArgumentError for a kind, type or role outside the ontology, an event id
   *   without (or a node id with) the `evt:` prefix, or a chunk id without (or a node id with) the
   *   `chunk:` prefix (nothing written)
   */
  write(batch: GraphBatch): WriteResult {
    const nodes = mergeBatchNodes(batch);
    const chunks = batch.chunks ?? [];
    validateEvents(batch.events);
    validateChunks(chunks);
    validateFacts(batch.facts);
    const result = emptyWriteResult();
    try {
      inTransaction(this.#db, () => {
        // Checked under the write lock: no other connection can commit between check and use.
        this.#refreshCache();
        for (const node of nodes.values()) this.#writeNode(node, result);
        for (const event of batch.events) this.#writeEvent(event, result);
        for (const chunk of chunks) this.#writeChunk(chunk, result);
        for (const fact of batch.facts) this.#writeFact(fact, result);
      });
    } catch (error) {
      // Rows cached during the failed transaction were rolled back with it.
      this.#cache.clear();
      throw error;
    }
    return result;
  }

  /** Forgets cached node rows (after writes that bypass this writer). */
  invalidate(): void {
    this.#cache.clear();
  }

  /** Drops the node cache if another connection committed since this one last looked. */
  #refreshCache(): void {
    const { data_version } = this.#q.dataVersion.get() as { data_version: number };
    if (data_version !== this.#dataVersion) {
      this.#cache.clear();
      this.#dataVersion = data_version;
    }
  }

  #writeNode(incoming: NodeState, result: WriteResult): void {
    const stored = this.#storedNode(incoming.id);
    if (stored === undefined) {
      const aliasesJson = JSON.stringify(incoming.aliases);
      const { lastInsertRowid } = this.#q.insertNode.run(
        incoming.id, incoming.kind, incoming.name, incoming.namePriority, aliasesJson,
        JSON.stringify(incoming.attrs), nodeSearchKey(incoming.name, incoming.aliases), incoming.validFrom,
        incoming.recordedAt, incoming.sourceId,
      );
      const rid = Number(lastInsertRowid);
      this.#q.indexText.run(rid, termText(incoming.name), aliasTermText(incoming.aliases));
      this.#remember({ rid, state: incoming });
      result.nodes.added++;
      return;
    }
    const merged = mergeNodes(stored.state, incoming);
    if (sameNodeState(stored.state, merged)) {
      result.nodes.unchanged++;
      return;
    }
    this.#q.updateNode.run(
      merged.kind, merged.name, merged.namePriority, JSON.stringify(merged.aliases), JSON.stringify(merged.attrs),
      nodeSearchKey(merged.name, merged.aliases), merged.validFrom, merged.recordedAt, stored.rid,
    );
    if (merged.name !== stored.state.name || merged.aliases.join('\n') !== stored.state.aliases.join('\n')) {
      this.#q.reindexText.run(stored.rid, termText(merged.name), aliasTermText(merged.aliases));
    }
    this.#remember({ rid: stored.rid, state: merged });
    result.nodes.updated++;
  }

  #storedNode(id: string): StoredNode | undefined {
    const cached = this.#cache.get(id);
    if (cached !== undefined) {
      // Re-inserting moves the entry to the young end of the Map, which makes eviction LRU.
      this.#cache.delete(id);
      this.#cache.set(id, cached);
      return cached;
    }
    const row = this.#q.selectNode.get(id) as NodeRow | undefined;
    if (row === undefined) return undefined;
    const stored: StoredNode = {
      rid: row.rid,
      state: {
        id,
        kind: row.kind as EntityKind,
        name: row.name,
        namePriority: row.name_priority,
        aliases: JSON.parse(row.aliases) as string[],
        attrs: JSON.parse(row.attrs) as Record<string, unknown>,
        validFrom: row.valid_from,
        recordedAt: row.recorded_at,
        sourceId: row.source_id,
      },
    };
    this.#remember(stored);
    return stored;
  }

  #remember(stored: StoredNode): void {
    this.#cache.delete(stored.state.id);
    this.#cache.set(stored.state.id, stored);
    if (this.#cache.size > this.#cacheSize) {
      const oldest = this.#cache.keys().next().value;
      if (oldest !== undefined) this.#cache.delete(oldest);
    }
  }

  #writeEvent(e: EventInput, result: WriteResult): void {
    const { changes, lastInsertRowid } = this.#q.insertEvent.run(
      e.id, e.type, e.occurredAt, e.summary, JSON.stringify(e.amounts), JSON.stringify(e.attrs), e.recordedAt,
      e.sourceId, e.extractor, e.extractorVersion,
    );
    if (changes > 0) {
      if (isTextSearchable(e.type)) this.#q.indexText.run(eventSearchRowid(lastInsertRowid), termText(e.summary), '');
      result.events.added++;
      return;
    }
    const row = this.#q.selectEventAttrs.get(e.id) as { rid: number; attrs: string };
    const stored = JSON.parse(row.attrs) as Record<string, unknown>;
    const merged = mergeAttrs(stored, e.attrs);
    const mergedJson = merged === stored ? row.attrs : JSON.stringify(merged);
    if (mergedJson === row.attrs) {
      result.events.unchanged++;
      return;
    }
    this.#q.updateEventAttrs.run(mergedJson, row.rid);
    result.events.updated++;
  }

  /** First write wins: a chunk id already stored (or earlier in the batch) counts as unchanged. */
  #writeChunk(c: ChunkInput, result: WriteResult): void {
    const { changes, lastInsertRowid } = this.#q.insertChunk.run(
      c.id, c.sourceId, c.documentId, c.index, c.text, c.span.start, c.span.end, c.tokens, c.publishedAt ?? null,
      c.recordedAt,
    );
    if (changes > 0) {
      this.#q.indexChunk.run(lastInsertRowid, termText(c.text));
      result.chunks.added++;
    } else {
      result.chunks.unchanged++;
    }
  }

  #writeFact(f: FactInput, result: WriteResult): void {
    const { changes } = this.#q.insertFact.run(
      f.id, f.subject, f.type, f.predicate, f.object, f.role, f.confidence, f.validFrom ?? null, f.validTo ?? null,
      f.recordedAt, f.sourceId, f.chunkId ?? null, f.extractor, f.extractorVersion, JSON.stringify(f.attrs),
    );
    if (changes > 0) result.facts.added++;
    else result.facts.unchanged++;
  }
}


function validateEvents(events: readonly EventInput[]): void {
  for (const e of events) {
    if (!isEventType(e.type)) throw new InvalidArgumentError('batch.events', `unknown type "${e.type}" for ${e.id}`);
    if (!e.id.startsWith(EVENT_ID_PREFIX)) {
      throw new InvalidArgumentError('batch.events', `${e.id}: event ids start with "${EVENT_ID_PREFIX}"`);
    }
  }
}

function validateChunks(chunks: readonly ChunkInput[]): void {
  for (const c of chunks) {
    if (!c.id.startsWith(CHUNK_ID_PREFIX)) {
      throw new InvalidArgumentError('batch.chunks', `${c.id}: chunk ids start with "${CHUNK_ID_PREFIX}"`);
    }
  }
}

function validateFacts(facts: readonly FactInput[]): void {
  for (const f of facts) {
    if (!isRelType(f.type)) throw new InvalidArgumentError('batch.facts', `unknown type "${f.type}" for ${f.id}`);
    if (f.role !== null && f.role !== undefined && !ROLE_SET.has(f.role)) {
      throw new InvalidArgumentError('batch.facts', `unknown role "${f.role}" for ${f.id}`);
    }
  }
}
