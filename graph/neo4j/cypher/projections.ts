/**
 * Map projections returned by reads: one shape per record kind, mapped back to MarketGraph records
 * in one place (graph/neo4j/records.ts).
 */

/** An entity node as a NodeRecord-shaped map (JSON text in `attrs`). */
export function nodeProjection(n: string): string {
  return `${n} {.id, .kind, .name, .aliases, .attrs, .validFrom, .validTo, .recordedAt, .retractedAt}`;
}

/** An event node as an EventRecord-shaped map, without participants. */
export function eventProjection(e: string): string {
  return `${e} {.id, .type, .occurredAt, .summary, .amounts, .attrs, .recordedAt, .retractedAt, .sourceId,`
    + ` .extractor, .extractorVersion}`;
}

/** A chunk node as a ChunkRecord-shaped map (span as two properties). */
export function chunkProjection(c: string): string {
  return `${c} {.id, .sourceId, .documentId, .index, .text, .spanStart, .spanEnd, .tokens, .publishedAt,`
    + ` .recordedAt, .retractedAt}`;
}

/** The fact relationship `f` from `s` to `o` as a FactRecord-shaped map. */
export function factProjection(f: string, s: string, o: string): string {
  return `${f} {.factId, .predicate, .role, .confidence, .validFrom, .validTo, .recordedAt, .retractedAt,`
    + ` .sourceId, .chunkId, .extractor, .extractorVersion, .attrs, subject: ${s}.id, object: ${o}.id,`
    + ` type: type(${f})}`;
}
