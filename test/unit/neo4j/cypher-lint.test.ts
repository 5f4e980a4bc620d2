/**
 * Every Cypher statement the Neo4j adapter can send (ALL_CYPHER) passes Neo4j's own linter with no
 * error and no warning against MarketGraph's labels, types, the statement's declared parameters and
 * Neo4j 5's built-ins; and the linter does catch what it must (so this test can fail).
 */
import { describe, expect, it } from 'vitest';
import { ALL_CYPHER } from '../../../graph/neo4j/cypher/index.ts';
import { LOCK_AND_READ, WRITE_EVENTS, WRITE_FACTS, WRITE_NODES } from '../../../graph/neo4j/cypher/writes.ts';
import { INDEXES } from '../../../graph/neo4j/cypher/schema.ts';
import { COUNT_FACTS_INTO } from '../../../graph/neo4j/cypher/fact-reads.ts';
import { CHUNK_TEXT_INDEX, TEXT_INDEX } from '../../../graph/neo4j/model.ts';
import { ENTITY_KINDS, EVENT_TYPES, REL_TYPES } from '../../../schema/ontology.ts';
import { lintCypher } from '../../fixtures/cypher-lint.ts';

describe('ALL_CYPHER', () => {
  it('names every statement once', () => {
    const names = ALL_CYPHER.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    expect(ALL_CYPHER.length).toBeGreaterThan(40);
  });

  it.each(ALL_CYPHER.map((s) => [s.name, s] as const))('lints clean: %s', (_name, statement) => {
    expect(lintCypher(statement.cypher, statement.params)).toEqual([]);
  });

  it('declares exactly the parameters each statement reads', () => {
    for (const s of ALL_CYPHER) {
      const used = new Set([...s.cypher.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]));
      expect([...used].sort(), s.name).toEqual(Object.keys(s.params).sort());
    }
  });

  it('binds the namespace in every statement that touches data', () => {
    for (const s of ALL_CYPHER) {
      if (/^(CREATE|DROP|SHOW|CALL db\.awaitIndexes)/.test(s.cypher)) continue;
      expect(s.params, s.name).toHaveProperty('ns');
    }
  });

  it('generates a branch for every member of the closed sets', () => {
    for (const kind of ENTITY_KINDS) expect(WRITE_NODES.cypher).toContain(`row.kind = '${kind}' THEN [1] ELSE [] END | SET n:${kind} `);
    for (const type of EVENT_TYPES) expect(WRITE_EVENTS.cypher).toContain(`row.type = '${type}' THEN [1] ELSE [] END | SET e:${type})`);
    for (const type of REL_TYPES) expect(WRITE_FACTS.cypher).toContain(`MERGE (s)-[f:${type} {factId: row.id}]->(o)`);
    for (const type of REL_TYPES) expect(INDEXES.some((i) => i.create.cypher.includes(`[f:${type}]`))).toBe(true);
    for (const type of REL_TYPES) expect(COUNT_FACTS_INTO[type].cypher).toContain(`-[f:${type}]->`);
  });

  it('keeps chunk terms in a full-text index of its own, and lets Lucene analyse nothing itself', () => {
    const create = (name: string) => INDEXES.find((i) => i.name === name)?.create.cypher ?? '';
    expect(create(CHUNK_TEXT_INDEX)).toMatch(/FOR \(n:Chunk\)\s+ON EACH \[n\.textTerms\]/);
    expect(create(TEXT_INDEX)).toMatch(/ON EACH \[n\.nameTerms, n\.aliasTerms\]/);
    expect(create(TEXT_INDEX)).not.toMatch(/Chunk|n\.text/);
    for (const name of [TEXT_INDEX, CHUNK_TEXT_INDEX]) expect(create(name)).toContain("'standard-no-stop-words'");
  });
});

describe('lintCypher', () => {
  it('reports a misspelt label or relationship type', () => {
    const label = lintCypher('MATCH (n:Tokn {ns: $ns}) RETURN n.name', { ns: 'STRING' });
    expect(label).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/Label Tokn/) })]);
    const type = lintCypher('MATCH (a:Thing)-[r:TRANSFERED_TO]->(b) RETURN r', {});
    expect(type).toEqual([expect.objectContaining({ message: expect.stringMatching(/TRANSFERED_TO/) })]);
  });

  it('reports a parameter the statement does not declare', () => {
    const { cypher, params } = LOCK_AND_READ;
    const { ids: _dropped, ...fewer } = params;
    expect(lintCypher(cypher, fewer)).toEqual([
      expect.objectContaining({ severity: 'error', message: 'Parameter $ids is not defined.' }),
    ]);
  });

  it('reports syntax errors, unknown functions and procedures, and deprecated syntax', () => {
    expect(lintCypher('MATCH (n:Thing RETURN n', {}).some((d) => d.severity === 'error')).toBe(true);
    expect(lintCypher('MATCH (n:Thing) RETURN toLowr(n.name)', {})).toEqual([
      expect.objectContaining({ severity: 'error', message: expect.stringMatching(/Function toLowr/) }),
    ]);
    expect(lintCypher("CALL db.index.fulltext.queryNode('mkg_text', 'x') YIELD node RETURN node", {})).toEqual([
      expect.objectContaining({ severity: 'error', message: expect.stringMatching(/queryNode /) }),
    ]);
    expect(lintCypher('CALL { MATCH (n:Thing) RETURN n } RETURN n', {})).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/deprecated/) }),
    ]);
  });

  it('accepts built-in functions and the full-text procedure', () => {
    expect(lintCypher(
      `CALL db.index.fulltext.queryNodes('mkg_text', $q) YIELD node, score
       RETURN toLower(node.name) AS name, coalesce(node.kind, node.type) AS label, size(node.aliases) AS n, score`,
      { q: 'STRING' },
    )).toEqual([]);
  });
});
