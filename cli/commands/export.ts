import { withSqliteFile, type Config } from '../../schema/config.ts';
import { InvalidArgumentError } from '../../schema/errors.ts';
import { createSqliteGraphDump } from '../../graph/create-stores.ts';
import { exportNeo4jAdmin, type ExportNeo4jAdminReport } from '../../pipelines/export-neo4j-admin.ts';
import { parseCommandArgs } from '../args.ts';
import type { Output } from '../output.ts';

/** The formats `--format` accepts. */
export const EXPORT_FORMATS = ['neo4j-admin'] as const;

/**
 * `mkg export --format neo4j-admin --out DIR [--db FILE] [--namespace NS] [--force] [--json]`:
 * writes everything the embedded SQLite store holds as neo4j-admin import files and a script with
 * the import command (pipelines/export-neo4j-admin.ts), then says what it wrote and what to run.
 * Always reads SQLite (MKG_DB, or --db), whatever MKG_GRAPH says: Neo4j is the destination.
 */
export async function runExport(argv: string[], config: Config, out: Output): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    format: { type: 'string' },
    out: { type: 'string' },
    db: { type: 'string' },
    namespace: { type: 'string' },
    force: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  });
  const formats = EXPORT_FORMATS.join(', ');
  if (values.format === undefined) throw new InvalidArgumentError('--format', `required (one of: ${formats})`);
  if (!(EXPORT_FORMATS as readonly string[]).includes(values.format)) {
    throw new InvalidArgumentError('--format', `unknown format "${values.format}" (one of: ${formats})`);
  }
  if (values.out === undefined || values.out === '') {
    throw new InvalidArgumentError('--out', 'required: the directory to write the import files into');
  }
  const dump = createSqliteGraphDump(withSqliteFile(config, values.db));
  let report: ExportNeo4jAdminReport;
  try {
    report = await exportNeo4jAdmin(dump, { outDir: values.out, force: values.force, namespace: values.namespace ?? '' });
  } finally {
    await dump.close();
  }
  out.stdout(values.json ? `${JSON.stringify(report, null, 2)}\n` : describeExport(report));
  return 0;
}

/** What the export wrote and what to run next, for people. */
export function describeExport(r: ExportNeo4jAdminReport): string {
  const width = Math.max(...r.files.map((f) => f.file.length));
  const rows = r.files.map((f) => `  ${f.file.padEnd(width)}  ${f.rows.toLocaleString('en-US').padStart(11)} ${f.kind}`);
  return [
    `Exported ${r.from} for neo4j-admin into ${r.dir} (namespace '${r.namespace}', ${r.elapsedMs} ms):`,
    ...rows,
    `  ${r.nodes.toLocaleString('en-US')} nodes and ${r.relationships.toLocaleString('en-US')} relationships in ${r.files.length} files`,
    '',
    'Import with Neo4j stopped, into a database that does not exist yet or is empty:',
    `  sh ${r.script}`,
    `which runs, in ${r.dir}:`,
    `  ${r.commandLine}`,
    'Then start Neo4j and create the constraints and indexes:',
    `  ${r.migrate}`,
    '',
  ].join('\n');
}
