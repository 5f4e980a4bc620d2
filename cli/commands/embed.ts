import { withSqliteFile, type Config } from '../../schema/config.ts';
import { createStores, describeGraphStore, describeVectorStore } from '../../graph/create-stores.ts';
import { embedderFromConfig } from '../../extraction/embed/create-embedder.ts';
import { embedGraph } from '../../pipelines/embed-graph.ts';
import { parseCommandArgs } from '../args.ts';
import type { Output } from '../output.ts';

/**
 * `mkg embed [--db FILE]`: gives every visible entity and non-bulk event a vector in the vector
 * store, keyed by graph id. Uses the OpenAI-compatible embedding model when OPENAI_BASE_URL or
 * OPENAI_API_KEY is set (MKG_EMBED_MODEL), the offline hashing embedder otherwise. Idempotent: a
 * second run replaces the same vectors. Prints the counts and the embedder used.
 */
export async function runEmbed(argv: string[], config: Config, out: Output): Promise<number> {
  const { values } = parseCommandArgs(argv, { db: { type: 'string' } });
  const settings = withSqliteFile(config, values.db);
  const embedder = embedderFromConfig(settings);
  const using = settings.llm
    ? `${embedder.model} at ${settings.llm.baseURL ?? 'api.openai.com'}`
    : `${embedder.model} (offline hashing embedder)`;
  const stores = await createStores(settings, { verify: true });
  try {
    const started = performance.now();
    const r = await embedGraph(stores.graph, stores.vectors, embedder);
    out.stdout(
      `Embedded ${describeGraphStore(settings)} into ${describeVectorStore(settings)} with ${using} `
        + `(${Math.round(performance.now() - started)} ms): ${r.entities} entities, ${r.events} events, `
        + `${r.batches} batches.\n`,
    );
    return 0;
  } finally {
    await stores.close();
  }
}
