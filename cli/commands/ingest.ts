import { withSqliteFile, type Config } from '../../schema/config.ts';
import { InvalidArgumentError } from '../../schema/errors.ts';
import { createStores } from '../../graph/create-stores.ts';
import { embedderFromConfig } from '../../extraction/embed/create-embedder.ts';
import { createCachedLlmClient } from '../../extraction/llm/create-llm-client.ts';
import { UsageMeter, type LlmUsage } from '../../extraction/llm/llm-client.ts';
import type { LabelColumnMapping } from '../../extraction/readers/types.ts';
import { ingest, type IngestReport } from '../../pipelines/ingest/ingest.ts';
import { induceAndResolve, type TextSchemaResult } from '../../pipelines/text-schema.ts';
import { describeInduction } from './induce-schema.ts';
import { describeResolution } from './resolve.ts';
import { parseCommandArgs, parseIntOption } from '../args.ts';
import type { Output } from '../output.ts';
import { createProgress } from '../progress.ts';

export async function runIngest(argv: string[], config: Config, out: Output): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      db: { type: 'string' },
      json: { type: 'boolean', default: false },
      chain: { type: 'string' },
      symbol: { type: 'string' },
      'label-columns': { type: 'string' },
      'batch-size': { type: 'string' },
      'chunk-tokens': { type: 'string' },
      'no-vectors': { type: 'boolean', default: false },
      'no-schema': { type: 'boolean', default: false },
    },
    true,
  );
  if (positionals.length === 0) throw new InvalidArgumentError('path', 'give at least one file or directory to ingest');
  const chainId = parseIntOption('chain', values.chain, 1, Number.MAX_SAFE_INTEGER) ?? config.defaultChainId;
  const batchSize = parseIntOption('batch-size', values['batch-size'], 1, 1_000_000) ?? config.batchSize;
  const chunkTokens = parseIntOption('chunk-tokens', values['chunk-tokens'], 32, 8192) ?? undefined;
  const labelColumns = parseLabelColumns(values['label-columns']);
  const settings = withSqliteFile(config, values.db);
  const stores = await createStores(settings, { verify: true });
  const cached = createCachedLlmClient(settings);
  const usage = new UsageMeter();
  const progress = values.json || !out.isTTY ? null : createProgress();
  try {
    const report = await ingest(stores.graph, {
      paths: positionals,
      chainId,
      batchSize,
      symbol: values.symbol ?? null,
      labelColumns,
      onProgress: progress?.update,
      text: {
        llm: cached?.llm ?? null,
        usage,
        embedder: values['no-vectors'] ? null : embedderFromConfig(settings),
        vectors: values['no-vectors'] ? null : stores.vectors,
        chunking: chunkTokens ? { maxTokens: chunkTokens } : undefined,
        maxDocumentChars: settings.maxDocumentChars,
        // Enough chunks in flight to keep the model's request slots busy.
        concurrency: Math.max(8, 2 * (settings.llm?.concurrency ?? 4)),
      },
    });
    progress?.stop();
    // New text brings new names: conceptualise them and record what is the same thing.
    const schema: TextSchemaResult | null = report.chunks > 0 && !values['no-schema']
      ? await induceAndResolve(stores.graph, { llm: cached?.llm ?? null, usage, embedder: embedderFromConfig(settings) })
      : null;
    const llm = cached ? { model: cached.llm.model, ...usage.snapshot() } : null;
    out.stdout(values.json
      ? `${JSON.stringify({ ...report, llm, schema }, null, 2)}\n`
      : formatReport(report, llm) + (schema
        ? `${describeInduction(schema.induction, cached?.llm.model ?? null)}\n${describeResolution(schema.resolution)}\n`
        : ''));
    return report.files.some((f) => f.error) && report.files.every((f) => f.error) ? 1 : 0;
  } finally {
    progress?.stop();
    await cached?.close();
    await stores.close();
  }
}

/** `address=Address,name=Name Tag,category=Labels` → a column mapping. */
export function parseLabelColumns(text: string | undefined): LabelColumnMapping | null {
  if (text === undefined) return null;
  const map = new Map<string, string>();
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new InvalidArgumentError('--label-columns', `"${part}" is not key=Column`);
    map.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  for (const key of map.keys()) {
    if (!['address', 'name', 'category'].includes(key)) {
      throw new InvalidArgumentError('--label-columns', `unknown key "${key}" (use address, name, category)`);
    }
  }
  const address = map.get('address');
  const name = map.get('name');
  if (!address || !name) throw new InvalidArgumentError('--label-columns', 'address= and name= are required');
  return { address, name, category: map.get('category') ?? null };
}

function formatReport(r: IngestReport, llm: (LlmUsage & { model: string }) | null): string {
  const lines = r.files.map((f) =>
    f.error
      ? `  ✗ ${f.file}\n      ${f.error}`
      : `  ✓ ${f.file} [${f.kind}] ${f.records} records${f.chunks ? ` (${f.chunks} chunks)` : ''}, ${f.rejected} rejected, ${f.warnings} warnings`,
  );
  const w = r.write;
  const text = r.chunks === 0 ? [] : [
    llm
      ? `Text: ${r.chunks} chunks read by ${llm.model}: ${llm.calls} calls (${llm.cached} answered from the cache), `
        + `${llm.promptTokens} prompt + ${llm.completionTokens} completion tokens, ${llm.retries} retries, ${llm.repairs} repairs`
      : `Text: ${r.chunks} chunks read by the offline rule extractor (set OPENAI_BASE_URL or OPENAI_API_KEY for the LLM extractor)`,
  ];
  return [
    `Ingested ${r.files.length} file(s) in ${(r.durationMs / 1000).toFixed(1)} s`,
    ...lines,
    `Added ${r.added} (nodes ${w.nodes.added}, events ${w.events.added}, facts ${w.facts.added}, chunks ${w.chunks.added}), updated ${r.updated}, unchanged ${r.unchanged}`,
    ...text,
    `Rejected ${r.rejected} record(s), ${r.warnings} warning(s)${r.rejected + r.warnings > 0 ? ' — see `mkg rejects`' : ''}`,
    '',
  ].join('\n');
}
