/**
 * The extraction benchmark's corpus: one post-mortem per real incident of the shared sample CSV
 * (DeFiHackLabs-derived), written by templates with seeded variation, chunked the way ingest
 * chunks documents. Every sentence is written together with what it states — entities, triples,
 * events — so the replay server can answer each chunk as a careful model would (see
 * extraction-replay.ts). Deterministic: the same CSV gives the same corpus on any machine.
 */
import { join } from 'node:path';
import { chunkDocument } from '../extraction/documents/chunker.ts';
import { readerFor } from '../extraction/readers/index.ts';
import { createRandom } from '../pipelines/demo/prng.ts';
import type { DocumentRecord, TextChunk } from '../schema/documents.ts';
import { hashParts } from '../schema/hash.ts';
import type { IncidentRow } from '../schema/records.ts';
import { SAMPLE_DIR } from '../test/fixtures/paths.ts';

export interface TruthEntity { name: string; kind: string }
export interface TruthTriple { subject: string; predicate: string; object: string }
export interface TruthEvent {
  sentence: string;
  time: string | null;
  amount: string | null;
  participants: { name: string; kind: string; role: string }[];
}
/** What one written sentence states. */
export interface Statement { entities: TruthEntity[]; triples: TruthTriple[]; events: TruthEvent[] }

/** What a chunk states: the union of its sentences' statements, in text order. */
export interface ChunkTruth extends Statement { chunkId: string }

export interface Corpus {
  documents: DocumentRecord[];
  chunks: TextChunk[];
  /** Keyed by chunk text, which is what the model is sent. */
  truth: Map<string, ChunkTruth>;
}

export interface CorpusOptions {
  /** Incidents written up, one document each. @default 70 */
  documents?: number;
  /** @default 400 */
  maxTokens?: number;
}

export const INCIDENTS_CSV = join(SAMPLE_DIR, 'incidents_2023_2024.csv');

/** Reads the incidents and writes, chunks and annotates the corpus. */
export async function buildIncidentCorpus(options: CorpusOptions = {}): Promise<Corpus> {
  const wanted = options.documents ?? 70;
  const incidents: IncidentRow[] = [];
  for await (const item of readerFor('incidents').read(INCIDENTS_CSV, 'csv', { chainId: 1 })) {
    // Rows with an attacker and named contracts give the richest write-ups.
    if (item.ok && item.record.attackerAddresses.length > 0 && item.record.namedAddresses.length >= 2) incidents.push(item.record);
    if (incidents.length === wanted) break;
  }
  const corpus: Corpus = { documents: [], chunks: [], truth: new Map() };
  for (const incident of incidents) {
    const { doc, sentences } = writePostMortem(incident);
    corpus.documents.push(doc);
    for (const chunk of chunkDocument(doc, { maxTokens: options.maxTokens ?? 400 })) {
      corpus.chunks.push(chunk);
      corpus.truth.set(chunk.text, { chunkId: chunk.id, ...statedIn(sentences, chunk.span) });
    }
  }
  return corpus;
}

interface Placed extends Statement { start: number; end: number }

/** The union of the statements of the sentences that overlap `span`, deduplicated. */
function statedIn(sentences: readonly Placed[], span: { start: number; end: number }): Statement {
  const inside = sentences.filter((s) => s.start < span.end && s.end > span.start);
  const entities = new Map<string, TruthEntity>();
  for (const s of inside) for (const e of s.entities) if (!entities.has(e.name)) entities.set(e.name, e);
  return { entities: [...entities.values()], triples: inside.flatMap((s) => s.triples), events: inside.flatMap((s) => s.events) };
}

const NONE: Statement = { entities: [], triples: [], events: [] };

/** Accumulates sentences in paragraphs and remembers where each one landed in the text. */
class DocWriter {
  readonly #paragraphs: { text: string; statement: Statement }[][] = [[]];

  say(text: string, statement: Partial<Statement> = {}): void {
    this.#paragraphs.at(-1)!.push({ text, statement: { ...NONE, ...statement } });
  }

  paragraph(): void {
    if (this.#paragraphs.at(-1)!.length > 0) this.#paragraphs.push([]);
  }

  finish(): { text: string; sentences: Placed[] } {
    let text = '';
    const sentences: Placed[] = [];
    for (const paragraph of this.#paragraphs.filter((p) => p.length > 0)) {
      if (text !== '') text += '\n\n';
      paragraph.forEach((s, i) => {
        if (i > 0) text += ' ';
        sentences.push({ ...s.statement, start: text.length, end: text.length + s.text.length });
        text += s.text;
      });
    }
    return { text, sentences };
  }
}

const CHAIN_NAMES: Readonly<Record<string, string>> = {
  bsc: 'BNB Chain', ethereum: 'Ethereum', arbitrum: 'Arbitrum', polygon: 'Polygon', base: 'Base', optimism: 'Optimism',
  avalanche: 'Avalanche', blast: 'Blast', fantom: 'Fantom', mantle: 'Mantle', linea: 'Linea',
};
const NATIVE: Readonly<Record<string, string>> = { 'BNB Chain': 'BNB', Polygon: 'POL', Avalanche: 'AVAX', Fantom: 'FTM', Mantle: 'MNT' };
const BRIDGES = ['Stargate', 'Across', 'Orbiter Finance', 'Synapse', 'Celer cBridge'];
const DEXES: Readonly<Record<string, string>> = { 'BNB Chain': 'PancakeSwap', Ethereum: 'Uniswap', Base: 'Aerodrome', Optimism: 'Velodrome' };
const EXCHANGES = ['Binance', 'OKX', 'KuCoin', 'Bybit', 'Gate.io'];
const AUDITORS = ['CertiK', 'PeckShield', 'BlockSec', 'Hacken', 'SlowMist', 'Zellic'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const LESSONS = [
  'Protocols that fork existing code inherit its assumptions, including the ones that made this attack possible.',
  'Flash loans let an attacker borrow large amounts without collateral, so any check that depends on a balance at one moment can be gamed.',
  'Monitoring services flagged the suspicious transactions within minutes, but the contracts had no way to be paused automatically.',
  'Independent audits reduce the risk of such bugs but cannot rule them out, especially after late changes to the code.',
  'Bug bounty programmes give researchers a reason to report flaws instead of exploiting them.',
  'Rate limits on withdrawals would have capped the damage to a fraction of the total loss.',
  'Users who had granted unlimited token approvals to the contracts were exposed until they revoked them.',
  'Several similar contracts on other chains shared the same flaw and were patched in the days that followed.',
  'On-chain analysts traced the attacker to earlier exploits with a similar pattern of funding and laundering.',
  'The incident adds to a long list of attacks on small protocols whose contracts were never audited.',
];

/** Three to five sentences of root-cause analysis matched loosely to the CSV's free-text attack type. */
function rootCause(type: string): string[] {
  const t = type.toLowerCase();
  if (t.includes('reentran')) return [
    'The vulnerable function transferred funds before it updated the caller\'s recorded balance.',
    'The attack contract re-entered that function from its fallback and withdrew the same balance several times in one transaction.',
    'A reentrancy guard, or simply updating the balance before the transfer, would have stopped the attack.',
  ];
  if (/price|oracle|manipul|slippage|donate|inflation/.test(t)) return [
    'The protocol valued assets using the spot reserves of a single liquidity pool.',
    'The attacker took a flash loan, pushed the pool price far away from the market price and then borrowed or redeemed against the inflated value.',
    'Once the loan was repaid, the pool price returned to normal and the protocol was left holding the losses.',
    'A time-weighted average price or an external oracle would have made the manipulation far too expensive.',
  ];
  if (/access|permission|owner|arbitrary|external call/.test(t)) return [
    'A function that moves funds lacked a proper access check, so any caller could invoke it with arbitrary parameters.',
    'The attacker used it to make the contract transfer tokens it held, or tokens users had approved to it, to an address under their control.',
    'The function had been meant for an administrator and was left public by mistake.',
  ];
  return [
    'The contract trusted values supplied by the caller and did not check that they were consistent with its own state.',
    'By sending crafted input in a specific order, the attacker made the contract compute a payout far above what it should have paid.',
    'The flawed code path was added after the last audit and had never been reviewed.',
    'Rounding in the reward calculation made each step of the attack slightly more profitable than the last.',
  ];
}

function isoToProse(date: string, random: () => number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return random() < 0.5 ? date : `${MONTHS[m - 1]} ${d}, ${y}`;
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** Who first reported it: the X/Twitter handle or the site of the first reference link. */
function reporter(incident: IncidentRow): string | null {
  const link = incident.references[0];
  if (!link) return null;
  try {
    const url = new URL(link);
    if (/(^|\.)(x|twitter)\.com$/.test(url.hostname)) return url.pathname.split('/')[1] || null;
    return url.hostname.replace(/^(www|blog|medium)\./, '').split('.')[0] ?? null;
  } catch {
    return null;
  }
}

const looksLikeToken = (name: string): boolean => /^[A-Z0-9]{2,8}$/.test(name) || /TOKEN|USD|WETH|WBNB|WBTC/i.test(name);

/** One incident's post-mortem and the statements of each of its sentences. */
function writePostMortem(incident: IncidentRow): { doc: DocumentRecord; sentences: Placed[] } {
  const random = createRandom(Number.parseInt(hashParts([incident.incidentId], 8), 16));
  const w = new DocWriter();
  const P = incident.protocol;
  const chain = CHAIN_NAMES[incident.chain ?? ''] ?? 'Ethereum';
  const loss = incident.lossText ?? 'an undisclosed amount';
  const type = incident.attackType ?? 'logic';
  const attacker = incident.attackerAddresses[0]!;
  const protocol: TruthEntity = { name: P, kind: 'Protocol' };
  const chainEntity: TruthEntity = { name: chain, kind: 'Chain' };
  const account: TruthEntity = { name: attacker, kind: 'Account' };
  const exploit: TruthEvent = {
    sentence: `${attacker} exploited ${P} on ${chain}.`, time: incident.date, amount: incident.lossText,
    participants: [{ ...account, role: 'attacker' }, { ...protocol, role: 'victim' }, { ...chainEntity, role: 'chain' }],
  };
  const when = isoToProse(incident.date, random);

  w.say(pick(random, [
    `On ${when}, ${P} on ${chain} was exploited through a ${type.toLowerCase()} vulnerability, losing ${loss}.`,
    `${P}, a protocol deployed on ${chain}, suffered an exploit on ${when} that drained ${loss}.`,
    `An attacker drained ${loss} from ${P} on ${chain} on ${when} by abusing a ${type.toLowerCase()} bug.`,
  ]), { entities: [protocol, chainEntity, account], triples: [{ subject: P, predicate: 'deployed on', object: chain }, { subject: attacker, predicate: 'exploited', object: P }], events: [exploit] });
  w.say('This post-mortem reconstructs the attack from on-chain data, the proof of concept published afterwards and public alerts.');
  const firm = reporter(incident);
  if (firm) {
    w.say(`The attack was first reported publicly by ${firm}, whose alert linked the attack transaction.`, {
      entities: [{ name: firm, kind: 'Organization' }, protocol],
      events: [{ sentence: `${firm} reported the exploit of ${P}.`, time: incident.date, amount: null, participants: [{ name: firm, kind: 'Organization', role: 'subject' }, { ...protocol, role: 'victim' }] }],
    });
  }
  w.say('Users were advised to revoke token approvals granted to the affected contracts until the team confirmed they were safe.');
  w.paragraph();
  writeBackground(w, random, protocol, chainEntity);
  w.paragraph();

  w.say(`The attacker operated from the address ${attacker}${pick(random, [', funded with ETH withdrawn from Tornado Cash', ' after funding it through a centralised exchange', ''])}.`, { entities: [account] });
  for (const contract of incident.attackContracts.slice(0, 2)) {
    w.say(`From that address the attacker deployed the attack contract ${contract} shortly before the exploit.`, {
      entities: [account, { name: contract, kind: 'Contract' }],
      triples: [{ subject: attacker, predicate: 'deployed', object: contract }],
      events: [{ sentence: `${attacker} deployed attack contract ${contract}.`, time: incident.date, amount: null, participants: [{ ...account, role: 'deployer' }, { name: contract, kind: 'Contract', role: 'contract' }] }],
    });
  }
  if (incident.forkBlock !== null) w.say(`The exploit was executed in block ${incident.forkBlock + 1} on ${chain}, right after block ${incident.forkBlock}.`, { entities: [chainEntity] });
  incident.attackTxs.slice(0, 2).forEach((tx, i) => w.say(i === 0 ? `The main attack transaction was ${tx}.` : `A second transaction, ${tx}, repeated the attack against the same contract.`));
  for (const victim of incident.vulnerableContracts.slice(0, 2)) {
    w.say(`The vulnerable contract at ${victim} belongs to ${P}.`, {
      entities: [{ name: victim, kind: 'Contract' }, protocol], triples: [{ subject: victim, predicate: 'belongs to', object: P }],
    });
  }
  w.paragraph();

  for (const sentence of rootCause(type)) w.say(sentence);
  w.say(`${P} said the flawed code had been live for ${2 + Math.floor(random() * 20)} months before the attack.`, { entities: [protocol] });
  w.paragraph();
  writeWalkthrough(w, random, { P, chain, attacker, account, protocol, date: incident.date }, incident.attackContracts[0] ?? null, loss);
  w.paragraph();

  w.say('The proof of concept published after the attack names the contracts it interacted with.');
  for (const [name, address] of incident.namedAddresses.slice(0, 6)) {
    const entity: TruthEntity = { name, kind: looksLikeToken(name) ? 'Token' : 'Contract' };
    w.say(pick(random, [`${name} at ${address} was called during the attack.`, `The exploit also touched ${name} (${address}).`, `It used ${name}, deployed at ${address}.`]), {
      entities: [entity, { name: address, kind: 'Contract' }], triples: [{ subject: name, predicate: 'deployed at', object: address }],
    });
  }
  w.paragraph();
  writeFundFlow(w, random, { P, chain, attacker, account, protocol, date: incident.date });
  w.paragraph();
  for (const lesson of [...LESSONS].sort(() => random() - 0.5).slice(0, 4)) w.say(lesson);

  const { text, sentences } = w.finish();
  const published = new Date(Date.parse(incident.date) + (1 + Math.floor(random() * 6)) * 86_400_000).toISOString().slice(0, 10);
  const doc: DocumentRecord = { id: `bench:incident:${incident.incidentId}`, title: `${P} post-mortem`, text, publishedAt: published, url: incident.references[0] ?? null };
  return { doc, sentences };
}

const KINDS = [
  ['lending market', 'lets users borrow stablecoins against volatile collateral'],
  ['yield vault', 'pools deposits and moves them between farming strategies'],
  ['decentralised exchange', 'runs constant-product pools for small-cap tokens'],
  ['staking protocol', 'pays rewards in its own token to users who lock liquidity'],
  ['token launchpad', 'sells new tokens to its community before they list'],
] as const;
const LENDERS = ['DODO', 'Balancer', 'Aave', 'PancakeSwap', 'Uniswap'];

/** What the protocol is: four sentences of background. */
function writeBackground(w: DocWriter, random: () => number, protocol: TruthEntity, chain: TruthEntity): void {
  const [kind, does] = pick(random, KINDS);
  w.say(`${protocol.name} is a ${kind} on ${chain.name} that ${does}.`, {
    entities: [protocol, chain], triples: [{ subject: protocol.name, predicate: 'runs on', object: chain.name }],
  });
  w.say(`Before the attack it held about $${(1 + random() * 40).toFixed(1)}M in deposits from roughly ${(200 + Math.floor(random() * 9000)).toLocaleString('en-US')} users.`);
  w.say(random() < 0.5 ? 'Its contracts had been audited once, more than a year before the incident.' : 'Its contracts had never been audited by an independent firm.');
  w.say('The project had launched its own governance token, which traded mainly in a single liquidity pool with thin depth.');
}

/** The attack step by step: a flash loan, the abuse, the exit. */
function writeWalkthrough(w: DocWriter, random: () => number, c: FlowContext, contract: string | null, loss: string): void {
  const native = NATIVE[c.chain] ?? 'ETH';
  const lender = pick(random, LENDERS);
  const actor = contract ?? c.attacker;
  const actorEntity: TruthEntity = { name: actor, kind: contract ? 'Contract' : 'Account' };
  w.say('Step by step, the attack went as follows.');
  w.say(`First, the attack contract borrowed a flash loan of ${(100 + Math.floor(random() * 5000)).toLocaleString('en-US')} ${native} from ${lender}.`, {
    entities: [actorEntity, { name: lender, kind: 'Protocol' }],
    events: [{ sentence: `${actor} borrowed a flash loan from ${lender}.`, time: c.date, amount: null, participants: [{ ...actorEntity, role: 'to' }, { name: lender, kind: 'Protocol', role: 'from' }] }],
  });
  w.say(`Next, it called the vulnerable contract ${2 + Math.floor(random() * 30)} times in a loop, each call taking a little more than it had put in.`);
  w.say('It then sold the tokens it had received back into the pool, draining most of the reserves.');
  w.say(`Finally, it repaid the flash loan and sent the profit of ${loss} to ${c.attacker}.`, {
    entities: [c.account],
    events: [{ sentence: `${actor} sent the profit to ${c.attacker}.`, time: c.date, amount: loss, participants: [{ ...actorEntity, role: 'from' }, { ...c.account, role: 'to' }] }],
  });
  w.say(`The whole sequence fitted in a single transaction and cost the attacker less than ${(0.01 + random() * 0.2).toFixed(3)} ${native} in gas.`);
}

interface FlowContext { P: string; chain: string; attacker: string; account: TruthEntity; protocol: TruthEntity; date: string }

/** Where the money went and what the team did: two to four follow-up events. */
function writeFundFlow(w: DocWriter, random: () => number, c: FlowContext): void {
  const from = { ...c.account, role: 'from' };
  const dex = DEXES[c.chain] ?? 'Uniswap';
  w.say(`The stolen tokens were swapped for ${NATIVE[c.chain] ?? 'ETH'} on ${dex} within minutes of the attack.`, {
    entities: [c.account, { name: dex, kind: 'Protocol' }],
    events: [{ sentence: `${c.attacker} swapped the stolen tokens on ${dex}.`, time: c.date, amount: null, participants: [from, { name: dex, kind: 'Protocol', role: 'protocol' }] }],
  });
  if (random() < 0.6) {
    const bridge = pick(random, BRIDGES);
    const to = c.chain === 'Ethereum' ? 'Arbitrum' : 'Ethereum';
    w.say(`The funds were then bridged from ${c.chain} to ${to} through ${bridge}.`, {
      entities: [{ name: bridge, kind: 'Protocol' }, { name: to, kind: 'Chain' }],
      events: [{ sentence: `${c.attacker} bridged the stolen funds to ${to} through ${bridge}.`, time: null, amount: null, participants: [from, { name: bridge, kind: 'Protocol', role: 'protocol' }, { name: to, kind: 'Chain', role: 'chain' }] }],
    });
  }
  if (random() < 0.5) {
    w.say(`About ${40 + Math.floor(random() * 60)}% of the proceeds were later deposited into Tornado Cash.`, {
      entities: [{ name: 'Tornado Cash', kind: 'Protocol' }],
      events: [{ sentence: `${c.attacker} deposited the proceeds into Tornado Cash.`, time: null, amount: null, participants: [from, { name: 'Tornado Cash', kind: 'Protocol', role: 'to' }] }],
    });
  } else {
    const cex = pick(random, EXCHANGES);
    w.say(`Part of the funds reached a deposit address at ${cex}, which froze them at the request of the ${c.P} team.`, {
      entities: [{ name: cex, kind: 'Exchange' }, c.protocol],
      events: [{ sentence: `${cex} froze part of the stolen funds.`, time: null, amount: null, participants: [{ name: cex, kind: 'Exchange', role: 'subject' }] }],
    });
  }
  w.say(`The ${c.P} team paused the affected contracts ${1 + Math.floor(random() * 12)} hours after the first attack transaction.`, {
    entities: [c.protocol],
    events: [{ sentence: `${c.P} paused its contracts.`, time: null, amount: null, participants: [{ ...c.protocol, role: 'subject' }] }],
  });
  if (random() < 0.5) {
    w.say(`${c.P} offered the attacker a ${pick(random, [10, 15, 20])}% bounty in exchange for returning the rest of the funds.`, {
      entities: [c.protocol, c.account],
      events: [{ sentence: `${c.P} offered the attacker a bounty.`, time: null, amount: null, participants: [{ ...c.protocol, role: 'subject' }, { ...c.account, role: 'attacker' }] }],
    });
  } else {
    const auditor = pick(random, AUDITORS);
    w.say(`A fixed version of the contracts was deployed after a review by ${auditor}.`, {
      entities: [{ name: auditor, kind: 'Organization' }, c.protocol],
      triples: [{ subject: auditor, predicate: 'audited', object: c.P }],
      events: [{ sentence: `${auditor} reviewed the fixed ${c.P} contracts.`, time: null, amount: null, participants: [{ name: auditor, kind: 'Organization', role: 'subject' }, { ...c.protocol, role: 'protocol' }] }],
    });
  }
  w.say(random() < 0.5 ? 'No funds had been returned at the time of writing.' : `${c.P} announced a compensation plan for affected users.`);
}
