/**
 * Pass (b): events, each a short normalised sentence with an optional time, an optional amount as
 * written, and its participating entities with their roles. Prompt and schema are versioned together.
 */
import { z } from 'zod';
import type { TextChunk } from '../../../schema/documents.ts';

export const EVENTS_PROMPT_VERSION = 'events@1';

/** The answer; all fields required (OpenAI strict mode), so absent values are `null`. */
export const EventsResponse = z.object({
  events: z.array(z.object({
    sentence: z.string(),
    time: z.string().nullable(),
    amount: z.string().nullable(),
    participants: z.array(z.object({ name: z.string(), kind: z.string(), role: z.string() })),
    confidence: z.number().nullable(),
  })),
});
export type EventsResponse = z.infer<typeof EventsResponse>;

const SYSTEM = `List the events in a market/crypto text. sentence: one short sentence "subject verb object". time: ISO date or null. amount: as written ("$3.3M", "1,200 ETH") or null. participants: name as written, kind (as for entities: Token, Account, Protocol, Exchange, Organization, Person…), role (attacker, victim, from, to, token, asset, protocol, chain, owner, deployer, contract, subject). confidence 0-1.`;

/** The messages for one chunk: a fixed system message, the chunk text as the user message. */
export function eventsPrompt(chunk: Pick<TextChunk, 'text'>): { system: string; user: string } {
  return { system: SYSTEM, user: chunk.text };
}
