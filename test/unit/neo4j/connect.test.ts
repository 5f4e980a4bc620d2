/**
 * What the Neo4j store says when it cannot be used. Driver errors are built with the driver's own
 * error class and codes; the unreachable case goes through a real driver to a closed loopback port.
 */
import { createServer } from 'node:net';
import neo4j from 'neo4j-driver';
import { describe, expect, it, vi } from 'vitest';
import { checkServerVersion, createDriver, displayUri, storeFailure } from '../../../graph/neo4j/connect.ts';
import { Neo4jGraphStore } from '../../../graph/neo4j/neo4j-graph-store.ts';
import { classifyJobError } from '../../../pipelines/jobs/job-errors.ts';
import {
  InvalidArgumentError, StoreAuthError, StoreError, StoreRequestError, StoreSchemaError, StoreUnavailableError,
  StoreVersionError,
} from '../../../schema/errors.ts';

const target = { uri: 'bolt://db.internal:7687', user: 'neo4j', database: 'graph' };

function driverError(code: string, message = 'boom') {
  return new neo4j.Neo4jError(message, code, '50N42', 'error: general processing exception');
}

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('storeFailure', () => {
  it('says the server cannot be reached', () => {
    const error = storeFailure(target, 'connect', driverError(neo4j.error.SERVICE_UNAVAILABLE, 'Could not perform discovery'));
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(error.message).toMatch(/^neo4j graph store: cannot reach Neo4j at bolt:\/\/db\.internal:7687 .*Could not perform discovery/);
  });

  it('says the credentials were refused, naming the user but never the password', () => {
    const error = storeFailure(target, 'connect', driverError('Neo.ClientError.Security.Unauthorized'));
    expect(error).toBeInstanceOf(StoreAuthError);
    expect(error.message).toMatch(/refused the credentials of user "neo4j"/);
    expect(storeFailure(target, 'writeBatch', driverError('Neo.ClientError.Security.Forbidden')).message)
      .toMatch(/user "neo4j" is not allowed to writeBatch on database "graph"/);
  });

  it('says the database does not exist', () => {
    const error = storeFailure(target, 'verify the store', driverError('Neo.ClientError.Database.DatabaseNotFound'));
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(error.message).toMatch(/database "graph" does not exist on bolt:\/\/db\.internal:7687/);
  });

  it('passes MarketGraph errors through and wraps anything else with the action', () => {
    const own = new InvalidArgumentError('first', 'too big');
    expect(storeFailure(target, 'findNodes', own)).toBe(own);
    const other = storeFailure(target, 'findNodes', driverError('Neo.TransientError.Transaction.DeadlockDetected', 'deadlock'));
    expect(other).toBeInstanceOf(StoreError);
    expect(other).not.toBeInstanceOf(StoreRequestError);
    expect(other.message).toBe('neo4j graph store: findNodes failed: deadlock');
    expect(classifyJobError(other).retryable).toBe(true);
  });

  it('tells a request the server refused (permanent) from a transaction it stopped (transient)', () => {
    for (const code of ['Neo.ClientError.Statement.SyntaxError', 'Neo.ClientError.Schema.ConstraintValidationFailed', 'Neo.ClientError.Statement.TypeError']) {
      const error = storeFailure(target, 'writeBatch', driverError(code, 'bad'));
      expect(error, code).toBeInstanceOf(StoreRequestError);
      expect(error.message).toBe(`neo4j graph store: writeBatch was refused (${code}): bad`);
      expect(classifyJobError(error).retryable, code).toBe(false);
    }
    for (const code of ['Neo.ClientError.Transaction.TransactionTimedOut', 'Neo.ClientError.Transaction.Terminated', 'Neo.ClientError.Cluster.NotALeader']) {
      const error = storeFailure(target, 'writeBatch', driverError(code, 'stopped'));
      expect(error, code).not.toBeInstanceOf(StoreRequestError);
      expect(classifyJobError(error).retryable, code).toBe(true);
    }
  });

  it('refuses a server older than the oldest supported, and says which', () => {
    expect(() => checkServerVersion('Neo4j/5.26.30')).not.toThrow();
    expect(() => checkServerVersion('Neo4j/2025.08.1')).not.toThrow();
    expect(() => checkServerVersion('Neo4j/6.0.0')).not.toThrow();
    expect(() => checkServerVersion('Neo4j/5.20.0')).toThrow(StoreVersionError);
    expect(() => checkServerVersion('Neo4j/4.4.41')).toThrow(/server version 4\.4\.41 is older than 5\.26/);
    expect(classifyJobError(new StoreVersionError('neo4j graph store', '4.4', '5.26')).retryable).toBe(false);
  });

  it('names what is missing and how to fix it', () => {
    const error = new StoreSchemaError('neo4j graph store', ['constraint mkg_thing_key', 'index mkg_text']);
    expect(error.message).toBe('neo4j graph store: missing constraint mkg_thing_key, index mkg_text; run `mkg migrate`');
    expect(error.code).toBe('STORE_ERROR');
  });
});

describe('displayUri', () => {
  it('drops user info from URIs', () => {
    expect(displayUri('neo4j+s://me:secret@x.databases.neo4j.io')).toBe('neo4j+s://x.databases.neo4j.io');
    expect(displayUri('bolt://localhost:7687')).toBe('bolt://localhost:7687');
  });
});

describe('Neo4jGraphStore.connect', () => {
  it('refuses a URI the driver cannot use, and a bad batch size', async () => {
    expect(() => createDriver({ uri: 'http://localhost:7474', user: 'u', password: 'p' })).toThrow(StoreError);
    await expect(Neo4jGraphStore.connect({ uri: 'bolt://localhost:1', user: 'u', password: 'p', batchSize: 0 }))
      .rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('fails with StoreUnavailableError when nothing listens at the address', async () => {
    const uri = `bolt://127.0.0.1:${await closedPort()}`;
    const failure = Neo4jGraphStore.connect({ uri, user: 'neo4j', password: 'secret-password' });
    await expect(failure).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(failure).rejects.toThrow(/cannot reach Neo4j at bolt:\/\/127\.0\.0\.1:\d+/);
    await expect(failure).rejects.not.toThrow(/secret-password/);
  });

  it('leaves an injected driver open on failure', async () => {
    const driver = createDriver({ uri: `bolt://127.0.0.1:${await closedPort()}`, user: 'neo4j', password: 'x' });
    const close = vi.spyOn(driver, 'close');
    await expect(Neo4jGraphStore.connect({ uri: 'bolt://ignored', user: 'neo4j', password: 'x', driver }))
      .rejects.toBeInstanceOf(StoreUnavailableError);
    expect(close).not.toHaveBeenCalled();
    await driver.close();
  });
});
