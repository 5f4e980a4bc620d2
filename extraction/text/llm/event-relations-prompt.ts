/**
 * Pass (c): relations between the events of pass (b), from a closed set. The events are sent by
 * index after the text, so the answer names them by number and costs few tokens.
 */
import { z } from 'zod';
import type { TextChunk } from '../../../schema/documents.ts';

export const EVENT_RELATIONS_PROMPT_VERSION = 'event-relations@1';

/** The closed set of event → event relation types. */
export const EVENT_RELATION_TYPES = ['CAUSES', 'PRECEDES', 'FOLLOWS', 'SAME_TIME', 'RESULTS_IN'] as const;
export type EventRelationType = (typeof EVENT_RELATION_TYPES)[number];

/**
 * The answer. `type` is a plain string, not an enum: an off-list word is mapped or rejected with an
 * issue by the extractor instead of costing a repair turn.
 */
export const EventRelationsResponse = z.object({
  relations: z.array(z.object({
    from: z.number().int(),
    type: z.string(),
    to: z.number().int(),
    confidence: z.number().nullable(),
  })),
});
export type EventRelationsResponse = z.infer<typeof EventRelationsResponse>;

const SYSTEM = `Relate the numbered events of the text: from/to are event numbers, type CAUSES, PRECEDES, FOLLOWS, SAME_TIME or RESULTS_IN, confidence 0-1. Only what the text supports.`;

/** The messages: the chunk text, then the events of pass (b) numbered from 0. */
export function eventRelationsPrompt(chunk: Pick<TextChunk, 'text'>, events: readonly string[]): { system: string; user: string } {
  const list = events.map((sentence, i) => `${i}: ${sentence}`).join('\n');
  return { system: SYSTEM, user: `${chunk.text}\n\nEvents:\n${list}` };
}
