import type { RejectInput } from '../../schema/graph.ts';
import { truncate } from '../../schema/errors.ts';

/**
 * Collects a file's rejects. Errors are kept one per record. Warnings that repeat word for word
 * (e.g. one unknown-decimals warning per token, on every transfer of that token) are folded into
 * one row that names the first line and how many records it applies to, so a user sees the cause
 * once instead of ten thousand times.
 */
const MAX_FOLDED = 10_000;

export class IssueLog {
  readonly #file: string;
  readonly #sourceId: string | null;
  readonly #recordedAt: number;
  #pending: RejectInput[] = [];
  readonly #warnings = new Map<string, { first: RejectInput; count: number }>();
  errors = 0;
  /** Distinct warnings seen (after folding). */
  warnings = 0;

  constructor(file: string, sourceId: string | null, recordedAt: number) {
    this.#file = file;
    this.#sourceId = sourceId;
    this.#recordedAt = recordedAt;
  }

  error(line: number | null, code: string, reason: string, raw: string | null = null): void {
    this.errors++;
    this.#pending.push(this.#row(line, code, reason, raw, 'error'));
  }

  warning(line: number | null, code: string, reason: string, raw: string | null = null): void {
    const key = `${code}\u001f${reason}`;
    const seen = this.#warnings.get(key);
    if (seen) {
      seen.count++;
    } else if (this.#warnings.size >= MAX_FOLDED) {
      // Distinct warnings past the cap are written as they come, so memory stays bounded.
      this.warnings++;
      this.#pending.push(this.#row(line, code, reason, raw, 'warning'));
    } else {
      this.warnings++;
      this.#warnings.set(key, { first: this.#row(line, code, reason, raw, 'warning'), count: 1 });
    }
  }

  /** Errors (and unfolded warnings) gathered since the last call (flushed with each batch, so memory stays bounded). */
  takeErrors(): RejectInput[] {
    const out = this.#pending;
    this.#pending = [];
    return out;
  }

  /** The folded warnings; call once, at the end of the file. */
  takeWarnings(): RejectInput[] {
    const out = [...this.#warnings.values()].map(({ first, count }) =>
      count === 1 ? first : { ...first, reason: `${first.reason} (applies to ${count} records, first at line ${first.line ?? '?'})` },
    );
    this.#warnings.clear();
    return out;
  }

  #row(line: number | null, code: string, reason: string, raw: string | null, severity: 'error' | 'warning'): RejectInput {
    return {
      sourceId: this.#sourceId,
      file: this.#file,
      line,
      code,
      reason,
      raw: raw === null ? null : truncate(raw, 500),
      severity,
      recordedAt: this.#recordedAt,
    };
  }
}
