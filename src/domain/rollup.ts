/**
 * Rollup: a goal's attainment and expected attainment from the goals that support it.
 */

export type RollupMode = "weighted_mean" | "weakest" | "own_metric";

export type RollupChild = { attainment: number | null; expected: number; weight: number };

export type RollupResult = { attainment: number | null; expected: number };

export const DEFAULT_ROLLUP_CAP = 1;

function usableWeight(w: number): number {
  return w > 0 && Number.isFinite(w) ? w : 0;
}

/**
 * The rollup over children held in parallel arrays (`a[i]` is NaN for a child without attainment).
 * The single implementation behind `rollup` and the whole-graph recompute.
 */
export function rollupArrays(
  mode: "weighted_mean" | "weakest",
  n: number,
  a: ArrayLike<number>,
  e: ArrayLike<number>,
  w: ArrayLike<number>,
  cap: number,
): RollupResult {
  if (n === 0) return { attainment: null, expected: 0 };
  let positive = 0;
  for (let i = 0; i < n; i++) positive += usableWeight(w[i] as number);
  // All weights zero (or unusable): count the children equally rather than not at all.
  const equal = positive === 0;
  let weightSum = 0;
  let attainmentSum = 0;
  let expectedSum = 0;
  let weakest = Number.POSITIVE_INFINITY;
  let anyData = false;
  for (let i = 0; i < n; i++) {
    const wi = equal ? 1 : usableWeight(w[i] as number);
    if (wi === 0) continue;
    let ai = a[i] as number;
    if (Number.isNaN(ai)) ai = 0;
    else anyData = true;
    const capped = Math.min(ai, cap);
    weightSum += wi;
    attainmentSum += wi * capped;
    expectedSum += wi * (e[i] as number);
    if (capped < weakest) weakest = capped;
  }
  const expected = expectedSum / weightSum;
  if (!anyData) return { attainment: null, expected };
  return { attainment: mode === "weakest" ? weakest : attainmentSum / weightSum, expected };
}

/**
 * Roll the children's figures up into their parent's.
 *
 * - weighted_mean: `a = Σ wᵢ·min(aᵢ, cap) / Σ wᵢ` (cap 1 by default, so one child's overshoot does not
 *   hide another's shortfall). Example: a 1.4 (w 50), 0.6 (w 30), 0.2 (w 20), cap 1 →
 *   (50·1 + 30·0.6 + 20·0.2) / 100 = 0.72; uncapped it would be 0.92.
 * - weakest: `a = min(min(aᵢ, cap))`. Same children → 0.2.
 * - expected, both modes: `e = Σ wᵢ·eᵢ / Σ wᵢ`.
 *
 * A child without attainment counts as attainment 0 (no data is no progress), unless no child has
 * data: then the parent has none either (null). Weights that are not positive numbers count as 0; if
 * none is positive, the children count equally. A child with weight 0 is left out of `weakest` too.
 * No children → `{ attainment: null, expected: 0 }`.
 */
export function rollup(
  mode: Exclude<RollupMode, "own_metric">,
  children: RollupChild[],
  cap: number = DEFAULT_ROLLUP_CAP,
): RollupResult {
  const n = children.length;
  const a = new Float64Array(n);
  const e = new Float64Array(n);
  const w = new Float64Array(n);
  for (const [i, child] of children.entries()) {
    a[i] = child.attainment === null ? Number.NaN : child.attainment;
    e[i] = child.expected;
    w[i] = child.weight;
  }
  return rollupArrays(mode, n, a, e, w, cap);
}
