/**
 * The error hierarchy. Every error MarketGraph raises on purpose is a `MarketGraphError` with a
 * stable `code`; narrow subclasses build their own message so call sites stay short and the
 * wording stays consistent. The API maps these to GraphQL errors in one place (api/errors.ts).
 */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'INVALID_ID'
  | 'INVALID_RECORD'
  | 'UNKNOWN_FILE_KIND'
  | 'FILE_UNREADABLE'
  | 'NOT_FOUND'
  | 'INVALID_ARGUMENT'
  | 'STORE_ERROR'
  | 'LLM_ERROR'
  | 'QUEUE_UNAVAILABLE'
  | 'JOB_CANCELLED';

export class MarketGraphError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Configuration that cannot be used; `key` names the environment variable or option. */
export class ConfigError extends MarketGraphError {
  readonly key: string;
  constructor(key: string, reason: string) {
    super('CONFIG_INVALID', `Invalid configuration ${key}: ${reason}`);
    this.key = key;
  }
}

/** A string that was meant to be an identifier (address, tx hash, CAIP id) but is not one. */
export class InvalidIdError extends MarketGraphError {
  readonly value: string;
  constructor(what: string, value: string, reason: string) {
    super('INVALID_ID', `Invalid ${what} "${truncate(value, 80)}": ${reason}`);
    this.value = value;
  }
}

/**
 * One input record that cannot be used. `line` is 1-based (the physical line for JSON lines, the
 * record's first line for CSV). The rest of the file goes on; the record lands in the rejects table.
 */
export class InvalidRecordError extends MarketGraphError {
  readonly file: string;
  readonly line: number | null;
  readonly reason: string;
  constructor(file: string, line: number | null, reason: string) {
    super('INVALID_RECORD', `${file}${line === null ? '' : `:${line}`}: ${reason}`);
    this.file = file;
    this.line = line;
    this.reason = reason;
  }
}

/** Detection found no reader for a file; `tried` lists the kinds that were considered. */
export class UnknownFileKindError extends MarketGraphError {
  readonly file: string;
  readonly tried: readonly string[];
  constructor(file: string, tried: readonly string[], hint?: string) {
    super(
      'UNKNOWN_FILE_KIND',
      `Cannot tell what this file is: ${file}${hint ? ` (${hint})` : ''}; tried ${tried.join(', ')}`,
    );
    this.file = file;
    this.tried = tried;
  }
}

export class FileUnreadableError extends MarketGraphError {
  constructor(file: string, reason: string, options?: { cause?: unknown }) {
    super('FILE_UNREADABLE', `Cannot read ${file}: ${reason}`, options);
  }
}

export class NodeNotFoundError extends MarketGraphError {
  readonly id: string;
  constructor(id: string) {
    super('NOT_FOUND', `No node or event with id "${truncate(id, 200)}"`);
    this.id = id;
  }
}

export class SourceNotFoundError extends MarketGraphError {
  readonly id: string;
  constructor(id: string) {
    super('NOT_FOUND', `No source with id "${truncate(id, 200)}" (see \`sources\` for the ids)`);
    this.id = id;
  }
}

/** The job queue (Redis) cannot be reached: jobs cannot be submitted or run; reads still work. */
export class QueueUnavailableError extends MarketGraphError {
  constructor(target: string, reason: string, options?: { cause?: unknown }) {
    super('QUEUE_UNAVAILABLE', `Job queue at ${target} is unavailable: ${reason}`, options);
  }
}

/** Raised inside a running job when it was cancelled; never retried. */
export class JobCancelledError extends MarketGraphError {
  constructor(jobId: string) {
    super('JOB_CANCELLED', `Job ${jobId} was cancelled`);
  }
}

export class InvalidArgumentError extends MarketGraphError {
  constructor(argument: string, reason: string) {
    super('INVALID_ARGUMENT', `Invalid argument ${argument}: ${reason}`);
  }
}

export class StoreError extends MarketGraphError {
  constructor(store: string, reason: string, options?: { cause?: unknown }) {
    super('STORE_ERROR', `${store}: ${reason}`, options);
  }
}

/**
 * A store that cannot be reached or used at all: the server is down or unreachable, or the database
 * it was told to use does not exist. `reason` says which, in words the operator can act on.
 * Like the two classes below it keeps the code `STORE_ERROR`; callers tell them apart by class.
 */
export class StoreUnavailableError extends StoreError {
  constructor(store: string, reason: string, options?: { cause?: unknown }) {
    super(store, reason, options);
  }
}

/** The store refused the credentials (or the user lacks a privilege the operation needs). */
export class StoreAuthError extends StoreError {
  constructor(store: string, reason: string, options?: { cause?: unknown }) {
    super(store, reason, options);
  }
}

/**
 * The store refused a request as invalid (a syntax, type or constraint error, a statement it cannot
 * plan): retrying cannot help, so jobs fail at once instead of backing off. `serverCode` is the
 * store's own error code, e.g. `Neo.ClientError.Schema.ConstraintValidationFailed`.
 */
export class StoreRequestError extends StoreError {
  readonly serverCode: string;
  constructor(store: string, action: string, serverCode: string, detail: string, options?: { cause?: unknown }) {
    super(store, `${action} was refused (${serverCode}): ${detail}`, options);
    this.serverCode = serverCode;
  }
}

/** The store's server is older than the adapter supports. */
export class StoreVersionError extends StoreError {
  constructor(store: string, found: string, needed: string) {
    super(store, `server version ${found} is older than ${needed}, the oldest this adapter supports; upgrade the server`);
  }
}

/**
 * The store is reachable but lacks schema it relies on (constraints, indexes); `missing` names each
 * object and `remedy` says how to create them.
 */
export class StoreSchemaError extends StoreError {
  readonly missing: readonly string[];
  constructor(store: string, missing: readonly string[], remedy = 'run `mkg migrate`') {
    super(store, `missing ${missing.join(', ')}; ${remedy}`);
    this.missing = missing;
  }
}

/**
 * A language-model call that failed for good (after the client's own retries and repairs). Every
 * subclass keeps the code `LLM_ERROR`; callers tell them apart by class. `model` names the model
 * asked, `attempts` the HTTP requests made for this answer.
 */
export class LlmError extends MarketGraphError {
  readonly model: string;
  constructor(model: string, reason: string, options?: { cause?: unknown }) {
    super('LLM_ERROR', `LLM ${model}: ${reason}`, options);
    this.model = model;
  }
}

/** The model kept answering with text that is not JSON matching the schema, repairs included. */
export class LlmInvalidOutputError extends LlmError {
  readonly schemaName: string;
  readonly reason: string;
  /** The last answer, truncated to 2,000 characters. */
  readonly raw: string;
  constructor(model: string, schemaName: string, repairs: number, reason: string, raw: string) {
    super(
      model,
      `no valid ${schemaName} after ${repairs} repair${repairs === 1 ? '' : 's'}: ${truncate(reason, 300)}; last answer: ${JSON.stringify(truncate(raw, 200))}`,
    );
    this.schemaName = schemaName;
    this.reason = reason;
    this.raw = truncate(raw, 2000);
  }
}

/** Every attempt outlived the per-call timeout. */
export class LlmTimeoutError extends LlmError {
  constructor(model: string, timeoutMs: number, attempts: number, options?: { cause?: unknown }) {
    super(model, `timed out after ${timeoutMs} ms (${attempts} attempt${attempts === 1 ? '' : 's'})`, options);
  }
}

/** The server kept answering 429 until the retries ran out. */
export class LlmRateLimitError extends LlmError {
  constructor(model: string, attempts: number, options?: { cause?: unknown }) {
    super(model, `rate limited; gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}`, options);
  }
}

/** A 200 answer with no choice, or a choice without content (e.g. a refusal). */
export class LlmEmptyResponseError extends LlmError {
  constructor(model: string, reason: string) {
    super(model, `empty answer: ${reason}`);
  }
}

/** Any other HTTP or connection failure; `status` is null when no response arrived. */
export class LlmHttpError extends LlmError {
  readonly status: number | null;
  constructor(model: string, status: number | null, reason: string, options?: { cause?: unknown }) {
    super(model, `${status === null ? 'no response' : `HTTP ${status}`}: ${truncate(reason, 300)}`, options);
    this.status = status;
  }
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
