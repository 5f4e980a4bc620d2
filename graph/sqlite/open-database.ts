/**
 * Opening a SQLite file the way every MarketGraph SQLite adapter wants it: parent directories
 * created, WAL journal (readers never block the single writer), `synchronous=NORMAL` (durable at
 * checkpoints, which WAL makes safe against corruption) and a busy timeout so a second process
 * waits instead of failing at once.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { MarketGraphError, StoreError } from '../../schema/errors.ts';

export interface OpenDatabaseOptions {
  /** Loadable extensions (absolute paths), e.g. sqlite-vec. @default [] */
  extensions?: string[];
  /** How long a write waits for another connection's lock, in ms. @default 5000 */
  busyTimeoutMs?: number;
  /** Page cache per connection, in MiB. @default 64 */
  cacheMiB?: number;
}

/** True for paths that name no file (`:memory:` and the empty temporary database). */
export function isMemoryPath(path: string): boolean {
  return path === ':memory:' || path === '';
}

/**
 * Opens (creating if needed) a SQLite database with the house pragmas.
 * @throws StoreError naming the path when the file cannot be opened or an extension cannot load
 */
export function openDatabase(store: string, path: string, options: OpenDatabaseOptions = {}): DatabaseSync {
  const extensions = options.extensions ?? [];
  let db: DatabaseSync | undefined;
  try {
    if (!isMemoryPath(path)) mkdirSync(dirname(path), { recursive: true });
    db = new DatabaseSync(path, { allowExtension: extensions.length > 0 });
    for (const ext of extensions) db.loadExtension(ext);
    // WAL does not apply to in-memory databases; SQLite answers `memory` there, which is fine.
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL');
    db.exec(`PRAGMA busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
    db.exec(`PRAGMA cache_size = ${-Math.trunc((options.cacheMiB ?? 64) * 1024)}`);
    db.exec('PRAGMA temp_store = MEMORY');
    return db;
  } catch (cause) {
    db?.close();
    throw new StoreError(store, `cannot open ${path}: ${(cause as Error).message}`, { cause });
  }
}

/**
 * Runs `fn` inside one `BEGIN IMMEDIATE` transaction (the write lock is taken up front, so a
 * concurrent writer waits on busy_timeout instead of failing mid-way) and rolls back on any error.
 */
export function inTransaction<T>(db: DatabaseSync, fn: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = fn();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

/** Passes MarketGraph errors through; wraps anything else (SQLite, JSON) into a StoreError. */
export function storeFailure(store: string, action: string, cause: unknown): Error {
  if (cause instanceof MarketGraphError) return cause;
  const message = cause instanceof Error ? cause.message : String(cause);
  return new StoreError(store, `${action} failed: ${message}`, { cause });
}
