import { describe, expect, it } from "vitest";
import { computeScore, computeScorecard, DEFAULT_MAX_SCORE, validateScorecardWeights } from "./score.ts";

describe("computeScore", () => {
  const full = { thresholdAttainment: 0.5, stretchAttainment: 1.5, maxScore: DEFAULT_MAX_SCORE };
  it.each([
    [null, null],
    [-1, 0],
    [0.4, 0],
    [0.5, 50],
    [0.75, 75],
    [1, 100],
    [1.25, 125],
    [1.5, 150],
    [2, 150],
  ])("threshold 0.5, stretch 1.5: a = %s → %s", (a, score) => {
    expect(computeScore(a, full)).toBe(score);
  });

  it.each([
    ["threshold 0.6, a = 0.8 → 50 + 50·0.2/0.4", { ...full, thresholdAttainment: 0.6 }, 0.8, 75],
    ["just under the threshold by rounding counts as at it", full, 0.5 - 1e-12, 50],
    ["no threshold: the line from (0, 0)", { ...full, thresholdAttainment: null }, 0.3, 30],
    ["no threshold: negative → 0", { ...full, thresholdAttainment: null }, -0.2, 0],
    ["no threshold: stretch still counts", { ...full, thresholdAttainment: null }, 1.25, 125],
    ["no stretch: capped at 100", { ...full, stretchAttainment: null }, 1.3, 100],
    ["stretch not beyond target is ignored", { ...full, stretchAttainment: 1 }, 1.3, 100],
    ["threshold at or above target is ignored", { ...full, thresholdAttainment: 1 }, 0.4, 40],
    ["max score 200, stretch 2, a = 1.5", { ...full, stretchAttainment: 2, maxScore: 200 }, 1.5, 150],
    ["threshold at baseline: a = 0 → 50", { ...full, thresholdAttainment: 0 }, 0, 50],
  ])("%s", (_name, curve, a, score) => {
    expect(computeScore(a, curve)).toBeCloseTo(score, 9);
  });
});

describe("scorecards", () => {
  it("weight-averages the scores: 120·50 + 80·30 + 50·20 over 100 = 94", () => {
    const items = [
      { score: 120, weight: 50 },
      { score: 80, weight: 30 },
      { score: 50, weight: 20 },
    ];
    expect(computeScorecard(items)).toEqual({ score: 94, weightTotal: 100 });
  });

  it("leaves out items without a score and reports the weight that was scored", () => {
    const items = [
      { score: 120, weight: 50 },
      { score: 80, weight: 30 },
      { score: null, weight: 20 },
    ];
    expect(computeScorecard(items)).toEqual({ score: 105, weightTotal: 80 });
    expect(computeScorecard([{ score: null, weight: 100 }])).toEqual({ score: null, weightTotal: 0 });
    expect(computeScorecard([])).toEqual({ score: null, weightTotal: 0 });
  });

  it.each([
    [[50, 30, 20], null],
    [[33.3, 33.3, 33.4], null],
    [[100], null],
    [[50, 30], "weights must add up to 100 (they add up to 80)"],
    [[], "a scorecard needs at least one weighted goal"],
    [[-10, 110], "weight 1 must be a number of at least 0 (it is -10)"],
    [[Number.NaN, 100], "weight 1 must be a number of at least 0 (it is NaN)"],
  ])("validateScorecardWeights(%j) → %s", (weights, message) => {
    expect(validateScorecardWeights(weights)).toBe(message);
  });
});
