import { withSqliteFile, type Config } from '../../schema/config.ts';
import { createStores, describeGraphStore, describeVectorStore } from '../../graph/create-stores.ts';
import { reconcileVectors } from '../../pipelines/reconcile-vectors.ts';
import { parseCommandArgs } from '../args.ts';
import type { Output } from '../output.ts';

/**
 * `mkg reconcile-vectors [--db FILE]`: brings the vector store in line with the graph (the source
 * of truth): vectors of ids the graph retracted are marked retracted, vectors the graph shows again
 * are un-retracted, and vectors of ids the graph never had are deleted. Idempotent; a second run
 * reports no changes. Prints the counts.
 */
export async function runReconcileVectors(argv: string[], config: Config, out: Output): Promise<number> {
  const { values } = parseCommandArgs(argv, { db: { type: 'string' } });
  const settings = withSqliteFile(config, values.db);
  const stores = await createStores(settings, { verify: true });
  try {
    const started = performance.now();
    const r = await reconcileVectors(stores.graph, stores.vectors);
    out.stdout(
      `Reconciled ${describeVectorStore(settings)} with ${describeGraphStore(settings)} `
        + `(${Math.round(performance.now() - started)} ms): checked ${r.checked}, retracted ${r.retracted}, `
        + `restored ${r.restored}, deleted ${r.deleted}.\n`,
    );
    return 0;
  } finally {
    await stores.close();
  }
}
