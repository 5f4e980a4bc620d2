/**
 * The registry of every Cypher statement the Neo4j adapter can send, each variant generated from
 * the closed label and type sets included. The linter test checks all of them
 * (test/unit/neo4j/cypher-lint.test.ts), and the runner refuses a statement that is not here.
 */
import { ADMIN_STATEMENTS } from './admin.ts';
import { BACKFILL_STATEMENTS } from './backfill.ts';
import { BENCH_WRITE_STATEMENTS } from './bench-writes.ts';
import { CHUNK_READ_STATEMENTS } from './chunk-reads.ts';
import { EVENT_READ_STATEMENTS } from './event-reads.ts';
import { FACT_READ_STATEMENTS } from './fact-reads.ts';
import { NODE_READ_STATEMENTS } from './node-reads.ts';
import { AWAIT_INDEXES, OBSOLETE_INDEXES, SCHEMA_OBJECTS, SHOW_CONSTRAINTS, SHOW_INDEXES } from './schema.ts';
import { SEARCH } from './search.ts';
import { isGenerated, type CypherStatement } from './statement.ts';
import { WRITE_STATEMENTS } from './writes.ts';

export type { CypherStatement } from './statement.ts';

export const ALL_CYPHER: readonly CypherStatement[] = [
  ...SCHEMA_OBJECTS.map((o) => o.create),
  ...OBSOLETE_INDEXES.map((o) => o.statement),
  AWAIT_INDEXES,
  SHOW_CONSTRAINTS,
  SHOW_INDEXES,
  ...WRITE_STATEMENTS,
  ...NODE_READ_STATEMENTS,
  ...EVENT_READ_STATEMENTS,
  ...FACT_READ_STATEMENTS,
  SEARCH,
  ...CHUNK_READ_STATEMENTS,
  ...ADMIN_STATEMENTS,
  ...BACKFILL_STATEMENTS,
  ...BENCH_WRITE_STATEMENTS,
];

const REGISTERED = new Set(ALL_CYPHER);

/** Whether `statement` is one of ALL_CYPHER or generated from closed sets (the runner sends nothing else). */
export function isRegistered(statement: CypherStatement): boolean {
  return REGISTERED.has(statement) || isGenerated(statement);
}
