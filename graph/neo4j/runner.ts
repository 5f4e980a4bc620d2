/**
 * Sends registered statements inside a managed transaction. Every call binds `$ns` to the store's
 * namespace and checks the parameters against the statement's declared list, so a misspelt or
 * forgotten parameter fails here, with the statement's name, rather than as a server error (or a
 * silently null parameter) in production.
 */
import type { ManagedTransaction } from 'neo4j-driver';
import { isRegistered } from './cypher/index.ts';
import type { CypherStatement } from './cypher/statement.ts';

/**
 * Where statements run (a managed transaction, or a session for auto-commit schema commands) and
 * the namespace they are confined to.
 */
export interface Scope {
  readonly tx: Pick<ManagedTransaction, 'run'>;
  readonly ns: string;
}

export type Row = Record<string, unknown>;

/** The parameters for `statement`: `params` plus `$ns`; throws on any mismatch with the declaration. */
export function bind(statement: CypherStatement, ns: string, params: Record<string, unknown>): Record<string, unknown> {
  if (!isRegistered(statement)) throw new Error(`Cypher statement "${statement.name}" is not in ALL_CYPHER`);
  const bound: Record<string, unknown> = 'ns' in statement.params ? { ...params, ns } : { ...params };
  const declared = Object.keys(statement.params);
  const missing = declared.filter((name) => bound[name] === undefined);
  const extra = Object.keys(bound).filter((name) => !(name in statement.params));
  if (missing.length > 0 || extra.length > 0) {
    throw new Error(
      `Cypher statement "${statement.name}": ${missing.length > 0 ? `missing $${missing.join(', $')}` : ''}`
        + `${missing.length > 0 && extra.length > 0 ? '; ' : ''}${extra.length > 0 ? `undeclared $${extra.join(', $')}` : ''}`,
    );
  }
  return bound;
}

/** Runs a statement and returns its records as plain objects. */
export async function query(scope: Scope, statement: CypherStatement, params: Record<string, unknown> = {}): Promise<Row[]> {
  const result = await scope.tx.run(statement.cypher, bind(statement, scope.ns, params));
  return result.records.map((record) => record.toObject() as Row);
}

/** What an update changed, from the server's own counters. */
export interface UpdateCounts {
  nodesCreated: number;
  relationshipsCreated: number;
  propertiesSet: number;
}

/** Runs an update and returns the server's counters for it. */
export async function update(scope: Scope, statement: CypherStatement, params: Record<string, unknown>): Promise<UpdateCounts> {
  const result = await scope.tx.run(statement.cypher, bind(statement, scope.ns, params));
  const counts = result.summary.counters.updates();
  return {
    nodesCreated: counts.nodesCreated,
    relationshipsCreated: counts.relationshipsCreated,
    propertiesSet: counts.propertiesSet,
  };
}

/** `items` in slices of at most `size` (one statement each). */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
