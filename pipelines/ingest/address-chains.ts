/**
 * Which chain an address named in text lives on. Text rarely says ("the attacker 0x3cc1…"), while
 * the structured graph knows: the incident row put that attacker on Base. Linking the text to
 * `eip155:8453:0x3cc1…` instead of minting `eip155:1:0x3cc1…` is what makes a document and the
 * data meet on one node.
 *
 * The chains tried are the run's default chain first, then every `Chain` node of the graph in
 * ascending chain id order; the first chain where the address exists as an account/contract or a
 * token wins (deterministic; an address on several chains links to the default or the lowest id).
 * Answers are cached for the run, so each address costs its lookups once.
 */
import type { GraphStore } from '../../graph/graph-store.ts';
import { normalizeAddress } from '../../schema/ids.ts';

const ADDRESS = /(?<![0-9a-zA-Z])0x[0-9a-fA-F]{40}(?![0-9a-zA-Z])/g;
/** Ids per `exists` call: well under SQLite's bound-parameter limit. */
const IDS_PER_LOOKUP = 500;
const CHAIN_PAGE = 500;

export class AddressChains {
  readonly #store: GraphStore;
  readonly #defaultChain: number;
  #chains: Promise<number[]> | null = null;
  readonly #known = new Map<string, Promise<number | null>>();

  constructor(store: GraphStore, defaultChain: number) {
    this.#store = store;
    this.#defaultChain = defaultChain;
  }

  /** Lower-case address → chain id, for the addresses in `text` that the graph already has. */
  async resolve(text: string): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const addresses = new Set<string>();
    for (const m of text.matchAll(ADDRESS)) {
      try {
        addresses.add(normalizeAddress(m[0]));
      } catch {
        // A bad checksum: the extractor reports it; nothing to link.
      }
    }
    for (const address of addresses) {
      let known = this.#known.get(address);
      if (!known) this.#known.set(address, (known = this.#lookup(address)));
      const chain = await known;
      if (chain !== null) out.set(address, chain);
    }
    return out;
  }

  async #lookup(address: string): Promise<number | null> {
    const chains = await (this.#chains ??= this.#loadChains());
    const candidates = chains.flatMap((c) => [`eip155:${c}:${address}`, `eip155:${c}/erc20:${address}`]);
    for (let i = 0; i < candidates.length; i += IDS_PER_LOOKUP) {
      const slice = candidates.slice(i, i + IDS_PER_LOOKUP);
      const found = await this.#store.exists(slice);
      const hit = slice.find((id) => found.has(id));
      if (hit !== undefined) return Number(/^eip155:(\d+)/.exec(hit)![1]);
    }
    return null;
  }

  async #loadChains(): Promise<number[]> {
    const ids = new Set<number>();
    let after: string | null = null;
    for (;;) {
      const page = await this.#store.findNodes({ kind: 'Chain' }, { first: CHAIN_PAGE, after });
      for (const { node } of page.edges) {
        const m = /^eip155:(\d+)$/.exec(node.id);
        if (m) ids.add(Number(m[1]));
      }
      if (!page.hasNextPage || page.edges.length === 0) break;
      after = page.edges.at(-1)!.cursor;
    }
    ids.delete(this.#defaultChain);
    return [this.#defaultChain, ...[...ids].sort((a, b) => a - b)];
  }
}
