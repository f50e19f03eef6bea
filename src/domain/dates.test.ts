import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addDays,
  compareDates,
  dateOfInstant,
  dayNumber,
  daysBetween,
  fromDayNumber,
  isIsoDate,
} from "./dates.ts";

describe("dayNumber / fromDayNumber", () => {
  it.each([
    ["1970-01-01", 0],
    ["1970-01-02", 1],
    ["1969-12-31", -1],
    ["2000-02-29", 11_016],
    ["2026-01-01", 20_454],
    ["2026-12-31", 20_818],
  ])("%s is day %i", (date, n) => {
    expect(dayNumber(date)).toBe(n);
    expect(fromDayNumber(n)).toBe(date);
  });

  it("agrees with Date.UTC and round-trips for any date in years 0001–9999", () => {
    fc.assert(
      fc.property(fc.integer({ min: dayNumber("0001-01-01"), max: dayNumber("9999-12-31") }), (n) => {
        const iso = new Date(n * 86_400_000).toISOString().slice(0, 10);
        expect(fromDayNumber(n)).toBe(iso);
        expect(dayNumber(iso)).toBe(n);
      }),
    );
  });

  it("rejects what is not a calendar date", () => {
    expect(() => dayNumber("2026-02-29")).toThrow(RangeError);
    expect(() => dayNumber("2026-1-1")).toThrow(RangeError);
    expect(() => fromDayNumber(1.5)).toThrow(RangeError);
  });
});

describe("isIsoDate", () => {
  it.each([
    ["2026-01-31", true],
    ["2024-02-29", true],
    ["2000-02-29", true],
    ["1900-02-29", false],
    ["2026-02-29", false],
    ["2026-04-31", false],
    ["2026-13-01", false],
    ["2026-00-10", false],
    ["2026-01-00", false],
    ["2026-1-01", false],
    ["2026-01-01T00:00:00Z", false],
    ["abcd-ef-gh", false],
    ["", false],
  ])("%s → %s", (s, valid) => {
    expect(isIsoDate(s)).toBe(valid);
  });
});

describe("addDays, daysBetween, compareDates, dateOfInstant", () => {
  it.each([
    ["2026-02-28", 1, "2026-03-01"],
    ["2024-02-28", 1, "2024-02-29"],
    ["2026-12-31", 1, "2027-01-01"],
    ["2026-03-01", -1, "2026-02-28"],
    ["2026-01-01", 0, "2026-01-01"],
  ])("%s + %i days = %s", (date, n, expected) => {
    expect(addDays(date, n)).toBe(expected);
  });

  it("counts and compares", () => {
    expect(daysBetween("2026-01-01", "2026-12-31")).toBe(364);
    expect(compareDates("2026-01-02", "2026-01-01")).toBeGreaterThan(0);
    expect(compareDates("2026-01-01", "2026-01-01")).toBe(0);
    expect(dateOfInstant("2026-03-31T23:30:00-02:00")).toBe("2026-04-01");
  });
});
