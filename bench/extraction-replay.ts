/**
 * The "recorded responses" of the extraction benchmark: for each request the replay server receives,
 * the answer a careful model would give, synthesised from the corpus generator's ground truth (what
 * each chunk's sentences state), in the shape of the pass's zod schema. Looked up by request, so
 * the order requests arrive in does not matter. Usage is what a server would bill: o200k tokens of
 * the request's messages, and of the answer.
 */
import { countTokens } from '../extraction/documents/tokens.ts';
import type { EntityTriplesResponse } from '../extraction/text/llm/entity-triples-prompt.ts';
import type { EventRelationsResponse } from '../extraction/text/llm/event-relations-prompt.ts';
import type { EventsResponse } from '../extraction/text/llm/events-prompt.ts';
import { hashParts } from '../schema/hash.ts';
import type { FakeStep } from '../test/fixtures/fake-openai.ts';
import type { ChunkTruth } from './extraction-corpus.ts';

/** How eventRelationsPrompt separates the chunk text from the numbered events. */
const EVENTS_MARKER = '\n\nEvents:\n';

interface ChatBody {
  messages: { role: string; content: string }[];
  response_format?: { json_schema?: { name?: string } };
}

/**
 * A replay function for startFakeOpenAi({ replay }). Answers are memoised by request, so replaying
 * the corpus again costs the server no tokenising and timed runs measure the client side.
 */
export function replayFromTruth(truth: ReadonlyMap<string, ChunkTruth>): (body: ChatBody) => FakeStep | null {
  const memo = new Map<string, FakeStep | null>();
  return (body) => {
    const key = hashParts([JSON.stringify(body.messages), body.response_format?.json_schema?.name], 64);
    let step = memo.get(key);
    if (step === undefined) {
      step = answer(body, truth);
      memo.set(key, step);
    }
    return step;
  };
}

function answer(body: ChatBody, truth: ReadonlyMap<string, ChunkTruth>): FakeStep | null {
  const user = body.messages.find((m) => m.role === 'user')?.content ?? '';
  const pass = body.response_format?.json_schema?.name;
  const value = pass === 'event_relations_v1' ? relationsAnswer(user, truth) : passAnswer(pass, truth.get(user));
  if (value === null) return null;
  const content = JSON.stringify(value);
  const prompt = body.messages.reduce((n, m) => n + countTokens(m.content), 0);
  return { content, usage: { prompt_tokens: prompt, completion_tokens: countTokens(content) } };
}

function passAnswer(pass: string | undefined, t: ChunkTruth | undefined): EntityTriplesResponse | EventsResponse | null {
  if (!t) return null;
  if (pass === 'entity_triples_v1') {
    return { entities: t.entities, triples: t.triples.map((x) => ({ ...x, confidence: 0.9 })) };
  }
  if (pass === 'events_v1') return { events: t.events.map((e) => ({ ...e, confidence: 0.85 })) };
  return null;
}

/**
 * Pass (c) is sent the chunk text and pass (b)'s events as the extractor kept them, numbered; the
 * generator writes events in the order they happen, so each one precedes the next.
 */
function relationsAnswer(user: string, truth: ReadonlyMap<string, ChunkTruth>): EventRelationsResponse | null {
  const at = user.lastIndexOf(EVENTS_MARKER);
  if (at < 0 || !truth.has(user.slice(0, at))) return null;
  const numbered = user.slice(at + EVENTS_MARKER.length).split('\n').filter((line) => /^\d+: /.test(line)).length;
  return { relations: Array.from({ length: Math.max(0, numbered - 1) }, (_, i) => ({ from: i, type: 'PRECEDES', to: i + 1, confidence: 0.7 })) };
}
