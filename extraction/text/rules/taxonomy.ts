/**
 * The offline conceptualiser (issue 4, item 7): a small fixed taxonomy standing in for LLM schema
 * induction when no model is configured. "Curve Finance"/"KyberSwap" → DEX → AMM protocol → DeFi
 * protocol; "Aave"/"… Lend" → Lending protocol → DeFi protocol; "… Bridge" → Cross-chain bridge;
 * exchanges → Centralised exchange; tokens → Token (stablecoins → Stablecoin → Token); exploit
 * events → Exploit → Security incident.
 *
 * Output: `Concept` nodes (`concept:taxonomy:<slug>`), an `INSTANCE_OF` fact from each entity or
 * event to its most specific concept and `BROADER` facts up the chain, all `extractor: 'taxonomy'`.
 */
import { NamePriority, type FactInput, type Millis, type NodeInput } from '../../../schema/graph.ts';
import { conceptId, normalizeName } from '../../../schema/ids.ts';
import { relation, type Provenance } from '../../structured/facts.ts';
import { uniqueNodes } from '../../structured/nodes.ts';
import type { ExtractOutput } from '../../structured/types.ts';
import { EXCHANGES, STABLECOINS } from './lexicon.ts';

export const TAXONOMY_EXTRACTOR = 'taxonomy';
export const TAXONOMY_VERSION = '1';
const CONFIDENCE = 0.6;

export interface Concept {
  id: string;
  name: string;
  /** 1 = the most specific concept; each BROADER step adds one. */
  level: number;
}

/** Each concept's parent; a concept without one is a root. */
const PARENT: Readonly<Record<string, string>> = {
  'DEX': 'AMM protocol',
  'AMM protocol': 'DeFi protocol',
  'Lending protocol': 'DeFi protocol',
  'Yield protocol': 'DeFi protocol',
  'Cross-chain bridge': 'Blockchain infrastructure',
  'Centralised exchange': 'Crypto exchange',
  'Stablecoin': 'Token',
  'Token': 'Crypto asset',
  'Exploit': 'Security incident',
  'Fund transfer': 'On-chain activity',
  'Hacker group': 'Threat actor',
};

const DEX = /swap|\bdex\b|dex$|uniswap|curve|balancer|velodrome|aerodrome|trader joe|woofi/;
const LENDING = /lend|aave|compound|euler|radiant|sonne|morpho|venus|cream|hundred|onyx|sumer|exactly|deltaprime/;
const BRIDGE = /bridge|multichain|wormhole|nomad|ronin|stargate|synapse|celer|orbit|poly network|li fi|socket/;
const YIELD = /vault|yield|yearn|convex|penpie|staking/;
// Verb forms only: "attacker" or "hacker" alone names a person, not an exploit.
const EXPLOIT = /\b(?:exploit\w*|drain\w*|hack(?:ed|s)?|attack(?:ed|s)?|stole|stolen|siphon\w*)\b/;
const TRANSFER = /\b(moved|sent|transferred|bridged)\b/;

function chain(start: string): Concept[] {
  const out: Concept[] = [];
  for (let name: string | undefined = start, level = 1; name !== undefined && level < 10; name = PARENT[name], level++) {
    out.push({ id: conceptId('taxonomy', name), name, level });
  }
  return out;
}

/**
 * The concepts an entity or event falls under, most specific first; `[]` when the taxonomy has
 * nothing to say (accounts, people, unknown organisations).
 * @example conceptsFor({ kind: 'Protocol', name: 'Curve Finance' }).map((c) => c.name)
 * // → ['DEX', 'AMM protocol', 'DeFi protocol']
 */
export function conceptsFor(entity: { kind: string; name: string }): Concept[] {
  const name = normalizeName(entity.name ?? '');
  switch (entity.kind) {
    case 'Token':
      return chain(STABLECOINS.has(entity.name.toUpperCase()) ? 'Stablecoin' : 'Token');
    case 'Exchange':
      return chain(EXCHANGES.has(name) || !DEX.test(name) ? 'Centralised exchange' : 'DEX');
    case 'Protocol':
    case 'Organization':
    case 'Contract': {
      if (BRIDGE.test(name)) return chain('Cross-chain bridge');
      if (DEX.test(name)) return chain('DEX');
      if (LENDING.test(name)) return chain('Lending protocol');
      if (YIELD.test(name)) return chain('Yield protocol');
      if (EXCHANGES.has(name)) return chain('Centralised exchange');
      if (entity.kind === 'Organization' && /\b(group|gang|hackers?)\b/.test(name)) return chain('Hacker group');
      return entity.kind === 'Protocol' ? chain('DeFi protocol') : [];
    }
    case 'TextEvent':
    case 'Incident':
      if (EXPLOIT.test(name)) return chain('Exploit');
      if (TRANSFER.test(name)) return chain('Fund transfer');
      return [];
    default:
      return [];
  }
}

/**
 * Adds Concept nodes, INSTANCE_OF and BROADER facts for every entity and event of `out` (in
 * place; also returned). Facts keep the chunk id of the batch they describe when given.
 */
export function addConcepts(out: ExtractOutput, ctx: { sourceId: string; recordedAt: Millis; chunkId?: string | null }): ExtractOutput {
  const prov: Provenance = { sourceId: ctx.sourceId, extractor: TAXONOMY_EXTRACTOR, extractorVersion: TAXONOMY_VERSION };
  const nodes: NodeInput[] = [];
  const facts = new Map<string, FactInput>();
  const things = [
    ...out.nodes.filter((n) => n.kind !== 'Concept').map((n) => ({ id: n.id, kind: n.kind as string, name: n.name })),
    ...out.events.map((e) => ({ id: e.id, kind: e.type as string, name: e.summary })),
  ];
  const add = (subject: string, type: 'INSTANCE_OF' | 'BROADER', object: string): void => {
    const f = relation(prov, { subject, type, predicate: type === 'INSTANCE_OF' ? 'is a' : 'is a kind of', object, validFrom: null, recordedAt: ctx.recordedAt, confidence: CONFIDENCE });
    facts.set(f.id, { ...f, chunkId: ctx.chunkId ?? null });
  };
  for (const thing of things) {
    const concepts = conceptsFor(thing);
    const first = concepts[0];
    if (first === undefined) continue;
    add(thing.id, 'INSTANCE_OF', first.id);
    concepts.forEach((c, i) => {
      nodes.push({
        id: c.id, kind: 'Concept', name: c.name, namePriority: NamePriority.derived, attrs: { namespace: 'taxonomy' },
        validFrom: null, recordedAt: ctx.recordedAt, sourceId: ctx.sourceId,
      });
      const parent = concepts[i + 1];
      if (parent) add(c.id, 'BROADER', parent.id);
    });
  }
  out.nodes = uniqueNodes([...out.nodes, ...nodes]);
  out.facts.push(...[...facts.values()].filter((f) => !out.facts.some((g) => g.id === f.id)));
  return out;
}
