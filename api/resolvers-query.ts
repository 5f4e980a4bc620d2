/** Root fields. Each one fixes the `asOf` that everything beneath it is read at. */
import { InvalidArgumentError } from '../schema/errors.ts';
import type { Millis, RejectSeverity } from '../schema/graph.ts';
import type { EventFilter, NodeFilter } from '../graph/graph-store.ts';
import type { ApiContext } from './context.ts';
import { asOfArg, checkLength, checkRange, normalizeId, pageArgs } from './args.ts';
import { isChunkId } from '../schema/ids.ts';
import { chunkAt, connection, entityAt, eventAt, factAt, type NodeView } from './views.ts';

/** Caps that keep one request's work bounded. */
export const LIMITS = { neighborhoodDepth: 3, neighborhoodFacts: 2000, searchHits: 100, searchText: 500, text: 200 };

interface AsOfArgs {
  asOf?: Millis | null;
}
interface IdArgs extends AsOfArgs {
  id: string;
}
interface PageArgsIn extends AsOfArgs {
  first: number;
  after?: string | null;
}
interface EntitiesArgs extends PageArgsIn {
  filter?: Omit<NodeFilter, 'ids'> | null;
}
interface EventsArgs extends PageArgsIn {
  filter?: EventFilter | null;
}
interface RejectsArgs {
  sourceId?: string | null;
  severity?: string | null;
  first: number;
  after?: string | null;
}

const SEVERITIES: readonly RejectSeverity[] = ['error', 'warning'];

/** An entity, an event or a chunk; event ids (`evt:…`) are tried as events first, chunk ids only as chunks. */
export async function loadNode(ctx: ApiContext, id: string, asOf: Millis | null): Promise<NodeView | null> {
  if (isChunkId(id)) {
    const c = await ctx.nodes.chunk(id, asOf);
    return c && chunkAt(c, asOf);
  }
  const asEntity = async () => {
    const r = await ctx.nodes.entity(id, asOf);
    return r && entityAt(r, asOf);
  };
  const asEvent = async () => {
    const r = await ctx.nodes.event(id, asOf);
    return r && eventAt(r, asOf);
  };
  return id.startsWith('evt:') ? ((await asEvent()) ?? asEntity()) : ((await asEntity()) ?? asEvent());
}

interface SearchArgs extends AsOfArgs {
  text: string;
  first: number;
}

/** The checked arguments of a full-text search field; an empty `text` means no hits. */
function searchArgs(args: SearchArgs): { at: Millis | null; first: number; text: string } {
  return {
    at: asOfArg(args.asOf),
    first: checkRange('first', args.first, 0, LIMITS.searchHits),
    text: checkLength('text', args.text, LIMITS.searchText).trim(),
  };
}

function optionalText(argument: string, value: string | null | undefined): string | null {
  const text = value?.trim();
  return text ? checkLength(argument, text, LIMITS.text) : null;
}

export const queryResolvers = {
  async entity(_: unknown, { id, asOf }: IdArgs, ctx: ApiContext) {
    const at = asOfArg(asOf);
    const r = await ctx.nodes.entity(normalizeId(id), at);
    return r && entityAt(r, at);
  },

  async event(_: unknown, { id, asOf }: IdArgs, ctx: ApiContext) {
    const at = asOfArg(asOf);
    const r = await ctx.nodes.event(normalizeId(id), at);
    return r && eventAt(r, at);
  },

  node(_: unknown, { id, asOf }: IdArgs, ctx: ApiContext) {
    return loadNode(ctx, normalizeId(id), asOfArg(asOf));
  },

  async entities(_: unknown, { filter, first, after, asOf }: EntitiesArgs, ctx: ApiContext) {
    const at = asOfArg(asOf);
    const page = await ctx.graph.findNodes(
      {
        kind: filter?.kind ?? null,
        nameContains: optionalText('filter.nameContains', filter?.nameContains),
        label: optionalText('filter.label', filter?.label),
      },
      pageArgs(first, after),
      { asOf: at },
    );
    return connection(page, (n) => entityAt(n, at));
  },

  async events(_: unknown, { filter, first, after, asOf }: EventsArgs, ctx: ApiContext) {
    const at = asOfArg(asOf);
    const f = filter ?? {};
    const participant = f.participant?.trim() ? normalizeId(f.participant) : null;
    if (f.role && !participant) throw new InvalidArgumentError('filter.role', 'needs filter.participant');
    if (f.from != null && f.to != null && f.from > f.to) {
      throw new InvalidArgumentError('filter.from', 'must not be after filter.to');
    }
    const page = await ctx.graph.findEvents(
      {
        type: f.type ?? null,
        participant,
        role: f.role ?? null,
        from: f.from ?? null,
        to: f.to ?? null,
        sourceId: optionalText('filter.sourceId', f.sourceId),
      },
      pageArgs(first, after),
      { asOf: at },
    );
    return connection(page, (e) => eventAt(e, at));
  },

  async search(_: unknown, args: SearchArgs, ctx: ApiContext) {
    const { at, first, text } = searchArgs(args);
    if (!text || first === 0) return [];
    const hits = await ctx.graph.search(text, { asOf: at, first });
    return hits.map((h) => ({ ...h, asOf: at }));
  },

  async chunk(_: unknown, { id, asOf }: IdArgs, ctx: ApiContext) {
    const at = asOfArg(asOf);
    const c = await ctx.nodes.chunk(id.trim(), at);
    return c && chunkAt(c, at);
  },

  async searchChunks(_: unknown, args: SearchArgs, ctx: ApiContext) {
    const { at, first, text } = searchArgs(args);
    if (!text || first === 0) return [];
    const hits = await ctx.graph.searchChunks(text, { asOf: at, first });
    return hits.map((h) => ({ chunk: chunkAt(h.chunk, at), score: h.score }));
  },

  schema(_: unknown, { asOf }: AsOfArgs) {
    return { asOf: asOfArg(asOf) };
  },

  async neighborhood(_: unknown, args: IdArgs & { depth: number; limit: number }, ctx: ApiContext) {
    const at = asOfArg(args.asOf);
    const depth = checkRange('depth', args.depth, 1, LIMITS.neighborhoodDepth);
    const limit = checkRange('limit', args.limit, 1, LIMITS.neighborhoodFacts);
    const g = await ctx.graph.neighborhood(normalizeId(args.id), { asOf: at, depth, limit });
    return {
      nodes: g.nodes.map((n) => entityAt(n, at)),
      events: g.events.map((e) => eventAt(e, at)),
      facts: g.facts.map((f) => factAt(f, at)),
      truncated: g.truncated,
    };
  },

  stats(_: unknown, { asOf }: AsOfArgs, ctx: ApiContext) {
    return ctx.graph.stats({ asOf: asOfArg(asOf) });
  },

  sources(_: unknown, __: unknown, ctx: ApiContext) {
    return ctx.graph.listSources();
  },

  async rejects(_: unknown, { sourceId, severity, first, after }: RejectsArgs, ctx: ApiContext) {
    const sev = severity?.trim().toLowerCase() || null;
    if (sev !== null && !SEVERITIES.includes(sev as RejectSeverity)) {
      throw new InvalidArgumentError('severity', `must be one of ${SEVERITIES.join(', ')}`);
    }
    const page = await ctx.graph.listRejects(
      { sourceId: optionalText('sourceId', sourceId), severity: sev as RejectSeverity | null },
      pageArgs(first, after),
    );
    return connection(page, (r) => r);
  },
};
