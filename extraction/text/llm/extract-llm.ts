/**
 * The LLM text extractor (issue 4, item 3): three passes per chunk, each a versioned prompt with the
 * zod schema of its answer — (a) entity–entity triples, (b) events with participants and roles,
 * (c) relations between the events of (b). At most three calls per chunk (pass (c) is skipped when
 * (b) found fewer than two events). Output has the rules extractor's shape (ExtractOutput with
 * `evt:text:<hash>` TextEvents), so the rest of the pipeline cannot tell them apart but by provenance.
 *
 * Bad answers are the LlmClient's to repair; when a pass still fails, it yields one error issue
 * naming the chunk and the pass, and the other passes run anyway.
 */
import type { ZodType } from 'zod';
import type { TextChunk } from '../../../schema/documents.ts';
import type { Amount, EventInput, FactInput, Millis } from '../../../schema/graph.ts';
import { hashParts } from '../../../schema/hash.ts';
import { normalizeName } from '../../../schema/ids.ts';
import type { LlmClient, UsageMeter } from '../../llm/llm-client.ts';
import { participation, relation, type Provenance } from '../../structured/facts.ts';
import { parseLoss } from '../../structured/loss-text.ts';
import { uniqueNodes } from '../../structured/nodes.ts';
import type { ExtractIssue, ExtractOutput } from '../../structured/types.ts';
import { ENTITY_TRIPLES_PROMPT_VERSION, EntityTriplesResponse, entityTriplesPrompt } from './entity-triples-prompt.ts';
import { EVENT_RELATIONS_PROMPT_VERSION, EventRelationsResponse, eventRelationsPrompt } from './event-relations-prompt.ts';
import { EVENTS_PROMPT_VERSION, EventsResponse, eventsPrompt } from './events-prompt.ts';
import { mapEventRelation, mapPredicate, mapRole } from './llm-vocabulary.ts';
import { TextLinker, txHashesIn, type TextTokenRegistry } from './text-linker.ts';

/** The prompt versions of the three passes, in pass order: part of the chunk cache key. */
export const LLM_PROMPT_VERSIONS = [ENTITY_TRIPLES_PROMPT_VERSION, EVENTS_PROMPT_VERSION, EVENT_RELATIONS_PROMPT_VERSION] as const;
/** `extractorVersion` of every fact and event this extractor writes. */
export const LLM_EXTRACTOR_VERSION = LLM_PROMPT_VERSIONS.join('+');
/** Confidence when the model gives none. */
export const DEFAULT_LLM_CONFIDENCE = 0.8;

const SUMMARY_CHARS = 500;
/** parseLoss names amounts as losses; an event with no attacker or victim moved value instead. */
const NON_LOSS_ROLE: Readonly<Record<string, string>> = { loss: 'value', lossUsd: 'valueUsd', lossEquivalent: 'valueEquivalent' };
/** Caps on what one answer may add, so a runaway answer cannot flood the graph. */
const MAX_ITEMS = 200;

export interface LlmExtractContext {
  sourceId: string;
  /** Chain of addresses found in the text. @default 1 */
  chainId?: number;
  /** The chain each lower-case address is already known on (see RulesContext.addressChains). */
  addressChains?: ReadonlyMap<string, number>;
  /** Time of this ingest run: the fallback `occurredAt` and `recordedAt`. */
  ingestedAt: Millis;
  /** Known tokens: tickers link to the one whose symbol matches (see TextTokenRegistry). */
  tokens?: TextTokenRegistry;
}

interface PassEvent {
  event: EventInput;
  confidence: number;
}

class LlmChunkRun {
  readonly issues: ExtractIssue[] = [];
  readonly facts: FactInput[] = [];
  readonly events: PassEvent[] = [];
  readonly linker: TextLinker;
  readonly prov: Provenance;
  readonly recordedAt: Millis;
  readonly chunk: TextChunk;
  readonly ctx: LlmExtractContext;

  constructor(chunk: TextChunk, ctx: LlmExtractContext, model: string) {
    this.chunk = chunk;
    this.ctx = ctx;
    this.recordedAt = chunk.publishedAt ?? ctx.ingestedAt;
    this.prov = { sourceId: ctx.sourceId, extractor: `llm:${model}`, extractorVersion: LLM_EXTRACTOR_VERSION };
    this.linker = new TextLinker(
      { chainId: ctx.chainId ?? 1, addressChains: ctx.addressChains, recordedAt: this.recordedAt, sourceId: ctx.sourceId, chunkId: chunk.id, tokens: ctx.tokens },
      this.issues,
    );
  }

  warn(code: string, reason: string): void {
    this.issues.push({ line: null, code, reason: `chunk ${this.chunk.id}, ${reason}`, severity: 'warning' });
  }

  fact(f: FactInput, confidence: number): void {
    this.facts.push({ ...f, confidence, chunkId: this.chunk.id });
  }

  /** Pass (a). */
  triples(answer: EntityTriplesResponse): void {
    for (const e of answer.entities.slice(0, MAX_ITEMS)) this.linker.resolve(e.name, e.kind, 'entity-triples');
    for (const t of answer.triples.slice(0, MAX_ITEMS)) {
      const what = `entity-triples: triple "${t.subject.slice(0, 60)}" ${t.predicate.slice(0, 40)} "${t.object.slice(0, 60)}"`;
      const s = this.linker.known(t.subject);
      const o = this.linker.known(t.object);
      if (!s || !o) {
        this.warn('triple-unknown-entity', `${what} dropped: ${!s ? t.subject : t.object} is not a typed entity of the answer`);
        continue;
      }
      const mapped = mapPredicate(t.predicate);
      const [subject, object] = mapped?.reversed ? [o.id, s.id] : [s.id, o.id];
      if (subject === object) {
        this.warn('triple-self-loop', `${what} dropped: both ends are ${subject}`);
        continue;
      }
      const predicate = t.predicate.trim().slice(0, 200);
      if (mapped === null) this.warn('predicate-unmapped', `${what}: predicate kept verbatim, typed RELATED_TO`);
      this.fact(relation(this.prov, {
        subject, type: mapped?.type ?? 'RELATED_TO', predicate, object,
        validFrom: this.chunk.publishedAt, recordedAt: this.recordedAt,
        attrs: { promptVersion: ENTITY_TRIPLES_PROMPT_VERSION, ...(mapped === null ? { unmappedPredicate: true } : {}) },
      }), confidenceOf(t.confidence));
    }
  }

  /** Pass (b). */
  eventsPass(answer: EventsResponse): void {
    for (const [index, e] of answer.events.slice(0, MAX_ITEMS).entries()) {
      const sentence = e.sentence.replace(/\s+/g, ' ').trim();
      if (normalizeName(sentence) === '') {
        this.warn('empty-event', `events: event ${index} has no sentence; dropped`);
        continue;
      }
      const id = `evt:text:${hashParts([normalizeName(sentence)])}`;
      const confidence = confidenceOf(e.confidence);
      const time = parseTime(e.time);
      if (e.time !== null && time === null) this.warn('bad-time', `events: event ${index} time "${e.time.slice(0, 40)}" is not an ISO date; ignored`);
      const occurredAt = time ?? this.chunk.publishedAt ?? this.ctx.ingestedAt;
      const occurredAtFrom = time !== null ? 'text' : this.chunk.publishedAt !== null ? 'publishedAt' : 'ingestedAt';
      const txHashes = new Set(txHashesIn(sentence));
      const roles = new Map<string, { role: NonNullable<ReturnType<typeof mapRole>>; entity: string }>();
      for (const p of e.participants.slice(0, MAX_ITEMS)) {
        const hashes = txHashesIn(p.name);
        if (hashes.length > 0 && p.name.trim().length === 66) {
          for (const h of hashes) txHashes.add(h);
          continue; // A transaction is provenance of the event, not a participant.
        }
        const role = mapRole(p.role);
        if (role === null) {
          this.warn('unknown-role', `events: event ${index} participant "${p.name.slice(0, 60)}" has role "${p.role.slice(0, 40)}", not a known role; dropped`);
          continue;
        }
        const node = this.linker.resolve(p.name, p.kind, 'events');
        if (node) roles.set(`${role}|${node.id}`, { role, entity: node.id });
      }
      const amounts = this.amounts(e.amount, [...roles.values()].some((r) => r.role === 'attacker' || r.role === 'victim'));
      for (const a of amounts) if (a.token) roles.set(`token|${a.token}`, { role: 'token', entity: a.token });
      if (this.events.some((x) => x.event.id === id)) continue; // The same sentence twice is one event.
      this.events.push({
        confidence,
        event: {
          id, type: 'TextEvent', occurredAt, summary: sentence.slice(0, SUMMARY_CHARS), amounts,
          attrs: {
            occurredAtFrom, chunkId: this.chunk.id, promptVersion: EVENTS_PROMPT_VERSION,
            ...(amounts.length ? { fromText: true, amountText: e.amount } : {}),
            ...(txHashes.size ? { txHashes: [...txHashes] } : {}),
          },
          recordedAt: this.recordedAt, ...this.prov,
        },
      });
      for (const r of roles.values()) this.fact(participation(this.prov, id, r.role, r.entity, occurredAt, this.recordedAt), confidence);
    }
  }

  /** Amounts as the text states them; numbers from structured data win later (`fromText`). */
  amounts(text: string | null, isLoss: boolean): Amount[] {
    return parseLoss(text).filter((a) => a.value !== null).map((a) => {
      const token = a.unit !== null && a.unit !== 'USD' && /^[A-Za-z][A-Za-z0-9]{1,9}$/.test(a.unit) ? this.linker.unitToken(a.unit).id : null;
      return { ...a, role: isLoss ? a.role : NON_LOSS_ROLE[a.role] ?? a.role, token };
    });
  }

  /** Pass (c). */
  relations(answer: EventRelationsResponse): void {
    for (const r of answer.relations.slice(0, MAX_ITEMS)) {
      const what = `event-relations: ${r.from} ${r.type.slice(0, 40)} ${r.to}`;
      const a = this.events[r.from];
      const b = this.events[r.to];
      if (!a || !b) {
        this.warn('event-index-out-of-range', `${what} dropped: events are numbered 0-${this.events.length - 1}`);
        continue;
      }
      const mapped = mapEventRelation(r.type);
      if (mapped === null) {
        this.warn('unknown-event-relation', `${what} dropped: "${r.type.slice(0, 40)}" is not CAUSES, PRECEDES, FOLLOWS, SAME_TIME or RESULTS_IN`);
        continue;
      }
      const [subject, object] = mapped.reversed ? [b, a] : [a, b];
      if (subject === object) {
        this.warn('event-self-relation', `${what} dropped: an event cannot relate to itself`);
        continue;
      }
      this.fact(relation(this.prov, {
        subject: subject.event.id, type: mapped.type, predicate: r.type.trim().slice(0, 80), object: object.event.id,
        validFrom: Math.max(subject.event.occurredAt, object.event.occurredAt), recordedAt: this.recordedAt,
        attrs: { promptVersion: EVENT_RELATIONS_PROMPT_VERSION },
      }), confidenceOf(r.confidence));
    }
  }

  output(): ExtractOutput {
    return {
      nodes: uniqueNodes(this.linker.nodes),
      events: this.events.map((e) => e.event),
      facts: dedupe(this.facts),
      issues: this.issues,
    };
  }
}

/**
 * Reads one chunk with three LLM passes. Never throws for a bad or failing model: a pass that cannot
 * be completed becomes an error issue and the other passes still run.
 * @example
 * const out = await extractWithLlm(chunk, llm, { sourceId, ingestedAt: Date.now() }, meter);
 */
export async function extractWithLlm(
  chunk: TextChunk, llm: LlmClient, ctx: LlmExtractContext, usage?: UsageMeter,
): Promise<ExtractOutput> {
  const run = new LlmChunkRun(chunk, ctx, llm.model);
  if (typeof chunk.text !== 'string' || chunk.text.trim() === '') return run.output();
  const pass = async <T>(name: string, schemaName: string, prompt: { system: string; user: string }, schema: ZodType<T>): Promise<T | null> => {
    try {
      return (await llm.complete({ ...prompt, schema, schemaName }, usage)).value;
    } catch (err) {
      run.issues.push({
        line: null, code: 'llm-pass-failed', severity: 'error',
        reason: `chunk ${chunk.id}, pass ${name}: ${err instanceof Error ? err.message : String(err)}`.slice(0, 1000),
      });
      return null;
    }
  };
  const triples = await pass('entity-triples', 'entity_triples_v1', entityTriplesPrompt(chunk), EntityTriplesResponse);
  if (triples) run.triples(triples);
  const events = await pass('events', 'events_v1', eventsPrompt(chunk), EventsResponse);
  if (events) run.eventsPass(events);
  if (run.events.length >= 2) {
    const prompt = eventRelationsPrompt(chunk, run.events.map((e) => e.event.summary));
    const relations = await pass('event-relations', 'event_relations_v1', prompt, EventRelationsResponse);
    if (relations) run.relations(relations);
  }
  return run.output();
}

function confidenceOf(value: number | null): number {
  if (value === null || !Number.isFinite(value)) return DEFAULT_LLM_CONFIDENCE;
  return Math.round(Math.min(1, Math.max(0, value)) * 100) / 100;
}

/** Epoch ms of an ISO date or timestamp (a zone-less time is UTC); null when it is not one. */
function parseTime(value: string | null): Millis | null {
  if (value === null) return null;
  const text = value.trim();
  if (!/^\d{4}(?:-\d{2}(?:-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)?)?$/.test(text)) return null;
  const iso = /[T ]\d{2}:\d{2}/.test(text) && !/(?:Z|[+-]\d{2}:?\d{2})$/.test(text) ? `${text.replace(' ', 'T')}Z` : text.replace(' ', 'T');
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : null;
}

function dedupe<T extends { id: string }>(items: readonly T[]): T[] {
  const byId = new Map<string, T>();
  for (const item of items) if (!byId.has(item.id)) byId.set(item.id, item);
  return [...byId.values()];
}
