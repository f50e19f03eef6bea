import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkFrequency,
  checkOutlier,
  checkRange,
  checkStepChange,
  checkUnitSanity,
  periodIndex,
  type RowContext,
  validateRow,
} from "./checks.ts";
import type { ValidationRules } from "./rules.ts";
import { createSeriesHistory } from "./series-history.ts";

const prev = (value: number, periodStart = "2026-01-01") => ({ periodStart, periodEnd: periodStart, value });
const row = (over: Partial<RowContext>): RowContext => ({
  value: 0,
  periodStart: "2026-02-01",
  unit: "score",
  period: "month",
  previous: null,
  history: [],
  duplicateOf: null,
  ...over,
});

describe("range", () => {
  const rules: ValidationRules = { range: { min: 0, max: 100, action: "quarantine" } };
  it.each([
    [-0.5, "quarantine", "below the allowed minimum 0"],
    [0, null, ""],
    [100, null, ""],
    [120, "quarantine", "above the allowed maximum 100"],
  ])("%s → %s", (value, outcome, message) => {
    const f = checkRange(rules, value);
    expect(f?.outcome ?? null).toBe(outcome);
    if (f) expect(f.message).toContain(message);
  });
  it("an open end checks only the other; off checks nothing", () => {
    expect(checkRange({ range: { max: 5, action: "flag" } }, -1e9)).toBeNull();
    expect(checkRange({ range: { min: 0, max: 5, action: "off" } }, 99)).toBeNull();
    expect(checkRange({}, 99)).toBeNull();
  });
});

describe("step change", () => {
  it.each([
    // maxAbsolute 10: 80 → 91 is 11 too many; 80 → 90 fits
    [{ maxAbsolute: 10 }, 80, 91, 11],
    [{ maxAbsolute: 10 }, 80, 90, null],
    // maxPercent 20: 80 → 100 is +25 %; 80 → 96 is +20 % exactly; 80 → 60 is −25 %
    [{ maxPercent: 20 }, 80, 100, 20],
    [{ maxPercent: 20 }, 80, 96, null],
    [{ maxPercent: 20 }, 80, 60, 20],
    // from zero any change is unbounded
    [{ maxPercent: 1000 }, 0, 1, 1000],
    [{ maxPercent: 0 }, 0, 0, null],
  ])("%j: %s → %s", (limits, p, v, limit) => {
    const f = checkStepChange({ stepChange: { ...limits, action: "flag" } }, v, prev(p));
    if (limit === null) expect(f).toBeNull();
    else {
      expect(f?.outcome).toBe("flag");
      expect(f?.details.change).toBe(Math.abs(v - p));
    }
  });
  it("names the change in the message: 80 → 100 is 25 %", () => {
    const f = checkStepChange({ stepChange: { maxPercent: 20, action: "flag" } }, 100, prev(80));
    expect(f?.message).toContain("changes by 25 % from the previous value 80 (2026-01-01)");
    expect(f?.details.percent).toBe(25);
  });
  it("no previous value, nothing to compare", () => {
    expect(checkStepChange({ stepChange: { maxAbsolute: 0, action: "flag" } }, 5, null)).toBeNull();
  });
});

describe("frequency (missing data)", () => {
  it.each([
    ["month", "2026-01-01", "2026-02-01", 0],
    ["month", "2026-01-01", "2026-04-01", 2],
    ["month", "2025-11-01", "2026-02-01", 2],
    ["quarter", "2025-10-01", "2026-04-01", 1],
    ["week", "2026-01-05", "2026-01-12", 0], // Monday to the next Monday
    ["week", "2026-01-05", "2026-01-26", 2],
    ["week", "2026-01-04", "2026-01-05", 0], // Sunday, then Monday: consecutive ISO weeks
    ["day", "2026-02-27", "2026-03-02", 2], // 28 Feb, 1 Mar missing (2026 is not a leap year)
  ] as const)("%s: %s then %s → %s missing", (period, before, at, missing) => {
    expect(periodIndex(period, at) - periodIndex(period, before) - 1).toBe(missing);
    const f = checkFrequency(
      { frequency: { action: "flag" } },
      row({ period, periodStart: at, previous: prev(1, before) }),
    );
    if (missing === 0) expect(f).toBeNull();
    else expect(f?.details.missingPeriods).toBe(missing);
  });
  it("tolerates up to maxMissingPeriods", () => {
    const ctx = row({ periodStart: "2026-04-01", previous: prev(1, "2026-01-01") });
    expect(checkFrequency({ frequency: { maxMissingPeriods: 2, action: "flag" } }, ctx)).toBeNull();
    expect(checkFrequency({ frequency: { maxMissingPeriods: 1, action: "flag" } }, ctx)?.message).toBe(
      "missing data: 2 month(s) without a value since the previous one (2026-01-01)",
    );
  });
});

describe("unit sanity (on by default, flag)", () => {
  it.each([
    ["percent", 101, "flag"],
    ["percent", 100, null],
    ["percent", -1, "flag"],
    ["count", -3, "flag"],
    ["duration", -0.1, "flag"],
    ["currency", -500, null],
    ["ratio", -2, null],
    ["score", 1000, null],
  ])("%s %s → %s", (unit, value, outcome) => {
    expect(checkUnitSanity({}, value, unit)?.outcome ?? null).toBe(outcome);
  });
  it("allowances and actions", () => {
    expect(
      checkUnitSanity({ unitSanity: { action: "flag", allowAbove100: true } }, 140, "percent"),
    ).toBeNull();
    expect(
      checkUnitSanity({ unitSanity: { action: "flag", allowNegative: true } }, -5, "percent"),
    ).toBeNull();
    expect(checkUnitSanity({ unitSanity: { action: "off" } }, -5, "count")).toBeNull();
    expect(checkUnitSanity({ unitSanity: { action: "quarantine" } }, -5, "count")?.outcome).toBe(
      "quarantine",
    );
  });
});

describe("outlier (median and MAD)", () => {
  const rules: ValidationRules = { outlier: { action: "quarantine" } };
  const history = [10, 11, 12, 13, 14, 12];
  it.each([
    // median 12, MAD 1: z(20) = 0.6745 · 8 / 1 = 5.396 > 3.5
    [20, 5.396],
    // z(17) = 0.6745 · 5 = 3.3725 ≤ 3.5: inside
    [17, null],
    // z(6) = 0.6745 · −6 = −4.047
    [6, -4.047],
  ])("value %s → z %s", (value, z) => {
    const f = checkOutlier(rules, value, history);
    if (z === null) expect(f).toBeNull();
    else {
      expect(f?.details.z).toBeCloseTo(z, 3);
      expect(f?.details.median).toBe(12);
      expect(f?.details.mad).toBe(1);
    }
  });
  it("threshold, minimum history and window are configurable", () => {
    expect(checkOutlier({ outlier: { action: "flag", threshold: 3 } }, 17, history)?.outcome).toBe("flag");
    expect(checkOutlier({ outlier: { action: "flag" } }, 99, history.slice(0, 5))).toBeNull();
    expect(
      checkOutlier({ outlier: { action: "flag", minHistory: 5 } }, 99, history.slice(0, 5)),
    ).not.toBeNull();
    // only the last 3 values (13, 14, 12: median 13, MAD 1) with window 3: 16 → z = 2.02, inside
    expect(
      checkOutlier({ outlier: { action: "flag", window: 3, minHistory: 3, threshold: 2.1 } }, 16, history),
    ).toBeNull();
  });
  it("a flat history makes any other value an outlier (z infinite)", () => {
    const f = checkOutlier(rules, 5.01, [5, 5, 5, 5, 5, 5]);
    expect(f?.details.z).toBeNull();
    expect(f?.message).toContain("+∞");
  });

  const values = fc.array(fc.integer({ min: -1e6, max: 1e6 }), { minLength: 6, maxLength: 40 });
  it("property: shifting every value (history and row) by the same amount changes nothing", () => {
    fc.assert(
      fc.property(
        values,
        fc.integer({ min: -1e6, max: 1e6 }),
        fc.integer({ min: -1e6, max: 1e6 }),
        (h, x, c) => {
          const a = checkOutlier(rules, x, h);
          const b = checkOutlier(
            rules,
            x + c,
            h.map((v) => v + c),
          );
          expect(b === null).toBe(a === null);
          if (a && b && a.details.z !== null) expect(b.details.z).toBeCloseTo(a.details.z as number, 6);
        },
      ),
    );
  });
  it("property: scaling every value by a positive factor changes nothing", () => {
    fc.assert(
      fc.property(
        values,
        fc.integer({ min: -1e6, max: 1e6 }),
        fc.integer({ min: 1, max: 1000 }),
        (h, x, k) => {
          const a = checkOutlier(rules, x, h);
          const b = checkOutlier(
            rules,
            x * k,
            h.map((v) => v * k),
          );
          expect(b === null).toBe(a === null);
        },
      ),
    );
  });
  it("property: the median of the history is never an outlier", () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.integer({ min: -1e6, max: 1e6 }), { minLength: 6, maxLength: 41 })
          .filter((h) => h.length % 2 === 1),
        (h) => {
          const m = [...h].sort((a, b) => a - b)[h.length >> 1] as number;
          expect(checkOutlier(rules, m, h)).toBeNull();
        },
      ),
    );
  });
});

describe("validateRow: the state follows the strictest finding", () => {
  const rules: ValidationRules = {
    range: { min: 0, max: 100, action: "quarantine" },
    stepChange: { maxAbsolute: 10, action: "flag" },
    duplicate: { action: "quarantine" },
  };
  it.each([
    ["clean", row({ value: 50, previous: prev(45) }), "accepted", []],
    ["a big step flags", row({ value: 70, previous: prev(45) }), "flagged", ["step_change"]],
    [
      "out of range quarantines, the step flags too",
      row({ value: 120, previous: prev(45) }),
      "quarantined",
      ["range", "step_change"],
    ],
    [
      "duplicate",
      row({ value: 45, previous: prev(45), duplicateOf: { describe: "measurement x" } }),
      "quarantined",
      ["duplicate"],
    ],
    [
      "unit sanity is on by default",
      row({ value: -1, unit: "count" }),
      "quarantined",
      ["range", "unit_sanity"],
    ],
  ])("%s → %s", (_name, ctx, state, rulesFound) => {
    const got = validateRow(rules, ctx);
    expect(got.state).toBe(state);
    expect(got.findings.map((f) => f.rule)).toEqual(rulesFound);
  });
  it("no rules: everything sane is accepted", () => {
    expect(validateRow({}, row({ value: 1e12, previous: prev(1) })).state).toBe("accepted");
  });
});

describe("series history", () => {
  const m = (periodStart: string, value: number) => ({ periodStart, periodEnd: periodStart, value });
  it("previous and history before a period; puts keep the order; a correction replaces", () => {
    const h = createSeriesHistory([m("2026-03-01", 3), m("2026-01-01", 1)]);
    expect(h.before("2026-03-01", 10)).toEqual({ previous: m("2026-01-01", 1), history: [1] });
    h.put(m("2026-02-01", 2));
    expect(h.before("2026-04-01", 10)).toEqual({ previous: m("2026-03-01", 3), history: [1, 2, 3] });
    h.put(m("2026-02-01", 20));
    expect(h.before("2026-04-01", 2)).toEqual({ previous: m("2026-03-01", 3), history: [20, 3] });
    expect(h.before("2026-01-01", 10)).toEqual({ previous: null, history: [] });
  });

  it("puts after the last value append; the same period as the last replaces it", () => {
    const h = createSeriesHistory([]);
    h.put(m("2026-01-01", 1));
    h.put(m("2026-02-01", 2));
    h.put(m("2026-02-01", 5));
    h.put(m("2026-03-01", 3));
    // a week ending on the same day as the monthly values above sorts by its start
    h.put({ periodStart: "2026-02-23", periodEnd: "2026-03-01", value: 9 });
    expect(h.before("2026-04-01", 10)).toEqual({ previous: m("2026-03-01", 3), history: [1, 5, 9, 3] });
  });

  it("trim keeps the latest values only, and later puts and reads go on from them", () => {
    const h = createSeriesHistory([1, 2, 3, 4, 5].map((k) => m(`2026-0${k}-01`, k)));
    h.trim(2);
    expect(h.before("2026-12-01", 10)).toEqual({ previous: m("2026-05-01", 5), history: [4, 5] });
    h.put(m("2026-06-01", 6));
    expect(h.before("2026-12-01", 10)).toEqual({ previous: m("2026-06-01", 6), history: [4, 5, 6] });
    h.trim(10);
    expect(h.before("2026-12-01", 10).history).toEqual([4, 5, 6]);
    h.trim(0);
    expect(h.before("2026-12-01", 10)).toEqual({ previous: null, history: [] });
  });
});
