/**
 * resolveEntities on real SQLite stores (graph + sqlite-vec) in a temp dir: name and alias merges
 * with evidence and direction, no merges between addresses, idempotence, a retracted merge staying
 * retracted, and the embedding step in memory and through the vector store.
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HashingEmbedder } from '../../extraction/embed/hashing-embedder.ts';
import { SqliteGraphStore } from '../../graph/sqlite/sqlite-graph-store.ts';
import { SqliteVectorStore } from '../../graph/sqlite/sqlite-vector-store.ts';
import { embedGraph } from '../../pipelines/embed-graph.ts';
import { RESOLVER_SOURCE_ID, resolveEntities } from '../../pipelines/resolve-entities.ts';
import { NamePriority, type FactInput, type NodeInput } from '../../schema/graph.ts';
import { factId } from '../../schema/ids.ts';
import type { EntityKind, RelType } from '../../schema/ontology.ts';
import { tempDir } from '../fixtures/paths.ts';

const tmp = tempDir('mkg-resolve-');
afterAll(() => tmp.cleanup());
let files = 0;

const T_INCIDENT = Date.UTC(2023, 6, 30);
const T_TEXT = Date.UTC(2023, 6, 31);
const A1 = 'eip155:1:0x28c6c06298d514db089934071355e5743bf21d60';
const A2 = 'eip155:1:0x21a31ee1afc51d94c2efccaa2092ad1028285549';

function node(id: string, kind: EntityKind, name: string, at: number, extra: Partial<NodeInput> = {}): NodeInput {
  return { id, kind, name, recordedAt: at, sourceId: 'src:test', ...extra };
}
function fact(subject: string, type: RelType, object: string, extractor: string, at: number): FactInput {
  const prov = { sourceId: `src:${extractor}`, extractor, extractorVersion: '1' };
  return {
    id: factId({ subject, type, object, ...prov }), subject, type, predicate: type.toLowerCase(), object, role: null,
    confidence: 1, validFrom: at, validTo: null, recordedAt: at, chunkId: null, attrs: {}, ...prov,
  };
}

/**
 * A structured incident Protocol "Curve Finance"; text-extracted Organization "Curve Finance" and
 * Protocol "Curve" (alias "Curve Finance"); two accounts with the same label; a text Token and a
 * listed Asset "USDC"; a text Organization "Lazarus Group" that matches nothing.
 */
async function smallGraph(graph: SqliteGraphStore): Promise<void> {
  await graph.writeBatch({
    nodes: [
      node('ent:protocol:curve-finance', 'Protocol', 'Curve Finance', T_INCIDENT, { namePriority: NamePriority.derived }),
      node('ent:organization:curve-finance', 'Organization', 'Curve Finance', T_TEXT),
      node('ent:protocol:curve', 'Protocol', 'Curve', T_TEXT, { aliases: ['Curve Finance'] }),
      node('ent:organization:lazarus-group', 'Organization', 'Lazarus Group', T_TEXT),
      node(A1, 'Account', 'Binance 14', T_INCIDENT, { namePriority: NamePriority.curated }),
      node(A2, 'Account', 'Binance 14', T_INCIDENT, { namePriority: NamePriority.curated }),
      node('ent:token:usdc', 'Token', 'USDC', T_TEXT),
      node('asset:crypto:USDC', 'Asset', 'USDC', T_INCIDENT, { namePriority: NamePriority.curated }),
    ],
    events: [],
    facts: [
      fact(A1, 'EXPLOITED', 'ent:protocol:curve-finance', 'incidents', T_INCIDENT),
      fact('ent:organization:lazarus-group', 'EXPLOITED', 'ent:organization:curve-finance', 'rules', T_TEXT),
      fact('ent:organization:lazarus-group', 'EXPLOITED', 'ent:protocol:curve', 'llm:test-model', T_TEXT),
      fact(A2, 'TRANSFERRED_TO', A1, 'erc20-transfer', T_INCIDENT),
    ],
  });
}

let graph: SqliteGraphStore;
let path: string;
beforeEach(async () => {
  path = join(tmp.dir, `graph-${++files}.db`);
  graph = SqliteGraphStore.open(path);
  await smallGraph(graph);
});
afterEach(async () => {
  await graph.close();
});

async function sameAs(): Promise<string[]> {
  const ids = ['ent:protocol:curve-finance', 'asset:crypto:USDC', 'ent:organization:lazarus-group', A1, A2];
  const seen = new Map<string, string>();
  for (const id of ids) {
    for (const f of await graph.factsOf(id, { types: ['SAME_AS'] })) seen.set(f.id, `${f.subject} → ${f.object} (${(f.attrs.evidence as { method: string }).method}, ${f.confidence})`);
  }
  return [...seen.values()].sort();
}

describe('resolveEntities', () => {
  it('merges by name and alias towards the more authoritative entity, with evidence', async () => {
    const r = await resolveEntities(graph, { now: T_TEXT + 1 });
    expect(r.byMethod).toEqual({ name: 2, alias: 1, embedding: 0 });
    expect(r.write.facts.added).toBe(3);
    expect(await sameAs()).toEqual([
      'ent:organization:curve-finance → ent:protocol:curve-finance (name, 0.9)',
      'ent:protocol:curve → ent:protocol:curve-finance (alias, 0.85)',
      'ent:token:usdc → asset:crypto:USDC (name, 0.9)',
    ]);
    const [f] = await graph.factsOf('ent:protocol:curve', { direction: 'out', types: ['SAME_AS'] });
    expect(f).toMatchObject({
      predicate: 'same as', extractor: 'resolver', extractorVersion: '1', sourceId: RESOLVER_SOURCE_ID,
      attrs: { evidence: { method: 'alias', score: 1, names: ['Curve', 'Curve Finance'], key: 'curve finance' } },
    });
    expect((await graph.listSources()).map((s) => s.id)).toContain(RESOLVER_SOURCE_ID);
  });

  it('never merges two different addresses, even with the same name', async () => {
    await resolveEntities(graph, { now: T_TEXT + 1 });
    for (const id of [A1, A2]) expect(await graph.factsOf(id, { types: ['SAME_AS'] })).toEqual([]);
    // Two address-keyed tokens named alike stay apart, and a text "USDC" naming both is ambiguous.
    await graph.writeBatch({
      nodes: [
        node('eip155:1/erc20:0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48', 'Token', 'USD Coin', T_INCIDENT, { aliases: ['USDC'] }),
        node('eip155:8453/erc20:0x833589fcd6edb6e08f4c7c32d4f71b54bda02913', 'Token', 'USD Coin', T_INCIDENT, { aliases: ['USDC'] }),
        node('ent:token:usd-coin', 'Token', 'USD Coin', T_TEXT),
      ],
      events: [], facts: [],
    });
    const r = await resolveEntities(graph, { now: T_TEXT + 2 });
    expect(r.ambiguous).toBe(1);
    expect(r.write.facts.added).toBe(0);
    for (const id of ['eip155:1/erc20:0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48', 'eip155:8453/erc20:0x833589fcd6edb6e08f4c7c32d4f71b54bda02913']) {
      expect(await graph.factsOf(id, { types: ['SAME_AS'] })).toEqual([]);
    }
  });

  it('is idempotent, and a merge an operator retracted stays retracted', async () => {
    await resolveEntities(graph, { now: T_TEXT + 1 });
    const again = await resolveEntities(graph, { now: T_TEXT + 2 });
    expect(again.write.facts.added).toBe(0);

    const [merge] = await graph.factsOf('ent:token:usdc', { direction: 'out', types: ['SAME_AS'] });
    await graph.retract([merge!.id], T_TEXT + 3);
    const after = await resolveEntities(graph, { now: T_TEXT + 4 });
    // The resolver derives the same merge again, but its id exists (retracted): nothing changes.
    expect(after.byMethod.name).toBe(1);
    expect(after.write.facts).toMatchObject({ added: 0, updated: 0 });
    expect(await graph.factsOf('ent:token:usdc', { direction: 'out', types: ['SAME_AS'] })).toEqual([]);
    expect(await graph.factsOf('ent:token:usdc', { direction: 'out', types: ['SAME_AS'], asOf: T_TEXT + 2 })).toHaveLength(1);
  });

  it('merges by embedding similarity above the threshold, in memory and through the vector store', async () => {
    await graph.writeBatch({ nodes: [node('ent:organization:lazarus-group-hackers', 'Organization', 'Lazarus Group hackers', T_TEXT + 1)], events: [], facts: [] });
    const embedder = new HashingEmbedder({ dimensions: 256 });
    const [a, b] = await embedder.embed(['Lazarus Group', 'Lazarus Group hackers']);
    let dot = 0;
    for (let i = 0; i < a!.length; i++) dot += a![i]! * b![i]!;
    const threshold = Math.min(0.99, Math.max(0.05, dot - 0.05));

    const high = await resolveEntities(graph, { embedder, threshold: 0.999, now: T_TEXT + 2 });
    expect(high.byMethod.embedding).toBe(0);
    const memory = await resolveEntities(graph, { embedder, threshold, now: T_TEXT + 2 });
    expect(memory.byMethod.embedding).toBe(1);
    const [f] = await graph.factsOf('ent:organization:lazarus-group-hackers', { direction: 'out', types: ['SAME_AS'] });
    // Same kind and provenance: the older one is the target.
    expect(f).toMatchObject({ object: 'ent:organization:lazarus-group', attrs: { evidence: { method: 'embedding' } } });
    expect(f!.confidence).toBeGreaterThanOrEqual(threshold - 0.001);

    const vectors = SqliteVectorStore.open(path, { dimensions: 256 });
    try {
      await graph.retract([f!.id], T_TEXT + 3);
      await embedGraph(graph, vectors, embedder, { kinds: ['entities'] });
      const knn = await resolveEntities(graph, { embedder, vectors, threshold: 0.5, now: T_TEXT + 4 });
      // Through the store the texts carry aliases and kind too; the pair is found again by KNN, but
      // its merge was retracted and is not re-added.
      expect(knn.byMethod.embedding).toBe(1);
      expect(knn.write.facts.added).toBe(0);
    } finally {
      await vectors.close();
    }
  });
});
