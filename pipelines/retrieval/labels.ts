/**
 * Display names of graph ids as of a time, which doubles as the visibility check: an id that is
 * absent from the answer is not visible at `asOf` (not yet recorded, not yet valid, retracted).
 */
import type { GraphStore } from '../../graph/graph-store.ts';
import { EVENT_ID_PREFIX, isChunkId } from '../../schema/ids.ts';

export interface Label {
  name: string;
  /** Entity kind, event type or `Chunk`. */
  kind: string;
}

const IDS_PER_READ = 500;
/** Event summaries can be whole sentences; a fact line needs only the gist. */
const MAX_NAME_CHARS = 90;

/** Labels of the visible ids among `ids` (entities, events and chunks). */
export async function labelsOf(graph: GraphStore, ids: readonly string[], asOf: number | null): Promise<Map<string, Label>> {
  const out = new Map<string, Label>();
  const unique = [...new Set(ids)];
  const entities = unique.filter((id) => !id.startsWith(EVENT_ID_PREFIX) && !isChunkId(id));
  for (let i = 0; i < entities.length; i += IDS_PER_READ) {
    const part = entities.slice(i, i + IDS_PER_READ);
    const page = await graph.findNodes({ ids: part }, { first: part.length }, { asOf });
    for (const { node } of page.edges) out.set(node.id, { name: node.name, kind: node.kind });
  }
  const events = unique.filter((id) => id.startsWith(EVENT_ID_PREFIX));
  await Promise.all(events.map(async (id) => {
    const event = await graph.getEvent(id, { asOf });
    if (event) out.set(id, { name: shorten(event.summary || `${event.type} ${id}`), kind: event.type });
  }));
  const chunks = unique.filter(isChunkId);
  for (let i = 0; i < chunks.length; i += IDS_PER_READ) {
    for (const chunk of await graph.getChunks(chunks.slice(i, i + IDS_PER_READ), { asOf })) {
      out.set(chunk.id, { name: `${chunk.documentId}#${chunk.index}`, kind: 'Chunk' });
    }
  }
  return out;
}

function shorten(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= MAX_NAME_CHARS ? flat : `${flat.slice(0, MAX_NAME_CHARS - 1)}…`;
}
