/**
 * Mapping the model's free words onto the graph's closed sets (schema/ontology.ts): entity kinds,
 * canonical predicates, participant roles and event–event relation types. A word that maps nowhere
 * yields null and the caller records an issue; nothing here ever invents a label or a type.
 */
import { normalizeName } from '../../../schema/ids.ts';
import { ENTITY_KINDS, ROLES, type EntityKind, type RelType, type Role } from '../../../schema/ontology.ts';
import { EVENT_RELATION_TYPES, type EventRelationType } from './event-relations-prompt.ts';

/** The kinds a text entity may take: every entity kind except `Concept` (concepts are induced, not read). */
export const TEXT_ENTITY_KINDS: readonly EntityKind[] = ENTITY_KINDS.filter((k) => k !== 'Concept');

/** Common words for the kinds, by normalised name (singular). */
const KIND_SYNONYMS: Readonly<Record<string, EntityKind>> = {
  coin: 'Token', cryptocurrency: 'Token', crypto: 'Token', stablecoin: 'Token', 'erc20': 'Token', 'erc20 token': 'Token',
  'governance token': 'Token', ticker: 'Token', memecoin: 'Token',
  wallet: 'Account', address: 'Account', eoa: 'Account', 'wallet address': 'Account', 'externally owned account': 'Account',
  'smart contract': 'Contract', 'attack contract': 'Contract',
  dex: 'Protocol', 'decentralized exchange': 'Protocol', 'decentralised exchange': 'Protocol', amm: 'Protocol',
  'defi protocol': 'Protocol', 'lending protocol': 'Protocol', bridge: 'Protocol', 'cross chain bridge': 'Protocol',
  dapp: 'Protocol', defi: 'Protocol', 'yield aggregator': 'Protocol',
  cex: 'Exchange', 'centralized exchange': 'Exchange', 'centralised exchange': 'Exchange', 'crypto exchange': 'Exchange',
  stock: 'Asset', equity: 'Asset', index: 'Asset', commodity: 'Asset', currency: 'Asset', 'fiat currency': 'Asset',
  blockchain: 'Chain', network: 'Chain', l1: 'Chain', l2: 'Chain', 'layer 2': 'Chain', rollup: 'Chain',
  'liquidity pool': 'Pool', 'lp': 'Pool',
  company: 'Organization', organisation: 'Organization', firm: 'Organization', group: 'Organization',
  'hacker group': 'Organization', 'hacking group': 'Organization', team: 'Organization', foundation: 'Organization',
  dao: 'Organization', fund: 'Organization', agency: 'Organization', regulator: 'Organization',
  government: 'Organization', auditor: 'Organization', 'security firm': 'Organization', institution: 'Organization',
  individual: 'Person', founder: 'Person', ceo: 'Person', developer: 'Person', researcher: 'Person', analyst: 'Person',
};

/** The entity kind for a model's word: the kind itself (any case), a synonym, or null. */
export function mapKind(word: string): EntityKind | null {
  const norm = normalizeName(word);
  const direct = TEXT_ENTITY_KINDS.find((k) => k.toLowerCase() === norm);
  if (direct) return direct;
  const singular = norm.endsWith('s') && !norm.endsWith('ss') ? norm.slice(0, -1) : norm;
  for (const key of [norm, singular]) {
    const kind = KIND_SYNONYMS[key] ?? TEXT_ENTITY_KINDS.find((k) => k.toLowerCase() === key);
    if (kind) return kind;
  }
  return null;
}

/** Relation types a triple may carry; the rest are events', the schema inducer's or resolution's. */
const TRIPLE_TYPES: ReadonlySet<RelType> = new Set<RelType>([
  'TRANSFERRED_TO', 'HOLDS', 'EXPLOITED', 'DEPLOYED', 'LISTED_ON', 'ON_CHAIN', 'RELATED_TO',
]);

/** Ordered: the first pattern matching the normalised predicate wins ("deployed on" is ON_CHAIN, not DEPLOYED). */
const PREDICATE_PATTERNS: readonly [RegExp, RelType][] = [
  [/^(?:is |was |are )?(?:deployed|built|running|runs|launched|live|lives|based|operates|operating|native|issued) on$/, 'ON_CHAIN'],
  [/\b(?:list|listed|lists|listing|trades|traded|trading|delisted)\b.*\bon$/, 'LISTED_ON'],
  [/\b(?:exploit|hack|attack|drain|compromis|breach|rob|robbed|stole|steal|rugged|rug pulled)/, 'EXPLOITED'],
  [/\b(?:transfer|sent|send|sends|mov|bridg|launder|deposit|withdr|funnel|pass)\w*\b.*\b(?:to|into)$/, 'TRANSFERRED_TO'],
  [/\b(?:deploy|deployed|deploys|launched|created|creates)\b/, 'DEPLOYED'],
  [/\b(?:hold|holds|held|owns|owned|custod\w*)\b/, 'HOLDS'],
];

export interface MappedPredicate {
  type: RelType;
  /** True when the predicate was passive ("was exploited by"): subject and object swap. */
  reversed: boolean;
}

/**
 * The canonical type of a free-text predicate, or null when none fits (the caller then decides on
 * `RELATED_TO`). A canonical name given as such ("EXPLOITED", "listed_on") is accepted as is.
 * @example mapPredicate('was drained by') // { type: 'EXPLOITED', reversed: true }
 */
export function mapPredicate(predicate: string): MappedPredicate | null {
  const upper = predicate.trim().toUpperCase().replace(/[\s-]+/g, '_');
  if (TRIPLE_TYPES.has(upper as RelType)) return { type: upper as RelType, reversed: false };
  const norm = normalizeName(predicate);
  if (norm === '') return null;
  const passive = /^(?:was|were|is|are|been|being|got|has been|have been|had been) .+ by$/.test(norm);
  for (const [pattern, type] of PREDICATE_PATTERNS) {
    if (pattern.test(norm)) return { type, reversed: passive && (type === 'EXPLOITED' || type === 'DEPLOYED' || type === 'HOLDS') };
  }
  return null;
}

const ROLE_SYNONYMS: Readonly<Record<string, Role>> = {
  hacker: 'attacker', exploiter: 'attacker', thief: 'attacker', perpetrator: 'attacker', culprit: 'attacker',
  scammer: 'attacker', adversary: 'attacker', attacker_address: 'attacker',
  target: 'victim', affected: 'victim', exploited: 'victim', hacked: 'victim', compromised: 'victim',
  victim_protocol: 'victim', affected_protocol: 'victim',
  source: 'from', origin: 'from', payer: 'from', destination: 'to', receiver: 'to', beneficiary: 'to', payee: 'to',
  coin: 'token', currency: 'token', stolen_token: 'token', stolen_asset: 'token',
  platform: 'protocol', dex: 'protocol', venue: 'protocol', exchange: 'protocol',
  network: 'chain', blockchain: 'chain', creator: 'deployer', holder: 'owner',
  smart_contract: 'contract', attack_contract: 'attack_contract', exploit_contract: 'attack_contract',
  malicious_contract: 'attack_contract', vulnerable_contract: 'vulnerable_contract',
  actor: 'subject', agent: 'subject', issuer: 'subject',
};

/** The participant role for a model's word, or null. */
export function mapRole(word: string): Role | null {
  const key = normalizeName(word).replace(/ /g, '_');
  if ((ROLES as readonly string[]).includes(key)) return key as Role;
  return ROLE_SYNONYMS[key] ?? null;
}

const EVENT_RELATION_SYNONYMS: readonly [RegExp, EventRelationType, boolean][] = [
  [/^(?:caused by|because of|due to|triggered by|result of)$/, 'CAUSES', true],
  [/^(?:cause|caused|causes|causing|led to|leads to|lead to|triggered|triggers|trigger|enabled|enables|prompted)$/, 'CAUSES', false],
  [/^(?:resulted in|results in|result in|resulting in|ended in|produced)$/, 'RESULTS_IN', false],
  [/^(?:before|preceded|precedes|preceding|prior to)$/, 'PRECEDES', false],
  [/^(?:after|followed|follows|following|subsequent to)$/, 'FOLLOWS', false],
  [/^(?:simultaneous|simultaneously|concurrent|concurrently|during|meanwhile|at the same time|same time|while)$/, 'SAME_TIME', false],
];

/**
 * An event–event relation type from the closed set, mapped from a synonym, or null. `reversed`
 * means the model wrote it the other way round ("caused by").
 */
export function mapEventRelation(word: string): { type: EventRelationType; reversed: boolean } | null {
  const upper = word.trim().toUpperCase().replace(/[\s-]+/g, '_');
  if ((EVENT_RELATION_TYPES as readonly string[]).includes(upper)) return { type: upper as EventRelationType, reversed: false };
  const norm = normalizeName(word);
  for (const [pattern, type, reversed] of EVENT_RELATION_SYNONYMS) if (pattern.test(norm)) return { type, reversed };
  return null;
}
