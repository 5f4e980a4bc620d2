/**
 * The DeFi incidents CSV (DeFiHackLabs-derived: incident_id, date, protocol, attack_type,
 * loss_text, chain, fork_block, `;`-separated address and tx lists, named_addresses JSON,
 * reference_links). Streamed. Only incident_id, date and protocol are required; anything else that
 * is unusable is dropped from the record with a warning, so no incident is lost to one bad cell —
 * including rows on non-EVM chains, whose addresses simply do not survive the EVM checks.
 * loss_text, attack_type and chain are kept verbatim: interpreting them is the extractor's job.
 */
import { InvalidArgumentError, InvalidIdError, truncate } from '../../schema/errors.ts';
import { normalizeAddress, normalizeTxHash } from '../../schema/ids.ts';
import { IncidentRow } from '../../schema/records.ts';
import { missingColumns } from './csv.ts';
import { readMappedCsv } from './csv-mapped.ts';
import { parseDate } from './dates.ts';
import { RowFields, validated } from './fields.ts';
import { parseJsonLine } from './json-lines.ts';
import type { ReadItem, Reader } from './types.ts';

type Hex = `0x${string}`;

/** Collects "dropped …" warnings for one row. */
class Drops {
  readonly warnings: string[] = [];
  drop(column: string, value: unknown, why: string): void {
    this.warnings.push(`${column}: dropped ${JSON.stringify(truncate(String(value), 80))}: ${why}`);
  }
}

/** `;`-separated (also tolerating `,` and whitespace) ids, checked one by one, de-duplicated. */
function idList(f: RowFields, column: string, drops: Drops, normalize: (value: string) => Hex): Hex[] {
  const out = new Set<Hex>();
  for (const value of (f.optText(column) ?? '').split(/[;,\s]+/)) {
    if (value === '') continue;
    try {
      out.add(normalize(value));
    } catch (error) {
      if (!(error instanceof InvalidIdError)) throw error;
      drops.drop(column, value, error.message);
    }
  }
  return [...out];
}

/** `[["LOCKER", "0x80b9…"], …]`: pairs with a valid address survive, lower-cased. */
function namedAddresses(f: RowFields, drops: Drops): [string, Hex][] {
  const text = f.optText('named_addresses');
  if (text === null) return [];
  let parsed: unknown;
  try {
    parsed = parseJsonLine(text);
  } catch (error) {
    drops.drop('named_addresses', text, `invalid JSON: ${(error as Error).message}`);
    return [];
  }
  if (!Array.isArray(parsed)) {
    drops.drop('named_addresses', text, 'expected a JSON list of [name, address] pairs');
    return [];
  }
  const pairs: [string, Hex][] = [];
  for (const entry of parsed) {
    if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string' || typeof entry[1] !== 'string') {
      drops.drop('named_addresses', JSON.stringify(entry), 'expected a [name, address] pair');
      continue;
    }
    try {
      pairs.push([entry[0], normalizeAddress(entry[1].trim())]);
    } catch (error) {
      if (!(error instanceof InvalidIdError)) throw error;
      drops.drop('named_addresses', entry[1], error.message);
    }
  }
  return pairs;
}

function forkBlock(f: RowFields, drops: Drops): number | null {
  const text = f.optText('fork_block')?.trim() ?? null;
  if (text === null) return null;
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (Number.isSafeInteger(n)) return n;
  drops.drop('fork_block', text, 'not a block number');
  return null;
}

function toIncident(f: RowFields): { record: IncidentRow; warnings: string[] } {
  const drops = new Drops();
  const dateText = f.text('date');
  const row: IncidentRow = {
    incidentId: f.text('incident_id').trim(),
    date: parseDate(dateText) ?? f.failValue('date', dateText, 'unparseable date'),
    protocol: f.text('protocol').trim(),
    attackType: f.optText('attack_type'),
    lossText: f.optText('loss_text'),
    chain: f.optText('chain'),
    forkBlock: forkBlock(f, drops),
    attackerAddresses: idList(f, 'attacker_addresses', drops, normalizeAddress),
    attackContracts: idList(f, 'attack_contracts', drops, normalizeAddress),
    vulnerableContracts: idList(f, 'vulnerable_contracts', drops, normalizeAddress),
    attackTxs: idList(f, 'attack_txs', drops, normalizeTxHash),
    references: [...new Set((f.optText('reference_links') ?? '').split(/[;\s]+/).filter((s) => s !== ''))],
    namedAddresses: namedAddresses(f, drops),
  };
  return { record: validated(IncidentRow, row, f), warnings: drops.warnings };
}

export const INCIDENT_REQUIRED_COLUMNS = ['incident_id', 'date', 'protocol'] as const;

async function* readIncidents(path: string, format: string, signal?: AbortSignal): AsyncGenerator<ReadItem<IncidentRow>> {
  if (format !== 'csv') throw new InvalidArgumentError('format', `incidents are read from CSV, not ${format}`);
  const header = (names: string[]): true | string => {
    const missing = missingColumns(names, INCIDENT_REQUIRED_COLUMNS);
    return missing.length > 0 ? `header lacks column(s) ${missing.join(', ')}` : true;
  };
  yield* readMappedCsv(path, { signal }, header, (f) => toIncident(f));
}

export const incidentsReader: Reader<'incidents'> = {
  kind: 'incidents',
  version: '1',
  read: (path, format, options) => readIncidents(path, format, options.signal),
};
