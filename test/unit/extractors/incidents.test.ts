import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { sourceId } from '../../../schema/ids.ts';
import { IncidentRow } from '../../../schema/records.ts';
import { createChainRegistry } from '../../../extraction/structured/chain-registry.ts';
import { extractIncident } from '../../../extraction/structured/incidents.ts';
import { createTokenRegistry } from '../../../extraction/structured/token-registry.ts';
import type { ExtractContext } from '../../../extraction/structured/types.ts';
import { SAMPLE_DIR } from '../../fixtures/paths.ts';

const FILE = join(SAMPLE_DIR, 'incidents_2023_2024.csv');
const list = (v: string | undefined): string[] => (v ?? '').split(';').map((s) => s.trim()).filter((s) => s !== '');
const orNull = (v: string | undefined): string | null => (v === undefined || v.trim() === '' ? null : v);

/** The sample CSV mapped to IncidentRow records (what the incidents reader will produce). */
const ROWS = (parse(readFileSync(FILE), { columns: true }) as Record<string, string>[]).map((r) => IncidentRow.parse({
  incidentId: r.incident_id,
  date: r.date,
  protocol: r.protocol,
  attackType: orNull(r.attack_type),
  lossText: orNull(r.loss_text),
  chain: orNull(r.chain),
  forkBlock: r.fork_block ? Number(r.fork_block) : null,
  attackerAddresses: list(r.attacker_addresses).map((a) => a.toLowerCase()),
  attackContracts: list(r.attack_contracts).map((a) => a.toLowerCase()),
  vulnerableContracts: list(r.vulnerable_contracts).map((a) => a.toLowerCase()),
  attackTxs: list(r.attack_txs).map((t) => t.toLowerCase()),
  references: list(r.reference_links),
  namedAddresses: (JSON.parse(r.named_addresses || '[]') as [string, string][]).map(([n, a]) => [n, a.toLowerCase()]),
}));

const ctx: ExtractContext = {
  sourceId: sourceId('incidents', FILE),
  file: FILE,
  ingestedAt: Date.UTC(2025, 0, 1),
  chainId: 1,
  tokens: createTokenRegistry(),
  chains: createChainRegistry(),
  blockTimes: new Map(),
};

describe('incidents', () => {
  it('turns 20241227_Bizness into an Incident on Base with its attacker, contracts and loss', () => {
    const row = ROWS.find((r) => r.incidentId === '20241227_Bizness')!;
    const out = extractIncident(row, 2, ctx);
    expect(out.issues).toEqual([]);
    const [event] = out.events;
    const midnight = Date.UTC(2024, 11, 27);
    expect(event).toMatchObject({
      id: 'evt:incident:2024-12-27:bizness', type: 'Incident', occurredAt: midnight, recordedAt: midnight,
      summary: '20241227_Bizness: Bizness exploited on Base (Reentrancy), loss 15.7k USD',
    });
    expect(event?.amounts).toEqual([{ role: 'loss', value: '15700', raw: null, decimals: null, unit: 'USD', token: null }]);
    expect(event?.attrs).toMatchObject({
      incidentId: '20241227_Bizness', attackType: 'Reentrancy', lossText: '15.7k USD', forkBlock: 24282214,
      attackTxs: ['0x984cb29cdb4e92e5899e9c94768f8a34047d0e1074f9c4109364e3682e488873'],
    });
    const byRole = out.facts.filter((f) => f.type === 'PARTICIPANT').map((f) => [f.role, f.object]);
    expect(byRole).toEqual([
      ['protocol', 'ent:protocol:bizness'],
      ['chain', 'eip155:8453'],
      ['attacker', 'eip155:8453:0x3cc1edd8a25c912fcb51d7e61893e737c48cd98d'],
      ['attack_contract', 'eip155:8453:0x0f30ae8f41a5d3cc96abd07adf1550a9a0e557b5'],
      ['vulnerable_contract', 'eip155:8453:0xd6a7cfa86a41b8f40b8dfeb987582a479eb10693'],
    ]);
    expect(out.facts.find((f) => f.type === 'EXPLOITED')).toMatchObject({
      subject: 'eip155:8453:0x3cc1edd8a25c912fcb51d7e61893e737c48cd98d', object: 'ent:protocol:bizness',
      validFrom: midnight, recordedAt: midnight,
    });
    expect(out.nodes.map((n) => [n.id, n.kind])).toEqual([
      ['ent:protocol:bizness', 'Protocol'], ['eip155:8453', 'Chain'],
      ['eip155:8453:0x3cc1edd8a25c912fcb51d7e61893e737c48cd98d', 'Account'],
      ['eip155:8453:0x0f30ae8f41a5d3cc96abd07adf1550a9a0e557b5', 'Contract'],
      ['eip155:8453:0xd6a7cfa86a41b8f40b8dfeb987582a479eb10693', 'Contract'],
    ]);
  });

  it('keeps incidents whose chain is missing or unknown, without guessing their addresses', () => {
    const row = ROWS.find((r) => r.incidentId === '20241227_Bizness')!;
    const out = extractIncident({ ...row, chain: 'atlantis' }, 4, ctx);
    expect(out.events).toHaveLength(1);
    expect(out.issues).toEqual([{
      line: 4, code: 'UNRESOLVED_CHAIN', severity: 'warning',
      reason: 'incident 20241227_Bizness: chain "atlantis" is not a known chain; its addresses are not linked',
    }]);
    expect(out.facts.map((f) => f.role)).toEqual(['protocol']);
    expect(out.nodes.map((n) => n.kind)).toEqual(['Protocol']);
    expect(out.events[0]?.summary).toBe('20241227_Bizness: Bizness exploited on atlantis (Reentrancy), loss 15.7k USD');
  });

  it('extracts every sample row; only chain-less rows warn', () => {
    const outs = ROWS.map((r, i) => extractIncident(r, i + 2, ctx));
    expect(ROWS).toHaveLength(402);
    const events = outs.flatMap((o) => o.events);
    expect(events).toHaveLength(402);
    const issues = outs.flatMap((o) => o.issues);
    expect(issues.every((i) => i.code === 'UNRESOLVED_CHAIN' && i.severity === 'warning')).toBe(true);
    expect(issues).toHaveLength(ROWS.filter((r) => r.chain === null).length);
    for (const e of events) expect(e.summary.startsWith(`${e.attrs.incidentId}: `)).toBe(true);
    // Deterministic: a second run is identical.
    expect(ROWS.map((r, i) => extractIncident(r, i + 2, ctx))).toEqual(outs);
  });
});
