/**
 * The closed vocabularies of the graph. Labels and relationship types in any store come only from
 * these lists, never from input text (Neo4j labels/types cannot be parameterised, so a closed set
 * is what keeps Cypher injection-free).
 */
export const ENTITY_KINDS = [
  'Token', 'Account', 'Contract', 'Protocol', 'Exchange', 'Asset', 'Chain', 'Pool',
  'Organization', 'Person', 'Concept',
] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

export const EVENT_TYPES = [
  'Transfer', 'Swap', 'Deposit', 'Withdrawal', 'Deployment', 'PriceMove', 'Drawdown', 'VolumeSpike',
  'Incident', 'Sanction', 'Listing', 'TextEvent',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * High-volume on-chain event types. They are found by type, participant and time, never by their
 * words: their summaries ("Transfer of 12 USDC from 0x… to 0x…") are generated and would make up
 * almost all of the full-text index while answering no useful text query. Every store leaves them
 * out of full-text search; entity names, incidents, price moves and text events stay in.
 */
export const BULK_EVENT_TYPES: ReadonlySet<EventType> = new Set<EventType>(['Transfer', 'Swap', 'Deposit', 'Withdrawal']);

/** Whether an event's summary belongs in the full-text index (see BULK_EVENT_TYPES). */
export function isTextSearchable(type: EventType): boolean {
  return !BULK_EVENT_TYPES.has(type);
}

/**
 * Canonical predicates = relationship types. `RELATED_TO` is the catch-all. `MENTIONED_IN` facts
 * go from an entity or event to the document chunk it was read from (object id `chunk:…`).
 */
export const REL_TYPES = [
  'PARTICIPANT', 'TRANSFERRED_TO', 'HOLDS', 'EXPLOITED', 'DEPLOYED', 'LISTED_ON', 'ON_CHAIN',
  'HAS_LABEL', 'INSTANCE_OF', 'BROADER', 'SAME_AS', 'CAUSES', 'PRECEDES', 'FOLLOWS', 'SAME_TIME',
  'RESULTS_IN', 'MENTIONED_IN', 'RELATED_TO',
] as const;
export type RelType = (typeof REL_TYPES)[number];

/** Roles on `PARTICIPANT` facts (event → entity). */
export const ROLES = [
  'from', 'to', 'token', 'pool', 'sender', 'recipient', 'owner', 'asset', 'protocol', 'chain',
  'attacker', 'attack_contract', 'vulnerable_contract', 'victim', 'deployer', 'contract', 'subject',
] as const;
export type Role = (typeof ROLES)[number];

/**
 * When two sources disagree about a node's kind, the more specific one wins: an address first seen
 * in a transfer is an `Account`, and becomes a `Contract`/`Pool`/`Token` once something says so.
 */
export function kindRank(kind: EntityKind): number {
  return kind === 'Account' ? 0 : 1;
}

export function isEntityKind(value: string): value is EntityKind {
  return (ENTITY_KINDS as readonly string[]).includes(value);
}
export function isEventType(value: string): value is EventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}
export function isRelType(value: string): value is RelType {
  return (REL_TYPES as readonly string[]).includes(value);
}
