/**
 * Turns what the Qdrant client throws into MarketGraph errors whose message says what is wrong:
 * unreachable, timed out, unauthorised, forbidden, missing collection, rejected request, server
 * failure. Nothing here prints the API key, and URLs lose credentials and query strings.
 *
 * The client surfaces HTTP failures as `ApiError` from @qdrant/openapi-typescript-fetch (not
 * re-exported, so recognised by its `status` field) and network failures as fetch's
 * `TypeError('fetch failed')` with the socket error as `cause`.
 */
import { QdrantClientResourceExhaustedError, QdrantClientTimeoutError } from '@qdrant/js-client-rest';
import { MarketGraphError, StoreAuthError, StoreError, StoreUnavailableError } from '../../schema/errors.ts';

export const STORE = 'qdrant vector store';

export type FailureKind =
  | 'unreachable' | 'timeout' | 'unauthorised' | 'forbidden' | 'not-found' | 'rate-limited' | 'rejected' | 'server' | 'unknown';

export interface Failure {
  kind: FailureKind;
  /** HTTP status when Qdrant answered. */
  status: number | null;
  /** Qdrant's own error text, the socket error code, or the error message. */
  detail: string;
}

export interface FailureContext {
  /** Where the store points, already redacted (see `redactUrl`). */
  url: string;
  collection: string;
  hasApiKey: boolean;
  timeoutMs: number;
}

/** The URL without user info, query or fragment, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

interface HttpErrorLike {
  status: number;
  statusText?: string;
  data?: unknown;
}

const isHttpError = (error: unknown): error is HttpErrorLike =>
  typeof error === 'object' && error !== null && typeof (error as { status?: unknown }).status === 'number';

/** The first `code` (or else the innermost message) along an error's cause chain. */
function socketDetail(error: unknown): string {
  let current: unknown = error;
  let message = error instanceof Error ? error.message : String(error);
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const { code, message: m, cause, errors } = current as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string') return code;
    if (typeof m === 'string' && m.length > 0) message = m;
    current = cause ?? (Array.isArray(errors) ? errors[0] : undefined);
  }
  return message;
}

function qdrantText(error: HttpErrorLike): string {
  const data = error.data as { status?: { error?: unknown } } | string | undefined;
  if (typeof data === 'object' && data !== null && typeof data.status?.error === 'string') return data.status.error;
  if (typeof data === 'string' && data.trim().length > 0) return data.trim().slice(0, 300);
  return error.statusText || 'no details';
}

export function classify(error: unknown): Failure {
  if (error instanceof QdrantClientTimeoutError) return { kind: 'timeout', status: null, detail: error.message };
  if (error instanceof QdrantClientResourceExhaustedError) return { kind: 'rate-limited', status: 429, detail: error.message };
  if (isHttpError(error)) {
    const { status } = error;
    const detail = qdrantText(error);
    if (status === 401) return { kind: 'unauthorised', status, detail };
    if (status === 403) return { kind: 'forbidden', status, detail };
    if (status === 404) return { kind: 'not-found', status, detail };
    if (status === 429) return { kind: 'rate-limited', status, detail };
    if (status >= 500) return { kind: 'server', status, detail };
    return { kind: 'rejected', status, detail };
  }
  if (error instanceof TypeError && /fetch failed/i.test(error.message)) {
    return { kind: 'unreachable', status: null, detail: socketDetail(error) };
  }
  return { kind: 'unknown', status: null, detail: error instanceof Error ? error.message : String(error) };
}

/** The sentence for one failure, without the store prefix. */
export function describeFailure(failure: Failure, ctx: FailureContext, action: string): string {
  const at = `Qdrant at ${ctx.url}`;
  switch (failure.kind) {
    case 'unreachable': return `cannot reach ${at} (${failure.detail}) to ${action}; is it running and is the URL right?`;
    case 'timeout': return `${at} did not answer ${action} within ${ctx.timeoutMs} ms`;
    case 'unauthorised':
      return ctx.hasApiKey
        ? `${at} rejected the API key (401 Unauthorized) on ${action}`
        : `${at} requires an API key (401 Unauthorized) on ${action}; none was configured`;
    case 'forbidden': return `the API key may not ${action} on collection "${ctx.collection}" at ${ctx.url} (403 Forbidden: ${failure.detail})`;
    case 'not-found': return `collection "${ctx.collection}" does not exist at ${ctx.url} (404 on ${action}: ${failure.detail})`;
    case 'rate-limited': return `${at} is rate-limiting ${action} (429: ${failure.detail})`;
    case 'rejected': return `${at} rejected ${action} (${failure.status}: ${failure.detail})`;
    case 'server': return `${at} failed ${action} (${failure.status}: ${failure.detail})`;
    case 'unknown': return `${action} failed: ${failure.detail}`;
  }
}

/**
 * MarketGraph errors pass through; anything else becomes a StoreError with a clear message:
 * StoreUnavailableError when Qdrant or the collection cannot be reached, StoreAuthError when the
 * key is missing, wrong or lacks a permission, plain StoreError otherwise.
 */
export function qdrantFailure(ctx: FailureContext, action: string, cause: unknown): Error {
  if (cause instanceof MarketGraphError) return cause;
  const failure = classify(cause);
  const message = describeFailure(failure, ctx, action);
  switch (failure.kind) {
    case 'unreachable':
    case 'timeout':
    case 'not-found':
      return new StoreUnavailableError(STORE, message, { cause });
    case 'unauthorised':
    case 'forbidden':
      return new StoreAuthError(STORE, message, { cause });
    default:
      return new StoreError(STORE, message, { cause });
  }
}

/** A collection that exists but cannot be used as it is (dimension, distance, index type). */
export function schemaMismatch(reason: string): Error {
  return new StoreError(STORE, reason);
}

export const httpStatus = (error: unknown): number | null => (isHttpError(error) ? error.status : null);
