import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, fromDayNumber } from "../dates.ts";
import type { MetricPeriod } from "./checks.ts";
import { findMissingData, lastDuePeriod } from "./missing-data.ts";

describe("lastDuePeriod: the latest period whose value is due today (end + lag < today)", () => {
  it.each([
    // period, today, lag, fiscal start → the due period
    ["day", "2026-07-01", 0, 1, "2026-06-30", "2026-06-30"],
    ["day", "2026-07-01", 2, 1, "2026-06-28", "2026-06-28"],
    ["month", "2026-07-01", 0, 1, "2026-06-01", "2026-06-30"],
    ["month", "2026-06-30", 0, 1, "2026-05-01", "2026-05-31"],
    ["month", "2026-06-05", 5, 1, "2026-04-01", "2026-04-30"], // May's end + 5 = 06-05, not before today
    ["month", "2026-06-06", 5, 1, "2026-05-01", "2026-05-31"],
    ["month", "2024-03-01", 0, 1, "2024-02-01", "2024-02-29"], // leap February
    ["month", "2024-02-29", 0, 1, "2024-01-01", "2024-01-31"],
    ["week", "2026-01-19", 0, 1, "2026-01-12", "2026-01-18"], // Monday: last week is due
    ["week", "2026-01-18", 0, 1, "2026-01-05", "2026-01-11"], // Sunday: this week is not over
    ["week", "2026-01-21", 2, 1, "2026-01-12", "2026-01-18"],
    ["week", "2026-01-20", 2, 1, "2026-01-05", "2026-01-11"],
    ["week", "2027-01-04", 0, 1, "2026-12-28", "2027-01-03"], // ISO week 53 of 2026
    ["quarter", "2026-07-01", 0, 1, "2026-04-01", "2026-06-30"],
    ["quarter", "2026-07-02", 0, 4, "2026-04-01", "2026-06-30"], // fiscal Q1 (April–June)
    ["quarter", "2026-08-01", 0, 2, "2026-05-01", "2026-07-31"], // quarters Feb–Apr, May–Jul, …
    ["quarter", "2026-01-31", 0, 11, "2025-08-01", "2025-10-31"], // Nov–Jan is not over on 31 Jan
  ] as const)("%s, today %s, lag %i, fiscal start %i → %s…%s", (period, today, lag, fiscal, start, end) => {
    expect(lastDuePeriod(period, today, lag, fiscal)).toEqual({ start, end });
  });
});

describe("findMissingData: whole periods due without a value since the series' last one", () => {
  type Row = {
    name: string;
    period: MetricPeriod;
    last: string | null;
    today: string;
    lag?: number;
    fiscal?: number;
    max?: number;
    periodsMissing: number;
    since: string | null;
    missing: boolean;
  };
  const rows: Row[] = [
    {
      name: "monthly, last value March, today 1 July: April, May, June missing",
      period: "month",
      last: "2026-03-31",
      today: "2026-07-01",
      periodsMissing: 3,
      since: "2026-04-01",
      missing: true,
    },
    {
      name: "monthly, last value May, today 30 June: June is not over, nothing missing",
      period: "month",
      last: "2026-05-31",
      today: "2026-06-30",
      periodsMissing: 0,
      since: null,
      missing: false,
    },
    {
      name: "monthly, last value May, today 1 July: June missing",
      period: "month",
      last: "2026-05-31",
      today: "2026-07-01",
      periodsMissing: 1,
      since: "2026-06-01",
      missing: true,
    },
    {
      name: "the same with maxMissingPeriods 1: tolerated",
      period: "month",
      last: "2026-05-31",
      today: "2026-07-01",
      max: 1,
      periodsMissing: 1,
      since: "2026-06-01",
      missing: false,
    },
    {
      name: "monthly with a 5-day lag, today 5 June: only April missing (May is due on 6 June)",
      period: "month",
      last: "2026-03-31",
      today: "2026-06-05",
      lag: 5,
      periodsMissing: 1,
      since: "2026-04-01",
      missing: true,
    },
    {
      name: "monthly with a 5-day lag, today 6 June: April and May missing",
      period: "month",
      last: "2026-03-31",
      today: "2026-06-06",
      lag: 5,
      periodsMissing: 2,
      since: "2026-04-01",
      missing: true,
    },
    {
      name: "leap February is due on 1 March 2024",
      period: "month",
      last: "2024-01-31",
      today: "2024-03-01",
      periodsMissing: 1,
      since: "2024-02-01",
      missing: true,
    },
    {
      name: "… and not yet on 29 February",
      period: "month",
      last: "2024-01-31",
      today: "2024-02-29",
      periodsMissing: 0,
      since: null,
      missing: false,
    },
    {
      name: "a value for part of a month reports that month",
      period: "month",
      last: "2026-05-15",
      today: "2026-06-20",
      periodsMissing: 0,
      since: null,
      missing: false,
    },
    {
      name: "ISO weeks: last value week 1 of 2026 (29 Dec–4 Jan), lag 2, Wednesday 21 Jan: 2 weeks missing",
      period: "week",
      last: "2026-01-04",
      today: "2026-01-21",
      lag: 2,
      periodsMissing: 2,
      since: "2026-01-05",
      missing: true,
    },
    {
      name: "the same on Tuesday 20 Jan: the week to 18 Jan is not due yet, 1 missing",
      period: "week",
      last: "2026-01-04",
      today: "2026-01-20",
      lag: 2,
      periodsMissing: 1,
      since: "2026-01-05",
      missing: true,
    },
    {
      name: "ISO week 53 of 2026 (28 Dec–3 Jan) missing on Tuesday 5 Jan 2027",
      period: "week",
      last: "2026-12-27",
      today: "2027-01-05",
      periodsMissing: 1,
      since: "2026-12-28",
      missing: true,
    },
    {
      name: "fiscal year from April: last value Q3 (Oct–Dec 2025), 2 July 2026: Q4 and Q1 missing",
      period: "quarter",
      last: "2025-12-31",
      today: "2026-07-02",
      fiscal: 4,
      periodsMissing: 2,
      since: "2026-01-01",
      missing: true,
    },
    {
      name: "fiscal year from February: last value Nov–Jan, 1 Aug 2026: Feb–Apr and May–Jul missing",
      period: "quarter",
      last: "2026-01-31",
      today: "2026-08-01",
      fiscal: 2,
      periodsMissing: 2,
      since: "2026-02-01",
      missing: true,
    },
    {
      name: "fiscal year from February, 31 Jul 2026: May–Jul is not over, 1 missing",
      period: "quarter",
      last: "2026-01-31",
      today: "2026-07-31",
      fiscal: 2,
      periodsMissing: 1,
      since: "2026-02-01",
      missing: true,
    },
    {
      name: "daily, last value 28 June, today 1 July, 2 tolerated: 29 and 30 June missing, not flagged",
      period: "day",
      last: "2026-06-28",
      today: "2026-07-01",
      max: 2,
      periodsMissing: 2,
      since: "2026-06-29",
      missing: false,
    },
    {
      name: "daily with 1 tolerated: flagged",
      period: "day",
      last: "2026-06-28",
      today: "2026-07-01",
      max: 1,
      periodsMissing: 2,
      since: "2026-06-29",
      missing: true,
    },
    {
      name: "a provisional value for the running month: nothing missing",
      period: "month",
      last: "2026-07-31",
      today: "2026-07-10",
      periodsMissing: 0,
      since: null,
      missing: false,
    },
    {
      name: "a series that has never reported is not missing data",
      period: "month",
      last: null,
      today: "2026-07-01",
      periodsMissing: 0,
      since: null,
      missing: false,
    },
  ];
  it.each(rows)("$name", (r) => {
    const got = findMissingData({
      period: r.period,
      lastPeriodEnd: r.last,
      today: r.today,
      ...(r.lag !== undefined ? { finalityLagDays: r.lag } : {}),
      ...(r.fiscal !== undefined ? { fiscalYearStartMonth: r.fiscal } : {}),
      ...(r.max !== undefined ? { maxMissingPeriods: r.max } : {}),
    });
    expect(got.periodsMissing).toBe(r.periodsMissing);
    expect(got.firstMissing?.start ?? null).toBe(r.since);
    expect(got.missing).toBe(r.missing);
  });

  const day = fc.integer({ min: 18_000, max: 22_000 }).map(fromDayNumber);
  const period = fc.constantFrom<MetricPeriod>("day", "week", "month", "quarter");
  const setup = fc.record({
    period,
    fiscal: fc.integer({ min: 1, max: 12 }),
    lag: fc.integer({ min: 0, max: 40 }),
    last: day,
    today: day,
    later: fc.integer({ min: 0, max: 400 }),
  });

  it("property: waiting never makes fewer periods missing", () => {
    fc.assert(
      fc.property(setup, (s) => {
        const at = (today: string) =>
          findMissingData({
            period: s.period,
            fiscalYearStartMonth: s.fiscal,
            finalityLagDays: s.lag,
            lastPeriodEnd: s.last,
            today,
          }).periodsMissing;
        expect(at(addDays(s.today, s.later))).toBeGreaterThanOrEqual(at(s.today));
      }),
    );
  });

  it("property: a later value never makes more periods missing; the count is whole", () => {
    fc.assert(
      fc.property(setup, (s) => {
        const at = (last: string) =>
          findMissingData({
            period: s.period,
            fiscalYearStartMonth: s.fiscal,
            finalityLagDays: s.lag,
            lastPeriodEnd: last,
            today: s.today,
          }).periodsMissing;
        const before = at(s.last);
        expect(Number.isInteger(before)).toBe(true);
        expect(at(addDays(s.last, s.later))).toBeLessThanOrEqual(before);
      }),
    );
  });

  it("property: a value for the last due period leaves nothing missing", () => {
    fc.assert(
      fc.property(setup, (s) => {
        const due = lastDuePeriod(s.period, s.today, s.lag, s.fiscal);
        const got = findMissingData({
          period: s.period,
          fiscalYearStartMonth: s.fiscal,
          finalityLagDays: s.lag,
          lastPeriodEnd: due.end,
          today: s.today,
        });
        expect(got).toMatchObject({ missing: false, periodsMissing: 0, firstMissing: null });
      }),
    );
  });
});
