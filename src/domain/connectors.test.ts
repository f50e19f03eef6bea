import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  cronFault,
  defaultStaleMinutes,
  discrepancy,
  isDue,
  needsBackup,
  nextRunAt,
  runAbandoned,
  sourceHealth,
} from "./connectors.ts";

const at = (iso: string) => new Date(iso);

describe("nextRunAt", () => {
  it.each([
    [{ every: 15 }, "2026-07-01T09:00:00Z", "UTC", "2026-07-01T09:15:00.000Z"],
    [{ every: 1440 }, "2026-07-01T09:00:00Z", "UTC", "2026-07-02T09:00:00.000Z"],
    [{ cron: "0 6 * * *" }, "2026-07-01T09:00:00Z", "UTC", "2026-07-02T06:00:00.000Z"],
    // 06:00 in Amsterdam is 04:00Z in summer and 05:00Z in winter
    [{ cron: "0 6 * * *" }, "2026-07-01T09:00:00Z", "Europe/Amsterdam", "2026-07-02T04:00:00.000Z"],
    [{ cron: "0 6 * * *" }, "2026-12-01T09:00:00Z", "Europe/Amsterdam", "2026-12-02T05:00:00.000Z"],
    [{ cron: "*/10 * * * *" }, "2026-07-01T09:03:00Z", "UTC", "2026-07-01T09:10:00.000Z"],
    // the night the clocks go forward (29 March 2026): 02:30 does not exist in Amsterdam
    [{ cron: "30 3 * * *" }, "2026-03-28T12:00:00Z", "Europe/Amsterdam", "2026-03-29T01:30:00.000Z"],
  ])("%j after %s in %s → %s", (schedule, after, zone, expected) => {
    expect(nextRunAt(schedule, at(after), zone).toISOString()).toBe(expected);
  });
});

describe("runAbandoned", () => {
  it.each([
    ["running", "2026-07-01T09:14:59Z", false],
    ["running", "2026-07-01T09:15:00Z", true],
    ["running", "2026-07-02T09:00:00Z", true],
    // a finished run is what it is, however old
    ["succeeded", "2026-07-02T09:00:00Z", false],
    ["failed", "2026-07-02T09:00:00Z", false],
  ])("%s since 09:00, at %s → %s", (status, now, abandoned) => {
    expect(runAbandoned(status, at("2026-07-01T09:00:00Z"), at(now))).toBe(abandoned);
  });
});

describe("isDue", () => {
  it.each([
    [null, "2026-07-01T09:00:00Z", false],
    ["2026-07-01T09:00:00Z", "2026-07-01T08:59:59Z", false],
    ["2026-07-01T09:00:00Z", "2026-07-01T09:00:00Z", true],
    ["2026-07-01T09:00:00Z", "2026-07-01T10:00:00Z", true],
  ])("next %s at %s → %s", (next, now, due) => {
    expect(isDue(next === null ? null : at(next), at(now))).toBe(due);
  });
});

describe("cronFault", () => {
  it("accepts five fields and names what is wrong otherwise", () => {
    expect(cronFault("0 6 * * 1-5")).toBeUndefined();
    expect(cronFault("0 6 * *")).toMatch(/five fields/);
    expect(cronFault("0 25 * * *")).toMatch(/not a cron expression/);
  });
});

describe("defaultStaleMinutes", () => {
  it("is three intervals", () => {
    expect(defaultStaleMinutes({ every: 60 })).toBe(180);
    expect(defaultStaleMinutes({ cron: "0 6 * * *" })).toBe(3 * 1440);
    expect(defaultStaleMinutes({ cron: "*/5 * * * *" })).toBe(15);
    expect(defaultStaleMinutes(null)).toBe(7 * 1440);
  });
});

describe("sourceHealth", () => {
  const base = {
    createdAt: at("2026-07-01T08:00:00Z"),
    lastRunAt: null,
    lastSuccessAt: null,
    lastError: null,
    staleAfterMinutes: 60,
  };
  it("pending before the first run, inside the window", () => {
    expect(sourceHealth(base, at("2026-07-01T08:30:00Z"))).toEqual({ state: "pending", reason: null });
  });
  it("stale when it never succeeded within the window", () => {
    const h = sourceHealth(base, at("2026-07-01T09:30:00Z"));
    expect(h.state).toBe("stale");
    expect(h.reason).toBe("no successful run since it was created 90 minutes ago (window 60)");
  });
  it("healthy after a success inside the window; stale 61 minutes later", () => {
    const ok = { ...base, lastRunAt: at("2026-07-01T09:00:00Z"), lastSuccessAt: at("2026-07-01T09:00:00Z") };
    expect(sourceHealth(ok, at("2026-07-01T09:59:00Z")).state).toBe("healthy");
    expect(sourceHealth(ok, at("2026-07-01T10:01:00Z")).reason).toBe(
      "last successful run 61 minutes ago, past its window of 60",
    );
  });
  it("unhealthy with the last run's error, whatever the window", () => {
    const failed = {
      ...base,
      lastRunAt: at("2026-07-01T09:00:00Z"),
      lastSuccessAt: at("2026-07-01T08:30:00Z"),
      lastError: "HTTP 500 from http://x/data",
    };
    const h = sourceHealth(failed, at("2026-07-01T09:01:00Z"));
    expect(h).toEqual({ state: "unhealthy", reason: "HTTP 500 from http://x/data" });
    expect(needsBackup(h)).toBe(true);
    expect(needsBackup({ state: "pending", reason: null })).toBe(false);
  });
});

describe("discrepancy", () => {
  it.each([
    [200, 190, -10, -0.05],
    [80, 100, 20, 0.25],
    [-50, -40, 10, 0.2],
    [0, 5, 5, null],
  ])("primary %d, backup %d → %d, %s", (p, b, abs, rel) => {
    const d = discrepancy(p, b);
    expect(d.absolute).toBe(abs);
    if (rel === null) expect(d.relative).toBeNull();
    else expect(d.relative).toBeCloseTo(rel, 12);
  });
});

describe("properties", () => {
  const instant = fc.date({
    min: new Date("2020-01-01T00:00:00Z"),
    max: new Date("2030-01-01T00:00:00Z"),
    noInvalidDate: true,
  });
  it("every N minutes is exactly N minutes later, and then due", () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 10_080 }), (after, every) => {
        const next = nextRunAt({ every }, after);
        expect(next.getTime() - after.getTime()).toBe(every * 60_000);
        expect(isDue(next, after)).toBe(false);
        expect(isDue(next, next)).toBe(true);
      }),
    );
  });
  it("a cron's next run is after the given time and at most its period later", () => {
    fc.assert(
      fc.property(instant, fc.constantFrom("Europe/Amsterdam", "UTC", "America/New_York"), (after, zone) => {
        const next = nextRunAt({ cron: "0 6 * * *" }, after, zone);
        expect(next.getTime()).toBeGreaterThan(after.getTime());
        expect(next.getTime() - after.getTime()).toBeLessThanOrEqual(25 * 3_600_000);
      }),
    );
  });
  it("the difference is antisymmetric and relative to the primary", () => {
    const v = fc.double({ min: -1e9, max: 1e9, noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(v, v, (p, b) => {
        // + 0 turns −0 into 0: equal inputs give 0 one way and −0 the other, the same difference
        expect(discrepancy(p, b).absolute + 0).toBe(-discrepancy(b, p).absolute + 0);
        const r = discrepancy(p, b).relative;
        if (p === 0) expect(r).toBeNull();
        else expect(r).toBeCloseTo((b - p) / Math.abs(p), 9);
      }),
    );
  });
});
