/**
 * What resolvers pass down: a store record plus the `asOf` of the root field that led to it, so
 * every nested read is made at the same instant. Ends that lie after `asOf` (a later `validTo` or
 * retraction) are hidden too: at `asOf` nobody knew them yet.
 */
import type { Amount, ChunkRecord, EventRecord, FactRecord, Millis, NodeRecord, Participant } from '../schema/graph.ts';
import type { Edge, Page } from '../schema/pagination.ts';

export interface At {
  asOf: Millis | null;
}

export type EntityView = NodeRecord & At & { __typename: 'Entity' };
export type EventView = EventRecord & At & { __typename: 'Event' };
export type FactView = FactRecord & At;
export type ParticipantView = Participant & At;
export type AmountView = Amount & At;
export type ChunkView = ChunkRecord & At & { __typename: 'Chunk' };
export type NodeView = EntityView | EventView | ChunkView;

export interface ConnectionView<T> {
  edges: Edge<T>[];
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** An end time as known at `asOf`: null when it had not happened yet. */
export function knownEnd(end: Millis | null, asOf: Millis | null): Millis | null {
  return end !== null && asOf !== null && end > asOf ? null : end;
}

export function entityAt(record: NodeRecord, asOf: Millis | null): EntityView {
  return {
    ...record,
    validTo: knownEnd(record.validTo, asOf),
    retractedAt: knownEnd(record.retractedAt, asOf),
    asOf,
    __typename: 'Entity',
  };
}

export function eventAt(record: EventRecord, asOf: Millis | null): EventView {
  return { ...record, retractedAt: knownEnd(record.retractedAt, asOf), asOf, __typename: 'Event' };
}

export function chunkAt(record: ChunkRecord, asOf: Millis | null): ChunkView {
  return { ...record, retractedAt: knownEnd(record.retractedAt, asOf), asOf, __typename: 'Chunk' };
}

export function factAt(record: FactRecord, asOf: Millis | null): FactView {
  return {
    ...record,
    validTo: knownEnd(record.validTo, asOf),
    retractedAt: knownEnd(record.retractedAt, asOf),
    asOf,
  };
}

export function connection<T, V>(page: Page<T>, view: (node: T) => V): ConnectionView<V> {
  const edges = page.edges.map((e) => ({ node: view(e.node), cursor: e.cursor }));
  return {
    edges,
    totalCount: page.totalCount,
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
  };
}
