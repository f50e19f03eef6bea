import { describe, expect, it } from "vitest";
import { checkSmart, type SmartGoalFacts, type SmartLetter } from "./smart.ts";

const good: SmartGoalFacts = {
  title: "Raise team engagement",
  specificOutcome: "Engagement survey score reaches 75 % by year end",
  ownerId: "person-1",
  level: "team",
  kind: "metric",
  metricId: "metric-engagement",
  baseline: 67,
  target: 75,
  threshold: 71,
  stretch: 79,
  rangeMin: null,
  rangeMax: null,
  rubricLevels: null,
  direction: "increase",
  start: "2026-01-01",
  due: "2026-12-31",
  cycleStart: "2026-01-01",
  cycleEnd: "2026-12-31",
  parentCount: 1,
  checkpoints: [
    { date: "2026-04-01", expected: 0.2 },
    { date: "2026-07-01", expected: 0.5 },
  ],
};

describe("checkSmart", () => {
  it("passes a complete, consistent goal", () => {
    const check = checkSmart(good);
    expect(check.pass).toBe(true);
    for (const letter of ["specific", "measurable", "achievable", "relevant", "timeBound"] as const) {
      expect(check[letter]).toEqual({ pass: true, reasons: [] });
    }
  });

  it.each<[string, Partial<SmartGoalFacts>, SmartLetter, string]>([
    ["blank title", { title: "  " }, "specific", "title is missing"],
    [
      "no outcome",
      { specificOutcome: null },
      "specific",
      "specific outcome is missing or shorter than 10 characters",
    ],
    [
      "short outcome",
      { specificOutcome: "Better" },
      "specific",
      "specific outcome is missing or shorter than 10 characters",
    ],
    ["no owner", { ownerId: null }, "specific", "no owner"],
    ["no metric", { metricId: null }, "measurable", "no metric chosen"],
    ["no baseline", { baseline: null, threshold: null, stretch: null }, "measurable", "baseline is missing"],
    ["no target", { target: null, threshold: null, stretch: null }, "measurable", "target is missing"],
    [
      "target equals baseline",
      { target: 67, threshold: null, stretch: null },
      "measurable",
      "target equals baseline",
    ],
    [
      "range without bounds",
      { kind: "range", rangeMin: 1 },
      "measurable",
      "range minimum or maximum is missing",
    ],
    [
      "inverted range",
      { kind: "range", rangeMin: 5, rangeMax: 5 },
      "measurable",
      "range minimum must be below range maximum",
    ],
    [
      "one-level rubric",
      { kind: "rubric", rubricLevels: 1 },
      "measurable",
      "rubric needs a whole number of levels, at least 2",
    ],
    [
      "decreasing target on an increasing metric",
      { target: 60, threshold: null, stretch: null },
      "achievable",
      "target moves against the metric's direction (increase)",
    ],
    [
      "increasing target on a decreasing metric",
      { direction: "decrease" },
      "achievable",
      "target moves against the metric's direction (decrease)",
    ],
    [
      "threshold beyond target",
      { threshold: 76 },
      "achievable",
      "threshold must lie between baseline and target",
    ],
    [
      "threshold at target",
      { threshold: 75 },
      "achievable",
      "threshold must lie between baseline and target",
    ],
    [
      "threshold below baseline",
      { threshold: 60 },
      "achievable",
      "threshold must lie between baseline and target",
    ],
    ["stretch short of target", { stretch: 74 }, "achievable", "stretch must lie beyond target"],
    [
      "stretch on the wrong side (decreasing goal)",
      { baseline: 10, target: 6, threshold: 8, stretch: 7, direction: "decrease" },
      "achievable",
      "stretch must lie beyond target",
    ],
    ["unaligned team goal", { parentCount: 0 }, "relevant", "not aligned to any goal above it"],
    ["no start", { start: null }, "timeBound", "start date is missing"],
    ["no due date", { due: null }, "timeBound", "due date is missing"],
    ["invalid due date", { due: "2026-02-30" }, "timeBound", "due date is not a valid date (YYYY-MM-DD)"],
    [
      "due before start",
      { start: "2026-06-01", due: "2026-05-01", checkpoints: [] },
      "timeBound",
      "due date must be after the start date",
    ],
    [
      "due outside the cycle",
      { due: "2027-01-01" },
      "timeBound",
      "due date is outside the cycle (2026-01-01 – 2026-12-31)",
    ],
    [
      "start outside the cycle",
      { start: "2025-12-01" },
      "timeBound",
      "start date is outside the cycle (2026-01-01 – 2026-12-31)",
    ],
    [
      "checkpoint after due",
      { checkpoints: [{ date: "2027-02-01", expected: 0.5 }] },
      "timeBound",
      "checkpoint dates must lie between start and due",
    ],
    [
      "checkpoint on the start date",
      { checkpoints: [{ date: "2026-01-01", expected: 0 }] },
      "timeBound",
      "checkpoint dates must lie between start and due",
    ],
    [
      "invalid checkpoint date",
      { checkpoints: [{ date: "2026-13-01", expected: 0.5 }] },
      "timeBound",
      "checkpoint dates must be valid dates (YYYY-MM-DD)",
    ],
    [
      "falling expectations",
      {
        checkpoints: [
          { date: "2026-04-01", expected: 0.6 },
          { date: "2026-07-01", expected: 0.5 },
        ],
      },
      "timeBound",
      "checkpoint expected attainment must not decrease over time",
    ],
    [
      "expectation above 1",
      { checkpoints: [{ date: "2026-04-01", expected: 1.2 }] },
      "timeBound",
      "checkpoint expected attainment must lie between 0 and 1",
    ],
    [
      "two checkpoints on one date",
      {
        checkpoints: [
          { date: "2026-04-01", expected: 0.2 },
          { date: "2026-04-01", expected: 0.3 },
        ],
      },
      "timeBound",
      "two checkpoints share a date",
    ],
  ])("%s", (_name, patch, letter, reason) => {
    const check = checkSmart({ ...good, ...patch });
    expect(check[letter].reasons).toContain(reason);
    expect(check[letter].pass).toBe(false);
    expect(check.pass).toBe(false);
  });

  it.each<[string, Partial<SmartGoalFacts>]>([
    ["a company goal needs no parent", { level: "company", parentCount: 0 }],
    [
      "a milestone needs no metric",
      { kind: "milestone", metricId: null, baseline: null, target: null, threshold: null, stretch: null },
    ],
    [
      "a rollup goal needs no metric",
      { kind: "rollup", metricId: null, baseline: null, target: null, threshold: null, stretch: null },
    ],
    [
      "a valid range",
      { kind: "range", rangeMin: 95, rangeMax: 105, metricId: "m", threshold: null, stretch: null },
    ],
    ["a five-level rubric", { kind: "rubric", rubricLevels: 5 }],
    ["a decreasing goal", { baseline: 10, target: 6, threshold: 8, stretch: 4, direction: "decrease" }],
    ["threshold at the baseline", { threshold: 67 }],
    ["no threshold, no stretch", { threshold: null, stretch: null }],
    ["no cycle given", { cycleStart: null, cycleEnd: null, due: "2027-03-31" }],
    ["no checkpoints", { checkpoints: [] }],
  ])("passes %s", (_name, patch) => {
    const check = checkSmart({ ...good, ...patch });
    expect(check).toMatchObject({ pass: true });
  });

  it("collects several reasons in one letter", () => {
    const check = checkSmart({ ...good, title: "", ownerId: null, specificOutcome: "" });
    expect(check.specific.reasons).toEqual([
      "title is missing",
      "specific outcome is missing or shorter than 10 characters",
      "no owner",
    ]);
    expect(check.measurable.pass).toBe(true);
  });
});
