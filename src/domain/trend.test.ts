import { describe, expect, it } from "vitest";
import { monthEndsUntil } from "./dates.ts";
import { onTrackShare } from "./trend.ts";

describe("monthEndsUntil", () => {
  it.each([
    ["2026-01-01", "2026-03-15", ["2026-01-31", "2026-02-28", "2026-03-15"]],
    ["2024-01-10", "2024-03-01", ["2024-01-31", "2024-02-29", "2024-03-01"]],
    ["2025-11-01", "2026-01-31", ["2025-11-30", "2025-12-31", "2026-01-31"]],
    ["2026-07-01", "2026-07-01", ["2026-07-01"]],
  ])("from %s until %s", (start, until, expected) => {
    expect(monthEndsUntil(start, until)).toEqual(expected);
  });
});

describe("onTrackShare", () => {
  it("counts started, measured, live goals; on track and achieved are good", () => {
    const point = onTrackShare("2026-06-30", [
      { state: "active", status: "on_track" },
      { state: "active", status: "achieved" },
      { state: "active", status: "at_risk" },
      { state: "active", status: "off_track" },
      { state: "active", status: "not_started" }, // not counted
      { state: "active", status: "no_data" }, // not counted
      { state: "active", status: null }, // not counted
      { state: "draft", status: "on_track" }, // not counted
      { state: "cancelled", status: "off_track" }, // not counted
      { state: "achieved", status: "achieved" },
    ]);
    // 3 good of 5 counted
    expect(point).toEqual({ date: "2026-06-30", counted: 5, onTrack: 3, share: 0.6 });
  });

  it("has no share when nothing counts", () => {
    expect(onTrackShare("2026-01-31", [{ state: "active", status: "not_started" }]).share).toBeNull();
  });
});
