/**
 * Ingest benchmark: end-to-end structured ingest of N generated ERC-20 transfers (ethereum-etl
 * JSON lines, realistic address reuse) into a fresh SQLite file, against the ceiling — plain
 * prepared INSERTs of the very same rows into the same tables. Each side runs in its own child
 * process so that peak RSS is that side's alone; both run in this one invocation, so the ratio is
 * measured on the same machine state.
 *
 *   npm run bench -- ingest [--transfers 1000000] [--accounts N] [--keep]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeDemoTransfers } from '../pipelines/demo/transfers.ts';

export interface ChildResult {
  mode: 'e2e' | 'ceiling';
  /** Time of the measured part, ms. */
  ms: number;
  transfers: number;
  rows: { nodes: number; events: number; facts: number };
  maxRssMb: number;
}

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { transfers: { type: 'string', default: '1000000' }, accounts: { type: 'string' }, keep: { type: 'boolean', default: false } },
  });
  const transfers = Number(values.transfers);
  const accounts = values.accounts ? Number(values.accounts) : Math.floor(transfers / 5);
  const dir = mkdtempSync(join(tmpdir(), 'mkg-bench-ingest-'));
  try {
    process.stderr.write(`generating ${transfers} transfers over ${accounts} accounts in ${dir} …\n`);
    const files = await writeDemoTransfers(dir, { transfers, accounts, seed: 1 });
    const mb = (statSync(files.transfersFile).size / 2 ** 20).toFixed(0);
    process.stderr.write(`  ${mb} MB of JSON lines; running end-to-end ingest …\n`);
    const e2e = child('e2e', dir);
    process.stderr.write(`  end-to-end ${(e2e.ms / 1000).toFixed(1)} s; running the plain-insert ceiling …\n`);
    const ceiling = child('ceiling', dir);
    const result = {
      transfers,
      accounts,
      inputMb: Number(mb),
      e2e: { ...e2e, transfersPerSec: Math.round(transfers / (e2e.ms / 1000)) },
      ceiling: { ...ceiling, transfersPerSec: Math.round(transfers / (ceiling.ms / 1000)) },
      ratio: Number((ceiling.ms / e2e.ms).toFixed(3)),
      node: process.version,
      at: new Date().toISOString(),
    };
    print(result);
    mkdirSync(join(import.meta.dirname, 'out'), { recursive: true });
    writeFileSync(join(import.meta.dirname, 'out', 'ingest.json'), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
  }
}

function child(mode: 'e2e' | 'ceiling', dir: string): ChildResult {
  const out = execFileSync(process.execPath, [join(import.meta.dirname, 'ingest-child.ts'), mode, dir], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 * 2 ** 20,
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as ChildResult;
}

function print(r: { transfers: number; e2e: ChildResult & { transfersPerSec: number }; ceiling: ChildResult & { transfersPerSec: number }; ratio: number }): void {
  const row = (name: string, c: ChildResult & { transfersPerSec: number }): string =>
    `| ${name} | ${(c.ms / 1000).toFixed(1)} s | ${c.transfersPerSec.toLocaleString('en-US')} | ${c.maxRssMb} MB |`;
  process.stdout.write(
    [
      `ingest of ${r.transfers.toLocaleString('en-US')} ERC-20 transfers (${r.e2e.rows.events} events, ${r.e2e.rows.facts} facts, ${r.e2e.rows.nodes} nodes)`,
      '| run | time | transfers/s | peak RSS |',
      '|---|---|---|---|',
      row('end-to-end (read → extract → merge-upsert)', r.e2e),
      row('ceiling (plain prepared INSERTs, same rows)', r.ceiling),
      `end-to-end reaches ${(r.ratio * 100).toFixed(0)}% of the ceiling (goal ≥ 50%); peak RSS ${r.e2e.maxRssMb} MB (goal < 1024 MB)`,
      '',
    ].join('\n'),
  );
}
