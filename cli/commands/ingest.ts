import { withSqliteFile, type Config } from '../../schema/config.ts';
import { InvalidArgumentError } from '../../schema/errors.ts';
import { createStores } from '../../graph/create-stores.ts';
import type { LabelColumnMapping } from '../../extraction/readers/types.ts';
import { ingest, type IngestReport } from '../../pipelines/ingest/ingest.ts';
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
    },
    true,
  );
  if (positionals.length === 0) throw new InvalidArgumentError('path', 'give at least one file or directory to ingest');
  const chainId = parseIntOption('chain', values.chain, 1, Number.MAX_SAFE_INTEGER) ?? config.defaultChainId;
  const batchSize = parseIntOption('batch-size', values['batch-size'], 1, 1_000_000) ?? config.batchSize;
  const labelColumns = parseLabelColumns(values['label-columns']);
  const stores = await createStores(withSqliteFile(config, values.db), { verify: true });
  const progress = values.json || !out.isTTY ? null : createProgress();
  try {
    const report = await ingest(stores.graph, {
      paths: positionals,
      chainId,
      batchSize,
      symbol: values.symbol ?? null,
      labelColumns,
      onProgress: progress?.update,
    });
    progress?.stop();
    out.stdout(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
    return report.files.some((f) => f.error) && report.files.every((f) => f.error) ? 1 : 0;
  } finally {
    progress?.stop();
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

function formatReport(r: IngestReport): string {
  const lines = r.files.map((f) =>
    f.error
      ? `  ✗ ${f.file}\n      ${f.error}`
      : `  ✓ ${f.file} [${f.kind}] ${f.records} records, ${f.rejected} rejected, ${f.warnings} warnings`,
  );
  const w = r.write;
  return [
    `Ingested ${r.files.length} file(s) in ${(r.durationMs / 1000).toFixed(1)} s`,
    ...lines,
    `Added ${r.added} (nodes ${w.nodes.added}, events ${w.events.added}, facts ${w.facts.added}), updated ${r.updated}, unchanged ${r.unchanged}`,
    `Rejected ${r.rejected} record(s), ${r.warnings} warning(s)${r.rejected + r.warnings > 0 ? ' — see `mkg rejects`' : ''}`,
    '',
  ].join('\n');
}
