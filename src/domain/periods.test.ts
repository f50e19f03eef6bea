import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, dayNumber, fromDayNumber } from "./dates.ts";
import { normaliseWhen, periodOf } from "./periods.ts";
import type { MetricPeriod } from "./validation/checks.ts";

const AMS = "Europe/Amsterdam";
const NY = "America/New_York";

describe("normaliseWhen: the calendar date in the organisation's zone", () => {
  it.each([
    // a date is taken as is, whatever the zone
    ["2026-03-31", AMS, "2026-03-31"],
    ["2026-03-31", "Pacific/Kiritimati", "2026-03-31"],
    ["2024-02-29", NY, "2024-02-29"],
    // a local date-time: its date
    ["2026-03-31T23:30", AMS, "2026-03-31"],
    ["2026-03-31T00:00:00", NY, "2026-03-31"],
    // an instant: the zone's date. Amsterdam is UTC+2 in summer, New York UTC−4
    ["2026-03-31T23:30:00Z", AMS, "2026-04-01"],
    ["2026-03-31T23:30:00Z", NY, "2026-03-31"],
    ["2026-03-31T23:30:00Z", "UTC", "2026-03-31"],
    ["2026-03-31T23:30:00-02:00", "UTC", "2026-04-01"],
    ["2026-04-01T01:30:00+02:00", AMS, "2026-04-01"],
    ["2026-04-01T01:30:00+02:00", NY, "2026-03-31"],
    ["2026-03-31T14:30:00.250Z", AMS, "2026-03-31"],
    ["2026-03-31T18:30:00Z", "Asia/Kolkata", "2026-04-01"], // +05:30: 00:00 on April 1
    ["2026-12-31T23:00:00Z", AMS, "2027-01-01"], // winter, UTC+1: the year turns
    // Amsterdam spring forward, 2026-03-29 02:00 CET → 03:00 CEST
    ["2026-03-29T01:59", AMS, "2026-03-29"],
    ["2026-03-29T03:00", AMS, "2026-03-29"],
    ["2026-03-28T22:59:59Z", AMS, "2026-03-28"],
    ["2026-03-28T23:00:00Z", AMS, "2026-03-29"],
    ["2026-03-29T21:59:59Z", AMS, "2026-03-29"], // the 23-hour day ends at 22:00Z
    ["2026-03-29T22:00:00Z", AMS, "2026-03-30"],
    // Amsterdam autumn, 2026-10-25 03:00 CEST → 02:00 CET: 02:30 happens twice, one date
    ["2026-10-25T02:30", AMS, "2026-10-25"],
    ["2026-10-24T21:59:59Z", AMS, "2026-10-24"],
    ["2026-10-24T22:00:00Z", AMS, "2026-10-25"],
    ["2026-10-25T22:59:59Z", AMS, "2026-10-25"], // the 25-hour day ends at 23:00Z
    ["2026-10-25T23:00:00Z", AMS, "2026-10-26"],
    // New York spring forward, 2026-03-08 02:00 EST → 03:00 EDT; autumn 2026-11-01 02:00 → 01:00
    ["2026-03-08T04:59:59Z", NY, "2026-03-07"],
    ["2026-03-08T05:00:00Z", NY, "2026-03-08"],
    ["2026-03-09T03:59:59Z", NY, "2026-03-08"],
    ["2026-03-09T04:00:00Z", NY, "2026-03-09"],
    ["2026-03-08T02:30", AMS, "2026-03-08"], // New York's gap is no gap in Amsterdam
    ["2026-11-01T01:30", NY, "2026-11-01"],
    ["2026-11-02T04:59:59Z", NY, "2026-11-01"],
    ["2026-11-02T05:00:00Z", NY, "2026-11-02"],
  ])("%s in %s → %s", (text, zone, date) => {
    expect(normaliseWhen(text, zone)).toEqual({ ok: true, date });
  });

  it.each([
    ["2026-03-29T02:30", AMS, "2026-03-29T02:30 does not exist in Europe/Amsterdam: the clocks skip it"],
    ["2026-03-29T02:00:00", AMS, "2026-03-29T02:00 does not exist in Europe/Amsterdam"],
    ["2026-03-08T02:30", NY, "2026-03-08T02:30 does not exist in America/New_York"],
    ["2026-02-29", AMS, "2026-02-29 is not a date that exists"],
    ["2026-02-29T10:00:00Z", AMS, "2026-02-29 is not a date that exists"],
    ["2026-03-31T24:00", AMS, "24:00 is not a time of day"],
    ["2026-03-31T12:60:00Z", AMS, "12:60:00 is not a time of day"],
    ["2026-03-31T12:00:00+24:00", AMS, "+24:00 is not a UTC offset"],
    ["31/03/2026", AMS, '"31/03/2026" is not a time; write a date (2026-03-31)'],
    ["2026-03-31 12:00", AMS, "is not a time"],
    ["2026-03-31t12:00z", AMS, "is not a time"],
    ["", AMS, "is not a time"],
  ])("%s in %s is refused: %s", (text, zone, reason) => {
    const when = normaliseWhen(text, zone);
    expect(when.ok).toBe(false);
    if (!when.ok) expect(when.reason).toContain(reason);
  });

  it("gives every instant the date its zone's clock shows (checked against Intl with en-CA)", () => {
    const start = Date.UTC(2020, 0, 1);
    const end = Date.UTC(2030, 0, 1);
    fc.assert(
      fc.property(
        fc.integer({ min: start / 1000, max: end / 1000 }),
        fc.constantFrom(AMS, NY, "Asia/Kolkata", "Australia/Lord_Howe", "UTC"),
        (seconds, zone) => {
          const iso = new Date(seconds * 1000).toISOString();
          const shown = new Intl.DateTimeFormat("en-CA", { timeZone: zone }).format(seconds * 1000);
          expect(normaliseWhen(iso, zone)).toEqual({ ok: true, date: shown });
        },
      ),
    );
  });
});

describe("periodOf: the metric's period containing a date", () => {
  it.each<[string, MetricPeriod, number, string, string]>([
    ["2026-03-29", "day", 1, "2026-03-29", "2026-03-29"],
    // ISO weeks run Monday to Sunday
    ["2026-03-29", "week", 1, "2026-03-23", "2026-03-29"], // a Sunday, the Amsterdam DST day
    ["2026-03-30", "week", 1, "2026-03-30", "2026-04-05"],
    ["2026-03-08", "week", 1, "2026-03-02", "2026-03-08"], // New York DST day
    ["2026-11-01", "week", 1, "2026-10-26", "2026-11-01"],
    ["2026-12-31", "week", 1, "2026-12-28", "2027-01-03"], // week 53 of 2026 spans the year end
    ["2027-01-03", "week", 1, "2026-12-28", "2027-01-03"],
    ["2021-01-01", "week", 1, "2020-12-28", "2021-01-03"], // week 53 of 2020 (leap year)
    ["1970-01-01", "week", 1, "1969-12-29", "1970-01-04"],
    ["1969-12-28", "week", 1, "1969-12-22", "1969-12-28"],
    // months, leap years
    ["2026-03-31", "month", 1, "2026-03-01", "2026-03-31"],
    ["2024-02-10", "month", 1, "2024-02-01", "2024-02-29"],
    ["2026-02-28", "month", 1, "2026-02-01", "2026-02-28"],
    ["2000-02-01", "month", 1, "2000-02-01", "2000-02-29"],
    ["2100-02-01", "month", 1, "2100-02-01", "2100-02-28"],
    ["2026-12-31", "month", 7, "2026-12-01", "2026-12-31"], // the fiscal year does not move months
    // quarters: calendar (start month 1)
    ["2026-02-15", "quarter", 1, "2026-01-01", "2026-03-31"],
    ["2026-12-31", "quarter", 1, "2026-10-01", "2026-12-31"],
    // start month 4: Q1 Apr–Jun … Q4 Jan–Mar
    ["2026-02-15", "quarter", 4, "2026-01-01", "2026-03-31"],
    ["2026-04-01", "quarter", 4, "2026-04-01", "2026-06-30"],
    ["2026-03-31", "quarter", 4, "2026-01-01", "2026-03-31"],
    // start month 7 and 10
    ["2026-06-30", "quarter", 7, "2026-04-01", "2026-06-30"],
    ["2026-07-01", "quarter", 7, "2026-07-01", "2026-09-30"],
    ["2026-09-30", "quarter", 10, "2026-07-01", "2026-09-30"],
    ["2026-10-01", "quarter", 10, "2026-10-01", "2026-12-31"],
    // start months off the calendar quarters: quarters cross the year end
    ["2026-01-15", "quarter", 2, "2025-11-01", "2026-01-31"],
    ["2026-02-01", "quarter", 2, "2026-02-01", "2026-04-30"],
    ["2026-01-31", "quarter", 11, "2025-11-01", "2026-01-31"],
    ["2024-02-10", "quarter", 12, "2023-12-01", "2024-02-29"],
    ["2026-12-01", "quarter", 12, "2026-12-01", "2027-02-28"],
  ])("%s, %s (fiscal year from month %i) → %s … %s", (date, period, fiscal, start, end) => {
    expect(periodOf(date, period, fiscal)).toEqual({ start, end });
  });

  it("takes the instant after normalising: March 31 23:30Z in Amsterdam is in April's month", () => {
    const when = normaliseWhen("2026-03-31T23:30:00Z", AMS);
    expect(when.ok && periodOf(when.date, "month")).toEqual({ start: "2026-04-01", end: "2026-04-30" });
    expect(when.ok && periodOf(when.date, "quarter", 4)).toEqual({ start: "2026-04-01", end: "2026-06-30" });
  });

  it("refuses a fiscal start month outside 1–12", () => {
    expect(() => periodOf("2026-01-01", "quarter", 13)).toThrow("fiscal year start month 13 is not 1–12");
  });

  it("contains the date, tiles the calendar, and has the kind's length", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: dayNumber("1900-01-01"), max: dayNumber("2200-12-31") }),
        fc.constantFrom<MetricPeriod>("day", "week", "month", "quarter"),
        fc.integer({ min: 1, max: 12 }),
        (n, period, fiscal) => {
          const date = fromDayNumber(n);
          const p = periodOf(date, period, fiscal);
          expect(p.start <= date && date <= p.end).toBe(true);
          // every day of a period has that period; the day after starts the next one
          expect(periodOf(p.start, period, fiscal)).toEqual(p);
          expect(periodOf(p.end, period, fiscal)).toEqual(p);
          expect(periodOf(addDays(p.end, 1), period, fiscal).start).toBe(addDays(p.end, 1));
          const days = dayNumber(p.end) - dayNumber(p.start) + 1;
          const range = { day: [1, 1], week: [7, 7], month: [28, 31], quarter: [89, 92] }[period];
          expect(days).toBeGreaterThanOrEqual(range[0] ?? 0);
          expect(days).toBeLessThanOrEqual(range[1] ?? 0);
        },
      ),
    );
  });
});
