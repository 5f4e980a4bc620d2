/** A small seeded PRNG (mulberry32): demo and benchmark data must be identical on every machine. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Zipf-like index in [0, n): a few indices are drawn very often (exchange hot wallets, routers),
 * most rarely — the address reuse real transfer data shows.
 */
export function zipfIndex(random: () => number, n: number, skew = 1.2): number {
  // Inverse-CDF of a continuous power law, clamped; cheap and close enough for load shaping.
  const u = random();
  const x = Math.floor(Math.pow(n, Math.pow(u, skew))) - 1;
  return Math.min(n - 1, Math.max(0, x));
}
