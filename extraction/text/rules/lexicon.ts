/**
 * The small, hand-kept word lists behind the offline rule extractor: tickers, exchanges, protocol
 * names and the generic nouns ("an attacker", "the protocol") that must never become entities.
 * Deliberately short: the rules favour precision, and an LLM pass is the way to broader recall.
 */
import type { EntityKind } from '../../../schema/ontology.ts';

/** Upper-case words read as tickers on their own (without `$` or a preceding amount). */
export const KNOWN_TICKERS: ReadonlySet<string> = new Set([
  'ETH', 'WETH', 'BTC', 'WBTC', 'BNB', 'WBNB', 'USDT', 'USDC', 'DAI', 'BUSD', 'FRAX', 'LUSD', 'TUSD',
  'MATIC', 'POL', 'AVAX', 'FTM', 'SOL', 'ARB', 'OP', 'LINK', 'UNI', 'AAVE', 'CRV', 'CVX', 'MKR', 'COMP',
  'SUSHI', 'LDO', 'STETH', 'RETH', 'CBETH', 'PEPE', 'SHIB', 'DOGE', 'XRP', 'ADA', 'TRX', 'TON', 'APE',
  'GMX', 'MIM', 'SPELL', 'CAKE', 'WINR', 'USDE', 'PYUSD', 'FDUSD',
]);

/** Dollar-pegged tokens (the taxonomy files them under Stablecoin). */
export const STABLECOINS: ReadonlySet<string> = new Set([
  'USDT', 'USDC', 'DAI', 'BUSD', 'FRAX', 'LUSD', 'TUSD', 'USDE', 'PYUSD', 'FDUSD', 'MIM', 'BSC-USD',
]);

/** Centralised exchanges, by normalised name. */
export const EXCHANGES: ReadonlySet<string> = new Set([
  'binance', 'coinbase', 'kraken', 'okx', 'bybit', 'kucoin', 'huobi', 'htx', 'gemini', 'bitfinex',
  'upbit', 'bithumb', 'gate io', 'crypto com', 'ftx', 'bitstamp', 'mexc', 'bitget', 'poloniex',
  'coinex', 'wazirx', 'dmm bitcoin', 'bitmart', 'coinbase pro', 'robinhood',
]);

/** Protocols whose names carry no telling suffix, by normalised name. */
export const PROTOCOLS: ReadonlySet<string> = new Set([
  'uniswap', 'curve', 'aave', 'compound', 'euler', 'balancer', 'sushiswap', 'makerdao', 'maker',
  'lido', 'multichain', 'wormhole', 'ronin', 'nomad', 'mango markets', 'radiant', 'platypus',
  'dforce', 'sentiment', 'orbit', 'kyberswap', 'poly network', 'harmony', 'bonqdao', 'jimbos',
  'sonne', 'onyx', 'velocore', 'penpie', 'prisma', 'seneca', 'woofi', 'hedgey', 'li fi', 'socket',
  'exactly', 'conic', 'morpho', 'gamma', 'paraswap', 'biswap', 'telcoin', 'raft', 'shezmu',
  'deltaprime', 'uwu lend', 'uwulend', 'sumer money', 'openleverage', 'cow', 'cow swap', 'abracadabra',
  'yearn', 'convex', 'frax', 'gmx', 'dydx', 'pancakeswap', 'trader joe', 'velodrome', 'aerodrome',
  'stargate', 'tornado cash', 'synapse', 'hop', 'across', 'celer', 'thorchain', 'atomic wallet', 'bedrock', 'polter',
]);

/** Name endings that mark a DeFi protocol ("Polter Finance", "KyberSwap", "BonqDAO"). */
export const PROTOCOL_SUFFIX = /(?:finance|protocol|swap|dao|exchange|dex|lend|lending|bridge|vault|vaults|markets|fi)$/i;

/**
 * Words that look like names at the start of a sentence or stand for an unnamed actor; a span made
 * only of these is not an entity ("The attacker", "Hackers", "It").
 */
export const GENERIC_WORDS: ReadonlySet<string> = new Set([
  'the', 'a', 'an', 'this', 'that', 'these', 'those', 'its', 'their', 'his', 'her', 'it', 'they', 'he',
  'she', 'we', 'i', 'someone', 'somebody', 'attacker', 'attackers', 'hacker', 'hackers', 'exploiter',
  'exploiters', 'thief', 'thieves', 'scammer', 'scammers', 'team', 'protocol', 'project', 'contract',
  'pool', 'vault', 'on', 'in', 'at', 'by', 'after', 'before', 'during', 'yesterday', 'today', 'later',
  'earlier', 'meanwhile', 'however', 'also', 'then', 'reportedly', 'allegedly', 'according', 'per',
  'unknown', 'an', 'one', 'two', 'several', 'some', 'both', 'all', 'most', 'last', 'next', 'first',
  'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'q1', 'q2', 'q3', 'q4',
  'january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october',
  'november', 'december', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct',
  'nov', 'dec', 'while', 'when', 'as', 'and', 'or', 'but', 'so', 'if', 'of', 'for', 'with', 'from',
  'to', 'into', 'onto', 'over', 'via', 'user', 'users', 'funds', 'wallet', 'address', 'hot',
]);

/** Whether a bare upper-case word is a ticker we recognise on its own. */
export function isKnownTicker(word: string): boolean {
  return KNOWN_TICKERS.has(word.toUpperCase()) && word === word.toUpperCase();
}

/**
 * The kind a name most likely has, from the lists above: a centralised exchange, a protocol (by
 * list or suffix), else `fallback` (what the grammatical role suggests).
 */
export function kindForName(normalised: string, fallback: EntityKind): EntityKind {
  if (EXCHANGES.has(normalised)) return 'Exchange';
  if (PROTOCOLS.has(normalised)) return 'Protocol';
  const compact = normalised.replace(/ /g, '');
  if (PROTOCOL_SUFFIX.test(compact) && compact.length > 4) return 'Protocol';
  return fallback;
}
