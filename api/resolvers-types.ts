/** Fields of object types that read more of the graph, always at the `asOf` their parent carries. */
import { InvalidArgumentError } from '../schema/errors.ts';
import { isRelType, type EventType, type RelType, type Role } from '../schema/ontology.ts';
import { checkFirst } from '../schema/pagination.ts';
import type { SearchHit } from '../graph/graph-store.ts';
import type { ApiContext } from './context.ts';
import { pageArgs } from './args.ts';
import { loadNode } from './resolvers-query.ts';
import {
  connection, entityAt, eventAt, factAt, type AmountView, type At, type EntityView, type EventView,
  type FactView, type NodeView, type ParticipantView,
} from './views.ts';

/** Concepts an entity is labelled with; more than this is a data problem, not a use case. */
const MAX_LABELS = 500;

function relTypes(types: readonly string[] | null | undefined): RelType[] | null {
  if (!types) return null;
  const bad = types.find((t) => !isRelType(t));
  if (bad !== undefined) throw new InvalidArgumentError('types', `"${bad}" is not a relationship type (e.g. HAS_LABEL, PARTICIPANT)`);
  return [...types] as RelType[];
}

async function factsAt(ctx: ApiContext, id: string, at: At, first: number, types: RelType[] | null = null) {
  if (checkFirst(first) === 0) return [];
  const facts = await ctx.graph.factsOf(id, { asOf: at.asOf, types, limit: first });
  return facts.map((f) => factAt(f, at.asOf));
}

async function entityOf(ctx: ApiContext, id: string | null, at: At): Promise<EntityView | null> {
  if (!id) return null;
  const r = await ctx.nodes.entity(id, at.asOf);
  return r && entityAt(r, at.asOf);
}

export const typeResolvers = {
  Node: {
    __resolveType: (node: NodeView) => node.__typename,
  },

  Entity: {
    async labels(entity: EntityView, _: unknown, ctx: ApiContext) {
      const facts = await ctx.graph.factsOf(entity.id, {
        asOf: entity.asOf, direction: 'out', types: ['HAS_LABEL'], limit: MAX_LABELS,
      });
      const concepts = await Promise.all(facts.map((f) => ctx.nodes.entity(f.object, entity.asOf)));
      const names = new Set(concepts.flatMap((c) => (c ? [c.name] : [])));
      return [...names].sort();
    },
    facts(entity: EntityView, args: { first: number; types?: string[] | null }, ctx: ApiContext) {
      return factsAt(ctx, entity.id, entity, args.first, relTypes(args.types));
    },
    async events(
      entity: EntityView,
      args: { type?: EventType | null; role?: Role | null; first: number; after?: string | null },
      ctx: ApiContext,
    ) {
      const page = await ctx.graph.findEvents(
        { participant: entity.id, type: args.type ?? null, role: args.role ?? null },
        pageArgs(args.first, args.after),
        { asOf: entity.asOf },
      );
      return connection(page, (e) => eventAt(e, entity.asOf));
    },
  },

  Event: {
    participants: (event: EventView): ParticipantView[] => event.participants.map((p) => ({ ...p, asOf: event.asOf })),
    amounts: (event: EventView): AmountView[] => event.amounts.map((a) => ({ ...a, asOf: event.asOf })),
    facts: (event: EventView, args: { first: number }, ctx: ApiContext) => factsAt(ctx, event.id, event, args.first),
    source: (event: EventView, _: unknown, ctx: ApiContext) => ctx.nodes.source(event.sourceId, event.asOf),
  },

  Participant: {
    entity: (p: ParticipantView, _: unknown, ctx: ApiContext) => entityOf(ctx, p.entityId, p),
  },

  Amount: {
    token: (a: AmountView, _: unknown, ctx: ApiContext) => entityOf(ctx, a.token, a),
  },

  Fact: {
    subject: (f: FactView, _: unknown, ctx: ApiContext) => loadNode(ctx, f.subject, f.asOf),
    object: (f: FactView, _: unknown, ctx: ApiContext) => loadNode(ctx, f.object, f.asOf),
    source: (f: FactView, _: unknown, ctx: ApiContext) => ctx.nodes.source(f.sourceId, f.asOf),
  },

  SearchHit: {
    entity: (h: SearchHit & At, _: unknown, ctx: ApiContext) => (h.target === 'entity' ? entityOf(ctx, h.id, h) : null),
    async event(h: SearchHit & At, _: unknown, ctx: ApiContext) {
      if (h.target !== 'event') return null;
      const r = await ctx.nodes.event(h.id, h.asOf);
      return r && eventAt(r, h.asOf);
    },
  },
};
