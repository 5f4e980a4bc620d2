/**
 * The Neo4j benchmark ceiling (graph/neo4j/plain-insert.ts) against a recording driver transaction:
 * for new, distinct rows it sends exactly the rows and properties the writer sends — so the two
 * differ only in the statements around them (no lock, no placeholders, CREATE instead of MERGE) —
 * chunked by batchSize, through registered statements. The live check of the stored shape is
 * test/contract/neo4j-plain-insert.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { PLAIN_CREATE_EVENTS, PLAIN_CREATE_FACTS, PLAIN_CREATE_NODES } from '../../../graph/neo4j/cypher/bench-writes.ts';
import { ALL_CYPHER } from '../../../graph/neo4j/cypher/index.ts';
import { WRITE_EVENTS, WRITE_FACTS, WRITE_NODES } from '../../../graph/neo4j/cypher/writes.ts';
import { plainInsertPrepared } from '../../../graph/neo4j/plain-insert.ts';
import type { Row, Scope } from '../../../graph/neo4j/runner.ts';
import { prepareBatch, type WriteClock } from '../../../graph/neo4j/write-plan.ts';
import { writePrepared } from '../../../graph/neo4j/writes.ts';
import { batch, HOUR, merged, node, T0, transfer } from '../../contract/graph-fixtures.ts';

/** Records every statement; answers as a store holding nothing yet (every row is new). */
function recorder(): { scope: Scope; calls: { name: string; rows: Row[] }[] } {
  const calls: { name: string; rows: Row[] }[] = [];
  const run = async (cypher: string, params: Row) => {
    const s = ALL_CYPHER.find((x) => x.cypher === cypher);
    if (!s) throw new Error(`unregistered Cypher: ${cypher.slice(0, 60)}`);
    const rows = (params.rows ?? []) as Row[];
    calls.push({ name: s.name, rows });
    return {
      records: [],
      summary: { counters: { updates: () => ({ nodesCreated: 0, relationshipsCreated: rows.length, propertiesSet: 0 }) } },
    };
  };
  return { scope: { tx: { run } as unknown as Scope['tx'], ns: 'test' }, calls };
}

/** The same write-order numbers for both sides. */
const fixedClock = (): WriteClock => ({ take: () => 1_000 }) as unknown as WriteClock;

const input = merged(
  transfer(1, 'acct:a', 'acct:b', 'tok:x', T0),
  transfer(2, 'acct:c', 'acct:d', 'tok:y', T0 + HOUR),
  batch({ nodes: [node('ent:z', { name: 'Zürich', aliases: ['Zurich', 'Zürich'] })] }),
);

const rowsOf = (calls: { name: string; rows: Row[] }[], name: string): Row[] => calls.filter((c) => c.name === name).flatMap((c) => c.rows);

describe('plainInsertPrepared', () => {
  it('sends the rows the writer sends for new rows, with CREATE statements only', async () => {
    const viaWrite = recorder();
    const viaPlain = recorder();
    await writePrepared(viaWrite.scope, prepareBatch(input), 2000, fixedClock());
    await plainInsertPrepared(viaPlain.scope, prepareBatch(input), 2000, fixedClock());
    expect(viaPlain.calls.map((c) => c.name)).toEqual([PLAIN_CREATE_NODES.name, PLAIN_CREATE_EVENTS.name, PLAIN_CREATE_FACTS.name]);
    expect(rowsOf(viaPlain.calls, PLAIN_CREATE_NODES.name)).toEqual(rowsOf(viaWrite.calls, WRITE_NODES.name));
    expect(rowsOf(viaPlain.calls, PLAIN_CREATE_EVENTS.name)).toEqual(rowsOf(viaWrite.calls, WRITE_EVENTS.name));
    expect(rowsOf(viaPlain.calls, PLAIN_CREATE_FACTS.name)).toEqual(rowsOf(viaWrite.calls, WRITE_FACTS.name));
    expect(rowsOf(viaPlain.calls, PLAIN_CREATE_NODES.name)).toHaveLength(7);
    expect(rowsOf(viaPlain.calls, PLAIN_CREATE_FACTS.name)).toHaveLength(6);
  });

  it('splits every statement into batchSize rows', async () => {
    const { scope, calls } = recorder();
    await plainInsertPrepared(scope, prepareBatch(input), 4, fixedClock());
    expect(calls.map((c) => [c.name, c.rows.length])).toEqual([
      [PLAIN_CREATE_NODES.name, 4], [PLAIN_CREATE_NODES.name, 3],
      [PLAIN_CREATE_EVENTS.name, 2],
      [PLAIN_CREATE_FACTS.name, 4], [PLAIN_CREATE_FACTS.name, 2],
    ]);
  });

  it('creates the labels and relationship properties the writer gives', () => {
    expect(PLAIN_CREATE_NODES.cypher).toContain('CREATE (n:Thing:Entity {ns: $ns, id: row.id})');
    expect(PLAIN_CREATE_NODES.cypher).toContain("row.kind = 'Token' THEN [1] ELSE [] END | SET n:Token)");
    expect(PLAIN_CREATE_EVENTS.cypher).toContain('CREATE (e:Thing:Event {ns: $ns, id: row.id})');
    expect(PLAIN_CREATE_FACTS.cypher).toContain('CREATE (s)-[f:PARTICIPANT {factId: row.id}]->(o) SET f += row.props');
  });
});
