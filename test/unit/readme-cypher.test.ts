/**
 * Every ```cypher block of the README's Neo4j Browser guide passes Neo4j's own linter against the
 * labels and relationship types the Neo4j adapter writes, with zero errors and zero warnings. The
 * parameters a block may use are the ones the guide's `:params { … }` block sets, typed from their
 * example values, so a query cannot use a parameter the reader was never told to set.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintCypher } from '../fixtures/cypher-lint.ts';

const readme = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');
const blocks = [...readme.matchAll(/^```cypher\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
const titles = blocks.map((b) => b.split('\n')[0]!);

/** `:params { name: 'text', n: 12 }` → { name: 'STRING', n: 'INTEGER' }. */
function declaredParams(): Record<string, string> {
  const block = /^```text\n:params \{\n([\s\S]*?)^\}\n```$/m.exec(readme);
  if (!block) throw new Error('README has no ```text :params { … } block');
  const entries = [...block[1]!.matchAll(/^\s*(\w+): ('(?:[^'\\]|\\.)*'|-?\d+)\s*,?\s*$/gm)];
  expect(entries.length, 'one `name: value` per line').toBe(block[1]!.trim().split('\n').length);
  return Object.fromEntries(entries.map(([, name, value]) => [name!, value!.startsWith("'") ? 'STRING' : 'INTEGER']));
}

const used = (query: string): string[] => [...new Set([...query.matchAll(/\$([A-Za-z_]\w*)/g)].map((m) => m[1]!))];

describe('README Neo4j Browser guide', () => {
  const params = declaredParams();

  it('has at least ten titled queries', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(10);
    for (const title of titles) expect(title).toMatch(/^\/\/ \S/);
    expect(new Set(titles).size).toBe(titles.length);
  });

  it.each(blocks.map((b, i) => [titles[i]!, b] as const))('lints clean: %s', (_title, query) => {
    const names = used(query);
    for (const name of names) expect(params, `$${name} is set in the :params block`).toHaveProperty(name);
    const declared = Object.fromEntries(names.map((name) => [name, params[name]!]));
    expect(lintCypher(query, declared)).toEqual([]);
  });

  it('takes what a reader would change as parameters, not literals', () => {
    for (const query of blocks) {
      expect(query).not.toMatch(/'(eip155:|evt:|asset:|src:|concept:|rej:)/);
      expect(query).not.toMatch(/\b1[0-9]{12}\b/); // epoch-ms literals
    }
    const everyUsed = new Set(blocks.flatMap(used));
    expect(Object.keys(params).filter((name) => !everyUsed.has(name))).toEqual([]);
  });

  it('covers what the guide promises', () => {
    const all = blocks.join('\n');
    for (const needle of [':Incident', "role: 'attacker'", '$fromBlock', ':HAS_LABEL', '$date', ':BROADER', 'retractedAt = last', ':Transfer', ':PriceMove', ':Source', ':Reject']) {
      expect(all).toContain(needle);
    }
  });
});
