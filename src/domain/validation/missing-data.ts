/**
 * Missing data of a series that stopped reporting. The `frequency` rule (checks.ts) judges a value
 * when it arrives, against the gap before it; a series that simply stops never sends that value, so
 * this asks the other question: as of today, how many whole periods of the metric are due but have no
 * counted value since the series' last one? Pure; formulas and worked examples in docs/arithmetic.md,
 * "Missing data (stopped series)".
 */
import { addDays, dayNumber } from "../dates.ts";
import { type PeriodBounds, periodOf } from "../periods.ts";
import type { MetricPeriod } from "./checks.ts";

/** The frequency rule's tolerance when it names none: every due period without a value is missing. */
export const DEFAULT_MAX_MISSING_PERIODS = 0;

export type MissingDataInput = {
  period: MetricPeriod;
  /** first month (1–12) of the organisation's fiscal year; shapes quarters only */
  fiscalYearStartMonth?: number;
  /** days after a period ends before its value is due (the metric's finality lag); 0 by default */
  finalityLagDays?: number;
  /** the frequency rule's tolerance; DEFAULT_MAX_MISSING_PERIODS when not set */
  maxMissingPeriods?: number | undefined;
  /** the period end of the series' latest counted value; null when it has never reported */
  lastPeriodEnd: string | null;
  /** today in the organisation's time zone */
  today: string;
};

export type MissingData = {
  /** more than `maxMissingPeriods` periods are missing */
  missing: boolean;
  /** whole periods due since the last value's period, without a value */
  periodsMissing: number;
  /** the first missing period (the one after the last value's), or null when none is missing */
  firstMissing: PeriodBounds | null;
  /** the latest period whose value is due today, or null when the series has never reported */
  lastDue: PeriodBounds | null;
};

/**
 * The latest period whose value is due on `today`: a period is due once its end plus the lag has
 * passed, `end + lag < today`, so its end is at most `ref = today − lag − 1`. That is the period
 * containing `ref` when it ends on `ref`, else the one before it. Example: monthly, lag 5, today
 * 2026-06-05 → ref 2026-05-30 → May is not yet due, April is.
 */
export function lastDuePeriod(
  period: MetricPeriod,
  today: string,
  finalityLagDays = 0,
  fiscalYearStartMonth = 1,
): PeriodBounds {
  const ref = addDays(today, -Math.max(0, finalityLagDays) - 1);
  const around = periodOf(ref, period, fiscalYearStartMonth);
  return around.end === ref ? around : periodOf(addDays(around.start, -1), period, fiscalYearStartMonth);
}

const absMonth = (date: string) => Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;

/** Whole periods from the period starting `from` to the one starting `to` (both period starts). */
function periodsBetween(period: MetricPeriod, from: string, to: string): number {
  switch (period) {
    case "day":
      return dayNumber(to) - dayNumber(from);
    case "week":
      return (dayNumber(to) - dayNumber(from)) / 7;
    case "month":
      return absMonth(to) - absMonth(from);
    case "quarter":
      // Both starts are quarter starts of the same fiscal calendar, so months differ by whole quarters.
      return (absMonth(to) - absMonth(from)) / 3;
    default: {
      const never: never = period;
      throw new Error(`unknown period ${String(never)}`);
    }
  }
}

/**
 * `periodsMissing = index(last due period) − index(period of the last value)`, never below 0; the
 * series is missing data when that exceeds `maxMissingPeriods` (0 by default). The last value's period
 * is the metric's period containing its end, so a value for part of a period reports that period.
 * A series that has never reported is not missing data: nothing says when it should have started.
 * Example: monthly, lag 0, last value March 2026, today 2026-07-01 → June is due → 3 months missing
 * (April, May, June), missing since 2026-04-01.
 */
export function findMissingData(input: MissingDataInput): MissingData {
  const fiscal = input.fiscalYearStartMonth ?? 1;
  if (input.lastPeriodEnd === null)
    return { missing: false, periodsMissing: 0, firstMissing: null, lastDue: null };
  const lastDue = lastDuePeriod(input.period, input.today, input.finalityLagDays ?? 0, fiscal);
  const reported = periodOf(input.lastPeriodEnd, input.period, fiscal);
  const periodsMissing = Math.max(0, periodsBetween(input.period, reported.start, lastDue.start));
  const allowed = input.maxMissingPeriods ?? DEFAULT_MAX_MISSING_PERIODS;
  return {
    missing: periodsMissing > allowed,
    periodsMissing,
    firstMissing: periodsMissing > 0 ? periodOf(addDays(reported.end, 1), input.period, fiscal) : null,
    lastDue,
  };
}
