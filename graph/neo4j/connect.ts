/**
 * The driver, and what to say when Neo4j cannot be used. Every driver failure becomes a
 * MarketGraphError whose message names the cause an operator can fix: the server is unreachable,
 * the credentials were refused, the database does not exist, or the schema is missing.
 */
import neo4j, { type Config, type Driver } from 'neo4j-driver';
import {
  MarketGraphError, StoreAuthError, StoreError, StoreRequestError, StoreSchemaError, StoreUnavailableError,
  StoreVersionError,
} from '../../schema/errors.ts';
import { SCHEMA_OBJECTS, SHOW_CONSTRAINTS, SHOW_INDEXES } from './cypher/schema.ts';
import { query } from './runner.ts';

export const STORE = 'neo4j graph store';

/** Where a store connects to, for messages (never the password). */
export interface Neo4jTarget {
  uri: string;
  user: string;
  database: string;
}

/** What `verify()` found. */
export interface Neo4jServerInfo {
  /** e.g. `Neo4j/5.26.0`. */
  server: string;
  address: string;
  database: string;
}

const AUTH_FAILURES = new Set([
  'Neo.ClientError.Security.Unauthorized',
  'Neo.ClientError.Security.AuthenticationRateLimit',
  'Neo.ClientError.Security.CredentialsExpired',
  'Neo.ClientError.Security.TokenExpired',
]);

/**
 * Client errors that are not about the request itself: the transaction was stopped or timed out
 * (by the server's limits or an operator), or a cluster member could not serve it. Every other
 * `Neo.ClientError.*` (syntax, types, constraints, a statement it cannot plan) is permanent.
 */
const TRANSIENT_CLIENT_ERRORS = new Set([
  'Neo.ClientError.Transaction.Terminated',
  'Neo.ClientError.Transaction.LockClientStopped',
  'Neo.ClientError.Transaction.TransactionTimedOut',
  'Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration',
  'Neo.ClientError.Cluster.NotALeader',
  'Neo.ClientError.General.ForbiddenOnReadOnlyDatabase',
  'Neo.ClientError.Database.DatabaseUnavailable',
]);

/** The URI without any user info, for messages. */
export function displayUri(uri: string): string {
  return uri.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, '$1');
}

/**
 * A driver for `uri` with MarketGraph's settings: integers come back as JS numbers (every integer
 * MarketGraph stores — epoch ms, counts, write order — is far below 2^53).
 * @throws StoreError when the URI is not one the driver accepts
 */
export function createDriver(options: { uri: string; user: string; password: string }, config: Config = {}): Driver {
  try {
    return neo4j.driver(options.uri, neo4j.auth.basic(options.user, options.password), {
      disableLosslessIntegers: true,
      userAgent: 'marketgraph',
      ...config,
    });
  } catch (error) {
    throw new StoreError(STORE, `cannot use ${displayUri(options.uri)}: ${errorMessage(error)}`, { cause: error });
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The driver's (or server's) error code, when there is one. */
function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Turns any failure of `action` into a MarketGraphError that says what is wrong; MarketGraph's own
 * errors (invalid arguments, missing schema) pass through unchanged.
 */
export function storeFailure(target: Neo4jTarget, action: string, error: unknown): MarketGraphError {
  if (error instanceof MarketGraphError) return error;
  const code = codeOf(error);
  const uri = displayUri(target.uri);
  const detail = errorMessage(error);
  if (code === neo4j.error.SERVICE_UNAVAILABLE || code === neo4j.error.SESSION_EXPIRED) {
    return new StoreUnavailableError(STORE, `cannot reach Neo4j at ${uri} (is it running, and is that its Bolt address?): ${detail}`, { cause: error });
  }
  if (code !== undefined && AUTH_FAILURES.has(code)) {
    return new StoreAuthError(STORE, `Neo4j at ${uri} refused the credentials of user "${target.user}" (check the user and password): ${detail}`, { cause: error });
  }
  if (code === 'Neo.ClientError.Security.Forbidden') {
    return new StoreAuthError(STORE, `user "${target.user}" is not allowed to ${action} on database "${target.database}": ${detail}`, { cause: error });
  }
  if (code === 'Neo.ClientError.Database.DatabaseNotFound') {
    return new StoreUnavailableError(STORE, `database "${target.database}" does not exist on ${uri} (create it, or configure another database)`, { cause: error });
  }
  if (code !== undefined && code.startsWith('Neo.ClientError.') && !TRANSIENT_CLIENT_ERRORS.has(code)) {
    return new StoreRequestError(STORE, action, code, detail, { cause: error });
  }
  // Transient errors (deadlocks, leader switches, memory pressure) the managed transaction already
  // retried, database errors and broken connections: a later attempt may succeed.
  return new StoreError(STORE, `${action} failed: ${detail}`, { cause: error });
}

/** The oldest Neo4j the adapter's Cypher runs on: scoped `CALL (x) { … }` subqueries need 5.23. */
export const MIN_NEO4J_VERSION = '5.26';

/**
 * Refuses a server older than MIN_NEO4J_VERSION. Agents look like `Neo4j/5.26.30` or, for the
 * calendar-versioned releases after 5.26, `Neo4j/2025.01.0`; anything unparseable is let through.
 * @throws StoreVersionError
 */
export function checkServerVersion(agent: string): void {
  const match = /^Neo4j\/(\d+)\.(\d+)/.exec(agent);
  if (match === null) return;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  const [needMajor, needMinor] = MIN_NEO4J_VERSION.split('.').map(Number) as [number, number];
  if (major < needMajor || (major === needMajor && minor < needMinor)) {
    throw new StoreVersionError(STORE, agent.slice('Neo4j/'.length), MIN_NEO4J_VERSION);
  }
}

/**
 * Checks that the store can be used: the server answers, accepts the credentials, has the
 * database, and holds every constraint and index `migrate()` creates (none of them failed).
 * @throws StoreUnavailableError, StoreAuthError, StoreSchemaError or StoreError saying which
 */
export async function verifyStore(driver: Driver, target: Neo4jTarget): Promise<Neo4jServerInfo> {
  try {
    const info = await driver.getServerInfo({ database: target.database });
    checkServerVersion(info.agent ?? '');
    const session = driver.session({ database: target.database, defaultAccessMode: neo4j.session.READ });
    try {
      // SHOW commands run on their own (auto-commit), as Neo4j Browser runs them.
      const constraints = await query({ tx: session, ns: '' }, SHOW_CONSTRAINTS);
      const indexes = await query({ tx: session, ns: '' }, SHOW_INDEXES);
      const present = new Set([...constraints, ...indexes].map((row) => row.name as string));
      const missing = SCHEMA_OBJECTS.filter((o) => !present.has(o.name)).map((o) => `${o.kind} ${o.name}`);
      if (missing.length > 0) throw new StoreSchemaError(STORE, missing);
      const failed = indexes.filter((row) => row.state === 'FAILED' && SCHEMA_OBJECTS.some((o) => o.name === row.name));
      if (failed.length > 0) {
        const names = failed.map((row) => row.name as string);
        throw new StoreSchemaError(STORE, names.map((n) => `index ${n} (FAILED)`), `drop ${names.join(', ')} and run \`mkg migrate\``);
      }
    } finally {
      await session.close();
    }
    return { server: info.agent ?? 'Neo4j', address: info.address ?? displayUri(target.uri), database: target.database };
  } catch (error) {
    throw storeFailure(target, 'verify the store', error);
  }
}
