/** A small handcrafted transfer graph for the path and risk tests, written into a real SqliteGraphStore. */
import { join } from 'node:path';
import { SqliteGraphStore } from '../../../graph/sqlite/sqlite-graph-store.ts';
import type { GraphBatch } from '../../../schema/graph.ts';
import { HOUR, T0, batch, event, fact, merged, node, participant, transfer } from '../../contract/graph-fixtures.ts';
import { tempDir } from '../../fixtures/paths.ts';

export const TOKEN = 'eip155:1/erc20:0x00000000000000000000000000000000000000aa';
export const acct = (n: number): string => `eip155:1:0x${n.toString(16).padStart(40, '0')}`;
export const txOf = (n: number): string => `0x${n.toString(16).padStart(64, '0')}`;

/** A transfer of `value` tokens; tx hash = txOf(n). */
export function paid(n: number, from: string, to: string, at: number, value: string): GraphBatch {
  const b = transfer(n, from, to, TOKEN, at);
  b.events[0]!.amounts = [{ role: 'value', value, raw: `${value}000`, decimals: 3, unit: 'TKN', token: TOKEN }];
  return b;
}

/** An incident at `at` with `attacker` (and optionally an attack contract) as participants. */
export function incident(incidentId: string, at: number, attacker: string, attackContract?: string): GraphBatch {
  const id = `evt:incident:2023-05-01:${incidentId.toLowerCase()}`;
  const when = { recordedAt: at };
  const facts = [participant(id, 'attacker', attacker, when)];
  const nodes = [node(attacker, when)];
  if (attackContract) {
    facts.push(participant(id, 'attack_contract', attackContract, when));
    nodes.push(node(attackContract, { kind: 'Contract', ...when }));
  }
  return {
    nodes,
    events: [event(id, { type: 'Incident', occurredAt: at, summary: `${incidentId} exploited`, attrs: { incidentId }, ...when })],
    facts,
  };
}

/** `entity` carries label `slug` (a HAS_LABEL fact to `concept:label:<slug>`). */
export function labelled(entity: string, slug: string): GraphBatch {
  const concept = `concept:label:${slug}`;
  return batch({
    nodes: [node(entity), node(concept, { kind: 'Concept', name: slug })],
    facts: [fact(entity, 'HAS_LABEL', concept, { predicate: 'label' })],
  });
}

/** A fresh SQLite store holding `batches`; `close` also removes its directory. */
export async function storeWith(...batches: GraphBatch[]): Promise<{ store: SqliteGraphStore; close: () => Promise<void> }> {
  const tmp = tempDir('mkg-paths-');
  const store = SqliteGraphStore.open(join(tmp.dir, 'g.db'));
  await store.writeBatch(merged(...batches));
  return { store, close: async () => { await store.close(); tmp.cleanup(); } };
}

export { HOUR, T0 };
