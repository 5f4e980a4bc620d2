/**
 * Multi-hop evaluation questions with gold answers, read off graph patterns (issue 6, item 5):
 * - `attacker-protocol`: incident → attacker → the protocol and chain it hit;
 * - `attacker-contracts`: incident → attacker → its attack and vulnerable contracts;
 * - `attacker-incidents`: an address that attacked more than once → every protocol it hit;
 * - `token-receivers`: token → its top labelled receivers in the ingested blocks → their labels;
 * - `pricemove-incident`: a price move → the incident on the same day, or the nearest one.
 * The supporting facts are the ids of the facts that connect question and answer (PARTICIPANT and
 * HAS_LABEL facts), so recall of them measures whether a context holds the path, not just words.
 */
import type { GraphStore } from '../../graph/graph-store.ts';
import type { EventRecord, FactRecord, Participant } from '../../schema/graph.ts';
import type { EventType } from '../../schema/ontology.ts';
import { MAX_PAGE_SIZE } from '../../schema/pagination.ts';
import { labelsOf } from '../retrieval/labels.ts';

export const QA_TYPES = ['attacker-protocol', 'attacker-contracts', 'attacker-incidents', 'token-receivers', 'pricemove-incident'] as const;
export type QaType = (typeof QA_TYPES)[number];

export interface QaItem {
  id: string;
  type: QaType;
  question: string;
  /** Any of these (case-insensitive) in a context counts as an answer hit. */
  answers: string[];
  supportingFactIds: string[];
}

export interface GenerateQaOptions {
  /** Questions at most, shared evenly between the types. @default 100 */
  limit?: number;
  /** Read the graph as of this time. @default null (now) */
  asOf?: number | null;
  /** Labelled receivers per token question. @default 3 */
  receiversPerToken?: number;
}

const DAY_MS = 86_400_000;

/**
 * @example const items = await generateQa(graph, { limit: 60 });
 */
export async function generateQa(graph: GraphStore, options: GenerateQaOptions = {}): Promise<QaItem[]> {
  const limit = options.limit ?? 100;
  const asOf = options.asOf ?? null;
  const perType = Math.max(1, Math.ceil(limit / QA_TYPES.length));
  const incidents = await allEvents(graph, 'Incident', asOf);
  const names = await nameLookup(graph, incidents.flatMap((e) => e.participants.map((p) => p.entityId)), asOf);
  const byType: QaItem[][] = [
    attackerProtocol(incidents, names).slice(0, perType),
    attackerContracts(incidents, names).slice(0, perType),
    attackerIncidents(incidents, names).slice(0, perType),
    (await tokenReceivers(graph, asOf, options.receiversPerToken ?? 3)).slice(0, perType),
    pricemoveIncident(await allEvents(graph, 'PriceMove', asOf), incidents, names).slice(0, perType),
  ];
  // Round-robin so a small limit still covers every type.
  const out: QaItem[] = [];
  for (let i = 0; out.length < limit && byType.some((list) => i < list.length); i++) {
    for (const list of byType) if (i < list.length && out.length < limit) out.push(list[i]!);
  }
  return out;
}

type Names = (id: string) => string;

function role(event: EventRecord, r: string): Participant[] {
  return event.participants.filter((p) => p.role === r);
}

function attackerProtocol(incidents: EventRecord[], name: Names): QaItem[] {
  return incidents.flatMap((e): QaItem[] => {
    const [attacker] = role(e, 'attacker');
    const [protocol] = role(e, 'protocol');
    const [chain] = role(e, 'chain');
    if (!attacker || !protocol || !chain) return [];
    return [{
      id: `attacker-protocol:${e.id}`, type: 'attacker-protocol',
      question: `Which protocol did the attacker ${name(attacker.entityId)} exploit, and on which chain?`,
      answers: [name(protocol.entityId)],
      supportingFactIds: [attacker.factId, protocol.factId, chain.factId],
    }];
  });
}

function attackerContracts(incidents: EventRecord[], name: Names): QaItem[] {
  return incidents.flatMap((e): QaItem[] => {
    const [attacker] = role(e, 'attacker');
    const contracts = [...role(e, 'attack_contract'), ...role(e, 'vulnerable_contract')];
    if (!attacker || !contracts.length) return [];
    return [{
      id: `attacker-contracts:${e.id}`, type: 'attacker-contracts',
      question: `Which attack contract did ${name(attacker.entityId)} deploy, and which contract did it exploit?`,
      answers: contracts.map((p) => name(p.entityId)),
      supportingFactIds: [attacker.factId, ...contracts.map((p) => p.factId)],
    }];
  });
}

function attackerIncidents(incidents: EventRecord[], name: Names): QaItem[] {
  const byAttacker = new Map<string, { attacker: Participant; protocol: Participant }[]>();
  for (const e of incidents) {
    const [protocol] = role(e, 'protocol');
    if (!protocol) continue;
    for (const attacker of role(e, 'attacker')) {
      byAttacker.set(attacker.entityId, [...(byAttacker.get(attacker.entityId) ?? []), { attacker, protocol }]);
    }
  }
  return [...byAttacker].filter(([, hits]) => hits.length > 1).map(([id, hits]): QaItem => ({
    id: `attacker-incidents:${id}`, type: 'attacker-incidents',
    question: `Which protocols were attacked by ${name(id)}?`,
    answers: [...new Set(hits.map((h) => name(h.protocol.entityId)))],
    supportingFactIds: hits.flatMap((h) => [h.attacker.factId, h.protocol.factId]),
  }));
}

async function tokenReceivers(graph: GraphStore, asOf: number | null, perToken: number): Promise<QaItem[]> {
  const transfers = await allEvents(graph, 'Transfer', asOf);
  // token → receiver → first `to` fact, count, blocks
  const tokens = new Map<string, { receivers: Map<string, { factId: string; count: number }>; blocks: number[] }>();
  for (const e of transfers) {
    const [token] = role(e, 'token');
    const [to] = role(e, 'to');
    if (!token || !to) continue;
    const entry = tokens.get(token.entityId) ?? { receivers: new Map<string, { factId: string; count: number }>(), blocks: [] as number[] };
    const r = entry.receivers.get(to.entityId) ?? { factId: to.factId, count: 0 };
    r.count++;
    entry.receivers.set(to.entityId, r);
    if (typeof e.attrs['blockNumber'] === 'number') entry.blocks.push(e.attrs['blockNumber']);
    tokens.set(token.entityId, entry);
  }
  const labelFacts = new Map<string, FactRecord[]>();
  const labelsFor = async (id: string): Promise<FactRecord[]> => {
    if (!labelFacts.has(id)) labelFacts.set(id, await graph.factsOf(id, { asOf, direction: 'out', types: ['HAS_LABEL'], limit: 10 }));
    return labelFacts.get(id)!;
  };
  const items: QaItem[] = [];
  for (const [token, { receivers, blocks }] of tokens) {
    const labelled: { id: string; factId: string; count: number; labels: FactRecord[] }[] = [];
    for (const [id, r] of receivers) {
      const labels = await labelsFor(id);
      if (labels.length) labelled.push({ id, ...r, labels });
    }
    if (!labelled.length) continue;
    const top = labelled.sort((a, b) => b.count - a.count || a.id.localeCompare(b.id)).slice(0, perToken);
    const names = await labelsOf(graph, [token, ...top.flatMap((t) => t.labels.map((l) => l.object))], asOf);
    const name = (id: string): string => names.get(id)?.name ?? id;
    const address = token.split(':').at(-1)!;
    const tokenName = name(token) === token ? address : `${name(token)} (${address})`;
    items.push({
      id: `token-receivers:${token}`, type: 'token-receivers',
      question: `Which labelled accounts received ${tokenName} in blocks ${Math.min(...blocks)}–${Math.max(...blocks)}, and what are their labels?`,
      answers: [...new Set(top.flatMap((t) => t.labels.map((l) => name(l.object))))],
      supportingFactIds: top.flatMap((t) => [t.factId, ...t.labels.map((l) => l.id)]),
    });
  }
  return items.sort((a, b) => a.id.localeCompare(b.id));
}

function pricemoveIncident(moves: EventRecord[], incidents: EventRecord[], name: Names): QaItem[] {
  if (!incidents.length) return [];
  return moves.flatMap((m): QaItem[] => {
    const [asset] = role(m, 'asset');
    const gap = Math.min(...incidents.map((i) => Math.abs(i.occurredAt - m.occurredAt)));
    const nearest = incidents.filter((i) => Math.abs(i.occurredAt - m.occurredAt) === gap);
    const protocols = nearest.flatMap((i) => role(i, 'protocol'));
    if (!asset || !protocols.length) return [];
    const day = new Date(m.occurredAt).toISOString().slice(0, 10);
    const when = gap < DAY_MS ? 'on the same day' : 'nearest in time';
    return [{
      id: `pricemove-incident:${m.id}`, type: 'pricemove-incident',
      question: `${m.summary}. Which protocol exploit happened ${when} (${day})?`,
      answers: [...new Set(protocols.map((p) => name(p.entityId)))],
      supportingFactIds: [asset.factId, ...protocols.map((p) => p.factId)],
    }];
  });
}

async function allEvents(graph: GraphStore, type: EventType, asOf: number | null): Promise<EventRecord[]> {
  const out: EventRecord[] = [];
  let after: string | null = null;
  for (;;) {
    const page: Awaited<ReturnType<GraphStore['findEvents']>> = await graph.findEvents({ type }, { first: MAX_PAGE_SIZE, after }, { asOf });
    out.push(...page.edges.map((e) => e.node));
    if (!page.hasNextPage || !page.edges.length) return out;
    after = page.edges.at(-1)!.cursor;
  }
}

async function nameLookup(graph: GraphStore, ids: string[], asOf: number | null): Promise<Names> {
  const labels = await labelsOf(graph, ids, asOf);
  return (id) => labels.get(id)?.name ?? id;
}
