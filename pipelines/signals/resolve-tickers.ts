/**
 * Tickers → graph entities, as of a time: the Asset a price series created (`asset:crypto:ETH`,
 * `asset:equity:MSFT`, by the same symbol rules as ingest, or any Asset whose symbol is the ticker) and every ERC-20 Token whose symbol is
 * the ticker (one per chain it is deployed on). A ticker matching none of them is unknown.
 */
import type { GraphStore } from '../../graph/graph-store.ts';
import { assetForSymbol } from '../../extraction/structured/assets.ts';

export interface ResolvedTicker {
  ticker: string;
  /** The asset when there is one, else the first token; all of them in `entityIds`. */
  entityId: string;
  entityIds: string[];
}

export interface UnknownTicker {
  ticker: string;
  reason: string;
}

const TICKER = /^[A-Z0-9._^=&-]{1,32}$/;
/** Nodes of a kind read per ticker (a token has one per chain, and names contain look-alikes). */
const READ_LIMIT = 100;

/** Normalises a ticker for matching (trimmed, upper case). */
export function normalizeTicker(ticker: string): string {
  return ticker.trim().toUpperCase();
}

/** Resolves one ticker; `reason` says why it is unknown. */
export async function resolveTicker(graph: GraphStore, raw: string, asOf: number): Promise<ResolvedTicker | UnknownTicker> {
  const ticker = normalizeTicker(raw);
  if (!TICKER.test(ticker)) return { ticker: raw, reason: 'not a ticker: use 1 to 32 letters, digits or . _ ^ = & -' };
  const ids: string[] = [];
  let assetIdOf: string | null = null;
  try {
    assetIdOf = assetForSymbol(ticker).id;
  } catch {
    // A ticker no series could be named by (e.g. containing &) can still be a token symbol.
  }
  if (assetIdOf !== null && (await graph.getNode(assetIdOf, { asOf })) !== null) ids.push(assetIdOf);
  // Assets by their symbol too (a crypto ticker the symbol table does not know is read as equity),
  // then ERC-20 tokens by symbol; assets first.
  for (const kind of ['Asset', 'Token'] as const) {
    const page = await graph.findNodes({ kind, nameContains: ticker }, { first: READ_LIMIT }, { asOf });
    for (const { node } of page.edges) {
      const symbol = typeof node.attrs.symbol === 'string' ? node.attrs.symbol : node.name;
      if (normalizeTicker(symbol) === ticker && !ids.includes(node.id)) ids.push(node.id);
    }
  }
  if (!ids.length) return { ticker, reason: 'no Asset or Token with this ticker is known as of asOf' };
  return { ticker, entityId: ids[0]!, entityIds: ids };
}

export function isResolved(r: ResolvedTicker | UnknownTicker): r is ResolvedTicker {
  return 'entityId' in r;
}
