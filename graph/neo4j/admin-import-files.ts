/**
 * The files of a neo4j-admin import and their columns: the model of graph/neo4j/model.ts, one file
 * per kind of node or relationship. Property lists name every property the adapter's write path
 * stores for that kind, with its Neo4j type (every integer is a `long`, as records.ts `int()`
 * stores it; `confidence` is a `double`, as the driver sends a JS number); the writer refuses a
 * property that has no column, so a property added to the write path fails the export (and its
 * test) instead of being left out silently.
 *
 * ID spaces: `Thing` (entities, events, chunks and placeholders share one, as they share the
 * `(ns, id)` key of `:Thing`), `Source` and `Reject`. Ids of different spaces never collide, so a
 * source whose id equals a graph id is still its own node.
 */
import { REJECT, SOURCE, THING } from './model.ts';
import type { CsvColumn, CsvType } from './admin-import-csv.ts';

export type PropertySpec = readonly [name: string, type: CsvType];

export interface NodeFileSpec {
  kind: 'nodes';
  file: string;
  idSpace: string;
  properties: readonly PropertySpec[];
}

export interface RelationshipFileSpec {
  kind: 'relationships';
  file: string;
  startSpace: string;
  endSpace: string;
  properties: readonly PropertySpec[];
}

export type ImportFileSpec = NodeFileSpec | RelationshipFileSpec;

const nodes = (file: string, idSpace: string, properties: readonly PropertySpec[]): NodeFileSpec =>
  ({ kind: 'nodes', file, idSpace, properties });

const relationships = (file: string, startSpace: string, endSpace: string, properties: readonly PropertySpec[]): RelationshipFileSpec =>
  ({ kind: 'relationships', file, startSpace, endSpace, properties });

/** The write path's bookkeeping times: integers, epoch ms. */
const RECORDED: readonly PropertySpec[] = [['recordedAt', 'long'], ['retractedAt', 'long']];

/** Every file, in import order (nodes before the relationships between them). */
export const IMPORT_FILES = {
  /** `(:Thing:Entity:<Kind>)`: write-plan.ts nodeProps, plus validTo and retractedAt. */
  entities: nodes('nodes-entities.csv', THING, [
    ['kind', 'string'], ['name', 'string'], ['namePriority', 'long'], ['aliases', 'string[]'], ['nameTerms', 'string'],
    ['aliasTerms', 'string'], ['searchKey', 'string'], ['attrs', 'string'], ['validFrom', 'long'], ['validTo', 'long'],
    ...RECORDED, ['sourceId', 'string'],
  ]),
  /** `(:Thing:Event:<Type>)`: write-plan.ts planEvents, plus retractedAt. */
  events: nodes('nodes-events.csv', THING, [
    ['type', 'string'], ['name', 'string'], ['summary', 'string'], ['occurredAt', 'long'], ['nameTerms', 'string'],
    ['amounts', 'string'], ['attrs', 'string'], ...RECORDED, ['sourceId', 'string'], ['extractor', 'string'],
    ['extractorVersion', 'string'],
  ]),
  /** `(:Thing:Chunk)`: write-plan.ts planChunks, plus retractedAt. */
  chunks: nodes('nodes-chunks.csv', THING, [
    ['name', 'string'], ['sourceId', 'string'], ['documentId', 'string'], ['index', 'long'], ['text', 'string'],
    ['textTerms', 'string'], ['spanStart', 'long'], ['spanEnd', 'long'], ['tokens', 'long'], ['publishedAt', 'long'],
    ...RECORDED,
  ]),
  /** Bare `(:Thing {ns, id, name: id})`: the ends of facts that nothing describes. */
  placeholders: nodes('nodes-placeholders.csv', THING, [['name', 'string']]),
  /** `(:Source)`: what writes.ts upsertSource stores. */
  sources: nodes('nodes-sources.csv', SOURCE, [
    ['name', 'string'], ['uri', 'string'], ['kind', 'string'], ['contentHash', 'string'], ['version', 'string'],
    ['recordedAt', 'long'], ['records', 'long'], ['rejected', 'long'], ['factDigest', 'string'],
  ]),
  /** Bare `(:Source {ns, id, name: id})`: sources chunks name that no source record describes. */
  sourcePlaceholders: nodes('nodes-source-placeholders.csv', SOURCE, [['name', 'string']]),
  /** `(:Reject)`: what writes.ts addRejects stores. */
  rejects: nodes('nodes-rejects.csv', REJECT, [
    ['name', 'string'], ['sourceId', 'string'], ['file', 'string'], ['line', 'long'], ['code', 'string'],
    ['reason', 'string'], ['raw', 'string'], ['severity', 'string'], ['recordedAt', 'long'], ['seq', 'long'],
  ]),
  /** Facts, one relationship each, typed by the canonical predicate: write-plan.ts planFacts, plus factId and retractedAt. */
  facts: relationships('relationships-facts.csv', THING, THING, [
    ['factId', 'string'], ['predicate', 'string'], ['role', 'string'], ['confidence', 'double'], ['validFrom', 'long'],
    ['validTo', 'long'], ...RECORDED, ['sourceId', 'string'], ['chunkId', 'string'], ['extractor', 'string'],
    ['extractorVersion', 'string'], ['attrs', 'string'], ['seq', 'long'],
  ]),
  /** `(:Chunk)-[:PART_OF]->(:Source)`, no properties. */
  partOf: relationships('relationships-part-of.csv', THING, SOURCE, []),
} as const satisfies Record<string, ImportFileSpec>;

export type ImportFileKey = keyof typeof IMPORT_FILES;

function propertyColumn([name, type]: PropertySpec): CsvColumn {
  return { header: type === 'string' ? name : `${name}:${type}`, type };
}

/**
 * The columns of a file: `id:ID(<space>)`, `:LABEL` and `ns` before the properties of a node file;
 * `:START_ID(<space>)`, `:END_ID(<space>)` and `:TYPE` before those of a relationship file.
 */
export function fileColumns(spec: ImportFileSpec): CsvColumn[] {
  const lead: CsvColumn[] = spec.kind === 'nodes'
    ? [{ header: `id:ID(${spec.idSpace})`, type: 'string' }, { header: ':LABEL', type: 'string[]' }, { header: 'ns', type: 'string' }]
    : [
        { header: `:START_ID(${spec.startSpace})`, type: 'string' },
        { header: `:END_ID(${spec.endSpace})`, type: 'string' },
        { header: ':TYPE', type: 'string' },
      ];
  return [...lead, ...spec.properties.map(propertyColumn)];
}
