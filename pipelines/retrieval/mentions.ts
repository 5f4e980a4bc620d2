/**
 * Exact identifiers named in a question, found by pattern alone (no store): EVM addresses (a
 * mixed-case address must carry a valid EIP-55 checksum, else it is ignored), transaction hashes,
 * tickers and CAIP / asset ids written out verbatim.
 */
import { isKnownTicker } from '../../extraction/text/rules/lexicon.ts';
import { normalizeAddress, normalizeTxHash } from '../../schema/ids.ts';

export interface Mentions {
  /** Lower-cased addresses with a valid (or no) checksum. */
  addresses: string[];
  /** Lower-cased 32-byte transaction hashes. */
  txHashes: string[];
  /** Upper-cased ticker symbols (`$XYZ`, or a known ticker written in capitals). */
  tickers: string[];
  /** CAIP-2/10/19 ids and `asset:` ids as written (hex lower-cased). */
  ids: string[];
}

const ADDRESS = /(?<![0-9a-zA-Z:])0x[0-9a-fA-F]{40}(?![0-9a-zA-Z])/g;
const TX_HASH = /(?<![0-9a-zA-Z:])0x[0-9a-fA-F]{64}(?![0-9a-zA-Z])/g;
const CAIP = /(?<![0-9a-zA-Z])eip155:\d{1,12}(?:(?::|\/erc(?:20|721):)0x[0-9a-fA-F]{40})?(?![0-9a-zA-Z])/g;
const ASSET = /(?<![0-9a-zA-Z])asset:[a-z0-9_-]+:[A-Za-z0-9._^=-]*[A-Za-z0-9^=]/g;
const TICKER = /(?<![\p{L}\p{N}$])(\$?)([A-Za-z][A-Za-z0-9]{1,9})(?![\p{L}\p{N}])/gu;

/**
 * The exact identifiers in `question`, each kind de-duplicated in order of first mention.
 * @example extractMentions('Did $PEPE or 0xef1c…6bf6 move?').tickers // ['PEPE']
 */
export function extractMentions(question: string): Mentions {
  const addresses = new Set<string>();
  for (const m of question.matchAll(ADDRESS)) {
    try {
      addresses.add(normalizeAddress(m[0]));
    } catch {
      // A bad checksum is a typo or a different address: never guess which.
    }
  }
  const txHashes = new Set<string>();
  for (const m of question.matchAll(TX_HASH)) txHashes.add(normalizeTxHash(m[0]));
  const ids = new Set<string>();
  for (const m of question.matchAll(CAIP)) ids.add(m[0].toLowerCase());
  for (const m of question.matchAll(ASSET)) {
    const [, market, symbol] = m[0].split(':');
    ids.add(`asset:${market}:${symbol!.toUpperCase()}`);
  }
  const tickers = new Set<string>();
  const withoutIds = question.replace(CAIP, ' ').replace(ASSET, ' ').replace(/0x[0-9a-fA-F]+/g, ' ');
  for (const m of withoutIds.matchAll(TICKER)) {
    const [, dollar, word] = m;
    if (dollar === '$' ? /^[A-Za-z][A-Za-z0-9]*$/.test(word!) : isKnownTicker(word!)) tickers.add(word!.toUpperCase());
  }
  return { addresses: [...addresses], txHashes: [...txHashes], tickers: [...tickers], ids: [...ids] };
}
