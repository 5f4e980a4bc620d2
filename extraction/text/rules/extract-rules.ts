/**
 * The offline text extractor (issue 4, item 7): what MarketGraph reads from a chunk when no LLM is
 * configured. Deterministic and cheap: regexes for addresses, tx hashes, tickers and amounts;
 * compromise for organisations and people; a date regex; and a handful of verb patterns
 * (patterns.ts). Precision over recall: two entities in one sentence without one of those verbs
 * yield no relation at all, never a guessed `RELATED_TO`.
 *
 * Every fact carries `extractor: 'rules'`, the chunk id and a confidence of 0.5–0.7, below the
 * structured extractors' 1, so resolution and readers can prefer anything better.
 */
import nlp from 'compromise';
import { NamePriority, type Amount, type EventInput, type FactInput, type Millis, type NodeInput } from '../../../schema/graph.ts';
import { hashParts } from '../../../schema/hash.ts';
import { namedEntityId, normalizeAddress, normalizeName, normalizeTxHash } from '../../../schema/ids.ts';
import type { EntityKind, Role } from '../../../schema/ontology.ts';
import type { TextChunk } from '../../../schema/documents.ts';
import { emptyOutput, participation, relation, type Provenance } from '../../structured/facts.ts';
import { parseLoss } from '../../structured/loss-text.ts';
import { accountNode, uniqueNodes } from '../../structured/nodes.ts';
import type { ExtractOutput } from '../../structured/types.ts';
import { GENERIC_WORDS, KNOWN_TICKERS, isKnownTicker, kindForName } from './lexicon.ts';
import { matchPatterns, splitSentences, type PatternMatch, type SpanRole } from './patterns.ts';
import { findDate } from './text-dates.ts';

export const RULES_EXTRACTOR = 'rules';
export const RULES_VERSION = '1';

/** Text beyond this many characters is not read (a warning says so); chunks are far smaller. */
export const MAX_RULES_CHARS = 200_000;
/** Longer "sentences" (tables, base64, minified code) get regexes only, no NLP or patterns. */
const MAX_SENTENCE_CHARS = 2_000;
const SUMMARY_CHARS = 500;

export interface RulesContext {
  sourceId: string;
  /** Chain of addresses found in the text. @default 1 */
  chainId?: number;
  /**
   * The chain each (lower-case) address is already known on in the graph, so an address in text
   * links to the structured node (an attacker on Base) instead of a new one on `chainId`.
   */
  addressChains?: ReadonlyMap<string, number>;
  /** Time of this ingest run: the fallback `occurredAt` and `recordedAt`. */
  ingestedAt: Millis;
}

const CONFIDENCE: Record<PatternMatch['kind'], { active: number; passive: number }> = {
  exploit: { active: 0.7, passive: 0.65 },
  drain: { active: 0.7, passive: 0.65 },
  transfer: { active: 0.6, passive: 0.55 },
  listing: { active: 0.6, passive: 0.6 },
};

const ADDRESS = /(?<![0-9a-zA-Z])0x[0-9a-fA-F]{40}(?![0-9a-zA-Z])/g;
const TX_HASH = /(?<![0-9a-zA-Z])0x[0-9a-fA-F]{64}(?![0-9a-zA-Z])/g;
const DOLLAR_TICKER = /(?<![\w$])\$([A-Za-z][A-Za-z0-9]{1,9})\b/g;
const BARE_TICKER = /(?<![\w$])([A-Z][A-Z0-9]{1,5})\b/g;
const AMOUNT_TICKER = /\d(?:[kKmMbB]|\s*(?:million|billion|thousand))?\s+([A-Z][A-Z0-9]{1,5})\b/g;
const CURRENCIES = new Set(['USD', 'US', 'EUR', 'GBP']);

/** The roles a span plays as an event participant, per pattern. */
const PARTICIPANT_ROLE: Partial<Record<SpanRole, Role>> = { attacker: 'attacker', victim: 'victim', from: 'from', to: 'to' };
/** What an unknown name most likely is, by the part it plays. */
const FALLBACK_KIND: Record<SpanRole, EntityKind> = {
  attacker: 'Organization', victim: 'Protocol', from: 'Organization', to: 'Organization', token: 'Token', exchange: 'Exchange',
};

class ChunkReader {
  readonly out = emptyOutput();
  private readonly prov: Provenance;
  private readonly chain: number;
  private readonly recordedAt: Millis;
  private readonly chunk: TextChunk;
  private readonly ctx: RulesContext;

  constructor(chunk: TextChunk, ctx: RulesContext) {
    this.chunk = chunk;
    this.ctx = ctx;
    this.prov = { sourceId: ctx.sourceId, extractor: RULES_EXTRACTOR, extractorVersion: RULES_VERSION };
    this.chain = ctx.chainId ?? 1;
    this.recordedAt = chunk.publishedAt ?? ctx.ingestedAt;
  }

  /** A node for `name` seen as `fallback`; null for addresses with a bad checksum or empty names. */
  entity(name: string, fallback: EntityKind, people: ReadonlySet<string> = new Set()): NodeInput | null {
    if (/^0x[0-9a-fA-F]{40}$/.test(name)) return this.account(name);
    const symbol = name.startsWith('$') ? name.slice(1).toUpperCase()
      : isKnownTicker(name) || (fallback === 'Token' && /^[A-Z][A-Z0-9]{1,9}$/.test(name)) ? name : null;
    if (symbol !== null) return this.token(symbol);
    const norm = normalizeName(name);
    if (norm === '' || GENERIC_WORDS.has(norm)) return null;
    const kind = people.has(norm) ? 'Person' : kindForName(norm, fallback);
    return this.add({
      id: namedEntityId(kind, name), kind, name, namePriority: NamePriority.fallback,
      attrs: {}, validFrom: null, recordedAt: this.recordedAt, sourceId: this.ctx.sourceId,
    });
  }

  token(symbol: string): NodeInput {
    return this.add({
      id: namedEntityId('token', symbol), kind: 'Token', name: symbol, namePriority: NamePriority.fallback,
      attrs: { symbol }, validFrom: null, recordedAt: this.recordedAt, sourceId: this.ctx.sourceId,
    });
  }

  account(address: string): NodeInput | null {
    try {
      normalizeAddress(address);
    } catch (err) {
      this.out.issues.push({ line: null, code: 'bad-address', reason: `${address}: ${(err as Error).message}`, severity: 'warning' });
      return null;
    }
    const chain = this.ctx.addressChains?.get(address.toLowerCase()) ?? this.chain;
    return this.add(accountNode(chain, address, this.recordedAt, this.ctx.sourceId));
  }

  private add(node: NodeInput): NodeInput {
    this.out.nodes.push(node);
    return node;
  }

  private fact(f: FactInput, confidence: number): void {
    this.out.facts.push({ ...f, confidence: Math.round(confidence * 100) / 100, chunkId: this.chunk.id });
  }

  /** Addresses, tickers, organisations and people mentioned anywhere in the sentence. */
  mentions(sentence: string, nlpOk: boolean): { people: Set<string> } {
    for (const m of sentence.matchAll(ADDRESS)) this.account(m[0]);
    for (const m of sentence.matchAll(DOLLAR_TICKER)) this.token(m[1]!.toUpperCase());
    for (const m of sentence.matchAll(BARE_TICKER)) if (KNOWN_TICKERS.has(m[1]!)) this.token(m[1]!);
    for (const m of sentence.matchAll(AMOUNT_TICKER)) if (!CURRENCIES.has(m[1]!)) this.token(m[1]!);
    const people = new Set<string>();
    if (!nlpOk) return { people };
    const doc = nlp(sentence);
    for (const p of doc.people().out('array') as string[]) {
      const name = cleanName(p);
      if (name.split(' ').length < 2) continue; // A lone first name is too weak a signal.
      people.add(normalizeName(name));
      this.entity(name, 'Person', people);
    }
    for (const o of doc.organizations().out('array') as string[]) {
      const name = cleanName(o);
      if (name !== '') this.entity(name, 'Organization');
    }
    return { people };
  }

  sentence(sentence: string): void {
    const nlpOk = sentence.length <= MAX_SENTENCE_CHARS;
    const { people } = this.mentions(sentence, nlpOk);
    if (!nlpOk) return;
    const matches = matchPatterns(sentence, GENERIC_WORDS);
    if (matches.length === 0) return;
    const dated = findDate(sentence);
    const occurredAt = dated ?? this.chunk.publishedAt ?? this.ctx.ingestedAt;
    const occurredAtFrom = dated !== null ? 'text' : this.chunk.publishedAt !== null ? 'publishedAt' : 'ingestedAt';
    const eventId = `evt:text:${hashParts([normalizeName(sentence)])}`;
    const participants = new Map<string, { role: Role; id: string; confidence: number }>();
    const amounts: Amount[] = [];
    const kinds = new Set<string>();
    const verbs: string[] = [];

    for (const m of matches) {
      const confidence = m.passive ? CONFIDENCE[m.kind].passive : CONFIDENCE[m.kind].active;
      const ids: Partial<Record<SpanRole, string>> = {};
      for (const [role, text] of Object.entries(m.spans) as [SpanRole, string | undefined][]) {
        if (text === undefined) continue;
        const node = this.entity(text, FALLBACK_KIND[role], people);
        if (node !== null) ids[role] = node.id;
      }
      if (m.kind === 'listing') {
        if (ids.token && ids.exchange) {
          this.fact(relation(this.prov, {
            subject: ids.token, type: 'LISTED_ON', predicate: m.verb, object: ids.exchange,
            validFrom: dated ?? this.chunk.publishedAt, recordedAt: this.recordedAt, attrs: { sentence: sentence.slice(0, SUMMARY_CHARS) },
          }), confidence);
        }
        continue;
      }
      const found = this.amounts(m);
      amounts.push(...found.amounts);
      for (const [role, id] of Object.entries(ids) as [SpanRole, string][]) {
        const r = PARTICIPANT_ROLE[role];
        if (r) participants.set(`${r}|${id}`, { role: r, id, confidence });
      }
      for (const t of found.tokenIds) participants.set(`token|${t}`, { role: 'token', id: t, confidence });
      if (participants.size === 0) continue;
      kinds.add(m.kind);
      verbs.push(m.verb);
      const [subject, object] = m.kind === 'transfer' ? [ids.from, ids.to] : [ids.attacker, ids.victim];
      if (subject && object && subject !== object) {
        this.fact(relation(this.prov, {
          subject, type: m.kind === 'transfer' ? 'TRANSFERRED_TO' : 'EXPLOITED', predicate: m.verb, object,
          validFrom: occurredAt, recordedAt: this.recordedAt, attrs: { eventId },
        }), confidence);
      }
    }
    if (participants.size === 0) return;
    const txHashes = [...new Set([...sentence.matchAll(TX_HASH)].map((h) => normalizeTxHash(h[0])))];
    const event: EventInput = {
      id: eventId, type: 'TextEvent', occurredAt, summary: sentence.slice(0, SUMMARY_CHARS), amounts,
      attrs: { patterns: [...kinds], verbs, occurredAtFrom, chunkId: this.chunk.id, ...(txHashes.length ? { txHashes } : {}) },
      recordedAt: this.recordedAt, ...this.prov,
    };
    this.out.events.push(event);
    for (const p of participants.values()) {
      this.fact(participation(this.prov, eventId, p.role, p.id, occurredAt, this.recordedAt), p.confidence - 0.05);
    }
  }

  /** Amounts of a drain, exploit or transfer; every non-USD unit becomes a token participant. */
  private amounts(m: PatternMatch): { amounts: Amount[]; tokenIds: string[] } {
    if (m.amountText === null) return { amounts: [], tokenIds: [] };
    const role = m.kind === 'transfer' ? 'value' : 'loss';
    const tokenIds: string[] = [];
    const amounts = parseLoss(m.amountText).filter((a) => a.value !== null).map((a) => {
      let token: string | null = null;
      if (a.unit !== null && a.unit !== 'USD' && /^[A-Za-z][A-Za-z0-9-]{0,11}$/.test(a.unit)) {
        token = this.token(a.unit.toUpperCase()).id;
        if (!tokenIds.includes(token)) tokenIds.push(token);
      }
      return { ...a, role: a.role === 'loss' ? role : a.role, token };
    });
    return { amounts, tokenIds };
  }
}

/** Strips the punctuation and possessives compromise leaves on a match ("Coinbase's," → "Coinbase"). */
function cleanName(text: string): string {
  return text.replace(/['’]s\b/g, '').replace(/^[\s"'“(]+|[\s"'”).,;:!?]+$/g, '').replace(/^the\s+/i, '');
}

function dedupe<T extends { id: string }>(items: readonly T[]): T[] {
  const byId = new Map<string, T>();
  for (const item of items) if (!byId.has(item.id)) byId.set(item.id, item);
  return [...byId.values()];
}

/**
 * Reads one chunk with the offline rules. Never throws: unreadable text yields what could be read
 * plus an issue.
 * @example
 * extractWithRules(chunk, { sourceId: 'src:doc:1', ingestedAt: Date.now() })
 * // "Lazarus Group exploited Atomic Wallet." → TextEvent(attacker, victim) + EXPLOITED fact
 */
export function extractWithRules(chunk: TextChunk, ctx: RulesContext): ExtractOutput {
  const reader = new ChunkReader(chunk, ctx);
  const text = typeof chunk.text === 'string' ? chunk.text : '';
  if (text.length > MAX_RULES_CHARS) {
    reader.out.issues.push({ line: null, code: 'text-truncated', reason: `only the first ${MAX_RULES_CHARS} of ${text.length} characters were read`, severity: 'warning' });
  }
  for (const sentence of splitSentences(text.slice(0, MAX_RULES_CHARS))) {
    try {
      reader.sentence(sentence);
    } catch (err) {
      // Defensive: one unreadable sentence must not cost the rest of the chunk.
      reader.out.issues.push({ line: null, code: 'rules-failed', reason: `${(err as Error).message ?? err}: ${sentence.slice(0, 80)}`, severity: 'warning' });
    }
  }
  const { out } = reader;
  return { nodes: uniqueNodes(out.nodes), events: dedupe(out.events), facts: dedupe(out.facts), issues: out.issues };
}
