/**
 * A seeded pseudo-random source (mulberry32) so the demo organisation is the same on every machine:
 * same seed and size, same rows. Never use it for anything secret.
 */
export type Rng = {
  /** uniform in [0, 1) */
  next: () => number;
  /** uniform in [min, max) */
  between: (min: number, max: number) => number;
  /** whole number in [min, max] */
  int: (min: number, max: number) => number;
  chance: (p: number) => boolean;
  pick: <T>(items: readonly T[]) => T;
  /** standard normal (Box–Muller) */
  normal: () => number;
  /** `n` distinct items in a random order (n is capped at the list's length) */
  sample: <T>(items: readonly T[], n: number) => T[];
};

export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => {
    if (items.length === 0) throw new RangeError("pick from an empty list");
    return items[Math.floor(next() * items.length)] as T;
  };
  return {
    next,
    between: (min, max) => min + next() * (max - min),
    int,
    chance: (p) => next() < p,
    pick,
    normal: () => {
      const u = Math.max(next(), 1e-12);
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
    sample: <T>(items: readonly T[], n: number): T[] => {
      const copy = [...items];
      const k = Math.min(n, copy.length);
      for (let i = 0; i < k; i++) {
        const j = i + Math.floor(next() * (copy.length - i));
        [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
      }
      return copy.slice(0, k);
    },
  };
}

/**
 * UUIDv7-shaped ids from a seeded source: the timestamp counts up one millisecond per id from
 * `startMs`, so ids sort in the order they were made (cursor pagination relies on that) and a run
 * is reproducible.
 */
export function createIdMaker(seed: number, startMs: number): () => string {
  const rng = createRng(seed ^ 0x5eed1d);
  let ms = startMs;
  const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");
  const rand16 = () => Math.floor(rng.next() * 0x10000);
  return () => {
    ms += 1;
    const t = hex(ms, 12);
    const randA = hex(0x7000 | (rand16() & 0x0fff), 4);
    const randB = hex(0x8000 | (rand16() & 0x3fff), 4);
    return `${t.slice(0, 8)}-${t.slice(8, 12)}-${randA}-${randB}-${hex(rand16(), 4)}${hex(rand16(), 4)}${hex(rand16(), 4)}`;
  };
}
