/**
 * The validation rules as pure checks of one row against its metric's rules and its series' history.
 * Each check answers a finding or null; `validateRow` runs them all and derives the row's state.
 * Formulas and worked examples: docs/arithmetic.md, "Validation rules".
 */
import { dayNumber } from "../dates.ts";
import { medianAndMad, robustZFrom } from "../outliers.ts";
import {
  actionOf,
  type Finding,
  OUTLIER_DEFAULTS,
  type RuleName,
  stateOf,
  type ValidationRules,
  type ValidationState,
} from "./rules.ts";

export type MetricPeriod = "day" | "week" | "month" | "quarter";

/** An earlier value of the same series (metric and scope) that counts. */
export type PriorValue = { periodStart: string; periodEnd: string; value: number };

export type RowContext = {
  value: number;
  periodStart: string;
  /** the metric's unit: percent, count, duration, currency, ratio, score */
  unit: string;
  period: MetricPeriod;
  /** the latest counted value of the series for a period that ends before this one starts */
  previous: PriorValue | null;
  /** counted values of the series before this period, oldest first */
  history: readonly number[];
  /** set when the row repeats a recorded period of the series from the same source */
  duplicateOf: { describe: string } | null;
};

const finding = (
  rules: ValidationRules,
  rule: RuleName,
  message: string,
  details: Finding["details"],
): Finding | null => {
  const action = actionOf(rules, rule);
  return action === "off" ? null : { rule, outcome: action, message, details };
};

/** Outside `[min, max]` (either end open). Example: max 100, value 120 → "above the allowed maximum 100". */
export function checkRange(rules: ValidationRules, value: number): Finding | null {
  const r = rules.range;
  if (!r) return null;
  if (r.min !== undefined && value < r.min)
    return finding(rules, "range", `${value} is below the allowed minimum ${r.min}`, {
      value,
      min: r.min,
      max: r.max ?? null,
    });
  if (r.max !== undefined && value > r.max)
    return finding(rules, "range", `${value} is above the allowed maximum ${r.max}`, {
      value,
      min: r.min ?? null,
      max: r.max,
    });
  return null;
}

/**
 * Change against the previous value `p`: `|v − p|` above `maxAbsolute`, or `|v − p| / |p| · 100`
 * above `maxPercent` (from p = 0 any change is an unbounded percent). Example: p = 80, v = 100,
 * maxPercent 20 → 25 % > 20 %.
 */
export function checkStepChange(rules: ValidationRules, value: number, previous: PriorValue | null) {
  const r = rules.stepChange;
  if (!r || !previous) return null;
  const change = Math.abs(value - previous.value);
  const percent =
    previous.value === 0
      ? change === 0
        ? 0
        : Number.POSITIVE_INFINITY
      : (change / Math.abs(previous.value)) * 100;
  const details = { value, previous: previous.value, previousPeriod: previous.periodStart, change };
  if (r.maxAbsolute !== undefined && change > r.maxAbsolute)
    return finding(
      rules,
      "step_change",
      `changes by ${round(change)} from the previous value ${previous.value} (${previous.periodStart}); at most ${r.maxAbsolute} is expected`,
      { ...details, maxAbsolute: r.maxAbsolute },
    );
  if (r.maxPercent !== undefined && percent > r.maxPercent)
    return finding(
      rules,
      "step_change",
      `changes by ${Number.isFinite(percent) ? `${round(percent)} %` : "an unbounded share"} from the previous value ${previous.value} (${previous.periodStart}); at most ${r.maxPercent} % is expected`,
      { ...details, percent: Number.isFinite(percent) ? percent : null, maxPercent: r.maxPercent },
    );
  return null;
}

/**
 * The index of the period that contains `date`: days since 1970-01-01, ISO weeks (Monday first),
 * months, or calendar quarters. Consecutive periods have consecutive indexes.
 */
export function periodIndex(period: MetricPeriod, date: string): number {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  switch (period) {
    case "day":
      return dayNumber(date);
    case "week":
      // 1970-01-01 (day 0) was a Thursday: +3 puts Mondays on multiples of 7.
      return Math.floor((dayNumber(date) + 3) / 7);
    case "month":
      return y * 12 + m - 1;
    case "quarter":
      return y * 4 + Math.floor((m - 1) / 3);
    default: {
      const never: never = period;
      throw new Error(`unknown period ${String(never)}`);
    }
  }
}

/**
 * Missing data: the periods strictly between the previous value's and this one's,
 * `index(this) − index(previous) − 1`, above `maxMissingPeriods` (default 0). Example: monthly,
 * previous January, this April → 2 months missing (February, March).
 */
export function checkFrequency(rules: ValidationRules, ctx: RowContext): Finding | null {
  const r = rules.frequency;
  if (!r || !ctx.previous) return null;
  const missing =
    periodIndex(ctx.period, ctx.periodStart) - periodIndex(ctx.period, ctx.previous.periodStart) - 1;
  const allowed = r.maxMissingPeriods ?? 0;
  if (missing <= allowed) return null;
  return finding(
    rules,
    "frequency",
    `missing data: ${missing} ${ctx.period}(s) without a value since the previous one (${ctx.previous.periodStart})`,
    { missingPeriods: missing, maxMissingPeriods: allowed, previousPeriod: ctx.previous.periodStart },
  );
}

/** A repeat of a recorded period from the same source. */
export function checkDuplicate(rules: ValidationRules, ctx: RowContext): Finding | null {
  if (!ctx.duplicateOf) return null;
  return finding(
    rules,
    "duplicate",
    `duplicate: ${ctx.duplicateOf.describe} already gives this metric, scope and period from the same source`,
    { duplicateOf: ctx.duplicateOf.describe },
  );
}

/**
 * Values the unit cannot take: a percent outside 0..100 (negative allowed with `allowNegative`,
 * above 100 with `allowAbove100`), a negative count or duration (unless `allowNegative`).
 */
export function checkUnitSanity(rules: ValidationRules, value: number, unit: string): Finding | null {
  const r = rules.unitSanity;
  const allowNegative = r?.allowNegative ?? false;
  if ((unit === "percent" || unit === "count" || unit === "duration") && value < 0 && !allowNegative)
    return finding(rules, "unit_sanity", `a ${unit} cannot be negative (${value})`, { value, unit });
  if (unit === "percent" && value > 100 && !(r?.allowAbove100 ?? false))
    return finding(rules, "unit_sanity", `a percent above 100 (${value})`, { value, unit });
  return null;
}

/**
 * Modified z-score `z = 0.6745 · (v − median) / MAD` over the last `window` values of the series;
 * `|z| > threshold` (default 3.5) is an outlier. Needs `minHistory` earlier values (default 6). With
 * MAD 0 any value other than the median is an outlier. Example: history 10..14, v = 20 → z = 5.40.
 */
export function checkOutlier(
  rules: ValidationRules,
  value: number,
  history: readonly number[],
): Finding | null {
  const r = rules.outlier;
  if (!r) return null;
  const threshold = r.threshold ?? OUTLIER_DEFAULTS.threshold;
  const window = r.window ?? OUTLIER_DEFAULTS.window;
  const recent = history.length > window ? history.slice(-window) : history;
  if (recent.length < (r.minHistory ?? OUTLIER_DEFAULTS.minHistory)) return null;
  const { median, mad } = medianAndMad(recent);
  const z = robustZFrom(value, median, mad);
  if (!(Math.abs(z) > threshold)) return null;
  return finding(
    rules,
    "outlier",
    `an outlier against the last ${recent.length} values: modified z-score ${Number.isFinite(z) ? round(z) : z > 0 ? "+∞" : "−∞"} beyond ±${threshold} (median ${round(median)}, MAD ${round(mad)})`,
    { value, z: Number.isFinite(z) ? z : null, threshold, median, mad, history: recent.length },
  );
}

const round = (x: number) => Math.round(x * 100) / 100;

/** Every rule on one row: its findings, in a fixed order, and the state they give it. */
export function validateRow(
  rules: ValidationRules,
  ctx: RowContext,
): { state: ValidationState; findings: Finding[] } {
  // most rows find nothing: no array is made for them until a rule finds something
  let findings: Finding[] | null = null;
  const add = (f: Finding | null) => {
    if (!f) return;
    if (findings) findings.push(f);
    else findings = [f];
  };
  add(checkRange(rules, ctx.value));
  add(checkUnitSanity(rules, ctx.value, ctx.unit));
  add(checkDuplicate(rules, ctx));
  add(checkStepChange(rules, ctx.value, ctx.previous));
  add(checkFrequency(rules, ctx));
  add(checkOutlier(rules, ctx.value, ctx.history));
  const found: Finding[] = findings ?? [];
  return { state: stateOf(found), findings: found };
}
