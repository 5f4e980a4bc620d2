/**
 * Pass (a): entity–entity triples with typed entities. The prompt and the zod schema that validates
 * the answer live together and change together; bump the version with either, since it is part of
 * the extraction cache key and of every fact's `extractorVersion`.
 */
import { z } from 'zod';
import type { TextChunk } from '../../../schema/documents.ts';

export const ENTITY_TRIPLES_PROMPT_VERSION = 'entity-triples@1';

/**
 * The answer. Every field is required (OpenAI strict mode); `kind` and `predicate` are free text on
 * purpose, mapped onto the closed sets afterwards (llm-vocabulary.ts), so an off-list word costs an
 * issue, not a repair turn.
 */
export const EntityTriplesResponse = z.object({
  entities: z.array(z.object({ name: z.string(), kind: z.string() })),
  triples: z.array(z.object({
    subject: z.string(),
    predicate: z.string(),
    object: z.string(),
    confidence: z.number().nullable(),
  })),
});
export type EntityTriplesResponse = z.infer<typeof EntityTriplesResponse>;

const SYSTEM = `Extract named entities and their relations from a market/crypto text.
kind: Token, Account, Contract, Protocol, Exchange, Asset, Chain, Pool, Organization or Person.
Names, addresses, tickers exactly as written. Triples link entity names by the text's own short verb phrase ("exploited", "listed on"). confidence 0-1.`;

/** The messages for one chunk: a fixed system message, the chunk text as the user message. */
export function entityTriplesPrompt(chunk: Pick<TextChunk, 'text'>): { system: string; user: string } {
  return { system: SYSTEM, user: chunk.text };
}
