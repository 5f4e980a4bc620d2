/**
 * LlmCache in one SQLite table (`llm_cache`, node:sqlite). It may live in the same file as the
 * embedded graph store: each opens its own connection, WAL lets readers run beside the one writer,
 * and the busy timeout makes a write wait for the other connection's lock instead of failing.
 * SQLite is synchronous, so each call completes before its promise is returned.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { StoreError } from '../../schema/errors.ts';
import type { CachedAnswer, LlmCache } from './llm-cache.ts';
import { emptyUsage, type LlmUsage } from './llm-client.ts';

export interface SqliteLlmCacheOptions {
  /** How long a write waits for another connection's lock, in ms. @default 5000 */
  busyTimeoutMs?: number;
}

const STORE = 'llm-cache';

// model, schema_name and created_at are columns (not only inside the JSON) so the cache can be
// inspected and pruned with plain SQL, e.g. by model or age.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS llm_cache (
  key         TEXT PRIMARY KEY,
  model       TEXT NOT NULL,
  schema_name TEXT NOT NULL,
  value       TEXT NOT NULL,
  usage       TEXT NOT NULL,
  created_at  INTEGER NOT NULL
) WITHOUT ROWID`;

interface Row {
  model: string;
  schema_name: string;
  value: string;
  usage: string;
  created_at: number;
}

export class SqliteLlmCache implements LlmCache {
  readonly #db: DatabaseSync;
  readonly #select: StatementSync;
  readonly #upsert: StatementSync;

  /**
   * Opens (creating the file, its parent directories and the table if missing) the cache at `path`,
   * or a private in-memory one for ':memory:'.
   * @throws StoreError naming the path when it cannot be opened
   * @example const cache = new SqliteLlmCache('.mkg/graph.db');
   */
  constructor(path: string, options: SqliteLlmCacheOptions = {}) {
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      this.#db = new DatabaseSync(path);
      // The timeout goes first: switching to WAL and creating the table may already need a lock.
      this.#db.exec(`PRAGMA busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
      this.#db.exec('PRAGMA journal_mode = WAL');
      this.#db.exec('PRAGMA synchronous = NORMAL');
      this.#db.exec(SCHEMA);
      this.#select = this.#db.prepare('SELECT model, schema_name, value, usage, created_at FROM llm_cache WHERE key = ?');
      this.#upsert = this.#db.prepare(
        `INSERT INTO llm_cache (key, model, schema_name, value, usage, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET model = excluded.model, schema_name = excluded.schema_name,
           value = excluded.value, usage = excluded.usage, created_at = excluded.created_at`,
      );
    } catch (cause) {
      throw new StoreError(STORE, `cannot open ${path}: ${(cause as Error).message}`, { cause });
    }
  }

  async get(key: string): Promise<CachedAnswer | null> {
    const row = this.#run('read', () => this.#select.get(key) as Row | undefined);
    if (row === undefined) return null;
    return {
      value: JSON.parse(row.value) as unknown,
      model: row.model,
      schemaName: row.schema_name,
      // Spread over the empty usage so entries written before a counter existed still read whole.
      usage: { ...emptyUsage(), ...(JSON.parse(row.usage) as Partial<LlmUsage>) },
      createdAt: row.created_at,
    };
  }

  async put(key: string, answer: CachedAnswer): Promise<void> {
    const value = JSON.stringify(answer.value);
    this.#run('write', () =>
      this.#upsert.run(key, answer.model, answer.schemaName, value, JSON.stringify(answer.usage), Math.trunc(answer.createdAt)),
    );
  }

  async close(): Promise<void> {
    if (this.#db.isOpen) this.#db.close();
  }

  #run<T>(action: string, fn: () => T): T {
    try {
      return fn();
    } catch (cause) {
      throw new StoreError(STORE, `${action} failed: ${(cause as Error).message}`, { cause });
    }
  }
}
