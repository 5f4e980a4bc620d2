/**
 * Turns the names a model wrote into graph nodes with canonical ids: EVM addresses become CAIP-10
 * accounts (or CAIP-19 tokens), tickers become the registry's token when its symbol matches, the
 * rest `ent:<kind>:<name>` nodes. Anything it cannot place is dropped with an issue naming it.
 */
import { NamePriority, type Millis, type NodeInput } from '../../../schema/graph.ts';
import { namedEntityId, normalizeAddress, normalizeName, tokenId } from '../../../schema/ids.ts';
import type { EntityKind } from '../../../schema/ontology.ts';
import { accountNode, addressNode, tokenNode } from '../../structured/nodes.ts';
import type { ExtractIssue, TokenInfo, TokenRegistry } from '../../structured/types.ts';
import { mapKind, TEXT_ENTITY_KINDS } from './llm-vocabulary.ts';

/**
 * The run's token registry: tickers are linked to known tokens by symbol through `entries()`; a
 * ticker no token carries becomes an `ent:token:<SYMBOL>` node for resolution to link later.
 */
export type TextTokenRegistry = TokenRegistry;

const ADDRESS = /(?<![0-9a-zA-Z])0x[0-9a-fA-F]{40}(?![0-9a-zA-Z])/;
const TX_HASH = /(?<![0-9a-zA-Z])0x[0-9a-fA-F]{64}(?![0-9a-zA-Z])/g;
const TICKER = /^\$?([A-Za-z][A-Za-z0-9]{1,9})$/;
/** Longer "names" are sentences or garbage, not entities. */
const MAX_NAME_CHARS = 200;

/** Lower-cased tx hashes in a text, in order of appearance, without repeats. */
export function txHashesIn(text: string): string[] {
  return [...new Set([...text.matchAll(TX_HASH)].map((m) => m[0].toLowerCase()))];
}

export interface LinkerOptions {
  chainId: number;
  /** The chain each lower-case address is already known on (see RulesContext.addressChains). */
  addressChains?: ReadonlyMap<string, number>;
  recordedAt: Millis;
  sourceId: string;
  chunkId: string;
  tokens?: TextTokenRegistry;
}

export class TextLinker {
  readonly nodes: NodeInput[] = [];
  readonly issues: ExtractIssue[];
  readonly #o: LinkerOptions;
  /** Names (normalised) already placed in this chunk, so later passes reuse the same node. */
  readonly #byName = new Map<string, NodeInput>();
  #symbols: Map<string, string[]> | undefined;

  constructor(options: LinkerOptions, issues: ExtractIssue[]) {
    this.#o = options;
    this.issues = issues;
  }

  /** The node already placed for `name` in this chunk, if any. */
  known(name: string): NodeInput | undefined {
    return this.#byName.get(normalizeName(name));
  }

  /** A node for `name` of the model's `kind` word, or null (with an issue) when it cannot be placed. */
  resolve(name: string, kindWord: string, pass: string): NodeInput | null {
    const trimmed = name.trim();
    const key = normalizeName(trimmed);
    if (key === '' || trimmed.length > MAX_NAME_CHARS) {
      this.#issue('bad-entity-name', `${pass}: entity name "${trimmed.slice(0, 80)}" is empty or too long; dropped`);
      return null;
    }
    const seen = this.#byName.get(key);
    if (seen) return seen;
    const kind = mapKind(kindWord);
    const node = ADDRESS.test(trimmed) ? this.#address(trimmed, kind, pass) : this.#named(trimmed, kind, kindWord, pass);
    if (node === null) return null;
    this.#byName.set(key, node);
    this.nodes.push(node);
    return node;
  }

  #address(name: string, kind: EntityKind | null, pass: string): NodeInput | null {
    const address = ADDRESS.exec(name)![0];
    let lower: string;
    try {
      lower = normalizeAddress(address);
    } catch (err) {
      this.#issue('bad-address', `${pass}: entity "${name}" dropped: ${(err as Error).message}`);
      return null;
    }
    const { recordedAt, sourceId } = this.#o;
    const chainId = this.#o.addressChains?.get(lower) ?? this.#o.chainId;
    const node = kind === 'Token'
      ? tokenNode(chainId, lower, this.#o.tokens?.get(tokenId(chainId, lower)), recordedAt, sourceId)
      : kind === 'Contract' || kind === 'Pool'
        ? addressNode(kind, chainId, lower, recordedAt, sourceId)
        : accountNode(chainId, lower, recordedAt, sourceId);
    return name === address ? node : { ...node, aliases: [name] };
  }

  #named(name: string, kind: EntityKind | null, kindWord: string, pass: string): NodeInput | null {
    if (kind === null) {
      this.#issue('unknown-kind', `${pass}: entity "${name}" has kind "${kindWord.slice(0, 40)}", not one of ${TEXT_ENTITY_KINDS.join(', ')} or a known synonym; dropped`);
      return null;
    }
    const ticker = TICKER.exec(name);
    if (ticker && (kind === 'Token' || kind === 'Asset') && (name.startsWith('$') || name === name.toUpperCase())) {
      return this.ticker(ticker[1]!.toUpperCase(), kind);
    }
    return this.#node(namedEntityId(kind, name), kind, name, {});
  }

  /** The registry's token when exactly one on this chain has `symbol`; else a Token/Asset node by name. */
  ticker(symbol: string, kind: 'Token' | 'Asset' = 'Token'): NodeInput {
    const ids = this.#symbolIndex().get(symbol) ?? [];
    if (ids.length === 1) {
      const id = ids[0]!;
      const address = id.slice(id.lastIndexOf(':') + 1);
      return tokenNode(this.#o.chainId, address, this.#o.tokens?.get(id), this.#o.recordedAt, this.#o.sourceId);
    }
    if (ids.length > 1) this.#issue('ambiguous-ticker', `${symbol} matches ${ids.length} registry tokens on chain ${this.#o.chainId}; kept by name`);
    return this.#node(namedEntityId(kind, symbol), kind, symbol, { symbol });
  }

  /** A token node for an amount's unit, registered under its symbol so later mentions reuse it. */
  unitToken(symbol: string): NodeInput {
    const key = normalizeName(symbol);
    const seen = this.#byName.get(key);
    if (seen) return seen;
    const node = this.ticker(symbol.toUpperCase());
    this.#byName.set(key, node);
    this.nodes.push(node);
    return node;
  }

  #symbolIndex(): Map<string, string[]> {
    if (this.#symbols) return this.#symbols;
    this.#symbols = new Map();
    const prefix = `eip155:${this.#o.chainId}/erc20:`;
    for (const [id, info] of this.#o.tokens?.entries() ?? []) {
      if (!id.startsWith(prefix) || !info.symbol) continue;
      const symbol = info.symbol.toUpperCase();
      this.#symbols.set(symbol, [...(this.#symbols.get(symbol) ?? []), id]);
    }
    return this.#symbols;
  }

  #node(id: string, kind: EntityKind, name: string, attrs: Record<string, unknown>): NodeInput {
    return { id, kind, name, namePriority: NamePriority.fallback, attrs, validFrom: null, recordedAt: this.#o.recordedAt, sourceId: this.#o.sourceId };
  }

  #issue(code: string, reason: string): void {
    this.issues.push({ line: null, code, reason: `chunk ${this.#o.chunkId}, ${reason}`, severity: 'warning' });
  }
}
