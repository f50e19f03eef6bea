import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { attainmentOfValue, computeAttainment, type GoalMeasure, validateMeasure } from "./attainment.ts";

describe("computeAttainment: worked examples", () => {
  it.each<[string, GoalMeasure, number | null]>([
    ["engagement 67 → 75, now 71", { kind: "level", baseline: 67, target: 75, value: 71 }, 0.5],
    ["engagement at target", { kind: "level", baseline: 67, target: 75, value: 75 }, 1],
    ["engagement overshoot 77", { kind: "level", baseline: 67, target: 75, value: 77 }, 1.25],
    ["engagement fell to 63", { kind: "level", baseline: 67, target: 75, value: 63 }, -0.5],
    ["cycle time 10 → 6 days, now 8", { kind: "level", baseline: 10, target: 6, value: 8 }, 0.5],
    ["cycle time now 11 (worse)", { kind: "level", baseline: 10, target: 6, value: 11 }, -0.25],
    ["no value yet", { kind: "level", baseline: 67, target: 75, value: null }, null],
    ["revenue 250,000 of 1,000,000", { kind: "flow", target: 1_000_000, total: 250_000 }, 0.25],
    ["revenue 1,100,000 of 1,000,000", { kind: "flow", target: 1_000_000, total: 1_100_000 }, 1.1],
    ["revenue not reported", { kind: "flow", target: 1_000_000, total: null }, null],
    ["uptime 99.5 within [99, 100]", { kind: "range", min: 99, max: 100, value: 99.5 }, 1],
    ["at the range minimum", { kind: "range", min: 99, max: 100, value: 99 }, 1],
    ["at the range maximum", { kind: "range", min: 99, max: 100, value: 100 }, 1],
    ["below the range", { kind: "range", min: 99, max: 100, value: 98.9 }, 0],
    ["range without value", { kind: "range", min: 99, max: 100, value: null }, null],
    ["milestone done", { kind: "milestone", done: true }, 1],
    ["milestone not done", { kind: "milestone", done: false }, 0],
    ["rubric 3 of 5", { kind: "rubric", levels: 5, level: 3 }, 0.5],
    ["rubric 1 of 5", { kind: "rubric", levels: 5, level: 1 }, 0],
    ["rubric 5 of 5", { kind: "rubric", levels: 5, level: 5 }, 1],
    ["rubric 2 of 2", { kind: "rubric", levels: 2, level: 2 }, 1],
    ["rubric not assessed", { kind: "rubric", levels: 4, level: null }, null],
  ])("%s", (_name, measure, expected) => {
    expect(computeAttainment(measure)).toBe(expected);
  });

  it.each<[string, GoalMeasure, string]>([
    ["target equals baseline", { kind: "level", baseline: 5, target: 5, value: 5 }, "target must differ"],
    ["flow target 0", { kind: "flow", target: 0, total: 10 }, "target must not be zero"],
    ["range min above max", { kind: "range", min: 5, max: 4, value: 4 }, "range minimum"],
    ["rubric with one level", { kind: "rubric", levels: 1, level: 1 }, "at least 2"],
    ["rubric level out of range", { kind: "rubric", levels: 5, level: 6 }, "between 1 and 5"],
    ["non-finite value", { kind: "level", baseline: 1, target: 2, value: Number.NaN }, "finite"],
  ])("rejects %s with a RangeError", (_name, measure, message) => {
    expect(validateMeasure(measure)).toContain(message);
    expect(() => computeAttainment(measure)).toThrow(RangeError);
  });
});

describe("attainmentOfValue", () => {
  it.each<[string, GoalMeasure, number, number | null]>([
    ["engagement threshold 71", { kind: "level", baseline: 67, target: 75, value: null }, 71, 0.5],
    ["engagement stretch 79", { kind: "level", baseline: 67, target: 75, value: null }, 79, 1.5],
    ["cycle time threshold 9", { kind: "level", baseline: 10, target: 6, value: null }, 9, 0.25],
    ["cycle time stretch 4", { kind: "level", baseline: 10, target: 6, value: null }, 4, 1.5],
    ["revenue threshold 800,000", { kind: "flow", target: 1_000_000, total: null }, 800_000, 0.8],
    ["rubric threshold level 4 of 5", { kind: "rubric", levels: 5, level: null }, 4, 0.75],
    ["range has no threshold axis", { kind: "range", min: 1, max: 2, value: null }, 1.5, null],
    ["milestone has no threshold axis", { kind: "milestone", done: false }, 1, null],
  ])("%s", (_name, measure, x, expected) => {
    expect(attainmentOfValue(measure, x)).toBe(expected);
  });

  it("ignores the current value but still rejects target = baseline", () => {
    expect(attainmentOfValue({ kind: "level", baseline: 1, target: 2, value: Number.NaN }, 1.5)).toBe(0.5);
    expect(() => attainmentOfValue({ kind: "level", baseline: 2, target: 2, value: null }, 1)).toThrow(
      RangeError,
    );
  });
});

describe("properties", () => {
  const num = fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });

  it("level attainment is monotone in the value in the goal's direction", () => {
    fc.assert(
      fc.property(num, num, num, num, (baseline, target, v1, v2) => {
        fc.pre(baseline !== target);
        const [lo, hi] = v1 <= v2 ? [v1, v2] : [v2, v1];
        const a = (value: number) => computeAttainment({ kind: "level", baseline, target, value }) as number;
        if (target > baseline) expect(a(lo)).toBeLessThanOrEqual(a(hi));
        else expect(a(lo)).toBeGreaterThanOrEqual(a(hi));
      }),
    );
  });

  it("flow attainment is monotone in the total (increasing for a positive target)", () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 1e9, noNaN: true }), num, num, (target, v1, v2) => {
        const [lo, hi] = v1 <= v2 ? [v1, v2] : [v2, v1];
        const a = (total: number) => computeAttainment({ kind: "flow", target, total }) as number;
        expect(a(lo)).toBeLessThanOrEqual(a(hi));
      }),
    );
  });

  it("the baseline attains 0 and the target attains 1", () => {
    fc.assert(
      fc.property(num, num, (baseline, target) => {
        fc.pre(baseline !== target);
        expect(computeAttainment({ kind: "level", baseline, target, value: baseline })).toBe(0);
        expect(computeAttainment({ kind: "level", baseline, target, value: target })).toBe(1);
      }),
    );
  });
});
