/**
 * ARCHITECTURE.md §1: imports point one way — schema ← {extraction, graph} ← pipelines ← {api, cli};
 * extraction and graph never import each other; no import cycles anywhere.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import madge from 'madge';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const LAYERS = ['schema', 'extraction', 'graph', 'pipelines', 'api', 'cli'] as const;
type Layer = (typeof LAYERS)[number];

/** What each layer may import besides itself. */
const ALLOWED: Record<Layer, readonly Layer[]> = {
  schema: [],
  extraction: ['schema'],
  graph: ['schema'],
  pipelines: ['schema', 'extraction', 'graph'],
  api: ['schema', 'graph', 'pipelines'],
  cli: ['schema', 'extraction', 'graph', 'pipelines', 'api'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g)];
  return specs.map((m) => resolve(dirname(file), (m[1] ?? m[2])!));
}

describe('architecture', () => {
  it('keeps every import pointing one way', () => {
    const violations: string[] = [];
    for (const layer of LAYERS) {
      for (const file of sourceFiles(join(ROOT, layer))) {
        for (const target of relativeImports(file)) {
          const targetLayer = relative(ROOT, target).split(/[\\/]/)[0] as Layer;
          if (targetLayer === layer || !LAYERS.includes(targetLayer)) continue;
          if (!ALLOWED[layer].includes(targetLayer)) violations.push(`${relative(ROOT, file)} → ${relative(ROOT, target)}`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it('has no import cycles', async () => {
    const result = await madge(LAYERS.map((l) => join(ROOT, l)), {
      fileExtensions: ['ts'],
      tsConfig: join(ROOT, 'tsconfig.json'),
      detectiveOptions: { ts: { skipTypeImports: true } },
    });
    const files = Object.keys(result.obj());
    expect(files.length).toBeGreaterThan(50);
    // Guard against a silently empty graph: `.ts` specifiers must resolve to edges.
    expect(result.obj()['cli/main.ts']).toContain('schema/config.ts');
    expect(result.circular()).toEqual([]);
  });
});
