/**
 * `mkg export --format neo4j-admin`: copies everything a graph store holds (GraphDump: retracted
 * rows, placeholders and bookkeeping included) into CSV files for `neo4j-admin database import
 * full`, the fastest way to fill a new Neo4j database, plus a script with the exact import
 * command. After the import, `mkg migrate` (with MKG_GRAPH=neo4j) creates the constraints and
 * indexes, and the Neo4j store reads the same graph the source store does.
 *
 * One page at a time from the dump to the files, so memory stays bounded whatever the size of the
 * store. The script is written last, and removed first when a directory is reused, so a directory
 * with a script holds a complete export.
 */
import { chmodSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { GraphDump } from '../graph/graph-dump.ts';
import { Neo4jAdminImportWriter, type AdminImportFile } from '../graph/neo4j/admin-import.ts';
import { IMPORT_SCRIPT, importArguments, importScript, migrateCommand, shellQuote } from '../graph/neo4j/admin-import-command.ts';
import { InvalidArgumentError, StoreError } from '../schema/errors.ts';

export interface ExportNeo4jAdminOptions {
  /** The directory to write into; created when missing. */
  outDir: string;
  /** Write into a directory that is not empty (files of the same names are replaced). @default false */
  force?: boolean;
  /** The `ns` of every node: the MKG_NEO4J_NAMESPACE the Neo4j store will read with. @default '' */
  namespace?: string;
  /** Called after every page written, with the file and its rows so far. */
  onProgress?: (file: string, rows: number) => void;
  /** @default Date.now */
  now?: () => number;
}

export interface ExportNeo4jAdminReport {
  /** Absolute path of the directory written. */
  dir: string;
  /** What was exported (GraphDump.description). */
  from: string;
  namespace: string;
  /** Every file, in import order, with its rows (header not counted). */
  files: AdminImportFile[];
  nodes: number;
  relationships: number;
  /** Absolute path of the script that runs the import. */
  script: string;
  /** The import as arguments of `neo4j-admin`, run from `dir` (what the script runs). */
  command: string[];
  /** The same as one shell command line. */
  commandLine: string;
  /** What to run once Neo4j is up again. */
  migrate: string;
  elapsedMs: number;
}

/** Namespaces as MKG_NEO4J_NAMESPACE accepts them (schema/config.ts). */
const NAMESPACE = /^[\x20-\x7e]{0,200}$/;

/**
 * Exports `dump` into `options.outDir`.
 * @throws InvalidArgumentError when the directory is a file, is not empty (without `force`), or
 *   the namespace is not one MKG_NEO4J_NAMESPACE accepts; StoreError when a row cannot be written
 * @example const report = await exportNeo4jAdmin(dump, { outDir: 'neo4j-import' });
 */
export async function exportNeo4jAdmin(dump: GraphDump, options: ExportNeo4jAdminOptions): Promise<ExportNeo4jAdminReport> {
  const started = performance.now();
  const namespace = options.namespace ?? '';
  if (!NAMESPACE.test(namespace)) throw new InvalidArgumentError('--namespace', 'use at most 200 printable ASCII characters');
  const dir = prepareDirectory(resolve(options.outDir), options.force ?? false);
  const writer = await Neo4jAdminImportWriter.open(dir, namespace);
  let files: AdminImportFile[];
  try {
    const copy = async <T>(file: string, pages: AsyncIterable<readonly T[]>, write: (page: readonly T[]) => Promise<void>) => {
      let rows = 0;
      for await (const page of pages) {
        await write(page);
        rows += page.length;
        options.onProgress?.(file, rows);
      }
    };
    await copy('entities', dump.nodes(), (p) => writer.entities(p));
    await copy('events', dump.events(), (p) => writer.events(p));
    await copy('chunks', dump.chunks(), (p) => writer.chunks(p));
    await copy('placeholders', dump.undescribedFactEnds(), (p) => writer.placeholders(p));
    await copy('sources', dump.sources(), (p) => writer.sources(p));
    await copy('source placeholders', dump.undescribedChunkSources(), (p) => writer.sourcePlaceholders(p));
    await copy('rejects', dump.rejects(), (p) => writer.rejects(p));
    await copy('facts', dump.facts(), (p) => writer.facts(p));
    files = await writer.close();
  } catch (error) {
    writer.abort();
    throw error;
  }
  const count = (kind: AdminImportFile['kind']): number =>
    files.filter((f) => f.kind === kind).reduce((sum, f) => sum + f.rows, 0);
  const nodes = count('nodes');
  const relationships = count('relationships');
  const script = join(dir, IMPORT_SCRIPT);
  const command = importArguments(files);
  const at = new Date((options.now ?? Date.now)()).toISOString();
  try {
    writeFileSync(script, importScript(files, { from: dump.description, at, namespace, nodes, relationships }));
    chmodSync(script, 0o755);
  } catch (error) {
    throw new StoreError('neo4j-admin export', `cannot write ${script}: ${(error as Error).message}`, { cause: error });
  }
  return {
    dir, from: dump.description, namespace, files, nodes, relationships, script,
    command, commandLine: ['neo4j-admin', ...command].map(shellQuote).join(' '), migrate: migrateCommand(namespace), elapsedMs: Math.round(performance.now() - started),
  };
}

/** Makes sure `dir` can be written: created if missing, refused if not empty unless `force`. */
function prepareDirectory(dir: string, force: boolean): string {
  let entries: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new InvalidArgumentError('--out', `${dir} is a file, not a directory`);
    entries = readdirSync(dir);
  } catch (error) {
    if (error instanceof InvalidArgumentError) throw error;
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new InvalidArgumentError('--out', `cannot use ${dir}: ${(error as Error).message}`);
    try {
      mkdirSync(dir, { recursive: true });
    } catch (cause) {
      throw new InvalidArgumentError('--out', `cannot create ${dir}: ${(cause as Error).message}`);
    }
    return dir;
  }
  if (entries.length > 0 && !force) {
    throw new InvalidArgumentError('--out', `${dir} is not empty (${entries.length} entries); use --force to write into it anyway`);
  }
  // A script left from an earlier export would pass for a complete one while the files are rewritten.
  rmSync(join(dir, IMPORT_SCRIPT), { force: true });
  return dir;
}
