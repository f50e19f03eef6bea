import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "../../../domain/progress.ts";
import { endOfDayInZone, formulaOf, type GoalFacts, parsePolicy, toGoalMeasure } from "./progress.inputs.ts";

const base: GoalFacts = {
  id: "g",
  kind: "metric",
  state: "active",
  metricId: "m",
  aggregation: "last",
  scopeType: "org",
  scopeId: "o",
  baselineValue: 67,
  targetValue: 75,
  stretchValue: null,
  thresholdValue: null,
  rangeMin: null,
  rangeMax: null,
  rubricLevels: null,
  startDate: "2026-01-01",
  dueDate: "2026-12-31",
  checkpoints: [],
  rollupMode: "weighted_mean",
  version: 1,
};
const read = { value: 71, milestoneDone: null, rubricLevel: null };

describe("toGoalMeasure", () => {
  it.each([
    ["level metric", base, { kind: "level", baseline: 67, target: 75, value: 71 }],
    [
      "flow metric",
      { ...base, aggregation: "sum", targetValue: 1000 },
      { kind: "flow", target: 1000, total: 71 },
    ],
    ["level without baseline", { ...base, baselineValue: null }, null],
    ["metric goal without target", { ...base, targetValue: null }, null],
    [
      "range",
      { ...base, kind: "range", rangeMin: 70, rangeMax: 80 },
      { kind: "range", min: 70, max: 80, value: 71 },
    ],
    ["milestone without a check-in", { ...base, kind: "milestone" }, { kind: "milestone", done: false }],
    ["rubric", { ...base, kind: "rubric", rubricLevels: 5 }, { kind: "rubric", levels: 5, level: null }],
    ["rollup", { ...base, kind: "rollup" }, null],
  ] as const)("%s", (_name, facts, expected) => {
    expect(toGoalMeasure(facts as GoalFacts, read)).toEqual(expected);
  });
});

describe("endOfDayInZone", () => {
  it.each([
    ["2026-03-31", "Europe/Amsterdam", "2026-03-31T21:59:59.999Z"],
    ["2026-01-15", "Europe/Amsterdam", "2026-01-15T22:59:59.999Z"],
    // the night the clocks go forward: the day ends at 22:00 UTC all the same
    ["2026-03-29", "Europe/Amsterdam", "2026-03-29T21:59:59.999Z"],
    ["2026-07-01", "UTC", "2026-07-01T23:59:59.999Z"],
    ["2026-07-01", "America/New_York", "2026-07-02T03:59:59.999Z"],
  ])("%s in %s ends at %s", (date, zone, instant) => {
    expect(endOfDayInZone(date, zone)).toBe(instant);
  });
});

describe("parsePolicy", () => {
  it("merges the organisation's numbers over the defaults and ignores what it cannot use", () => {
    expect(parsePolicy({})).toEqual(DEFAULT_POLICY);
    expect(parsePolicy(null)).toEqual(DEFAULT_POLICY);
    expect(parsePolicy({ bands: { onTrack: 0.95 }, maxScore: 200 })).toEqual({
      ...DEFAULT_POLICY,
      bands: { ...DEFAULT_POLICY.bands, onTrack: 0.95 },
      maxScore: 200,
    });
    expect(parsePolicy({ rollupCap: "high" })).toEqual(DEFAULT_POLICY);
  });
});

describe("formulaOf", () => {
  it("names the formula that produced the figure", () => {
    expect(formulaOf({ kind: "level", baseline: 1, target: 2, value: 1 }, 0, "weighted_mean")).toBe(
      "a = (v − b) / (t − b)",
    );
    expect(formulaOf({ kind: "flow", target: 2, total: 1 }, 0, "weighted_mean")).toBe("a = V / t");
    expect(formulaOf(null, 2, "weakest")).toContain("min(");
    expect(formulaOf({ kind: "flow", target: 2, total: 1 }, 2, "own_metric")).toBe("a = V / t");
    expect(formulaOf(null, 0, "weighted_mean")).toContain("no attainment");
  });
});
