/**
 * The one place where domain errors become GraphQL errors. A `MarketGraphError` whose code means
 * "the caller asked for something wrong" becomes a GraphQLError with `extensions.code` and
 * `extensions.http.status`, which error masking lets through. Every other error is left alone, so
 * masking turns it into "Unexpected error." and logs it.
 *
 * Errors are made with yoga's `createGraphQLError` and recognised without `instanceof`: `graphql`
 * ships CJS and ESM builds, and yoga must see errors of the build it loaded itself.
 */
import type { GraphQLError } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import { MarketGraphError, type ErrorCode } from '../schema/errors.ts';

export interface ExpectedError {
  code: string;
  status: number;
}

export const BAD_USER_INPUT: ExpectedError = { code: 'BAD_USER_INPUT', status: 400 };
export const NOT_FOUND: ExpectedError = { code: 'NOT_FOUND', status: 404 };
export const SERVICE_UNAVAILABLE: ExpectedError = { code: 'SERVICE_UNAVAILABLE', status: 503 };

/** `null`: an internal failure, masked. Exhaustive, so a new code forces a decision here. */
const BY_CODE: Record<ErrorCode, ExpectedError | null> = {
  INVALID_ARGUMENT: BAD_USER_INPUT,
  INVALID_ID: BAD_USER_INPUT,
  NOT_FOUND,
  CONFIG_INVALID: null,
  INVALID_RECORD: null,
  UNKNOWN_FILE_KIND: null,
  FILE_UNREADABLE: null,
  STORE_ERROR: null,
  LLM_ERROR: null,
  QUEUE_UNAVAILABLE: SERVICE_UNAVAILABLE,
  JOB_CANCELLED: null,
};

export function isGraphQLError(error: unknown): error is GraphQLError {
  return Object.prototype.toString.call(error) === '[object GraphQLError]';
}

/** A GraphQLError the client is meant to see. */
export function expectedError(kind: ExpectedError, message: string, extensions?: Record<string, unknown>): GraphQLError {
  return createGraphQLError(message, {
    extensions: { ...extensions, code: kind.code, http: { status: kind.status } },
  });
}

export function badUserInput(message: string, extensions?: Record<string, unknown>): GraphQLError {
  return expectedError(BAD_USER_INPUT, message, extensions);
}

function domainError(error: unknown): MarketGraphError | null {
  let e = error;
  // graphql-js wraps resolver errors (locatedError); look through the wrappers.
  while (isGraphQLError(e) && e.originalError) e = e.originalError;
  return e instanceof MarketGraphError ? e : null;
}

/**
 * Maps an error raised while serving a request. Expected domain errors become client-facing
 * GraphQLErrors that keep the original's path and locations; anything else is returned unchanged.
 */
export function toGraphQLError<E>(error: E): E | GraphQLError {
  const domain = domainError(error);
  const kind = domain ? BY_CODE[domain.code] : null;
  if (!domain || !kind) return error;
  const located = isGraphQLError(error) ? error : null;
  return createGraphQLError(domain.message, {
    nodes: located?.nodes ?? null,
    source: located?.source ?? null,
    positions: located?.positions ?? null,
    path: located?.path ?? null,
    extensions: { code: kind.code, domainCode: domain.code, http: { status: kind.status } },
  });
}
