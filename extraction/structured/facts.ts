/**
 * Builders for the facts every structured extractor emits: event participation (event → entity,
 * canonical type `PARTICIPANT`) and plain relations (entity → entity). Centralised so that every
 * fact carries the same provenance fields and its id always comes from `factId()`.
 */
import { factId } from '../../schema/ids.ts';
import type { Attrs, FactInput, Millis } from '../../schema/graph.ts';
import type { RelType, Role } from '../../schema/ontology.ts';
import type { ExtractIssue, ExtractOutput } from './types.ts';

/** Who produced a record: the source it came from and the extractor (name + version) that read it. */
export interface Provenance {
  sourceId: string;
  extractor: string;
  extractorVersion: string;
}

/**
 * The fact that `entityId` takes part in `eventId` in `role`. Participation is as certain as the
 * record itself (confidence 1) and holds from the moment the event occurred, open-ended.
 */
export function participation(
  prov: Provenance,
  eventId: string,
  role: Role,
  entityId: string,
  occurredAt: Millis,
  recordedAt: Millis,
): FactInput {
  return {
    id: factId({
      subject: eventId, type: 'PARTICIPANT', object: entityId, role,
      sourceId: prov.sourceId, extractor: prov.extractor, extractorVersion: prov.extractorVersion,
    }),
    subject: eventId,
    type: 'PARTICIPANT',
    predicate: role,
    object: entityId,
    role,
    confidence: 1,
    validFrom: occurredAt,
    validTo: null,
    recordedAt,
    sourceId: prov.sourceId,
    chunkId: null,
    extractor: prov.extractor,
    extractorVersion: prov.extractorVersion,
    attrs: {},
  };
}

/** Fields of an entity → entity relation; the rest comes from the provenance. */
export interface RelationSpec {
  subject: string;
  type: RelType;
  /** The source's own wording, kept verbatim. */
  predicate: string;
  object: string;
  validFrom: Millis | null;
  validTo?: Millis | null;
  recordedAt: Millis;
  /** @default 1 */
  confidence?: number;
  attrs?: Attrs;
}

/** A relation fact (`DEPLOYED`, `EXPLOITED`, `HAS_LABEL`, `ON_CHAIN`…) with no role. */
export function relation(prov: Provenance, spec: RelationSpec): FactInput {
  return {
    id: factId({
      subject: spec.subject, type: spec.type, object: spec.object, role: null,
      sourceId: prov.sourceId, extractor: prov.extractor, extractorVersion: prov.extractorVersion,
    }),
    subject: spec.subject,
    type: spec.type,
    predicate: spec.predicate,
    object: spec.object,
    role: null,
    confidence: spec.confidence ?? 1,
    validFrom: spec.validFrom,
    validTo: spec.validTo ?? null,
    recordedAt: spec.recordedAt,
    sourceId: prov.sourceId,
    chunkId: null,
    extractor: prov.extractor,
    extractorVersion: prov.extractorVersion,
    attrs: spec.attrs ?? {},
  };
}

/** An output with nothing in it (a record the extractor does not handle). */
export function emptyOutput(): ExtractOutput {
  return { nodes: [], events: [], facts: [], issues: [] };
}

/** An output carrying a single issue and no graph content (the record could not be used). */
export function issueOutput(issue: ExtractIssue): ExtractOutput {
  return { nodes: [], events: [], facts: [], issues: [issue] };
}
