/**
 * The offline conceptualiser for induction items: the fixed taxonomy of text/rules/taxonomy.ts
 * applied to entities and events already in the graph (no LLM configured, or an item the model
 * skipped). Predicates get nothing here: the taxonomy has no predicate concepts, and offline a
 * predicate's canonical type (EXPLOITED, LISTED_ON…) already is its abstraction.
 */
import type { Millis } from '../../schema/graph.ts';
import { isEntityKind, isEventType } from '../../schema/ontology.ts';
import type { ExtractOutput } from '../structured/types.ts';
import { addConcepts } from '../text/rules/taxonomy.ts';
import type { ConceptItem } from './conceptualize-prompt.ts';

export interface InductionContext {
  /** The fixed schema-induction source every induced fact names. */
  sourceId: string;
  /** `recordedAt` of induced nodes and facts (the run time). */
  recordedAt: Millis;
}

/**
 * Concept nodes, INSTANCE_OF and BROADER facts for the items the taxonomy knows; only those (the
 * items' own nodes and events are not repeated).
 * @example taxonomyConcepts([{ id: 'ent:protocol:curve-finance', target: 'entity', name: 'Curve Finance', kind: 'Protocol', context: [] }], ctx)
 */
export function taxonomyConcepts(items: readonly ConceptItem[], ctx: InductionContext): ExtractOutput {
  // addConcepts reads entities from `nodes` and events from `events`; only id, kind/type and
  // name/summary matter to it, so the rest of these stand-ins is filler that is dropped below.
  const base = { recordedAt: ctx.recordedAt, sourceId: ctx.sourceId };
  const out: ExtractOutput = { nodes: [], events: [], facts: [], issues: [] };
  for (const item of items) {
    if (item.target === 'entity' && isEntityKind(item.kind) && item.kind !== 'Concept') {
      out.nodes.push({ id: item.id, kind: item.kind, name: item.name, ...base });
    } else if (item.target === 'event' && isEventType(item.kind)) {
      out.events.push({ id: item.id, type: item.kind, occurredAt: 0, summary: item.name, amounts: [], attrs: {}, extractor: '', extractorVersion: '', ...base });
    }
  }
  addConcepts(out, { sourceId: ctx.sourceId, recordedAt: ctx.recordedAt });
  return { nodes: out.nodes.filter((n) => n.kind === 'Concept'), events: [], facts: out.facts, issues: [] };
}
