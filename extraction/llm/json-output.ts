/**
 * Turning a model's text into a validated value: JSON parsing that tolerates the wrappers models
 * add (code fences, a sentence before the object), zod validation with a readable reason, and the
 * wording of the repair turn and of the json_object fallback instruction.
 */
import { z } from 'zod';
import { truncate } from '../../schema/errors.ts';

export type ParsedOutput<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Parses `text` as JSON and validates it with `schema`. */
export function parseJsonOutput<T>(text: string, schema: z.ZodType<T>): ParsedOutput<T> {
  let json: unknown;
  try {
    json = JSON.parse(extractJson(text));
  } catch (error) {
    return { ok: false, reason: `not valid JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  const result = schema.safeParse(json);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, reason: `does not match the schema: ${describeIssues(result.error)}` };
}

/** The JSON inside a fenced block, or from the first `{`/`[` to the last `}`/`]`; else the text. */
function extractJson(text: string): string {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
  const body = (fenced?.[1] ?? text).trim();
  if (body.startsWith('{') || body.startsWith('[')) return body;
  const start = body.search(/[{[]/);
  const end = Math.max(body.lastIndexOf('}'), body.lastIndexOf(']'));
  return start >= 0 && end > start ? body.slice(start, end + 1) : body;
}

function describeIssues(error: z.ZodError): string {
  const issues = error.issues.slice(0, 5).map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
  const more = error.issues.length > 5 ? `; and ${error.issues.length - 5} more` : '';
  return issues.join('; ') + more;
}

/** The user turn that sends a bad answer's problem back to the model. */
export function repairPrompt(reason: string): string {
  return (
    `Your previous answer was rejected: ${truncate(reason, 1000)}\n` +
    'Reply again with the corrected JSON object only — no prose, no code fences.'
  );
}

/** Appended to the system message when the server takes only `json_object`, which carries no schema. */
export function jsonObjectInstruction(jsonSchema: unknown): string {
  return `\n\nAnswer with a single JSON object and nothing else. It must match this JSON Schema:\n${JSON.stringify(jsonSchema)}`;
}

/** The JSON Schema sent as `response_format.json_schema.schema` (without `$schema`, which servers reject). */
export function toResponseSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}
