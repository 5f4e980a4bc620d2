/**
 * Market symbols → Asset ids. Price files name series loosely (`ETH`, `ETH-USD`, `BTCUSDT`,
 * `^GSPC`, `SP500`, `MSFT`); this maps them to one id per asset so that every file about ETH
 * lands on `asset:crypto:ETH`.
 */
import { assetId } from '../../schema/ids.ts';

/** What a symbol resolves to. `symbol` is the canonical ticker used in summaries. */
export interface AssetRef {
  id: string;
  name: string;
  market: 'crypto' | 'index' | 'equity';
  symbol: string;
}

/** Crypto tickers we recognise, with display names. */
const CRYPTO: Readonly<Record<string, string>> = {
  BTC: 'Bitcoin', ETH: 'Ethereum', BNB: 'BNB', SOL: 'Solana', XRP: 'XRP', ADA: 'Cardano',
  DOGE: 'Dogecoin', DOT: 'Polkadot', AVAX: 'Avalanche', MATIC: 'Polygon', POL: 'Polygon',
  LTC: 'Litecoin', LINK: 'Chainlink', UNI: 'Uniswap', ATOM: 'Cosmos', XLM: 'Stellar', TRX: 'TRON',
  BCH: 'Bitcoin Cash', ETC: 'Ethereum Classic', XMR: 'Monero', USDT: 'Tether', USDC: 'USD Coin',
  DAI: 'Dai', SHIB: 'Shiba Inu', TON: 'Toncoin', NEAR: 'NEAR Protocol', FIL: 'Filecoin',
  APT: 'Aptos', ARB: 'Arbitrum', OP: 'Optimism', AAVE: 'Aave', MKR: 'Maker', CRV: 'Curve',
  WBTC: 'Wrapped Bitcoin', WETH: 'Wrapped Ether',
};

/** Spellings of the S&P 500 index (Yahoo's ^GSPC, the SPX ticker, file names like sp500). */
const SP500_ALIASES = new Set(['SP500', 'SPX', 'GSPC', 'SNP500', 'SANDP500', 'SPX500', 'S&P500']);

/** Quote currencies stripped from pair tickers such as ETHUSD or BTCUSDT. */
const QUOTES = ['USDT', 'USDC', 'USD', 'EUR'];

function crypto(base: string): AssetRef {
  return { id: assetId('crypto', base), name: CRYPTO[base] ?? base, market: 'crypto', symbol: base };
}

/** The asset a series symbol stands for; unknown tickers are taken to be equities. */
export function assetForSymbol(symbol: string): AssetRef {
  const s = symbol.trim().toUpperCase();
  const parts = s.split(/[^A-Z0-9.&^=]+/).filter((p) => p !== '');
  const first = (parts[0] ?? s).replace(/^\^/, '');
  if (SP500_ALIASES.has(s.replace(/[^A-Z0-9&]/g, '')) || SP500_ALIASES.has(first)) {
    return { id: assetId('index', 'SPX'), name: 'S&P 500', market: 'index', symbol: 'SPX' };
  }
  if (CRYPTO[first] !== undefined) return crypto(first);
  for (const quote of QUOTES) {
    const base = first.endsWith(quote) ? first.slice(0, -quote.length) : '';
    if (base !== '' && CRYPTO[base] !== undefined) return crypto(base);
  }
  // Keep the whole ticker when it is a valid id symbol (BRK-B, BRK.B); else its first word.
  const ticker = /^[A-Z0-9._^=-]+$/.test(s) ? s : first;
  return { id: assetId('equity', ticker), name: ticker, market: 'equity', symbol: ticker };
}
