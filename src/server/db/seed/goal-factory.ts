/**
 * One demo goal at a time: its definition (title, outcome, baseline, target, threshold, stretch) read
 * off the series it is measured by, and the attainment it will show.
 */
import { computeExpected } from "../../../domain/expected.ts";
import type { goals } from "../schema.ts";
import {
  drawFinalAttainment,
  drawPace,
  flowTarget,
  levelTarget,
  niceRound,
  readWindow,
  valueBefore,
} from "./goal-targets.ts";
import { isFlowKpi, type KpiDef } from "./kpi-catalog.ts";
import type { Series } from "./metrics.ts";
import type { Rng } from "./random.ts";
import { round } from "./series.ts";

export type GoalRow = typeof goals.$inferInsert;
export type CyclePlan = { id: string; name: string; start: string; end: string; closed: boolean };

/** What the seed knows about a goal beyond its row: how far it got, for states and check-ins. */
export type PlannedGoal = {
  row: GoalRow & { id: string; startDate: string; dueDate: string };
  series: Series | null;
  /** attainment at today (or at the due date when past), as planned */
  attainment: number | null;
  parents: { id: string; weight: number }[];
  contributors: { personId: string; share: number }[];
  milestoneDone?: boolean;
  rubricLevel?: number;
};

const HOURS = new Set([
  "mean_time_to_resolve",
  "first_response_time",
  "lead_time_for_changes",
  "learning_hours",
]);

export function formatValue(k: KpiDef, x: number): string {
  const grouped = (n: number, d: number) =>
    n.toLocaleString("en-GB", { minimumFractionDigits: d, maximumFractionDigits: d });
  switch (k.unit) {
    case "percent":
      return `${grouped(x, Math.min(k.decimals, 2))}%`;
    case "currency":
      if (Math.abs(x) >= 1e6) return `€${grouped(x / 1e6, 2)}M`;
      return `€${grouped(x, Math.abs(x) >= 1000 ? 0 : Math.min(k.decimals, 2))}`;
    case "duration":
      return `${grouped(x, Math.min(k.decimals, 1))} ${HOURS.has(k.key) ? "h" : "days"}`;
    case "ratio":
      return `${grouped(x, 2)}×`;
    case "score":
    case "count":
      return grouped(x, Math.min(k.decimals, 1));
    default: {
      const never: never = k.unit;
      throw new TypeError(`unknown unit ${String(never)}`);
    }
  }
}

const lower = (s: string) =>
  s.startsWith("Net Promoter") || /^[A-Z]{2}/.test(s) ? s : s.charAt(0).toLowerCase() + s.slice(1);

/**
 * A metric (or range) goal on `series` for [start, due]. Level goals reuse the series' designed
 * attainment for a whole-cycle goal; other windows draw their own outcome.
 */
export function metricGoalFields(
  rng: Rng,
  s: Series,
  window: { start: string; due: string; label: string; wholeCycle: boolean },
  today: string,
  who: string,
) {
  const k = s.kpi;
  const asOf = window.due < today ? window.due : today;
  const expected = computeExpected({ start: window.start, due: window.due, checkpoints: [] }, today);
  const closed = window.due < today;
  const planned = closed
    ? window.wholeCycle && !isFlowKpi(k)
      ? s.design.prevAttainment
      : drawFinalAttainment(rng)
    : window.wholeCycle && !isFlowKpi(k)
      ? s.design.currentAttainment
      : drawPace(rng, expected) * expected;
  const baseline = valueBefore(s, window.start);
  const outcome = (verb: string) =>
    `${who} ${verb} ${lower(k.name)} by ${window.due}, as reported by ${k.dataSource}. ${k.calculationNote}.`;

  if (k.direction === "keep_within_range" && k.range) {
    const [min, max] = k.range;
    const v = readWindow(s, k.aggregation, window.start, asOf);
    return {
      fields: {
        kind: "range",
        title: `Keep ${lower(k.name)} between ${formatValue(k, min)} and ${formatValue(k, max)}`,
        specificOutcome: outcome("keeps"),
        baselineValue: baseline,
        baselinePeriod: baseline === null ? null : `before ${window.start}`,
        rangeMin: min,
        rangeMax: max,
      } satisfies Partial<GoalRow>,
      attainment: v === null ? null : v >= min && v <= max ? 1 : 0,
    };
  }
  if (isFlowKpi(k)) {
    const total = readWindow(s, "sum", window.start, asOf);
    const lastYear = readWindow(s, "sum", shiftYear(window.start), shiftYear(window.due));
    // Not begun yet: ask for last year's figure plus a tenth.
    const fallback = (lastYear ?? total ?? 1) * 1.1;
    const target =
      expected === 0 ? flowTarget(k, fallback, 1, fallback) : flowTarget(k, total, planned, fallback);
    return {
      fields: {
        kind: "metric",
        title: `Reach ${formatValue(k, target)} ${lower(k.name)} in ${window.label}`,
        specificOutcome: outcome("delivers"),
        baselineValue: lastYear,
        baselinePeriod: lastYear === null ? null : `same period a year earlier`,
        targetValue: target,
        thresholdValue: niceRound(target * 0.8, 3),
        stretchValue: niceRound(target * 1.2, 3),
      } satisfies Partial<GoalRow>,
      attainment: total === null || expected === 0 ? null : total / target,
    };
  }
  const b = baseline ?? k.base;
  const v = readWindow(s, k.aggregation, window.start, asOf);
  const target = levelTarget(k, b, v, planned);
  const part = (f: number) => round(b + f * (target - b), k.decimals + 1);
  const verb = k.direction === "decrease" ? "Reduce" : "Raise";
  return {
    fields: {
      kind: "metric",
      title: `${verb} ${lower(k.name)} from ${formatValue(k, b)} to ${formatValue(k, target)}`,
      specificOutcome: outcome(k.direction === "decrease" ? "reduces" : "raises"),
      baselineValue: b,
      baselinePeriod: `before ${window.start}`,
      targetValue: target,
      thresholdValue: part(0.5),
      stretchValue: part(1.3),
    } satisfies Partial<GoalRow>,
    attainment: v === null ? null : (v - b) / (target - b),
  };
}

function shiftYear(date: string): string {
  const y = Number(date.slice(0, 4)) - 1;
  const md = date.slice(4);
  return md === "-02-29" ? `${y}-02-28` : `${y}${md}`;
}

/** The closed-cycle state a goal ended in (threshold at 0.5 for level goals, 0.8 for flows). */
export function finalState(attainment: number | null, thresholdAttainment: number): string {
  if (attainment === null) return "missed";
  if (attainment >= 1) return "achieved";
  if (attainment >= thresholdAttainment) return "partially_achieved";
  return "missed";
}
