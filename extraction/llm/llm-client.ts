/**
 * The LlmClient port: one structured completion — a system and a user message in, a value that
 * the given zod schema accepted out. Adapters own transport, retries, repairs and rate limits; the
 * extraction stages see only this interface. Every failure is an `LlmError` (schema/errors.ts).
 */
import type { z } from 'zod';

/** One structured request. */
export interface LlmRequest<T> {
  system: string;
  user: string;
  /** Validates the parsed JSON answer; its JSON Schema is sent to servers that take one. */
  schema: z.ZodType<T>;
  /** Names the schema for the server and in errors, e.g. 'triples_v1'. Letters, digits, _ and -. */
  schemaName: string;
  /** @default the server's own limit */
  maxTokens?: number;
  /** @default 0 */
  temperature?: number;
}

/** Token and request accounting. */
export interface LlmUsage {
  promptTokens: number;
  completionTokens: number;
  /** HTTP requests sent, retries and repairs included. */
  calls: number;
  /** Requests re-sent after a 429, a 5xx, a timeout or a lost connection. */
  retries: number;
  /** Repair turns: requests that sent an invalid answer back to be corrected. */
  repairs: number;
  /** Answers served from a cache (or shared with an identical request in flight): no request sent. */
  cached: number;
}

export interface LlmResult<T> {
  value: T;
  /** What this one answer cost. */
  usage: LlmUsage;
}

export interface LlmClient {
  /** The model answering, recorded in provenance and in the extraction cache key. */
  readonly model: string;
  /**
   * Asks for one JSON answer and validates it. `usage`, when given, is charged with everything the
   * request cost, failed attempts included, even when it throws.
   * @example const { value } = await llm.complete({ system, user, schema: Triples, schemaName: 'triples_v1' }, meter);
   */
  complete<T>(request: LlmRequest<T>, usage?: UsageMeter): Promise<LlmResult<T>>;
}

export function emptyUsage(): LlmUsage {
  return { promptTokens: 0, completionTokens: 0, calls: 0, retries: 0, repairs: 0, cached: 0 };
}

/** Per-job accounting: pass one meter to every call of a job, store `snapshot()` with the job. */
export class UsageMeter {
  #usage: LlmUsage = emptyUsage();

  add(usage: Partial<LlmUsage>): void {
    const u = this.#usage;
    u.promptTokens += usage.promptTokens ?? 0;
    u.completionTokens += usage.completionTokens ?? 0;
    u.calls += usage.calls ?? 0;
    u.retries += usage.retries ?? 0;
    u.repairs += usage.repairs ?? 0;
    u.cached += usage.cached ?? 0;
  }

  /** A copy; later calls do not change it. */
  snapshot(): LlmUsage {
    return { ...this.#usage };
  }
}
