/**
 * The `neo4j-admin database import full` command for an export's files, and the shell script
 * that runs it (written next to the files). The options state the CSV dialect of
 * admin-import-csv.ts explicitly rather than relying on the tool's defaults, and make the import
 * strict: a duplicate id or a relationship to a missing node fails it (`--bad-tolerance=0`).
 *
 * Line breaks: only the files that hold one are named to `--multiline-fields` (the v2 format of
 * Neo4j 5.26's tool), because multi-line parsing is much slower and the bulk of a backfill —
 * transfers, swaps and their facts — never has one.
 */
import { ARRAY_DELIMITER_OPTION } from './admin-import-csv.ts';
import type { AdminImportFile } from './admin-import.ts';

/** The script's file name within the export directory. */
export const IMPORT_SCRIPT = 'neo4j-admin-import.sh';

/** The options after `neo4j-admin database import full <database>`; file names relative to the export directory. */
export function importOptions(files: readonly AdminImportFile[]): string[] {
  const multiline = files.filter((f) => f.multiline).map((f) => f.file);
  return [
    '--id-type=string',
    '--input-encoding=UTF-8',
    '--delimiter=,',
    `--array-delimiter=${ARRAY_DELIMITER_OPTION}`,
    '--quote="',
    '--legacy-style-quoting=false',
    '--trim-strings=false',
    '--ignore-empty-strings=false',
    '--skip-duplicate-nodes=false',
    '--skip-bad-relationships=false',
    '--bad-tolerance=0',
    ...(multiline.length > 0 ? ['--multiline-fields-format=v2', `--multiline-fields=${multiline.join(',')}`] : []),
    ...files.map((f) => `--${f.kind}=${f.file}`),
  ];
}

/**
 * The whole command line as arguments of `neo4j-admin`. The database comes first: after a
 * `--nodes`/`--relationships` option the tool would read a bare word as one more file of it.
 */
export function importArguments(files: readonly AdminImportFile[], database = 'neo4j'): string[] {
  return ['database', 'import', 'full', database, ...importOptions(files)];
}

/** Single-quotes an argument for sh unless it is made of characters sh leaves alone. */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./=,:+@%-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'"'"'`)}'`;
}

export interface ImportScriptNotes {
  /** What was exported, e.g. `SQLite file /data/graph.db`. */
  from: string;
  /** When, ISO-8601. */
  at: string;
  /** The `ns` of every node; the migrate line sets MKG_NEO4J_NAMESPACE when it is not ''. */
  namespace: string;
  nodes: number;
  relationships: number;
}

/** The `mkg migrate` line to run once Neo4j is up again (placeholders for what only the operator knows). */
export function migrateCommand(namespace: string): string {
  const ns = namespace === '' ? '' : ` MKG_NEO4J_NAMESPACE=${shellQuote(namespace)}`;
  return `MKG_GRAPH=neo4j NEO4J_URI=bolt://localhost:7687 NEO4J_USER=neo4j NEO4J_PASSWORD=<password>${ns} mkg migrate`;
}

/**
 * The script: it runs the import from its own directory (so the files are found wherever the
 * directory is copied to), with `neo4j-admin` from PATH or $NEO4J_ADMIN, into $NEO4J_DATABASE
 * (default `neo4j`); arguments given to the script are added to the command.
 */
export function importScript(files: readonly AdminImportFile[], notes: ImportScriptNotes): string {
  const options = importOptions(files).map((o) => `  ${shellQuote(o)} \\`);
  return `#!/bin/sh
# neo4j-admin import of a MarketGraph graph, written by \`mkg export --format neo4j-admin\`
# from ${notes.from} at ${notes.at}: ${notes.nodes} nodes, ${notes.relationships} relationships, namespace '${notes.namespace}'.
#
# 1. Stop Neo4j. The database must not exist yet or be empty; to replace one, run this script
#    with --overwrite-destination=true (any argument given here is added to the command).
# 2. Run this script: sh ${IMPORT_SCRIPT}
#    neo4j-admin is taken from PATH, or from $NEO4J_ADMIN (e.g. /var/lib/neo4j/bin/neo4j-admin);
#    the database is $NEO4J_DATABASE, default neo4j (another name must then be created with
#    CREATE DATABASE, Enterprise Edition only).
# 3. Start Neo4j and create MarketGraph's constraints and indexes (the import creates none):
#      ${migrateCommand(notes.namespace)}
set -eu
cd "$(dirname "$0")"
exec "\${NEO4J_ADMIN:-neo4j-admin}" database import full "\${NEO4J_DATABASE:-neo4j}" \\
${options.join('\n')}
  "$@"
`;
}
