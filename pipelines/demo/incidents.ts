/**
 * The demo's incidents: three made-up exploits ("Demo …" protocols, seed-derived addresses) that
 * the incident CSV and the generated documents both describe, so the structured rows and the text
 * about them name the same attackers, victims and losses.
 */
import { demoAddress } from './transfers.ts';

export interface DemoIncident {
  id: string;
  /** UTC day, YYYY-MM-DD. */
  date: string;
  protocol: string;
  attackType: string;
  /** The loss as the incident list writes it ("1,250.5 ETH (~$2.31M)"). */
  lossText: string;
  /** The loss as an amount and unit ("1,250.5 ETH"), how the text reports it. */
  loss: string;
  /** What the attacker then moved to the demo mixer ("1,250.5 ETH"), told only by the text. */
  laundered: string;
  chain: string;
  attackers: string[];
  attackContract: string;
  /** The vulnerable contract. */
  victim: string;
  tx: string;
}

/** Label index of the demo mixer, where the write-ups say the loot went. */
export const DEMO_MIXER = 5;

const txHash = (n: number): string => `0x${n.toString(16).padStart(64, '0')}`;

/** The demo incidents for `seed`; addresses are `demoAddress(seed, i)` like the labels'. */
export function demoIncidents(seed: number): DemoIncident[] {
  const a = (i: number): string => demoAddress(seed, i);
  return [
    {
      id: '20230415_DemoLend', date: '2023-04-15', protocol: 'DemoLend', attackType: 'Price oracle manipulation',
      lossText: '1,250.5 ETH (~$2.31M)', loss: '1,250.5 ETH', laundered: '1,250.5 ETH', chain: 'ethereum',
      attackers: [a(40)], attackContract: a(900), victim: a(901), tx: txHash(1),
    },
    {
      id: '20230422_DemoSwap', date: '2023-04-22', protocol: 'DemoSwap', attackType: 'Reentrancy',
      lossText: '310k USD', loss: '310k USD', laundered: '168.2 ETH', chain: 'ethereum',
      attackers: [a(41)], attackContract: a(902), victim: a(903), tx: txHash(2),
    },
    {
      id: '20230428_DemoBridge', date: '2023-04-28', protocol: 'DemoBridge', attackType: 'Access control',
      lossText: '4.2M USDC', loss: '4.2M USDC', laundered: '4.2M USDC', chain: 'mainnet',
      attackers: [a(40), a(41)], attackContract: a(904), victim: a(4), tx: txHash(3),
    },
  ];
}

const INCIDENT_HEADER =
  'incident_id,date,protocol,attack_type,loss_text,total_lost_header,chain,fork_network,fork_block,attacker_addresses,attack_contracts,vulnerable_contracts,attack_txs,attack_tx_source,poc_paths,reference_links,labelled_addresses,named_addresses,source_readme';

/** The incidents in the DeFiHackLabs-derived CSV layout the incidents reader takes. */
export function incidentsCsv(incidents: readonly DemoIncident[]): string {
  const lines = incidents.map((i) =>
    [
      i.id, i.date, i.protocol, i.attackType, `"${i.lossText}"`, `"${i.lossText}"`, i.chain, i.chain, '',
      i.attackers.join(';'), i.attackContract, i.victim, i.tx, 'demo', '', '', '[]', '[]', 'demo',
    ].join(','),
  );
  return `${INCIDENT_HEADER}\n${lines.join('\n')}\n`;
}
