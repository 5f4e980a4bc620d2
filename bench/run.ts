/**
 * `npm run bench -- <name> [options]`. Benchmarks live here, never as timed assertions in tests.
 * Each prints a human summary and writes JSON to bench/out/<name>.json.
 */
const BENCHES: Record<string, () => Promise<{ run: (argv: string[]) => Promise<void> }>> = {
  ingest: () => import('./ingest.ts'),
  extraction: () => import('./extraction.ts'),
  jobs: () => import('./jobs.ts'),
  context: () => import('./context.ts'),
  eval: () => import('./eval.ts'),
  'write-batching': () => import('./write-batching.ts'),
};

const [name, ...rest] = process.argv.slice(2);
const load = name ? BENCHES[name] : undefined;
if (!load) {
  process.stderr.write(`usage: npm run bench -- <${Object.keys(BENCHES).join('|')}> [options]\n`);
  process.exitCode = 2;
} else {
  await (await load()).run(rest);
}
