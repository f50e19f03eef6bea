import { describe, expect, it } from "vitest";
import { computePace, computeStatus, DEFAULT_BANDS, type ProgressStatus } from "./status.ts";

describe("computePace", () => {
  it.each([
    [0.45, 0.5, 0.9],
    [0.75, 0.5, 1.5],
    [0, 0.5, 0],
    [null, 0.5, null],
    [0.3, 0, null],
  ])("a = %s, e = %s → %s", (a, e, pace) => {
    expect(computePace(a, e)).toBe(pace);
  });
});

describe("computeStatus", () => {
  const before = { asOf: "2026-06-30", due: "2026-12-31", thresholdAttainment: null };
  it.each<[string, number | null, number, ProgressStatus]>([
    ["pace exactly 0.9 is on track", 0.45, 0.5, "on_track"],
    ["pace 0.9 with floating-point noise (0.09 / 0.1 = 0.8999…) is on track", 0.09, 0.1, "on_track"],
    ["pace 1.2 is on track", 0.6, 0.5, "on_track"],
    ["pace 0.88 is at risk", 0.44, 0.5, "at_risk"],
    ["pace exactly 0.7 is at risk", 0.35, 0.5, "at_risk"],
    ["pace 0.68 is off track", 0.34, 0.5, "off_track"],
    ["going backwards is off track", -0.2, 0.5, "off_track"],
    ["nothing expected yet is not started", 0.3, 0, "not_started"],
    ["nothing expected and no data is not started", null, 0, "not_started"],
    ["no attainment is no data", null, 0.4, "no_data"],
    ["target reached early is achieved", 1, 0.5, "achieved"],
    ["overshoot early is achieved", 1.2, 0.5, "achieved"],
  ])("before due: %s", (_name, attainment, expected, status) => {
    expect(computeStatus({ ...before, attainment, expected })).toBe(status);
  });

  it.each<[string, string, number | null, number | null, ProgressStatus]>([
    ["target reached on the due date", "2026-12-31", 1, null, "achieved"],
    ["overshoot after the due date", "2027-01-15", 1.3, 0.5, "achieved"],
    ["threshold reached", "2026-12-31", 0.8, 0.5, "partially_achieved"],
    ["exactly at threshold", "2026-12-31", 0.5, 0.5, "partially_achieved"],
    ["below threshold", "2026-12-31", 0.4, 0.5, "missed"],
    ["short of target without a threshold", "2026-12-31", 0.99, null, "missed"],
    ["no data at the due date", "2026-12-31", null, 0.5, "missed"],
  ])("at or after due: %s", (_name, asOf, attainment, thresholdAttainment, status) => {
    expect(computeStatus({ asOf, due: "2026-12-31", attainment, expected: 1, thresholdAttainment })).toBe(
      status,
    );
  });

  it("uses the organisation's bands", () => {
    const strict = { onTrack: 0.95, atRisk: 0.8 };
    expect(computeStatus({ ...before, attainment: 0.45, expected: 0.5 }, strict)).toBe("at_risk");
    expect(computeStatus({ ...before, attainment: 0.39, expected: 0.5 }, strict)).toBe("off_track");
    expect(DEFAULT_BANDS).toEqual({ onTrack: 0.9, atRisk: 0.7 });
  });
});
