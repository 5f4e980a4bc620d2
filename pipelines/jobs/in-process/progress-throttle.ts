/**
 * Progress reports can come thousands of times a second; storing each would make the jobs table the
 * bottleneck. A report is stored at once when the phase changes or `intervalMs` has passed since the
 * last store, else held and stored when the interval ends (so the latest one is never lost).
 */
import type { JobProgress } from '../job.ts';

export class ProgressThrottle {
  readonly #intervalMs: number;
  readonly #store: (progress: JobProgress) => void;
  #lastStoredAt = -Infinity;
  #lastPhase: string | null = null;
  #pending: JobProgress | null = null;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  /** The latest report, stored or not. */
  last: JobProgress | null = null;

  constructor(intervalMs: number, store: (progress: JobProgress) => void) {
    this.#intervalMs = intervalMs;
    this.#store = store;
  }

  report(progress: JobProgress): void {
    if (this.#stopped) return;
    const copy = { phase: String(progress.phase), done: progress.done, total: progress.total };
    this.last = copy;
    const now = performance.now();
    if (copy.phase !== this.#lastPhase || now - this.#lastStoredAt >= this.#intervalMs) {
      this.#flush(copy, now);
      return;
    }
    this.#pending = copy;
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      if (this.#pending && !this.#stopped) this.#flush(this.#pending, performance.now());
    }, this.#intervalMs - (now - this.#lastStoredAt));
  }

  /** No more stores; the caller writes `last` with the job's final state. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  #flush(progress: JobProgress, now: number): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pending = null;
    this.#lastStoredAt = now;
    this.#lastPhase = progress.phase;
    this.#store(progress);
  }
}
