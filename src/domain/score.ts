import { reaches } from "./status.ts";

/** Where threshold and stretch sit on the attainment axis, and the score at stretch. */
export type ScoreCurve = {
  thresholdAttainment: number | null;
  stretchAttainment: number | null;
  /** score at stretch and beyond; default 150 */
  maxScore: number;
};

export const DEFAULT_MAX_SCORE = 150;

/** Score at the threshold and at the target. */
export const THRESHOLD_SCORE = 50;
export const TARGET_SCORE = 100;

/**
 * Score of an attainment: piecewise-linear through (threshold, 50), (1, 100), (stretch, maxScore),
 * flat at maxScore beyond stretch, 0 below threshold. Not rounded. Null when attainment is null.
 *
 * - No threshold (or one not below the target, which is ignored): the line (0, 0) → (1, 100),
 *   0 for a ≤ 0.
 * - No stretch (or one not beyond the target, which is ignored): capped at 100.
 *
 * Example, threshold 0.5, stretch 1.5, max 150: a = 0.4 → 0; 0.5 → 50; 0.75 → 75; 1 → 100;
 * 1.25 → 125; 1.5 → 150; 2 → 150. Threshold 0.6: a = 0.8 → 50 + 50 · (0.8 − 0.6) / 0.4 = 75.
 */
export function computeScore(attainment: number | null, curve: ScoreCurve): number | null {
  if (attainment === null) return null;
  const a = attainment;
  const t = curve.thresholdAttainment;
  const s = curve.stretchAttainment;
  if (a > 1) {
    if (s === null || !(s > 1)) return TARGET_SCORE;
    if (a >= s) return curve.maxScore;
    return TARGET_SCORE + ((curve.maxScore - TARGET_SCORE) * (a - 1)) / (s - 1);
  }
  if (t === null || !(t < 1)) return a <= 0 ? 0 : TARGET_SCORE * a;
  if (!reaches(a, t)) return 0;
  // Within TOLERANCE below the threshold counts as at it (50), never a little under.
  return THRESHOLD_SCORE + ((TARGET_SCORE - THRESHOLD_SCORE) * Math.max(0, a - t)) / (1 - t);
}

/**
 * Problems with a scorecard's weights (percent), as a message, or null when they are fine: each
 * weight a non-negative finite number, at least one goal, and the total 100 (within 0.000001).
 * Example: [50, 30, 20] → null; [50, 30] → "weights must add up to 100 (they add up to 80)".
 */
export function validateScorecardWeights(weights: number[]): string | null {
  if (weights.length === 0) return "a scorecard needs at least one weighted goal";
  for (const [i, w] of weights.entries()) {
    if (!Number.isFinite(w) || w < 0) return `weight ${i + 1} must be a number of at least 0 (it is ${w})`;
  }
  const total = weights.reduce((s, w) => s + w, 0);
  if (Math.abs(total - 100) > 1e-6) return `weights must add up to 100 (they add up to ${total})`;
  return null;
}

/**
 * Weight-averaged score `Σ wᵢ·sᵢ / Σ wᵢ` over the items that have a score. Items without a score are
 * left out and `weightTotal` reports the weight that was scored (100 for a complete scorecard), so a
 * caller can show "scored on 60 % of the weight". No scored weight → score null.
 * Example: scores 120 (weight 50), 80 (30), 50 (20) → (6000 + 2400 + 1000) / 100 = 94.
 */
export function computeScorecard(items: { score: number | null; weight: number }[]): {
  score: number | null;
  weightTotal: number;
} {
  let weighted = 0;
  let weightTotal = 0;
  for (const item of items) {
    if (item.score === null || !(item.weight > 0)) continue;
    weighted += item.weight * item.score;
    weightTotal += item.weight;
  }
  return { score: weightTotal === 0 ? null : weighted / weightTotal, weightTotal };
}
