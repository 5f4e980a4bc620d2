/**
 * The Embedder port: texts in, one vector per text out, in the same order. Adapters: the offline
 * `HashingEmbedder` (the default with no service) and the OpenAI-compatible `OpenAiEmbedder`.
 * Vectors go into the VectorStore keyed by graph id; `model` goes into provenance so a stored vector
 * always says which embedder made it (vectors from different models are not comparable).
 */
export interface Embedder {
  /** Length of every vector `embed` returns; must equal the VectorStore's (MKG_VECTOR_DIM). */
  readonly dimensions: number;
  /** Stable name of the model and its settings, e.g. `hashing-v1-d256` or `text-embedding-3-small`. */
  readonly model: string;
  /**
   * One vector per text, in input order. An empty list gives `[]` without any work or request.
   * @example
   * const [a, b] = await embedder.embed(['Curve exploited', 'Curve pool drained']);
   */
  embed(texts: string[]): Promise<Float32Array[]>;
}

/** Cosine similarity of two equal-length vectors; 0 when either is the zero vector. */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
