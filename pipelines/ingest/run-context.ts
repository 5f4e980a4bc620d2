import type { GraphStore } from '../../graph/graph-store.ts';
import { createChainRegistry } from '../../extraction/structured/chain-registry.ts';
import { createTokenRegistry } from '../../extraction/structured/token-registry.ts';
import type { TokenInfo } from '../../extraction/structured/types.ts';
import type { RunContext } from './handlers.ts';

/**
 * Builds the run-wide extract context. Token symbols and decimals already in the graph are loaded
 * once (a few thousand rows at most), so a transfers file ingested on its own after a token list
 * still gets exact, scaled amounts.
 */
export async function loadRunContext(
  store: GraphStore,
  options: { chainId: number; ingestedAt: number },
): Promise<RunContext> {
  const tokens = createTokenRegistry();
  let after: string | null = null;
  for (;;) {
    const page = await store.findNodes({ kind: 'Token' }, { first: 500, after });
    for (const { node } of page.edges) tokens.set(node.id, tokenInfo(node.attrs, node.name));
    if (!page.hasNextPage || page.edges.length === 0) break;
    after = page.edges[page.edges.length - 1]!.cursor;
  }
  return {
    ingestedAt: options.ingestedAt,
    chainId: options.chainId,
    tokens,
    chains: createChainRegistry(),
    blockTimes: new Map(),
  };
}

function tokenInfo(attrs: Record<string, unknown>, name: string): TokenInfo {
  const decimals = attrs.decimals;
  return {
    name,
    symbol: typeof attrs.symbol === 'string' ? attrs.symbol : null,
    decimals: typeof decimals === 'number' && Number.isInteger(decimals) ? decimals : null,
    ...(attrs.standard === 'erc721' ? { standard: 'erc721' as const } : {}),
  };
}
