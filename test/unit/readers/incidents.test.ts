import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IncidentRow } from '../../../schema/records.ts';
import { incidentsReader } from '../../../extraction/readers/incidents.ts';
import type { ReadItem } from '../../../extraction/readers/types.ts';
import { SAMPLE_DIR, tempDir } from '../../fixtures/paths.ts';

const SAMPLE = join(SAMPLE_DIR, 'incidents_2023_2024.csv');

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = tempDir()));
afterAll(() => cleanup());

async function collect(path: string) {
  const items: ReadItem<IncidentRow>[] = [];
  for await (const item of incidentsReader.read(path, 'csv', { chainId: 1 })) items.push(item);
  return { items, records: items.flatMap((i) => (i.ok ? [i.record] : [])), failures: items.filter((i) => !i.ok) };
}

/** A temp incidents CSV with the real file's header and the given cells (others empty). */
function incidentsFile(name: string, rows: Record<string, string>[]): string {
  const header = readFileSync(SAMPLE, 'utf8').split(/\r?\n/, 1)[0]!;
  const columns = header.split(',');
  const cell = (v = ''): string => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const path = join(dir, name);
  writeFileSync(path, [header, ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\r\n') + '\r\n');
  return path;
}

const base = { incident_id: '20240101_Test', date: '2024-01-01', protocol: 'Test' };

describe('incidents (real sample)', () => {
  it('reads all 402 incidents with no failure and no dropped value', async () => {
    const { items, records, failures } = await collect(SAMPLE);
    expect(failures).toEqual([]);
    expect(records).toHaveLength(402);
    expect(items.filter((i) => i.ok && i.warnings)).toEqual([]);
    for (const r of records) expect(IncidentRow.safeParse(r).success).toBe(true);
  });

  it('maps a full row, lower-casing checksummed named addresses', async () => {
    const { items } = await collect(SAMPLE);
    expect(items[0]).toEqual({
      ok: true,
      line: 2,
      record: {
        incidentId: '20241227_Bizness',
        date: '2024-12-27',
        protocol: 'Bizness',
        attackType: 'Reentrancy',
        lossText: '15.7k USD',
        chain: 'base',
        forkBlock: 24282214,
        attackerAddresses: ['0x3cc1edd8a25c912fcb51d7e61893e737c48cd98d'],
        attackContracts: ['0x0f30ae8f41a5d3cc96abd07adf1550a9a0e557b5'],
        vulnerableContracts: ['0xd6a7cfa86a41b8f40b8dfeb987582a479eb10693'],
        attackTxs: ['0x984cb29cdb4e92e5899e9c94768f8a34047d0e1074f9c4109364e3682e488873'],
        references: ['https://x.com/TenArmorAlert/status/1872857132363645205'],
        namedAddresses: [
          ['LOCKER', '0x80b9c9c883e376c4aa43d72413ab1bd6a64a0654'],
          ['BIZNESS_TOKEN', '0xf3a605573b93fd22496f471a88ae45f35c1df5a7'],
          ['ATTACKER', '0x0f30ae8f41a5d3cc96abd07adf1550a9a0e557b5'],
        ],
      },
    });
  });

  it('keeps rows without chain, addresses or fork block, with nulls and empty lists', async () => {
    const { records } = await collect(SAMPLE);
    const bankroll = records.find((r) => r.incidentId === '20240923_Bankroll_Network');
    expect(bankroll).toMatchObject({
      chain: null, forkBlock: null, attackerAddresses: [], attackContracts: [], vulnerableContracts: [], attackTxs: [], namedAddresses: [],
      lossText: '~404 WBNB (~234.8K USD)',
    });
    const moonhacker = records.find((r) => r.incidentId === '20241223_Moonhacker');
    expect(moonhacker?.attackContracts).toHaveLength(2);
    expect(records.filter((r) => r.references.length > 1).length).toBeGreaterThan(0);
  });
});

describe('incidents bad values', () => {
  it('drops invalid list entries with a warning naming the column and value, keeping the row', async () => {
    const path = incidentsFile('lists.csv', [{
      ...base,
      chain: 'solana',
      attacker_addresses: '0x3cc1edd8a25c912fcb51d7e61893e737c48cd98d;0x12zz;0x36491840ebcf040413003df9fb65b6bc9a181f52',
      attack_contracts: 'So1anaBase58AddressThatIsNotEvm111111111111',
      attack_txs: '5VERv8NMvzbJMEkV8xnrLkEaWRtSz9CosKDYjCJjBRnbJLgp8uirBgmQpjKhoR4tjF3ZpRzrFmBV6UjKdiSZkQUW',
      // The checksum of a real address with the case of one letter flipped.
      named_addresses: JSON.stringify([['USDC', '0xa0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48'], ['WETH', '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2'], ['odd']]),
      fork_block: 'latest',
      reference_links: 'https://a.example/1; https://b.example/2 https://c.example/3',
      loss_text: ' ~1.2M USD (est.) ',
    }]);
    const { items } = await collect(path);
    expect(items).toHaveLength(1);
    const item = items[0]!;
    expect(item.ok).toBe(true);
    if (!item.ok) return;
    expect(item.record).toMatchObject({
      chain: 'solana',
      forkBlock: null,
      attackerAddresses: ['0x3cc1edd8a25c912fcb51d7e61893e737c48cd98d', '0x36491840ebcf040413003df9fb65b6bc9a181f52'],
      attackContracts: [],
      attackTxs: [],
      namedAddresses: [['WETH', '0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2']],
      references: ['https://a.example/1', 'https://b.example/2', 'https://c.example/3'],
      lossText: ' ~1.2M USD (est.) ',
    });
    expect(item.warnings).toEqual([
      'fork_block: dropped "latest": not a block number',
      'attacker_addresses: dropped "0x12zz": Invalid address "0x12zz": not hexadecimal',
      'attack_contracts: dropped "So1anaBase58AddressThatIsNotEvm111111111111": Invalid address "So1anaBase58AddressThatIsNotEvm111111111111": must start with 0x',
      expect.stringMatching(/^attack_txs: dropped "5VERv8.*": Invalid transaction hash .*not 0x-prefixed hexadecimal$/),
      'named_addresses: dropped "0xa0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48": Invalid address "0xa0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48": bad EIP-55 checksum',
      'named_addresses: dropped "[\\"odd\\"]": expected a [name, address] pair',
    ]);
  });

  it('warns about named_addresses that are not JSON', async () => {
    const { items } = await collect(incidentsFile('json.csv', [{ ...base, named_addresses: '[["A", "0x12' }]));
    expect(items[0]).toMatchObject({ ok: true, record: { namedAddresses: [] }, warnings: [expect.stringMatching(/^named_addresses: dropped .*invalid JSON/)] });
  });

  it('fails rows without id, protocol or a parseable date, and reads the rest', async () => {
    const path = incidentsFile('required.csv', [
      { ...base, date: 'sometime in 2024' },
      { ...base, incident_id: '' },
      { ...base, protocol: '' },
      base,
    ]);
    const { items } = await collect(path);
    expect(items.map((i) => (i.ok ? `${i.line} ok` : `${i.line} ${i.reason}`))).toEqual([
      '2 date "sometime in 2024": unparseable date',
      '3 incident_id: missing',
      '4 protocol: missing',
      '5 ok',
    ]);
    expect(items[3]).toMatchObject({
      record: { attackType: null, lossText: null, chain: null, forkBlock: null, attackerAddresses: [], references: [], namedAddresses: [] },
    });
    expect(items[3]).not.toHaveProperty('warnings');
  });

  it('fails the header once when required columns are missing', async () => {
    const path = join(dir, 'wrong.csv');
    writeFileSync(path, 'incident_id,protocol\nx,y\n');
    const { items } = await collect(path);
    expect(items).toEqual([{ ok: false, line: 1, reason: expect.stringContaining('header lacks column(s) date'), raw: 'incident_id,protocol' }]);
  });
});
