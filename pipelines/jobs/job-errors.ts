/**
 * Which job failures are worth retrying. Transient: the store or the queue was unreachable or
 * busy, the LLM timed out or was rate-limited, a connection dropped — the same job may well succeed
 * later. Permanent: the input is wrong (a source that does not exist, a malformed selection, a file
 * of no known kind), a record is poison, the job was cancelled — retrying cannot help, so the job
 * fails at once and keeps its error.
 */
import {
  MarketGraphError, StoreAuthError, StoreRequestError, StoreSchemaError, StoreVersionError,
} from '../../schema/errors.ts';
import type { JobError } from './job.ts';

/** Node's error codes for a connection that failed or broke. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH']);

export function classifyJobError(error: unknown): JobError {
  const message = (error instanceof Error ? error.message : String(error)).slice(0, 2000);
  if (error instanceof MarketGraphError) {
    return { code: error.code, message, retryable: isTransient(error) };
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return { code: 'STORE_ERROR', message, retryable: true };
  return { code: 'INTERNAL', message, retryable: false };
}

function isTransient(error: MarketGraphError): boolean {
  switch (error.code) {
    case 'STORE_ERROR':
      // Bad credentials, a missing schema, an old server or a request the store refused as invalid
      // do not fix themselves between attempts.
      return !(error instanceof StoreAuthError || error instanceof StoreSchemaError
        || error instanceof StoreRequestError || error instanceof StoreVersionError);
    case 'QUEUE_UNAVAILABLE':
      return true;
    case 'LLM_ERROR':
      // The client already retried 429/5xx/timeouts with backoff; what reaches here exhausted them,
      // which a later attempt may not (the provider recovers).
      return true;
    default:
      return false;
  }
}
