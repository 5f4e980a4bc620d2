/**
 * What follows reading documents: new text brings new names, so the schema is induced for them
 * (concepts, INSTANCE_OF, BROADER) and entities that are the same thing are recorded as SAME_AS.
 * Both steps are incremental and idempotent, so running them after every ingest that read text
 * costs little once the graph has been through them. `mkg ingest` runs this when it read chunks.
 */
import type { Embedder } from '../extraction/embed/embedder.ts';
import type { LlmClient, UsageMeter } from '../extraction/llm/llm-client.ts';
import type { GraphStore } from '../graph/graph-store.ts';
import type { VectorStore } from '../graph/vector-store.ts';
import { induceSchema, type InduceSchemaResult } from './induce-schema.ts';
import { resolveEntities, type ResolveEntitiesResult } from './resolve-entities.ts';

export interface TextSchemaOptions {
  /** Conceptualises with this model; null: the offline taxonomy. */
  llm: LlmClient | null;
  usage?: UsageMeter;
  /** Embedding similarity for resolution (names compared in memory without `vectors`). */
  embedder?: Embedder | null;
  /** Entity vectors (`mkg embed`) to search for similar names; absent: compared in memory. */
  vectors?: VectorStore | null;
  signal?: AbortSignal;
}

export interface TextSchemaResult {
  induction: InduceSchemaResult;
  resolution: ResolveEntitiesResult;
}

export async function induceAndResolve(graph: GraphStore, options: TextSchemaOptions): Promise<TextSchemaResult> {
  const induction = await induceSchema(graph, { llm: options.llm, usage: options.usage, signal: options.signal });
  const resolution = await resolveEntities(graph, {
    embedder: options.embedder ?? null, vectors: options.vectors ?? null, signal: options.signal,
  });
  return { induction, resolution };
}
