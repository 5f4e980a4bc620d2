import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REL_TYPES, ROLES } from '../../../schema/ontology.ts';

const GOLD = resolve(import.meta.dirname, '../../fixtures/gold/text-gold.jsonl');

describe('text gold set', () => {
  it('parses and has at least 30 entries using canonical predicates and roles', () => {
    const lines = readFileSync(GOLD, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
    expect(lines.length).toBeGreaterThanOrEqual(30);
    expect(new Set(lines.map((l) => l.id)).size).toBe(lines.length);
    for (const l of lines) {
      expect(typeof l.text).toBe('string');
      for (const t of l.triples) expect(REL_TYPES).toContain(t.predicate);
      for (const e of l.events) {
        expect(e.type).toBe('TextEvent');
        for (const p of e.participants) expect(ROLES).toContain(p.role);
      }
    }
  });
});
