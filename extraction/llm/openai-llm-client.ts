/**
 * LlmClient over any OpenAI-compatible chat completions endpoint (OpenAI, vLLM, NVIDIA NIM, Ollama):
 * structured output (`json_schema`, falling back once to `json_object` for servers that reject it),
 * zod validation with bounded repair turns, our own retry policy (the package's is switched off so
 * every retry is counted), a per-call timeout and a concurrency limit.
 */
import OpenAI from 'openai';
import type { ChatCompletionCreateParamsNonStreaming, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import {
  LlmEmptyResponseError,
  LlmHttpError,
  LlmInvalidOutputError,
  LlmRateLimitError,
  LlmTimeoutError,
} from '../../schema/errors.ts';
import { backoffDelay, sleep, type BackoffOptions } from './backoff.ts';
import { jsonObjectInstruction, parseJsonOutput, repairPrompt, toResponseSchema } from './json-output.ts';
import { emptyUsage, type LlmClient, type LlmRequest, type LlmResult, type LlmUsage, type UsageMeter } from './llm-client.ts';
import { Semaphore } from './semaphore.ts';

export interface OpenAiLlmClientOptions {
  model: string;
  /** A ready client (tests, custom fetch); otherwise one is made from `baseURL` and `apiKey`. */
  client?: OpenAI;
  /** @default OpenAI's API */
  baseURL?: string | null;
  /** Local servers (vLLM, Ollama) usually need none. @default 'unused' */
  apiKey?: string | null;
  /** Per HTTP request. @default 60000 */
  timeoutMs?: number;
  /** Re-sends after a 429, a 5xx, a timeout or a lost connection. @default 3 */
  maxRetries?: number;
  /** Turns that send an invalid answer back for correction. @default 2 */
  maxRepairs?: number;
  /** Requests in flight at once, across all callers of this client. @default 4 */
  concurrency?: number;
  /** @default { baseMs: 500, capMs: 30000 } */
  backoff?: BackoffOptions;
  /** Start with `json_object` for servers known not to take a schema. @default 'json_schema' */
  responseFormat?: 'json_schema' | 'json_object';
}

type Message = ChatCompletionMessageParam;

export class OpenAiLlmClient implements LlmClient {
  readonly model: string;
  readonly #client: OpenAI;
  readonly #timeoutMs: number;
  readonly #maxRetries: number;
  readonly #maxRepairs: number;
  readonly #backoff: BackoffOptions;
  readonly #semaphore: Semaphore;
  /** Switches to 'json_object' for good the first time the server rejects a json_schema request. */
  #format: 'json_schema' | 'json_object';

  constructor(options: OpenAiLlmClientOptions) {
    this.model = options.model;
    this.#timeoutMs = options.timeoutMs ?? 60_000;
    this.#maxRetries = options.maxRetries ?? 3;
    this.#maxRepairs = options.maxRepairs ?? 2;
    this.#backoff = options.backoff ?? {};
    this.#semaphore = new Semaphore(options.concurrency ?? 4);
    this.#format = options.responseFormat ?? 'json_schema';
    this.#client =
      options.client ??
      new OpenAI({
        apiKey: options.apiKey ?? 'unused',
        ...(options.baseURL ? { baseURL: options.baseURL } : {}),
        maxRetries: 0,
        timeout: this.#timeoutMs,
      });
  }

  /** The structured-output mode currently used: 'json_object' once the server has rejected json_schema. */
  get responseFormat(): 'json_schema' | 'json_object' {
    return this.#format;
  }

  async complete<T>(request: LlmRequest<T>, meter?: UsageMeter): Promise<LlmResult<T>> {
    const usage = emptyUsage();
    try {
      const value = await this.#completeWithRepairs(request, usage);
      return { value, usage: { ...usage } };
    } finally {
      meter?.add(usage);
    }
  }

  async #completeWithRepairs<T>(request: LlmRequest<T>, usage: LlmUsage): Promise<T> {
    const jsonSchema = toResponseSchema(request.schema);
    // Only the latest bad answer is sent back, so a repair costs about one extra answer, not a growing transcript.
    let repairTurn: Message[] = [];
    for (let repairs = 0; ; repairs++) {
      const text = await this.#answer(request, jsonSchema, repairTurn, usage);
      const parsed = parseJsonOutput(text, request.schema);
      if (parsed.ok) return parsed.value;
      if (repairs >= this.#maxRepairs) {
        throw new LlmInvalidOutputError(this.model, request.schemaName, repairs, parsed.reason, text);
      }
      usage.repairs++;
      repairTurn = [
        { role: 'assistant', content: text },
        { role: 'user', content: repairPrompt(parsed.reason) },
      ];
    }
  }

  /** One answer's text: retries transient failures and falls back from json_schema once. */
  async #answer(request: LlmRequest<unknown>, jsonSchema: Record<string, unknown>, extra: Message[], usage: LlmUsage): Promise<string> {
    let retries = 0;
    for (;;) {
      const format = this.#format;
      const body = this.#body(request, jsonSchema, extra, format);
      let response: OpenAI.Chat.Completions.ChatCompletion;
      try {
        usage.calls++;
        response = await this.#semaphore.run(() =>
          this.#client.chat.completions.create(body, { timeout: this.#timeoutMs, maxRetries: 0 }),
        );
      } catch (error) {
        if (format === 'json_schema' && rejectsJsonSchema(error)) {
          this.#format = 'json_object';
          continue;
        }
        if (!isRetryable(error) || retries >= this.#maxRetries) throw this.#failure(error, retries + 1);
        await sleep(backoffDelay(retries, error instanceof OpenAI.APIError ? error.headers : null, this.#backoff));
        retries++;
        usage.retries++;
        continue;
      }
      usage.promptTokens += response.usage?.prompt_tokens ?? 0;
      usage.completionTokens += response.usage?.completion_tokens ?? 0;
      const choice = response.choices?.[0];
      if (!choice) throw new LlmEmptyResponseError(this.model, 'the server returned no choices');
      const content = choice.message?.content;
      if (typeof content === 'string' && content.trim() !== '') return content;
      const refusal = choice.message?.refusal;
      throw new LlmEmptyResponseError(this.model, refusal ? `refused: ${refusal}` : `no content (finish_reason ${choice.finish_reason ?? 'none'})`);
    }
  }

  #body(
    request: LlmRequest<unknown>,
    jsonSchema: Record<string, unknown>,
    extra: Message[],
    format: 'json_schema' | 'json_object',
  ): ChatCompletionCreateParamsNonStreaming {
    // json_object carries no schema, so the schema goes into the system message instead.
    const system = format === 'json_object' ? request.system + jsonObjectInstruction(jsonSchema) : request.system;
    return {
      model: this.model,
      messages: [{ role: 'system', content: system }, { role: 'user', content: request.user }, ...extra],
      temperature: request.temperature ?? 0,
      ...(request.maxTokens === undefined ? {} : { max_tokens: request.maxTokens }),
      response_format:
        format === 'json_schema'
          ? { type: 'json_schema', json_schema: { name: request.schemaName, schema: jsonSchema, strict: true } }
          : { type: 'json_object' },
    };
  }

  #failure(error: unknown, attempts: number): unknown {
    if (error instanceof OpenAI.APIConnectionTimeoutError) return new LlmTimeoutError(this.model, this.#timeoutMs, attempts, { cause: error });
    if (error instanceof OpenAI.APIError && error.status === 429) return new LlmRateLimitError(this.model, attempts, { cause: error });
    if (error instanceof OpenAI.APIError) {
      const suffix = attempts > 1 ? ` (after ${attempts} attempts)` : '';
      return new LlmHttpError(this.model, error.status ?? null, error.message + suffix, { cause: error });
    }
    return error;
  }
}

function isRetryable(error: unknown): boolean {
  if (error instanceof OpenAI.APIUserAbortError) return false;
  if (error instanceof OpenAI.APIConnectionError) return true; // timeouts included
  if (!(error instanceof OpenAI.APIError) || error.status === undefined) return false;
  return error.status === 408 || error.status === 429 || error.status >= 500;
}

/** A 400/422 that blames response_format: the server does not do json_schema (older vLLM, Ollama, some NIMs). */
function rejectsJsonSchema(error: unknown): boolean {
  return (
    error instanceof OpenAI.APIError &&
    (error.status === 400 || error.status === 422) &&
    /response_format|json_schema/i.test(`${error.message} ${JSON.stringify(error.error ?? '')}`)
  );
}
