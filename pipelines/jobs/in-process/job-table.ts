/**
 * The `jobs` table of the in-process runner: one row per job in the SQLite file, so jobs and their
 * history survive a restart. The graph store has its own connection to the same file; this table is
 * created here if missing and touched by nothing else. JSON columns hold input, progress, counts,
 * LLM usage, error and result.
 *
 * Several runners (processes) may share the file: a running row names its `owner` (a random id per
 * runner) and carries a `heartbeat_at` the owner refreshes while the job runs; `cancel_requested`
 * asks the owner to stop it. Claims and recoveries are guarded UPDATEs, so two runners never take
 * the same job. At most one job per dedupe key is queued or running (a partial unique index), which
 * holds across processes sharing the file.
 *
 * The table is versioned in the one-row `job_schema` table (PRAGMA user_version belongs to the
 * graph store): version 1 is the original table, each later version a migration applied on open.
 */
import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import { inTransaction } from '../../../graph/sqlite/open-database.ts';
import type { JobError, JobKind, JobProgress, JobCounts, JobRecord, JobStatus } from '../job.ts';
import type { LlmUsage } from '../../../extraction/llm/llm-client.ts';

/** Version 1: the table as first shipped (created with IF NOT EXISTS and no version). */
const SCHEMA_V1 = `
CREATE TABLE IF NOT EXISTS jobs (
  seq          INTEGER PRIMARY KEY AUTOINCREMENT,
  id           TEXT NOT NULL UNIQUE,
  kind         TEXT NOT NULL,
  status       TEXT NOT NULL,
  input        TEXT NOT NULL,
  dedupe_key   TEXT,
  progress     TEXT NOT NULL,
  counts       TEXT NOT NULL,
  llm          TEXT,
  attempts     INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL,
  error        TEXT,
  result       TEXT,
  created_at   INTEGER NOT NULL,
  started_at   INTEGER,
  finished_at  INTEGER,
  run_at       INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS jobs_ready ON jobs (status, run_at);
CREATE UNIQUE INDEX IF NOT EXISTS jobs_active_dedupe ON jobs (dedupe_key)
  WHERE dedupe_key IS NOT NULL AND status IN ('queued', 'running');
`;

const META = `CREATE TABLE IF NOT EXISTS job_schema (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)`;

/** Migration to version N (N ≥ 2), applied in order inside one transaction. */
const MIGRATIONS: readonly string[] = [
  // 2: owner + heartbeat (runners sharing the file), cancel requests across processes.
  `ALTER TABLE jobs ADD COLUMN owner TEXT;
   ALTER TABLE jobs ADD COLUMN heartbeat_at INTEGER;
   ALTER TABLE jobs ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0;`,
];

/** The version this code writes. */
export const JOB_SCHEMA_VERSION = 1 + MIGRATIONS.length;

/** The stored version of the jobs table: null without a table, 1 for a table older than `job_schema`. */
export function jobSchemaVersion(db: DatabaseSync): number | null {
  const has = (name: string) => db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name) !== undefined;
  if (!has('jobs')) return null;
  if (!has('job_schema')) return 1;
  const row = db.prepare('SELECT version FROM job_schema WHERE id = 1').get() as { version: number } | undefined;
  return row?.version ?? 1;
}

/**
 * Creates or upgrades the jobs table to JOB_SCHEMA_VERSION. One IMMEDIATE transaction, so two
 * processes opening an old file at once migrate it once. A newer version is left alone (its
 * migrations only add columns this code does not read).
 */
function migrate(db: DatabaseSync): void {
  const seen = jobSchemaVersion(db);
  if (seen !== null && seen >= JOB_SCHEMA_VERSION) return;
  inTransaction(db, () => {
    db.exec(SCHEMA_V1);
    db.exec(META);
    const current = jobSchemaVersion(db) ?? 1;
    if (current >= JOB_SCHEMA_VERSION) return;
    for (let version = current + 1; version <= JOB_SCHEMA_VERSION; version++) db.exec(MIGRATIONS[version - 2]!);
    db.prepare(`INSERT INTO job_schema (id, version) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET version = excluded.version`)
      .run(JOB_SCHEMA_VERSION);
  });
}

interface JobRow {
  seq: number;
  id: string;
  kind: string;
  status: string;
  input: string;
  progress: string;
  counts: string;
  llm: string | null;
  attempts: number;
  max_attempts: number;
  error: string | null;
  result: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  run_at: number;
  owner: string | null;
  heartbeat_at: number | null;
  cancel_requested: number;
}

export interface StoredJob {
  record: JobRecord;
  /** Insertion order: the list's sort key. */
  seq: number;
  /** When a queued job may run next (now, or after a retry's backoff). */
  runAt: number;
  /** The runner that claimed the job last (null before its first run). */
  owner: string | null;
  /** When a running job's owner last said it is alive; null once it stops running. */
  heartbeatAt: number | null;
  /** A cancel asked the owner of the running job to stop it. */
  cancelRequested: boolean;
}

/** What an update may require of the row; every given condition must hold. */
export interface JobGuard {
  /** The job's status is one of these. */
  status?: readonly JobStatus[];
  /** The job is owned by this runner. */
  owner?: string;
  /** The job's heartbeat is missing or older than this. */
  staleBefore?: number;
}

/** What a heartbeat tells the owner of a running job. */
export type Beat = 'ok' | 'cancel' | 'lost';

export interface NewJob {
  id: string;
  kind: JobKind;
  input: unknown;
  dedupeKey: string | null;
  maxAttempts: number;
  now: number;
}

/** Fields a state change sets; absent ones keep their value. */
export interface JobUpdate {
  status?: JobStatus;
  progress?: JobProgress;
  counts?: JobCounts;
  llm?: LlmUsage | null;
  attempts?: number;
  error?: JobError | null;
  result?: unknown;
  startedAt?: number | null;
  finishedAt?: number | null;
  runAt?: number;
}

const COLUMNS: Record<keyof JobUpdate, [column: string, json: boolean]> = {
  status: ['status', false],
  progress: ['progress', true],
  counts: ['counts', true],
  llm: ['llm', true],
  attempts: ['attempts', false],
  error: ['error', true],
  result: ['result', true],
  startedAt: ['started_at', false],
  finishedAt: ['finished_at', false],
  runAt: ['run_at', false],
};

export class JobTable {
  readonly #db: DatabaseSync;

  /** Creates the table, or upgrades an older one, in `db`. */
  constructor(db: DatabaseSync) {
    this.#db = db;
    migrate(db);
  }

  /** Inserts the job, or returns the active one holding its dedupe key. */
  insert(job: NewJob): { stored: StoredJob; created: boolean } {
    return inTransaction(this.#db, () => {
      if (job.dedupeKey !== null) {
        const active = this.#db.prepare(
          `SELECT * FROM jobs WHERE dedupe_key = ? AND status IN ('queued', 'running')`,
        ).get(job.dedupeKey) as JobRow | undefined;
        if (active) return { stored: fromRow(active), created: false };
      }
      this.#db.prepare(`INSERT INTO jobs (id, kind, status, input, dedupe_key, progress, counts, max_attempts, created_at, run_at)
        VALUES (?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?)`).run(
        job.id, job.kind, JSON.stringify(job.input), job.dedupeKey,
        JSON.stringify({ phase: 'queued', done: 0, total: null } satisfies JobProgress),
        JSON.stringify({ added: 0, retracted: 0, unchanged: 0, rejected: 0 } satisfies JobCounts),
        job.maxAttempts, job.now, job.now,
      );
      return { stored: this.get(job.id)!, created: true };
    });
  }

  get(id: string): StoredJob | null {
    const row = this.#db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    return row ? fromRow(row) : null;
  }

  /** Newest first, seeking below `beforeSeq`; `limit` rows. */
  list(filter: { status?: JobStatus | null; kind?: JobKind | null }, beforeSeq: number | null, limit: number): { rows: StoredJob[]; total: number } {
    const where: string[] = [];
    const args: SQLInputValue[] = [];
    if (filter.status) { where.push('status = ?'); args.push(filter.status); }
    if (filter.kind) { where.push('kind = ?'); args.push(filter.kind); }
    const w = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.#db.prepare(`SELECT COUNT(*) AS n FROM jobs ${w}`).get(...args) as { n: number }).n;
    const seek = beforeSeq === null ? w : `${w ? `${w} AND` : 'WHERE'} seq < ?`;
    const rows = this.#db.prepare(`SELECT * FROM jobs ${seek} ORDER BY seq DESC LIMIT ?`)
      .all(...args, ...(beforeSeq === null ? [] : [beforeSeq]), limit) as unknown as JobRow[];
    return { rows: rows.map(fromRow), total };
  }

  /** Queued jobs whose time has come, oldest first. */
  ready(now: number, limit: number): StoredJob[] {
    const rows = this.#db.prepare(`SELECT * FROM jobs WHERE status = 'queued' AND run_at <= ? ORDER BY run_at, seq LIMIT ?`)
      .all(now, limit) as unknown as JobRow[];
    return rows.map(fromRow);
  }

  /** The earliest `run_at` of a queued job, or null when none is queued. */
  nextRunAt(): number | null {
    const row = this.#db.prepare(`SELECT MIN(run_at) AS t FROM jobs WHERE status = 'queued'`).get() as { t: number | null };
    return row.t;
  }

  /**
   * Takes a queued job for `owner`: queued → running, attempts + 1, heartbeat now. False when
   * another runner (or a cancel) got there first: only the runner whose UPDATE changed the row runs it.
   */
  claim(id: string, owner: string, now: number): boolean {
    const r = this.#db.prepare(`UPDATE jobs SET status = 'running', attempts = attempts + 1, owner = ?, heartbeat_at = ?,
      cancel_requested = 0, started_at = COALESCE(started_at, ?), progress = json_object('phase', 'starting', 'done', 0, 'total', NULL)
      WHERE id = ? AND status = 'queued'`).run(owner, now, now, id);
    return Number(r.changes) === 1;
  }

  /**
   * Applies `update` if the row passes `guard`; true when it did. Leaving `running` clears the
   * heartbeat and any cancel request.
   */
  update(id: string, update: JobUpdate, guard: JobGuard = {}): boolean {
    const sets: string[] = [];
    const args: SQLInputValue[] = [];
    for (const [key, value] of Object.entries(update) as [keyof JobUpdate, unknown][]) {
      if (value === undefined) continue;
      const [column, json] = COLUMNS[key];
      sets.push(`${column} = ?`);
      args.push(json ? (value === null ? null : JSON.stringify(value)) : (value as SQLInputValue));
    }
    if (sets.length === 0) return true;
    if (update.status !== undefined && update.status !== 'running') sets.push('heartbeat_at = NULL', 'cancel_requested = 0');
    const [where, whereArgs] = guardSql(guard);
    const r = this.#db.prepare(`UPDATE jobs SET ${sets.join(', ')} WHERE id = ?${where}`).run(...args, id, ...whereArgs);
    return Number(r.changes) === 1;
  }

  /**
   * The owner's heartbeat for one running job, with its progress when given: `lost` when the job
   * is no longer running under `owner` (another runner recovered it), `cancel` when a cancel was
   * requested.
   */
  touch(id: string, owner: string, now: number, progress?: JobProgress): Beat {
    const setProgress = progress ? ', progress = ?' : '';
    const row = this.#db.prepare(`UPDATE jobs SET heartbeat_at = ?${setProgress} WHERE id = ? AND owner = ? AND status = 'running'
      RETURNING cancel_requested`).get(now, ...(progress ? [JSON.stringify(progress)] : []), id, owner) as { cancel_requested: number } | undefined;
    return row === undefined ? 'lost' : row.cancel_requested ? 'cancel' : 'ok';
  }

  /** The heartbeat of every job running under `owner`, in one statement: id → cancel requested. */
  heartbeat(owner: string, now: number): Map<string, boolean> {
    const rows = this.#db.prepare(`UPDATE jobs SET heartbeat_at = ? WHERE owner = ? AND status = 'running'
      RETURNING id, cancel_requested`).all(now, owner) as unknown as { id: string; cancel_requested: number }[];
    return new Map(rows.map((r) => [r.id, r.cancel_requested !== 0]));
  }

  /** Asks the owner of a running job to stop it; false when the job is not running. */
  requestCancel(id: string): boolean {
    const r = this.#db.prepare(`UPDATE jobs SET cancel_requested = 1 WHERE id = ? AND status = 'running'`).run(id);
    return Number(r.changes) === 1;
  }

  /** Running jobs whose heartbeat is missing or older than `staleBefore`: their runner is gone. */
  stale(staleBefore: number): StoredJob[] {
    return (this.#db.prepare(`SELECT * FROM jobs WHERE status = 'running' AND (heartbeat_at IS NULL OR heartbeat_at < ?) ORDER BY seq`)
      .all(staleBefore) as unknown as JobRow[]).map(fromRow);
  }
}

function guardSql(guard: JobGuard): [string, SQLInputValue[]] {
  let sql = '';
  const args: SQLInputValue[] = [];
  if (guard.status) {
    sql += ` AND status IN (${guard.status.map(() => '?').join(', ')})`;
    args.push(...guard.status);
  }
  if (guard.owner !== undefined) {
    sql += ' AND owner = ?';
    args.push(guard.owner);
  }
  if (guard.staleBefore !== undefined) {
    sql += ' AND (heartbeat_at IS NULL OR heartbeat_at < ?)';
    args.push(guard.staleBefore);
  }
  return [sql, args];
}

function fromRow(row: JobRow): StoredJob {
  return {
    seq: row.seq,
    runAt: row.run_at,
    owner: row.owner,
    heartbeatAt: row.heartbeat_at,
    cancelRequested: row.cancel_requested !== 0,
    record: {
      id: row.id,
      kind: row.kind as JobKind,
      status: row.status as JobStatus,
      input: JSON.parse(row.input),
      progress: JSON.parse(row.progress) as JobProgress,
      counts: JSON.parse(row.counts) as JobCounts,
      llm: row.llm === null ? null : (JSON.parse(row.llm) as LlmUsage),
      attempts: row.attempts,
      maxAttempts: row.max_attempts,
      error: row.error === null ? null : (JSON.parse(row.error) as JobError),
      result: row.result === null ? null : JSON.parse(row.result),
      createdAt: row.created_at,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
    },
  };
}
