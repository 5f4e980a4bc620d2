import { withSqliteFile, type Config } from '../../schema/config.ts';
import { createStores, describeGraphStore } from '../../graph/create-stores.ts';
import { embedderFromConfig } from '../../extraction/embed/create-embedder.ts';
import { resolveEntities, type ResolveEntitiesResult } from '../../pipelines/resolve-entities.ts';
import { parseCommandArgs } from '../args.ts';
import type { Output } from '../output.ts';

/**
 * `mkg resolve [--db FILE] [--json]`: records `SAME_AS` facts between named entities that are the
 * same thing — same normalised name or an alias across compatible kinds, or embedding similarity
 * above the threshold — never between two addresses. Each merge is a reversible fact with its
 * evidence; nothing is rewritten. Idempotent.
 */
export async function runResolve(argv: string[], config: Config, out: Output): Promise<number> {
  const { values } = parseCommandArgs(argv, { db: { type: 'string' }, json: { type: 'boolean', default: false } });
  const settings = withSqliteFile(config, values.db);
  const stores = await createStores(settings, { verify: true });
  try {
    const r = await resolveEntities(stores.graph, { vectors: stores.vectors, embedder: embedderFromConfig(settings) });
    out.stdout(values.json ? `${JSON.stringify(r, null, 2)}\n` : `${describeResolution(r)} in ${describeGraphStore(settings)}.\n`);
    return 0;
  } finally {
    await stores.close();
  }
}

/** One line saying what resolution did. */
export function describeResolution(r: ResolveEntitiesResult): string {
  return `Resolution: ${r.candidates} named entities compared, SAME_AS added ${r.write.facts.added} `
    + `(by name ${r.byMethod.name}, alias ${r.byMethod.alias}, embedding ${r.byMethod.embedding}), ${r.ambiguous} ambiguous left alone`;
}
