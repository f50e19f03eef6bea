/**
 * Calendar dates as ISO strings "YYYY-MM-DD" and their UTC day numbers (days since 1970-01-01).
 * Pure integer arithmetic (Howard Hinnant's civil-date algorithms): no Date objects, no time zones,
 * fast enough to run millions of times in one recompute.
 */

const MS_PER_DAY = 86_400_000;

function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : Number.NaN;
}

/** Days in month `m` (1..12) of year `y` (proleptic Gregorian). */
export function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function daysFromCivil(year: number, m: number, d: number): number {
  const y = m <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = m > 2 ? m - 3 : m + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The day number of a "YYYY-MM-DD" string, or NaN when it is not a real calendar date. */
export function parseDayNumber(s: string): number {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return Number.NaN;
  const y = digit(s, 0) * 1000 + digit(s, 1) * 100 + digit(s, 2) * 10 + digit(s, 3);
  const m = digit(s, 5) * 10 + digit(s, 6);
  const d = digit(s, 8) * 10 + digit(s, 9);
  // NaN fails every comparison below, so a non-digit anywhere lands here too.
  if (!(m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m))) return Number.NaN;
  return daysFromCivil(y, m, d);
}

/**
 * Days since 1970-01-01 (UTC) of an ISO calendar date; throws a RangeError for anything else.
 * Example: `dayNumber("1970-01-02")` → 1; `dayNumber("2026-01-01")` → 20454.
 */
export function dayNumber(date: string): number {
  const n = parseDayNumber(date);
  if (Number.isNaN(n)) throw new RangeError(`"${date}" is not a calendar date (YYYY-MM-DD)`);
  return n;
}

/** True when `s` is "YYYY-MM-DD" and names a real calendar date ("2026-02-29" is false). */
export function isIsoDate(s: string): boolean {
  return !Number.isNaN(parseDayNumber(s));
}

/**
 * The ISO date of a day number; inverse of `dayNumber`. Years 0000–9999 only.
 * Example: `fromDayNumber(20454)` → "2026-01-01".
 */
export function fromDayNumber(n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`day number ${n} is not an integer`);
  const z = n + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  if (y < 0 || y > 9999) throw new RangeError(`day number ${n} is outside the years 0000–9999`);
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** `date` moved by `n` calendar days. Example: `addDays("2026-02-28", 1)` → "2026-03-01". */
export function addDays(date: string, n: number): string {
  return fromDayNumber(dayNumber(date) + n);
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** Negative, zero or positive as `a` is before, on or after `b` (both validated). */
export function compareDates(a: string, b: string): number {
  return dayNumber(a) - dayNumber(b);
}

/** The UTC calendar date of an ISO instant, e.g. "2026-03-31T23:30:00-02:00" → "2026-04-01". */
export function dateOfInstant(instant: string): string {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError(`"${instant}" is not an ISO instant`);
  return fromDayNumber(Math.floor(ms / MS_PER_DAY));
}

/**
 * The last day of each month from `start`'s month up to `until`, then `until` itself: the points of a
 * trend over a cycle. A month end on or after `until` is left out (`until` ends the series).
 */
export function monthEndsUntil(start: string, until: string): string[] {
  const out: string[] = [];
  let y = Number(start.slice(0, 4));
  let m = Number(start.slice(5, 7));
  for (;;) {
    const end = `${y}-${String(m).padStart(2, "0")}-${String(daysInMonth(y, m)).padStart(2, "0")}`;
    if (end >= until) break;
    out.push(end);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  out.push(until);
  return out;
}
