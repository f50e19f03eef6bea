import { describe, expect, it } from "vitest";
import { aggregateForGoal, isFlow, type MeasurementPoint, selectEffective } from "./aggregate.ts";

function point(
  id: string,
  periodStart: string,
  periodEnd: string,
  value: number,
  recordedAt = "2026-01-01T00:00:00Z",
  supersedesId: string | null = null,
): MeasurementPoint {
  return { id, periodStart, periodEnd, value, recordedAt, supersedesId };
}

describe("selectEffective", () => {
  const feb = point("feb", "2026-02-01", "2026-02-28", 90, "2026-03-02T09:00:00Z");
  const march = point("march", "2026-03-01", "2026-03-31", 100, "2026-04-01T09:00:00Z");
  const correction = point("march-fix", "2026-03-01", "2026-03-31", 120, "2026-04-05T09:00:00Z", "march");
  const rows = [feb, march, correction];

  it.each([
    ["before anything was recorded", "2026-03-01T00:00:00Z", []],
    ["after February only", "2026-03-15T00:00:00Z", ["feb"]],
    ["before the correction: what we believed on 2 April", "2026-04-02T00:00:00Z", ["feb", "march"]],
    ["after the correction", "2026-04-06T00:00:00Z", ["feb", "march-fix"]],
    ["exactly when the correction was recorded (inclusive)", "2026-04-05T09:00:00Z", ["feb", "march-fix"]],
    ["the same instant written with an offset", "2026-04-05T11:00:00+02:00", ["feb", "march-fix"]],
    ["a bare date is its first moment (UTC)", "2026-04-05", ["feb", "march"]],
  ])("%s", (_name, knownAt, ids) => {
    expect(selectEffective(rows, knownAt).map((r) => r.id)).toEqual(ids);
  });

  it("follows a chain of corrections to the last one known", () => {
    const second = point("march-fix-2", "2026-03-01", "2026-03-31", 125, "2026-04-09T00:00:00Z", "march-fix");
    const all = [...rows, second];
    expect(selectEffective(all, "2026-04-10T00:00:00Z").map((r) => r.id)).toEqual(["feb", "march-fix-2"]);
    expect(selectEffective(all, "2026-04-06T00:00:00Z").map((r) => r.id)).toEqual(["feb", "march-fix"]);
  });

  it("rejects an unreadable instant", () => {
    expect(() => selectEffective(rows, "yesterday")).toThrow(RangeError);
  });
});

describe("aggregateForGoal", () => {
  const monthly = [
    point("jan", "2026-01-01", "2026-01-31", 300),
    point("feb", "2026-02-01", "2026-02-28", 200),
    point("mar", "2026-03-01", "2026-03-31", 400),
    point("dec", "2025-12-01", "2025-12-31", 250),
  ];

  it.each([
    ["sum Jan–Feb", "sum", "2026-01-01", "2026-02-28", 500, ["jan", "feb"]],
    ["sum leaves out February until it has ended", "sum", "2026-01-01", "2026-02-27", 300, ["jan"]],
    [
      "sum leaves out December (before the window)",
      "sum",
      "2026-01-01",
      "2026-03-31",
      900,
      ["jan", "feb", "mar"],
    ],
    ["sum of nothing yet is null", "sum", "2026-04-01", "2026-04-15", null, []],
    ["average Jan–Mar", "average", "2026-01-01", "2026-03-31", 300, ["jan", "feb", "mar"]],
    ["min Jan–Mar", "min", "2026-01-01", "2026-03-31", 200, ["jan", "feb", "mar"]],
    ["max Jan–Mar", "max", "2026-01-01", "2026-03-31", 400, ["jan", "feb", "mar"]],
    ["average of nothing is null", "average", "2026-04-01", "2026-04-30", null, []],
    ["last as of 31 March", "last", "2026-01-01", "2026-03-31", 400, ["mar"]],
    ["last as of 30 March is February", "last", "2026-01-01", "2026-03-30", 200, ["feb"]],
    ["last carries the baseline forward", "last", "2026-01-01", "2026-01-15", 250, ["dec"]],
    ["last before any point is null", "last", "2025-01-01", "2025-11-30", null, []],
  ] as const)("%s", (_name, aggregation, from, asOf, value, used) => {
    expect(aggregateForGoal(monthly, aggregation, from, asOf)).toEqual({ value, used: [...used] });
  });

  it("last prefers the shorter period, then the later recording, on the same end date", () => {
    const points = [
      point("month", "2026-03-01", "2026-03-31", 10),
      point("week", "2026-03-25", "2026-03-31", 12),
      point("week-again", "2026-03-25", "2026-03-31", 13, "2026-04-02T00:00:00Z"),
    ];
    expect(aggregateForGoal(points, "last", "2026-01-01", "2026-04-30")).toEqual({
      value: 13,
      used: ["week-again"],
    });
    expect(aggregateForGoal(points.slice(0, 2), "last", "2026-01-01", "2026-04-30").value).toBe(12);
  });
});

describe("isFlow", () => {
  it.each([
    ["sum", true],
    ["average", false],
    ["last", false],
    ["min", false],
    ["max", false],
  ] as const)("%s → %s", (aggregation, flow) => {
    expect(isFlow(aggregation)).toBe(flow);
  });
});
