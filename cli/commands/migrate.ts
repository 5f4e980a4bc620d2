import { withSqliteFile, type Config } from '../../schema/config.ts';
import { createGraphStore, createVectorStore, describeGraphStore, describeVectorStore } from '../../graph/create-stores.ts';
import { parseCommandArgs } from '../args.ts';
import type { Output } from '../output.ts';

/**
 * `mkg migrate [--db FILE]`: prepares the configured stores and says what it did. The graph store's
 * `migrate()` creates what it needs (Neo4j: uniqueness constraints, range and full-text indexes)
 * and checks it is there; a store that migrates whenever it is opened (SQLite) has nothing more to
 * do, and says so. The vector store creates its collection or tables when it is opened. Idempotent.
 */
export async function runMigrate(argv: string[], config: Config, out: Output): Promise<number> {
  const { values } = parseCommandArgs(argv, { db: { type: 'string' } });
  const settings = withSqliteFile(config, values.db);

  // No `verify`: a store without its constraints is exactly what this command is for.
  const graph = await createGraphStore(settings);
  try {
    const where = describeGraphStore(settings);
    if (graph.migrate) {
      const started = performance.now();
      await graph.migrate();
      out.stdout(`Graph: migrated ${where}: constraints and indexes are in place (${Math.round(performance.now() - started)} ms).\n`);
    } else {
      out.stdout(`Graph: ${where} migrates when it is opened; it is at the current schema, nothing else to do.\n`);
    }
  } finally {
    await graph.close();
  }

  const vectors = await createVectorStore(settings, { verify: true });
  await vectors.close();
  out.stdout(`Vectors: ${describeVectorStore(settings)} is ready (${vectors.dimensions} dimensions).\n`);
  return 0;
}
