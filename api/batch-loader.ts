/**
 * A minimal request-scoped batch loader (the DataLoader idea, without the dependency): every
 * `load` made while one tick of resolvers runs is collected and sent as one batch, and each key
 * is fetched at most once per loader.
 */

/** Values in the order of the keys; a missing value is `null`. */
export type BatchFn<K, V> = (keys: K[]) => Promise<(V | null)[]>;

export interface BatchLoader<K, V> {
  load(key: K): Promise<V | null>;
}

interface Pending<K, V> {
  key: K;
  resolve: (value: V | null) => void;
  reject: (error: unknown) => void;
}

/**
 * @param maxBatch keys per call of `batch` (larger queues are split). @default 500
 */
export function createBatchLoader<K, V>(batch: BatchFn<K, V>, maxBatch = 500): BatchLoader<K, V> {
  const cache = new Map<K, Promise<V | null>>();
  let queue: Pending<K, V>[] = [];

  function dispatch(): void {
    const pending = queue;
    queue = [];
    for (let i = 0; i < pending.length; i += maxBatch) {
      const chunk = pending.slice(i, i + maxBatch);
      Promise.resolve(chunk.map((p) => p.key)).then(batch).then(
        (values) => chunk.forEach((p, j) => p.resolve(values[j] ?? null)),
        (error: unknown) => chunk.forEach((p) => p.reject(error)),
      );
    }
  }

  return {
    load(key) {
      const hit = cache.get(key);
      if (hit) return hit;
      const promise = new Promise<V | null>((resolve, reject) => {
        queue.push({ key, resolve, reject });
        // After the current promise jobs: sibling resolvers have all asked by then.
        if (queue.length === 1) void Promise.resolve().then(() => process.nextTick(dispatch));
      });
      cache.set(key, promise);
      return promise;
    },
  };
}
