/**
 * When a value was observed, in the organisation's terms: a date, a local date-time or an instant
 * normalised to a calendar date in the organisation's time zone, and the metric's period (day, ISO
 * week, month, fiscal quarter) that contains it. Pure: Intl for the zone rules, no I/O.
 */
import { dayNumber, daysInMonth, fromDayNumber, isIsoDate } from "./dates.ts";
import type { MetricPeriod } from "./validation/checks.ts";

/** A normalised time: its calendar date in the zone, or why the text is not a valid time. */
export type When = { ok: true; date: string } | { ok: false; reason: string };

/** The first and last day (inclusive) of a period, as YYYY-MM-DD. */
export type PeriodBounds = { start: string; end: string };

const FORMS =
  "write a date (2026-03-31), a local date-time (2026-03-31T14:30) or an instant with offset (2026-03-31T14:30:00Z, 2026-03-31T14:30:00+02:00)";
const SHAPE = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?$/;

// Building an Intl.DateTimeFormat costs far more than using one: one per zone, kept.
const formats = new Map<string, Intl.DateTimeFormat>();
function wallClock(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formats.set(timeZone, f);
  }
  return f;
}

/** The wall-clock reading of an instant in a zone, as milliseconds of a UTC clock showing the same. */
export function wallMs(instantMs: number, timeZone: string): number {
  const p: Record<string, number> = {};
  for (const part of wallClock(timeZone).formatToParts(instantMs))
    if (part.type !== "literal") p[part.type] = Number(part.value);
  return Date.UTC(p.year ?? 0, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0);
}

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * The calendar date `text` names in `timeZone`, or the reason it is not a valid time.
 * - `YYYY-MM-DD`: a date, taken as is ("2026-02-29" is not a date that exists).
 * - `YYYY-MM-DDTHH:MM[:SS]`: a local date-time in the zone; its date. A time the clocks skip
 *   (spring forward: 02:30 on 2026-03-29 in Europe/Amsterdam) is rejected; a repeated autumn time
 *   is fine (both readings have the same date).
 * - The same with `Z` or `±HH:MM`: an instant, converted to the zone's date. Example:
 *   `2026-03-31T23:30:00Z` in Europe/Amsterdam (UTC+2 in summer) → `2026-04-01`.
 */
export function normaliseWhen(text: string, timeZone: string): When {
  // A plain date, what nearly every row holds, needs no pattern match (an import reads millions).
  if (text.length === 10 && isIsoDate(text)) return { ok: true, date: text };
  const m = SHAPE.exec(text);
  if (!m) return { ok: false, reason: `"${text}" is not a time; ${FORMS}` };
  const [, date = "", hh, mi, ss, , offset] = m;
  if (!isIsoDate(date)) return { ok: false, reason: `${date} is not a date that exists` };
  if (hh === undefined) return { ok: true, date };
  const h = Number(hh);
  const min = Number(mi);
  const s = Number(ss ?? 0);
  if (h > 23 || min > 59 || s > 59)
    return { ok: false, reason: `${text.slice(11, 19)} is not a time of day (00:00–23:59:59)` };
  const naive = dayNumber(date) * 86_400_000 + ((h * 60 + min) * 60 + s) * 1000;
  if (offset !== undefined) {
    let offsetMs = 0;
    if (offset !== "Z") {
      const oh = Number(offset.slice(1, 3));
      const om = Number(offset.slice(4, 6));
      if (oh > 23 || om > 59)
        return { ok: false, reason: `${offset} is not a UTC offset (−23:59 to +23:59)` };
      offsetMs = (offset[0] === "-" ? -1 : 1) * (oh * 60 + om) * 60_000;
    }
    return { ok: true, date: fromDayNumber(Math.floor(wallMs(naive - offsetMs, timeZone) / 86_400_000)) };
  }
  // A local time exists when some offset the zone uses near it maps an instant back onto it. The
  // offsets a day before and a day after cover both sides of any transition on this day.
  const offsets = new Set(
    [-1, 1].map((d) => wallMs(naive + d * 86_400_000, timeZone) - (naive + d * 86_400_000)),
  );
  for (const o of offsets) if (wallMs(naive - o, timeZone) === naive) return { ok: true, date };
  return {
    ok: false,
    reason: `${date}T${pad(h)}:${pad(min)} does not exist in ${timeZone}: the clocks skip it (daylight saving time starts); give the time after the change or an instant with offset`,
  };
}

/**
 * The period of kind `period` that contains `date`: the day itself; its ISO week (Monday to Sunday);
 * its month; its quarter of the fiscal year that starts in month `fiscalYearStartMonth` (1–12).
 * Example: start month 4 makes Q1 April–June, and 2026-02-15 falls in fiscal Q4, 2026-01-01…2026-03-31.
 */
export function periodOf(date: string, period: MetricPeriod, fiscalYearStartMonth = 1): PeriodBounds {
  const n = dayNumber(date);
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  switch (period) {
    case "day":
      return { start: date, end: date };
    case "week": {
      // 1970-01-01 (day 0) was a Thursday: (n + 3) mod 7 is the days since Monday.
      const monday = n - ((((n + 3) % 7) + 7) % 7);
      return { start: fromDayNumber(monday), end: fromDayNumber(monday + 6) };
    }
    case "month":
      return monthsBounds(y * 12 + m - 1, 1);
    case "quarter": {
      if (!Number.isInteger(fiscalYearStartMonth) || fiscalYearStartMonth < 1 || fiscalYearStartMonth > 12)
        throw new RangeError(`fiscal year start month ${fiscalYearStartMonth} is not 1–12`);
      // Months since the fiscal year began, modulo 3, go back to the quarter's first month.
      const intoQuarter = (((m - fiscalYearStartMonth) % 12) + 12) % 3;
      return monthsBounds(y * 12 + m - 1 - intoQuarter, 3);
    }
    default: {
      const never: never = period;
      throw new Error(`unknown period ${String(never)}`);
    }
  }
}

/** From the first day of absolute month `first` (year × 12 + month − 1) to the last of `count` months. */
function monthsBounds(first: number, count: number): PeriodBounds {
  const last = first + count - 1;
  const ly = Math.floor(last / 12);
  const lm = (last % 12) + 1;
  return {
    start: `${String(Math.floor(first / 12)).padStart(4, "0")}-${pad((first % 12) + 1)}-01`,
    end: `${String(ly).padStart(4, "0")}-${pad(lm)}-${pad(daysInMonth(ly, lm))}`,
  };
}
