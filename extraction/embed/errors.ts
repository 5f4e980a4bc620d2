/** Errors of the embedders; narrow subclasses of the schema/errors.ts hierarchy. */
import { ConfigError, InvalidRecordError } from '../../schema/errors.ts';

/**
 * The embedding model returned vectors of another length than the configured one. Vectors of the
 * wrong length can never go into the VectorStore, so this is a configuration problem, not a retry.
 */
export class EmbeddingDimensionError extends ConfigError {
  readonly model: string;
  readonly expected: number;
  readonly actual: number;
  constructor(model: string, expected: number, actual: number) {
    super(
      'MKG_VECTOR_DIM',
      `embedding model "${model}" returned vectors of ${actual} dimensions but ${expected} are configured; ` +
        `set MKG_VECTOR_DIM=${actual} (and re-embed) or use a model or \`dimensions\` setting that yields ${expected}`,
    );
    this.model = model;
    this.expected = expected;
    this.actual = actual;
  }
}

/** An embeddings response that cannot be used: missing or duplicate indexes, wrong count, non-numbers. */
export class EmbeddingResponseError extends InvalidRecordError {
  constructor(model: string, reason: string) {
    super(`embeddings response (${model})`, null, reason);
  }
}
