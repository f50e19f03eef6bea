import { dayNumber, parseDayNumber } from "./dates.ts";

/** A dated intermediate target: the attainment expected by `date` (0..1 typically). */
export type Checkpoint = { date: string; expected: number };

/**
 * Expected attainment on day `d` (all arguments day numbers): piecewise-linear through
 * `(start, 0)`, the checkpoints strictly between start and due, and `(due, 1)`.
 * 1 on or after due (checked first, so a degenerate plan with due ≤ start reads 1 from due on);
 * 0 on or before start. Checkpoints outside (start, due), with an invalid date or a non-finite
 * expectation are ignored (the SMART check reports them). Two checkpoints on one date act as a
 * step: the curve arrives at the lower value and leaves from the higher one.
 */
export function expectedAtDay(
  start: number,
  due: number,
  checkpoints: readonly Checkpoint[],
  d: number,
): number {
  if (d >= due) return 1;
  if (d <= start) return 0;
  // The bracketing points: the latest at or before d, the earliest after d. O(k), no sort.
  let prevDay = start;
  let prevExpected = 0;
  let nextDay = due;
  let nextExpected = 1;
  for (const c of checkpoints) {
    const cd = parseDayNumber(c.date);
    if (!(cd > start && cd < due) || !Number.isFinite(c.expected)) continue;
    if (cd <= d) {
      if (cd > prevDay || (cd === prevDay && c.expected > prevExpected)) {
        prevDay = cd;
        prevExpected = c.expected;
      }
    } else if (cd < nextDay || (cd === nextDay && c.expected < nextExpected)) {
      nextDay = cd;
      nextExpected = c.expected;
    }
  }
  if (d === prevDay) return prevExpected;
  return prevExpected + ((nextExpected - prevExpected) * (d - prevDay)) / (nextDay - prevDay);
}

/**
 * Expected attainment `e(d)` of a plan as of `asOf`: piecewise-linear from `(start, 0)` through the
 * checkpoints sorted by date to `(due, 1)`; 0 on or before start, 1 on or after due.
 *
 * Example: start 2026-01-01, due 2026-12-31, checkpoint 2026-07-01 → 0.6. On 2026-04-01 (90 of 181
 * days into the first leg) e = 0.6 · 90 / 181 ≈ 0.298; on 2026-07-01 e = 0.6; on 2026-10-01 (92 of
 * 183 days into the last leg) e = 0.6 + 0.4 · 92 / 183 ≈ 0.801.
 */
export function computeExpected(
  plan: { start: string; due: string; checkpoints: Checkpoint[] },
  asOf: string,
): number {
  return expectedAtDay(dayNumber(plan.start), dayNumber(plan.due), plan.checkpoints, dayNumber(asOf));
}
