/**
 * What a command that submits or runs jobs opens: the configured stores, the cached LLM (offline:
 * none), the embedder and the JobRunner over them — and one `close` for all of it. `mkg serve`,
 * `mkg reextract` and `mkg jobs` share it.
 */
import { createStores, type Stores } from '../graph/create-stores.ts';
import { embedderFromConfig } from '../extraction/embed/create-embedder.ts';
import { createCachedLlmClient, type CachedLlm } from '../extraction/llm/create-llm-client.ts';
import { openJobRunner } from '../pipelines/jobs/create-job-runner.ts';
import type { JobRunner } from '../pipelines/jobs/job-runner.ts';
import type { Config } from '../schema/config.ts';
import { QueueUnavailableError } from '../schema/errors.ts';

export interface JobEnvironment<J extends JobRunner | null = JobRunner> {
  stores: Stores;
  jobs: J;
  /** Why `jobs` is null (only with `optionalQueue`). */
  queueProblem: string | null;
  close(): Promise<void>;
}

/**
 * @throws QueueUnavailableError when REDIS_URL is set and Redis does not answer (the stores are closed again)
 */
export async function openJobEnvironment(settings: Config): Promise<JobEnvironment>;
/** With `optionalQueue`, an unreachable Redis leaves `jobs` null and says why: reads still work. */
export async function openJobEnvironment(settings: Config, options: { optionalQueue: true }): Promise<JobEnvironment<JobRunner | null>>;
export async function openJobEnvironment(settings: Config, options: { optionalQueue?: boolean } = {}): Promise<JobEnvironment<JobRunner | null>> {
  const stores = await createStores(settings, { verify: true });
  let cached: CachedLlm | null = null;
  try {
    cached = createCachedLlmClient(settings);
    let jobs: JobRunner | null = null;
    let queueProblem: string | null = null;
    try {
      jobs = await openJobRunner(settings, {
        services: { graph: stores.graph, vectors: stores.vectors, llm: cached?.llm ?? null, embedder: embedderFromConfig(settings) },
      });
    } catch (error) {
      if (!(options.optionalQueue && error instanceof QueueUnavailableError)) throw error;
      queueProblem = error.message;
    }
    const llm = cached;
    return {
      stores,
      jobs,
      queueProblem,
      async close() {
        await jobs?.close();
        await llm?.close();
        await stores.close();
      },
    };
  } catch (error) {
    await cached?.close();
    await stores.close();
    throw error;
  }
}
