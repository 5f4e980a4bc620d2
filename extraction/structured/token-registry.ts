/** The in-memory TokenRegistry: what the run knows about token symbols and decimals so far. */
import type { TokenInfo, TokenRegistry } from './types.ts';

/**
 * A Map-backed registry keyed by token node id (`eip155:1/erc20:0x…`). A later `set` replaces an
 * earlier one field by field, except that a null never erases a known value: a token list that
 * omits decimals must not make transfers of that token unscalable again.
 */
export function createTokenRegistry(initial?: Iterable<readonly [string, TokenInfo]>): TokenRegistry & { readonly size: number } {
  const tokens = new Map<string, TokenInfo>();
  const registry = {
    get(id: string): TokenInfo | undefined {
      return tokens.get(id);
    },
    set(id: string, info: TokenInfo): void {
      const old = tokens.get(id);
      tokens.set(id, old === undefined ? { ...info } : {
        name: info.name ?? old.name,
        symbol: info.symbol ?? old.symbol,
        decimals: info.decimals ?? old.decimals,
        standard: info.standard ?? old.standard,
      });
    },
    entries(): Iterable<readonly [string, TokenInfo]> {
      return tokens.entries();
    },
    get size(): number {
      return tokens.size;
    },
  };
  for (const [id, info] of initial ?? []) registry.set(id, info);
  return registry;
}
