import { withSqliteFile, type Config } from '../../schema/config.ts';
import { createStores, describeGraphStore } from '../../graph/create-stores.ts';
import { createCachedLlmClient } from '../../extraction/llm/create-llm-client.ts';
import { UsageMeter } from '../../extraction/llm/llm-client.ts';
import { induceSchema, type InduceSchemaResult } from '../../pipelines/induce-schema.ts';
import { parseCommandArgs } from '../args.ts';
import type { Output } from '../output.ts';

/**
 * `mkg induce-schema [--db FILE] [--json]`: conceptualises the graph's named entities and text-level
 * events into `Concept` nodes with `INSTANCE_OF` / `BROADER` facts — with the configured LLM (its
 * answers cached like extraction's), else with the offline taxonomy. Incremental and idempotent:
 * items that already have concepts from the current version are skipped.
 */
export async function runInduceSchema(argv: string[], config: Config, out: Output): Promise<number> {
  const { values } = parseCommandArgs(argv, { db: { type: 'string' }, json: { type: 'boolean', default: false } });
  const settings = withSqliteFile(config, values.db);
  const stores = await createStores(settings, { verify: true });
  const cached = createCachedLlmClient(settings);
  const usage = new UsageMeter();
  try {
    const r = await induceSchema(stores.graph, { llm: cached?.llm ?? null, usage });
    const llm = cached ? { model: cached.llm.model, ...usage.snapshot() } : null;
    out.stdout(values.json ? `${JSON.stringify({ ...r, llm }, null, 2)}\n` : `${describeInduction(r, cached?.llm.model ?? null)} in ${describeGraphStore(settings)}.\n`);
    return 0;
  } finally {
    await cached?.close();
    await stores.close();
  }
}

/** One line saying what schema induction did. */
export function describeInduction(r: InduceSchemaResult, model: string | null): string {
  return `Schema induction (${model ? `LLM ${model}` : 'offline taxonomy'}): ${r.items} items without concepts read, `
    + `${r.write.nodes.added} concepts and ${r.write.facts.added} INSTANCE_OF/BROADER facts added, ${r.issues} issues`;
}
