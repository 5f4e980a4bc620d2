import { withSqliteFile, type Config } from '../../schema/config.ts';
import { InvalidArgumentError } from '../../schema/errors.ts';
import { createGraphStore } from '../../graph/create-stores.ts';
import { parseCommandArgs, parseIntOption } from '../args.ts';
import type { Output } from '../output.ts';

export async function runRejects(argv: string[], config: Config, out: Output): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    db: { type: 'string' },
    source: { type: 'string' },
    severity: { type: 'string' },
    first: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  const severity = values.severity ?? null;
  if (severity !== null && severity !== 'error' && severity !== 'warning') {
    throw new InvalidArgumentError('--severity', 'use error or warning');
  }
  const store = await createGraphStore(withSqliteFile(config, values.db), { verify: true });
  try {
    const page = await store.listRejects(
      { sourceId: values.source ?? null, severity },
      { first: parseIntOption('first', values.first, 1, 500) ?? 100 },
    );
    const rows = page.edges.map((e) => e.node);
    if (values.json) {
      out.stdout(`${JSON.stringify({ totalCount: page.totalCount, rejects: rows }, null, 2)}\n`);
    } else {
      for (const r of rows) {
        out.stdout(`${r.severity.padEnd(7)} ${r.file}${r.line === null ? '' : `:${r.line}`}  [${r.code}] ${r.reason}\n`);
      }
      out.stdout(`${rows.length} of ${page.totalCount} shown\n`);
    }
    return 0;
  } finally {
    await store.close();
  }
}
