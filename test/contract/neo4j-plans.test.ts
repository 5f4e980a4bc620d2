/**
 * What the live Neo4j planner does with the adapter's hot statements: each is EXPLAINed against a
 * server holding a few thousand transfers (so the planner has statistics to choose by), and the test
 * fails if a read that is meant to seek an index plans a label scan, an all-nodes scan, or a scan of
 * every relationship (of the database or of a type) instead, or does not use the index it was
 * written for. Runs only when `NEO4J_URI` is set (see test/contract/neo4j.test.ts).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import neo4j, { type Driver } from 'neo4j-driver';
import { createDriver } from '../../graph/neo4j/connect.ts';
import { Neo4jGraphStore } from '../../graph/neo4j/neo4j-graph-store.ts';
import { BACKFILL_STATEMENTS } from '../../graph/neo4j/cypher/backfill.ts';
import { CHUNKS_BY_IDS } from '../../graph/neo4j/cypher/chunk-reads.ts';
import {
  EVENTS_BY_IDS, FIND_EVENTS_BY_PARTICIPANT_PAGE, FIND_EVENTS_COUNT, FIND_EVENTS_PAGE, PARTICIPANTS,
} from '../../graph/neo4j/cypher/event-reads.ts';
import {
  COUNT_FACTS_INTO, COUNT_FACTS_OF_SOURCE, FACT_IDS_OF_SOURCE, FACTS_OF_SOURCE, NEIGHBORHOOD_HOP, RETRACTED_FACT_IDS,
  typedFactsAround,
} from '../../graph/neo4j/cypher/fact-reads.ts';
import { EXISTING_IDS, FIND_NODES_COUNT, FIND_NODES_PAGE, NODES_BY_IDS } from '../../graph/neo4j/cypher/node-reads.ts';
import { LIST_REJECTS_COUNT, LIST_REJECTS_PAGE, RETRACT_FACTS, RETRACT_NODES } from '../../graph/neo4j/cypher/admin.ts';
import { LOCK_AND_READ, WRITE_CHUNKS, WRITE_FACTS } from '../../graph/neo4j/cypher/writes.ts';
import type { CypherStatement } from '../../graph/neo4j/cypher/statement.ts';
import { bind } from '../../graph/neo4j/runner.ts';
import { REL_TYPES } from '../../schema/ontology.ts';
import { describeWithNeo4j } from '../fixtures/neo4j-env.ts';
import { batch, fact, HOUR, merged, node, SRC, T0, transfer } from './graph-fixtures.ts';

/** One operator of a plan, flattened: its type (without the `@neo4j` runtime suffix) and details. */
interface Operator {
  op: string;
  details: string;
}

/** Operators that read every node of a label, every node, or every relationship (of a type). */
const SCANS = /^(NodeByLabelScan|AllNodesScan|UnionNodeByLabelsScan|IntersectionNodeByLabelsScan|(Directed|Undirected)(AllRelationships|RelationshipType|UnionRelationshipTypes)Scan)$/;

describeWithNeo4j('Neo4j plans of the hot statements', (settings) => {
  const ns = `test-plans-${randomUUID()}`;
  let driver: Driver;
  let store: Neo4jGraphStore;

  /** The plan of `statement` with `params` (bound and checked as the runner binds them). */
  async function plan(statement: CypherStatement, params: Record<string, unknown>): Promise<Operator[]> {
    const session = driver.session({ database: settings.database, defaultAccessMode: neo4j.session.READ });
    try {
      // Planned now, with the statistics of the data above: a plan cached while the shared test
      // database was nearly empty (other suites create and delete namespaces) may scan instead.
      const result = await session.run(`CYPHER replan=force EXPLAIN ${statement.cypher}`, bind(statement, ns, params));
      const out: Operator[] = [];
      const walk = (p: { operatorType: string; arguments: Record<string, unknown>; children: unknown[] }) => {
        out.push({ op: p.operatorType.replace(/@.*$/, ''), details: String(p.arguments.Details ?? '') });
        for (const child of p.children) walk(child as typeof p);
      };
      const root = result.summary.plan;
      if (root === false) throw new Error(`no plan for ${statement.name}`);
      walk(root as unknown as Parameters<typeof walk>[0]);
      return out;
    } finally {
      await session.close();
    }
  }

  /** Fails naming the statement and the scan when the plan reads a label, all nodes or all relationships. */
  function expectNoScan(statement: CypherStatement, ops: Operator[]): void {
    const scans = ops.filter((o) => SCANS.test(o.op)).map((o) => `${o.op} ${o.details}`);
    expect(scans, `${statement.name} plans a scan`).toEqual([]);
  }

  /** The plan seeks `index` (named in an operator's details, e.g. `n:Entity(ns, kind, id)`). */
  function expectSeek(statement: CypherStatement, ops: Operator[], operator: RegExp, index: RegExp): void {
    expect(
      ops.some((o) => operator.test(o.op) && index.test(o.details)),
      `${statement.name} should seek ${index}; plan: ${ops.map((o) => `${o.op}[${o.details}]`).join(' | ')}`,
    ).toBe(true);
  }

  const NODE_SEEK = /^Node(Unique)?IndexSeek(ByRange)?$/;
  const REL_SEEK = /^(Directed|Undirected)RelationshipIndexSeek(ByRange)?$/;
  const none = { ids: false, kind: false, needle: false, label: false };
  const asOf = null;

  beforeAll(async () => {
    driver = createDriver(settings);
    store = await Neo4jGraphStore.connect({ ...settings, namespace: ns, driver });
    await store.migrate();
    // Enough data that a scan and a seek cost clearly different amounts.
    for (let part = 0; part < 4; part++) {
      const batches = Array.from({ length: 500 }, (_, i) => {
        const n = part * 500 + i;
        return transfer(n, `acct:${n % 97}`, `acct:${(n * 7) % 89}`, `tok:${n % 5}`, T0 + n * HOUR);
      });
      await store.writeBatch(merged(...batches));
    }
    await store.writeBatch(batch({
      nodes: [node('concept:label:dex', { kind: 'Concept', name: 'DEX' })],
      facts: [fact('acct:1', 'HAS_LABEL', 'concept:label:dex')],
    }));
    await store.addRejects([{ sourceId: SRC, file: 'x.csv', line: 1, code: 'BAD', reason: 'bad', raw: 'x', severity: 'error', recordedAt: T0 }]);
    // Index selectivity is sampled, not kept exact: bring it up to date with the data just written.
    const session = driver.session({ database: settings.database });
    try {
      await session.run('CALL db.resampleOutdatedIndexes()');
    } finally {
      await session.close();
    }
  }, 300_000);
  afterAll(async () => {
    await store?.deleteNamespace();
    await store?.close();
    await driver?.close();
  });

  describe('Neo4j plans of the hot statements', () => {
    it('look nodes, events and chunks up by id through an id index', async () => {
      for (const [s, params] of [
        [NODES_BY_IDS, { ids: ['acct:1'], asOf }], [EVENTS_BY_IDS, { ids: ['evt:t:1'], asOf }],
        [CHUNKS_BY_IDS, { ids: ['chunk:x'], asOf }], [EXISTING_IDS, { ids: ['acct:1'] }],
        [PARTICIPANTS, { ids: ['evt:t:1'], asOf }], [NEIGHBORHOOD_HOP, { frontier: ['acct:1'], limit: 10, asOf }],
        [COUNT_FACTS_INTO.INSTANCE_OF, { ids: ['concept:x'], asOf }],
      ] as const) {
        const ops = await plan(s, params);
        expectNoScan(s, ops);
        // The (ns, id) constraint, or the id index of the label the statement checks.
        expectSeek(s, ops, NODE_SEEK, /:(Thing\(ns, id\)|(Entity|Event|Chunk)\(id\))/);
      }
    });

    it('page and count entity lists through the index of their filter', async () => {
      const page = { afterId: '', limit: 21, asOf };
      for (const [on, params, index] of [
        [none, {}, /:Thing\(ns, id\)/],
        [{ ...none, kind: true }, { kind: 'Account' }, /:Entity\(ns, kind, id\)/],
        [{ ...none, ids: true }, { ids: ['acct:1', 'acct:2'] }, /:Thing\(ns, id\)/],
        [{ ...none, label: true }, { label: 'concept:label:dex' }, /:Thing\(ns, id\)/],
        [{ ...none, kind: true, label: true }, { kind: 'Account', label: 'concept:label:dex' }, /:Thing\(ns, id\)/],
      ] as const) {
        for (const [s, extra] of [[FIND_NODES_PAGE.pick(on), page], [FIND_NODES_COUNT.pick(on), { asOf }]] as const) {
          // Counting every entity of the namespace may as well read the Entity label.
          if (s === FIND_NODES_COUNT.pick(none)) continue;
          const ops = await plan(s, { ...params, ...extra });
          expectNoScan(s, ops);
          expectSeek(s, ops, NODE_SEEK, index);
        }
      }
      const needle = FIND_NODES_PAGE.pick({ ...none, needle: true });
      expectNoScan(needle, await plan(needle, { needle: 'acct', ...page }));
    });

    it('page and count event lists through (ns, [type|sourceId,] occurredAt), newest first', async () => {
      const range = { lower: -Number.MAX_SAFE_INTEGER, upper: Number.MAX_SAFE_INTEGER, asOf };
      const page = { ...range, afterAt: null, afterId: null, limit: 21 };
      for (const [on, params, index] of [
        [{ type: false, sourceId: false }, {}, /:Event\(ns, occurredAt\)/],
        [{ type: true, sourceId: false }, { type: 'Transfer' }, /:Event\(ns, type, occurredAt\)/],
        [{ type: false, sourceId: true }, { sourceId: SRC }, /:Event\(ns, sourceId, occurredAt\)/],
      ] as const) {
        for (const [s, extra] of [[FIND_EVENTS_PAGE.pick(on), page], [FIND_EVENTS_COUNT.pick(on), range]] as const) {
          const ops = await plan(s, { ...params, ...extra });
          expectNoScan(s, ops);
          expectSeek(s, ops, NODE_SEEK, index);
        }
      }
      const s = FIND_EVENTS_BY_PARTICIPANT_PAGE;
      const ops = await plan(s, { participant: 'acct:1', role: 'to', type: null, sourceId: null, ...page });
      expectNoScan(s, ops);
      expectSeek(s, ops, NODE_SEEK, /:Thing\(ns, id\)/);
    });

    it('page rejects through ([ns, sourceId,] recordedAt)', async () => {
      for (const [on, params, index] of [
        [{ sourceId: false }, {}, /:Reject\(recordedAt\)/],
        [{ sourceId: true }, { sourceId: SRC }, /:Reject\(ns, sourceId, recordedAt\)/],
      ] as const) {
        const base = { severity: null, upper: Number.MAX_SAFE_INTEGER, ...params };
        for (const [s, extra] of [[LIST_REJECTS_PAGE.pick(on), { afterAt: null, afterSeq: null, limit: 21 }], [LIST_REJECTS_COUNT.pick(on), {}]] as const) {
          const ops = await plan(s, { ...base, ...extra });
          expectNoScan(s, ops);
          expectSeek(s, ops, NODE_SEEK, index);
        }
      }
    });

    it("read a source's facts through each type's (sourceId, factId) index, never a relationship scan", async () => {
      for (const [s, params] of [
        [FACTS_OF_SOURCE, { sourceId: SRC, after: '', limit: 501 }],
        [FACT_IDS_OF_SOURCE, { sourceId: SRC, after: 'x', limit: 501 }],
        [COUNT_FACTS_OF_SOURCE, { sourceId: SRC, after: '' }],
      ] as const) {
        const ops = await plan(s, params);
        expectNoScan(s, ops);
        for (const type of REL_TYPES) expectSeek(s, ops, REL_SEEK, new RegExp(`:${type}\\(sourceId, factId\\)`));
      }
    });

    it('find facts by id through each type\'s factId index', async () => {
      for (const [s, params] of [
        [RETRACTED_FACT_IDS, { ids: ['f1'] }], [RETRACT_FACTS, { ids: ['f1'], at: T0 }],
      ] as const) {
        const ops = await plan(s, params);
        expectNoScan(s, ops);
        for (const type of REL_TYPES) expectSeek(s, ops, REL_SEEK, new RegExp(`:${type}\\(factId\\)`));
      }
      const ops = await plan(RETRACT_NODES, { ids: ['acct:1'], at: T0 });
      expectNoScan(RETRACT_NODES, ops);
    });

    it('expand only the asked types from a hub (its labels, not its transfers)', async () => {
      for (const [s, pattern] of [
        [typedFactsAround('both', ['HAS_LABEL']), /:HAS_LABEL\]/],
        [typedFactsAround('out', ['INSTANCE_OF', 'HAS_LABEL']), /:HAS_LABEL\|INSTANCE_OF\]/],
      ] as const) {
        const ops = await plan(s, { id: 'tok:1', limit: 10, asOf });
        expectNoScan(s, ops);
        expectSeek(s, ops, NODE_SEEK, /:Thing\(ns, id\)/);
        expect(ops.filter((o) => /Expand/.test(o.op)).map((o) => o.details).join(' ')).toMatch(pattern);
      }
    });

    it('write through the constraint: MERGE seeks, never scans', async () => {
      for (const [s, params] of [
        [LOCK_AND_READ, { ids: ['acct:1'] }],
        [WRITE_CHUNKS, { rows: [] }],
        [WRITE_FACTS, { rows: [] }],
        ...BACKFILL_STATEMENTS.map((b) => [b, Object.fromEntries(Object.keys(b.params).filter((k) => k !== 'ns').map((k) => [k, k === 'rows' || k === 'types' ? [] : k === 'scan' ? 10 : '']))] as const),
      ] as const) {
        expectNoScan(s, await plan(s, params));
      }
    });
  });
});
