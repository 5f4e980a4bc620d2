/**
 * Redis connections of the BullMQ adapter: REDIS_URL → ioredis options, a start-up probe that
 * fails within seconds instead of letting ioredis retry forever, and the Redis keys MarketGraph
 * keeps next to BullMQ's own (cancellation requests and the records of cancelled queued jobs).
 */
import { Redis, type RedisOptions } from 'ioredis';
import { QueueUnavailableError } from '../../../schema/errors.ts';
import type { JobKind } from '../job.ts';

/** How long the start-up probe waits for Redis. */
export const CONNECT_TIMEOUT_MS = 3000;

/**
 * ioredis options for a URL. `worker`: BullMQ's blocking connections need
 * `maxRetriesPerRequest: null` and reconnect forever (a worker outlives a Redis restart).
 * `producer`: commands fail fast while Redis is away (`enableOfflineQueue: false`), so an API
 * request gets a QueueUnavailableError instead of hanging.
 */
export function redisOptions(url: string, role: 'producer' | 'worker'): RedisOptions {
  const u = new URL(url);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  const base: RedisOptions = {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port ? Number(u.port) : 6379,
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: Number.isInteger(db) ? db : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    connectTimeout: CONNECT_TIMEOUT_MS,
    // Reconnect with a capped delay; never give up (Redis restarts are expected).
    retryStrategy: (times) => Math.min(200 * times, 2000),
  };
  return role === 'worker'
    ? { ...base, maxRetriesPerRequest: null }
    : { ...base, maxRetriesPerRequest: 1, enableOfflineQueue: false };
}

/** The URL without its password, for messages and logs. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return 'redis://(unparsable URL)';
  }
}

/**
 * Connects once and PINGs, within CONNECT_TIMEOUT_MS, without retrying.
 * @throws QueueUnavailableError naming the (redacted) URL and saying the API still serves reads
 */
export async function probeRedis(url: string): Promise<void> {
  const client = new Redis({
    ...redisOptions(url, 'producer'),
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  // connect() rejects with a bare "Connection is closed"; the cause comes as an 'error' event.
  let cause: unknown = null;
  client.on('error', (error) => {
    cause ??= error;
  });
  try {
    await withTimeout(client.connect().then(() => client.ping()), CONNECT_TIMEOUT_MS + 500);
  } catch (error) {
    throw unavailable(url, cause ?? error);
  } finally {
    client.disconnect();
  }
}

/** A QueueUnavailableError for `url` from whatever ioredis or BullMQ threw. */
export function unavailable(url: string, error: unknown): QueueUnavailableError {
  const reason = error instanceof Error ? error.message : String(error);
  return new QueueUnavailableError(
    redactRedisUrl(url),
    `${reason || 'no answer'} (jobs cannot be submitted until Redis answers; the API still serves reads)`,
    { cause: error },
  );
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Redis names shared by the runner (producer) and the workers (consumers). */
export interface QueueNames {
  queue(kind: JobKind): string;
  /** String key set while a cancellation of `jobId` is pending (expires after a day). */
  cancelKey(jobId: string): string;
  /** Pub/sub channel workers listen on for cancellations (payload: the job id). */
  cancelChannel: string;
  /** Hash: job id → JSON JobRecord of a job cancelled while queued (BullMQ removed it). */
  cancelledHash: string;
  /** Counter giving every submitted job its place in `list`. */
  seqKey: string;
}

export function queueNames(prefix: string): QueueNames {
  return {
    queue: (kind) => `${prefix}-${kind}`,
    cancelKey: (jobId) => `${prefix}:cancel:${jobId}`,
    cancelChannel: `${prefix}:cancel`,
    cancelledHash: `${prefix}:cancelled`,
    seqKey: `${prefix}:seq`,
  };
}

/** Seconds a cancellation request is kept for a worker to see it. */
export const CANCEL_TTL_S = 24 * 3600;
