/**
 * Token metadata (token lists, MetaMask's contract map) → curated Token nodes. Also teaches the
 * run's TokenRegistry the token's symbol and decimals, so transfers extracted later in the same run
 * are scaled. These records carry no time of their own, so they are recorded at the ingest time.
 */
import { chainId, tokenId } from '../../schema/ids.ts';
import { NamePriority } from '../../schema/graph.ts';
import type { TokenMeta } from '../../schema/records.ts';
import { relation, type Provenance } from './facts.ts';
import { chainNode, checksum } from './nodes.ts';
import type { ExtractContext, ExtractOutput, RecordExtractor } from './types.ts';

export const TOKEN_METADATA_EXTRACTOR = 'token-metadata';
export const TOKEN_METADATA_VERSION = '1';

/** One token's metadata → Token node, its chain, an `ON_CHAIN` fact, and a registry entry. */
export function extractTokenMeta(meta: TokenMeta, _line: number, ctx: ExtractContext): ExtractOutput {
  const prov: Provenance = { sourceId: ctx.sourceId, extractor: TOKEN_METADATA_EXTRACTOR, extractorVersion: TOKEN_METADATA_VERSION };
  const id = tokenId(meta.chainId, meta.address);
  const recordedAt = ctx.ingestedAt;
  // Registering is the one side effect extractors have: it is what makes token files ingested
  // before transfer files in one run useful, and it is idempotent.
  ctx.tokens.set(id, { name: meta.name, symbol: meta.symbol, decimals: meta.decimals });
  return {
    nodes: [
      {
        id,
        kind: 'Token',
        name: meta.name,
        namePriority: NamePriority.curated,
        aliases: [meta.symbol],
        attrs: { address: checksum(meta.address), chainId: meta.chainId, symbol: meta.symbol, decimals: meta.decimals },
        validFrom: null,
        recordedAt,
        sourceId: ctx.sourceId,
      },
      chainNode(meta.chainId, ctx.chains.name(meta.chainId), recordedAt, ctx.sourceId),
    ],
    events: [],
    facts: [relation(prov, {
      subject: id, type: 'ON_CHAIN', predicate: 'on chain', object: chainId(meta.chainId),
      validFrom: null, recordedAt,
    })],
    issues: [],
  };
}

/** RecordExtractor for `token-metadata` and `token-list` files. */
export const tokenMetaExtractor: RecordExtractor<TokenMeta> = {
  name: TOKEN_METADATA_EXTRACTOR,
  version: TOKEN_METADATA_VERSION,
  extract: extractTokenMeta,
};
