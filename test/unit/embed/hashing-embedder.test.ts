import { describe, expect, it } from 'vitest';
import { cosine } from '../../../extraction/embed/embedder.ts';
import { HashingEmbedder } from '../../../extraction/embed/hashing-embedder.ts';
import { InvalidArgumentError } from '../../../schema/errors.ts';

const norm = (v: Float32Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

describe('HashingEmbedder', () => {
  const embedder = new HashingEmbedder();

  it('defaults to 256 dimensions and names itself after them', async () => {
    expect(embedder.dimensions).toBe(256);
    expect(embedder.model).toBe('hashing-v1-d256');
    const custom = new HashingEmbedder({ dimensions: 64 });
    expect(custom.model).toBe('hashing-v1-d64');
    const [v] = await custom.embed(['Uniswap v3 pool']);
    expect(v).toBeInstanceOf(Float32Array);
    expect(v!.length).toBe(64);
  });

  it('rejects unusable dimensions and n-gram ranges', () => {
    expect(() => new HashingEmbedder({ dimensions: 1 })).toThrow(InvalidArgumentError);
    expect(() => new HashingEmbedder({ dimensions: 100.5 })).toThrow(InvalidArgumentError);
    expect(() => new HashingEmbedder({ charNgrams: [4, 3] })).toThrow(InvalidArgumentError);
  });

  it('is deterministic across calls and instances', async () => {
    const text = 'Tether minted 1B USDT on Tron';
    const [a] = await embedder.embed([text]);
    const [b] = await new HashingEmbedder().embed([text]);
    expect(Array.from(b!)).toEqual(Array.from(a!));
    // Pinned values: a change here means stored vectors are no longer comparable — bump the version.
    expect([5, 9, 11, 15].map((i) => a![i]!.toFixed(4))).toEqual(['0.0998', '0.0998', '0.0998', '-0.0998']);
    expect([0, 1, 2, 3].map((i) => a![i])).toEqual([0, 0, 0, 0]);
  });

  it('returns unit vectors, in input order, and [] for no input', async () => {
    const texts = ['Curve Finance', 'Binance listed PEPE', 'a', 'ETH/USD fell 12% in an hour'];
    const vectors = await embedder.embed(texts);
    expect(vectors).toHaveLength(4);
    for (const v of vectors) expect(norm(v)).toBeCloseTo(1, 5);
    expect(Array.from(vectors[1]!)).toEqual(Array.from(embedder.embedOne('Binance listed PEPE')));
    expect(await embedder.embed([])).toEqual([]);
  });

  it('normalises Unicode and case before hashing', () => {
    // NFKC folds full-width letters and digits.
    expect(Array.from(embedder.embedOne('ＣＵＲＶＥ ６１Ｍ'))).toEqual(Array.from(embedder.embedOne('curve 61m')));
  });

  it('places similar texts closer than unrelated ones', () => {
    const a = embedder.embedOne('Curve Finance exploited for 61M');
    const b = embedder.embedOne('Curve pool exploit drained 61 million');
    const c = embedder.embedOne('S&P 500 rose 2%');
    expect(cosine(a, b)).toBeGreaterThan(cosine(a, c) + 0.1);
    expect(cosine(b, a)).toBeGreaterThan(cosine(b, c) + 0.1);
    expect(cosine(a, a)).toBeCloseTo(1, 5);
  });

  it('embeds non-Latin scripts through character n-grams', () => {
    const zhA = embedder.embedOne('曲线金融遭到黑客攻击，损失六千万美元');
    const zhB = embedder.embedOne('黑客攻击曲线金融，损失约六千万美元');
    const zhC = embedder.embedOne('标普五百指数今天上涨百分之二');
    for (const v of [zhA, zhB, zhC]) expect(norm(v)).toBeCloseTo(1, 5);
    expect(cosine(zhA, zhB)).toBeGreaterThan(cosine(zhA, zhC));

    const ruA = embedder.embedOne('Биржа Binance приостановила вывод средств');
    const ruB = embedder.embedOne('Binance приостанавливает вывод средств с биржи');
    const ruC = embedder.embedOne('Индекс S&P 500 вырос на два процента');
    expect(cosine(ruA, ruB)).toBeGreaterThan(cosine(ruA, ruC));

    // Astral-plane characters (emoji, CJK extension B) are code points, never half a surrogate pair.
    expect(norm(embedder.embedOne('🚀🚀 𠀀𠀁 moon'))).toBeCloseTo(1, 5);
  });

  it('maps empty, whitespace-only and punctuation-only text to the zero vector, never NaN', async () => {
    const vectors = await embedder.embed(['', '   \n\t', '—!?…', 'ok']);
    for (const v of vectors.slice(0, 3)) {
      expect(v.length).toBe(256);
      expect(v.every((x) => x === 0)).toBe(true);
    }
    expect(vectors.flatMap((v) => Array.from(v)).some(Number.isNaN)).toBe(false);
    expect(cosine(vectors[0]!, vectors[3]!)).toBe(0);
  });

  it('handles large inputs and truncates past maxChars', () => {
    const sentence = 'The exploiter moved 3,000 ETH through Tornado Cash after draining the Curve pool. ';
    const big = sentence.repeat(20_000); // ~1.7 MB, past the default maxChars
    const v = embedder.embedOne(big);
    expect(norm(v)).toBeCloseTo(1, 5);
    expect(cosine(v, embedder.embedOne(sentence.repeat(50)))).toBeGreaterThan(0.99);
    const small = new HashingEmbedder({ maxChars: 10 });
    expect(Array.from(small.embedOne('Curve Finance was exploited'))).toEqual(Array.from(small.embedOne('Curve Fina')));
  });

  it('weighs repeats sublinearly by default', () => {
    const linear = new HashingEmbedder({ sublinearTf: false });
    const once = 'curve exploit';
    const repeated = 'curve curve curve curve curve curve exploit';
    // With 1 + ln(tf), the repeated word dominates less, so the texts stay closer.
    expect(cosine(embedder.embedOne(once), embedder.embedOne(repeated))).toBeGreaterThan(
      cosine(linear.embedOne(once), linear.embedOne(repeated)),
    );
  });
});

describe('createEmbedder', () => {
  it('falls back to the hashing embedder without a configured model', async () => {
    const { createEmbedder } = await import('../../../extraction/embed/create-embedder.ts');
    const { OpenAiEmbedder } = await import('../../../extraction/embed/openai-embedder.ts');
    expect(createEmbedder({ dimensions: 128 })).toBeInstanceOf(HashingEmbedder);
    expect(createEmbedder({ dimensions: 128, openai: { model: null, baseURL: 'http://x/v1' } }).model).toBe('hashing-v1-d128');
    const remote = createEmbedder({ dimensions: 128, openai: { model: 'nomic-embed-text', baseURL: 'http://127.0.0.1:1/v1' } });
    expect(remote).toBeInstanceOf(OpenAiEmbedder);
    expect(remote.dimensions).toBe(128);
  });
});
