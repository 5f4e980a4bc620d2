/**
 * Reciprocal rank fusion (Cormack et al., 2009): ranked lists from different retrievers (exact ids,
 * BM25, vectors) are merged by rank alone, since their scores are not comparable.
 */

/** How a seed was found. */
export type SeedVia = 'exact' | 'bm25' | 'vector';

/** One retriever's ranked answer, best first. */
export interface RankedList {
  via: SeedVia;
  ids: string[];
  /** Weighted RRF: this list's contributions are multiplied by it. @default 1 */
  weight?: number;
}

export interface FusedItem {
  id: string;
  /** Sum over lists of weight / (k + rank), rank counted from 1. */
  score: number;
  /** The retrievers that returned the id, each once, in first-seen order. */
  via: SeedVia[];
}

/** @default 60 */
export const RRF_K = 60;

/**
 * Fuses ranked lists by reciprocal rank; an id repeated within one list counts at its best rank.
 * Ties are broken by first appearance, so the result is deterministic.
 * @example fuse([{ via: 'bm25', ids: ['a', 'b'] }, { via: 'vector', ids: ['b'] }])[0].id // 'b'
 */
export function fuse(lists: readonly RankedList[], k = RRF_K): FusedItem[] {
  const byId = new Map<string, FusedItem & { order: number }>();
  for (const list of lists) {
    const seen = new Set<string>();
    list.ids.forEach((id, index) => {
      if (seen.has(id)) return;
      seen.add(id);
      let item = byId.get(id);
      if (!item) {
        item = { id, score: 0, via: [], order: byId.size };
        byId.set(id, item);
      }
      item.score += (list.weight ?? 1) / (k + index + 1);
      if (!item.via.includes(list.via)) item.via.push(list.via);
    });
  }
  return [...byId.values()]
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .map(({ id, score, via }) => ({ id, score, via }));
}
