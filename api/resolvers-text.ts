/**
 * Fields about text and the induced schema: where a node was mentioned (chunks), what a chunk
 * mentions, the concepts a node is an instance of, SAME_AS merges, and the `schema` root field
 * (concepts with instance counts, verbatim predicates with their canonical type and counts).
 * Like every nested field, each reads at the `asOf` of the root field above it.
 */
import type { ChunkRecord, FactRecord, Millis } from '../schema/graph.ts';
import { isRelType, type RelType } from '../schema/ontology.ts';
import { checkFirst } from '../schema/pagination.ts';
import { InvalidArgumentError } from '../schema/errors.ts';
import type { ApiContext } from './context.ts';
import { checkLength, checkRange, pageArgs } from './args.ts';
import { loadNode } from './resolvers-query.ts';
import {
  chunkAt, connection, entityAt, factAt, type At, type ChunkView, type EntityView, type EventView, type FactView,
  type NodeView,
} from './views.ts';

/** Caps per field: a node mentioned in thousands of chunks is listed by its newest mentions. */
const MAX_CHUNKS = 100;
const MAX_MENTIONS = 200;
/** Concepts per node, ancestors included; a taxonomy is a few levels deep. */
const MAX_CONCEPTS = 50;
const MAX_CONCEPT_DEPTH = 8;
/** Facts looked at per mentioned node when listing a chunk's own facts. */
const FACTS_PER_MENTION = 200;
const MAX_PREDICATES = 500;
/** MENTIONED_IN facts read at most per field, however many of them repeat the same (node, chunk) pair. */
const MAX_MENTION_FACTS = 4000;

/**
 * The first `n` distinct far ends of the MENTIONED_IN facts around `id`, newest fact first. One
 * (node, chunk) pair can have several mention facts (one per source and extractor version), so `n`
 * facts may name fewer than `n` ends: the read is widened until `n` ends are found or facts run out.
 */
async function distinctMentionEnds(ctx: ApiContext, id: string, direction: 'out' | 'in', asOf: Millis | null, n: number): Promise<string[]> {
  const end = (f: FactRecord) => (direction === 'out' ? f.object : f.subject);
  for (let limit = n; ; limit = Math.min(limit * 4, MAX_MENTION_FACTS)) {
    const facts = await ctx.graph.factsOf(id, { asOf, direction, types: ['MENTIONED_IN'], limit });
    const ends = [...new Set(facts.map(end))];
    if (ends.length >= n || facts.length < limit || limit >= MAX_MENTION_FACTS) return ends.slice(0, n);
  }
}

async function chunksMentioning(ctx: ApiContext, id: string, at: At, first: number): Promise<ChunkView[]> {
  const n = checkRange('first', first, 0, MAX_CHUNKS);
  if (n === 0) return [];
  const ids = await distinctMentionEnds(ctx, id, 'out', at.asOf, n);
  const chunks = await Promise.all(ids.map((c) => ctx.nodes.chunk(c, at.asOf)));
  return chunks.flatMap((c) => (c ? [chunkAt(c, at.asOf)] : []));
}

/** The concepts `id` is an INSTANCE_OF, then their BROADER ancestors, breadth first (specific → general). */
async function conceptsOf(ctx: ApiContext, id: string, asOf: Millis | null): Promise<EntityView[]> {
  const seen = new Set<string>();
  const out: EntityView[] = [];
  let frontier = [id];
  for (let depth = 0; depth < MAX_CONCEPT_DEPTH && frontier.length > 0 && out.length < MAX_CONCEPTS; depth++) {
    const type: RelType = depth === 0 ? 'INSTANCE_OF' : 'BROADER';
    const facts = (await Promise.all(frontier.map((s) => ctx.graph.factsOf(s, { asOf, direction: 'out', types: [type], limit: MAX_CONCEPTS })))).flat();
    const next: string[] = [];
    for (const f of facts) {
      if (seen.has(f.object)) continue;
      seen.add(f.object);
      const concept = await ctx.nodes.entity(f.object, asOf);
      if (!concept || out.length >= MAX_CONCEPTS) continue;
      out.push(entityAt(concept, asOf));
      next.push(f.object);
    }
    frontier = next;
  }
  return out;
}

const nodeTextFields = {
  chunks: (node: EntityView | EventView, args: { first: number }, ctx: ApiContext) => chunksMentioning(ctx, node.id, node, args.first),
  concepts: (node: EntityView | EventView, _: unknown, ctx: ApiContext) => conceptsOf(ctx, node.id, node.asOf),
};

interface SchemaView extends At {}

export const textResolvers = {
  Entity: {
    ...nodeTextFields,
    async sameAs(entity: EntityView, _: unknown, ctx: ApiContext) {
      const facts = await ctx.graph.factsOf(entity.id, { asOf: entity.asOf, types: ['SAME_AS'], limit: MAX_MENTIONS });
      const views = await Promise.all(facts.map(async (f) => {
        const other = await ctx.nodes.entity(f.subject === entity.id ? f.object : f.subject, entity.asOf);
        if (!other) return null;
        const evidence = f.attrs.evidence as { method?: unknown } | undefined;
        return {
          entity: entityAt(other, entity.asOf),
          method: typeof evidence?.method === 'string' ? evidence.method : null,
          confidence: f.confidence,
          fact: factAt(f, entity.asOf),
        };
      }));
      return views.filter((v) => v !== null);
    },
  },

  Event: nodeTextFields,

  Fact: {
    async chunk(f: FactView, _: unknown, ctx: ApiContext) {
      if (!f.chunkId) return null;
      const c = await ctx.nodes.chunk(f.chunkId, f.asOf);
      return c && chunkAt(c, f.asOf);
    },
  },

  Chunk: {
    span: (c: ChunkRecord) => c.span,
    source: (c: ChunkView, _: unknown, ctx: ApiContext) => ctx.nodes.source(c.sourceId, c.asOf),
    async mentions(c: ChunkView, args: { first: number }, ctx: ApiContext): Promise<NodeView[]> {
      const n = checkRange('first', args.first, 0, MAX_MENTIONS);
      if (n === 0) return [];
      const ids = await distinctMentionEnds(ctx, c.id, 'in', c.asOf, n);
      const nodes = await Promise.all(ids.map((id) => loadNode(ctx, id, c.asOf)));
      return nodes.filter((x) => x !== null);
    },
    async facts(c: ChunkView, args: { first: number }, ctx: ApiContext): Promise<FactView[]> {
      const n = checkFirst(args.first);
      if (n === 0) return [];
      // The port has no "facts by chunk" read; the facts of a chunk are facts of what it mentions.
      const mentions = await ctx.graph.factsOf(c.id, { asOf: c.asOf, direction: 'in', types: ['MENTIONED_IN'], limit: MAX_MENTIONS });
      const byId = new Map<string, FactRecord>();
      for (const subject of new Set(mentions.map((f) => f.subject))) {
        for (const f of await ctx.graph.factsOf(subject, { asOf: c.asOf, limit: FACTS_PER_MENTION })) {
          if (f.chunkId === c.id && f.type !== 'MENTIONED_IN') byId.set(f.id, f);
        }
      }
      return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id)).slice(0, n).map((f) => factAt(f, c.asOf));
    },
  },

  InducedSchema: {
    async concepts(s: SchemaView, args: { nameContains?: string | null; first: number; after?: string | null }, ctx: ApiContext) {
      const nameContains = args.nameContains?.trim() ? checkLength('nameContains', args.nameContains.trim(), 200) : null;
      const page = await ctx.graph.findNodes({ kind: 'Concept', nameContains }, pageArgs(args.first, args.after), { asOf: s.asOf });
      const counts = await ctx.graph.countFactsInto(page.edges.map((e) => e.node.id), 'INSTANCE_OF', { asOf: s.asOf });
      return connection(page, (node) => ({ concept: entityAt(node, s.asOf), instances: counts.get(node.id) ?? 0, asOf: s.asOf }));
    },
    async predicates(s: SchemaView, args: { type?: string | null; first: number }, ctx: ApiContext) {
      if (args.type != null && !isRelType(args.type)) throw new InvalidArgumentError('type', `"${args.type}" is not a relationship type`);
      const first = checkRange('first', args.first, 0, MAX_PREDICATES);
      if (first === 0) return [];
      return ctx.graph.predicateCounts({ asOf: s.asOf, types: args.type ? [args.type as RelType] : null, first });
    },
  },

  ConceptInfo: {
    async broader(info: { concept: EntityView } & At, _: unknown, ctx: ApiContext) {
      const facts = await ctx.graph.factsOf(info.concept.id, { asOf: info.asOf, direction: 'out', types: ['BROADER'], limit: MAX_CONCEPTS });
      const nodes = await Promise.all(facts.map((f) => ctx.nodes.entity(f.object, info.asOf)));
      return nodes.flatMap((n) => (n ? [entityAt(n, info.asOf)] : []));
    },
  },
};
