/**
 * Pure glue between stored rows and src/domain: a goal row (with the value it reads) becomes the
 * domain's GoalInput, an organisation's policy jsonb becomes a ProgressPolicy, a domain Progress
 * becomes the API's ProgressDto. No arithmetic of its own.
 */
import { z } from "zod";
import type { Aggregation } from "../../../domain/aggregate.ts";
import { isFlow } from "../../../domain/aggregate.ts";
import type { GoalMeasure } from "../../../domain/attainment.ts";
import { wallMs } from "../../../domain/periods.ts";
import {
  DEFAULT_POLICY,
  type GoalInput,
  type Progress,
  type ProgressPolicy,
} from "../../../domain/progress.ts";
import type { RollupMode } from "../../../domain/rollup.ts";
import type { ProgressStatus } from "../../../domain/status.ts";

/** What a goal's figures depend on: its definition plus the metric's aggregation. */
export type GoalFacts = {
  id: string;
  kind: string;
  state: string;
  metricId: string | null;
  /** the metric's time aggregation; null without a metric */
  aggregation: string | null;
  scopeType: string;
  /** the organisation's id for organisation-wide goals */
  scopeId: string;
  baselineValue: number | null;
  targetValue: number | null;
  stretchValue: number | null;
  thresholdValue: number | null;
  rangeMin: number | null;
  rangeMax: number | null;
  rubricLevels: number | null;
  startDate: string;
  dueDate: string;
  checkpoints: { date: string; expected: number }[];
  rollupMode: string;
  version: number;
};

/** What the goal reads as of the date: the aggregated metric value and its latest check-in's answers. */
export type GoalReadings = {
  value: number | null;
  milestoneDone: boolean | null;
  rubricLevel: number | null;
};

const AGGREGATIONS: readonly string[] = ["sum", "average", "last", "min", "max"];
const ROLLUP_MODES: readonly string[] = ["weighted_mean", "weakest", "own_metric"];

export const asAggregation = (a: string | null): Aggregation | null =>
  a !== null && AGGREGATIONS.includes(a) ? (a as Aggregation) : null;

const asRollupMode = (m: string): RollupMode =>
  ROLLUP_MODES.includes(m) ? (m as RollupMode) : "weighted_mean";

/** True when the goal's attainment comes from its metric's values (metric and range goals). */
export const readsMetric = (g: Pick<GoalFacts, "kind" | "metricId">) =>
  g.metricId !== null && (g.kind === "metric" || g.kind === "range");

/**
 * The goal's measure, or null when it has none of its own (a rollup goal, or one whose defining
 * numbers are missing): such a goal rolls up its children, or has no attainment.
 * - metric goals: flow (`sum`) → `V / t`; level (last/average/min/max) → `(v − b) / (t − b)`;
 * - range goals read the metric's value against `[rangeMin, rangeMax]`;
 * - milestone and rubric goals read their latest check-in.
 */
export function toGoalMeasure(g: GoalFacts, r: GoalReadings): GoalMeasure | null {
  switch (g.kind) {
    case "metric": {
      const aggregation = asAggregation(g.aggregation);
      if (g.metricId === null || aggregation === null || g.targetValue === null) return null;
      if (isFlow(aggregation)) return { kind: "flow", target: g.targetValue, total: r.value };
      if (g.baselineValue === null) return null;
      return { kind: "level", baseline: g.baselineValue, target: g.targetValue, value: r.value };
    }
    case "range":
      if (g.metricId === null || g.rangeMin === null || g.rangeMax === null) return null;
      return { kind: "range", min: g.rangeMin, max: g.rangeMax, value: r.value };
    case "milestone":
      return { kind: "milestone", done: r.milestoneDone === true };
    case "rubric":
      if (g.rubricLevels === null) return null;
      return { kind: "rubric", levels: g.rubricLevels, level: r.rubricLevel };
    default:
      // "rollup" and anything unknown: no measure of its own
      return null;
  }
}

export function toGoalInput(g: GoalFacts, r: GoalReadings): GoalInput {
  return {
    id: g.id,
    start: g.startDate,
    due: g.dueDate,
    checkpoints: g.checkpoints,
    rollupMode: asRollupMode(g.rollupMode),
    measure: toGoalMeasure(g, r),
    thresholdValue: g.thresholdValue,
    stretchValue: g.stretchValue,
  };
}

/** The formula the goal's attainment follows, in words a person reads in the explain trace. */
export function formulaOf(measure: GoalMeasure | null, childCount: number, rollupMode: string): string {
  if (measure === null || (rollupMode !== "own_metric" && childCount > 0)) {
    if (childCount === 0) return "no measure and no supporting goals: no attainment";
    return rollupMode === "weakest"
      ? "a = min(min(aᵢ, cap)) over supporting goals; e = Σ wᵢ·eᵢ / Σ wᵢ"
      : "a = Σ wᵢ·min(aᵢ, cap) / Σ wᵢ; e = Σ wᵢ·eᵢ / Σ wᵢ";
  }
  switch (measure.kind) {
    case "level":
      return "a = (v − b) / (t − b)";
    case "flow":
      return "a = V / t";
    case "range":
      return "a = 1 when min ≤ v ≤ max, else 0";
    case "milestone":
      return "a = 1 when done, else 0";
    case "rubric":
      return "a = (level − 1) / (levels − 1)";
    default: {
      const never: never = measure;
      throw new TypeError(`unknown measure ${JSON.stringify(never)}`);
    }
  }
}

const PolicyJson = z.object({
  bands: z.object({ onTrack: z.number().positive(), atRisk: z.number().nonnegative() }).partial().optional(),
  rollupCap: z.number().positive().optional(),
  maxScore: z.number().min(100).optional(),
});

/** The organisation's policy jsonb over DEFAULT_POLICY; unusable entries fall back to the default. */
export function parsePolicy(json: unknown): ProgressPolicy {
  const parsed = PolicyJson.safeParse(json ?? {});
  if (!parsed.success) return DEFAULT_POLICY;
  const p = parsed.data;
  return {
    bands: { ...DEFAULT_POLICY.bands, ...(p.bands ?? {}) },
    rollupCap: p.rollupCap ?? DEFAULT_POLICY.rollupCap,
    maxScore: p.maxScore ?? DEFAULT_POLICY.maxScore,
  };
}

export type ProgressDto = {
  attainment: number | null;
  expected: number;
  pace: number | null;
  status: ProgressStatus;
  score: number | null;
  asOf: string;
};

export const toProgressDto = (p: Progress): ProgressDto => ({
  attainment: p.attainment,
  expected: p.expected,
  pace: p.pace,
  status: p.status,
  score: p.score,
  asOf: p.asOf,
});

/** Offset of `timeZone` from UTC at `instant`, in milliseconds (positive east of Greenwich). */
function zoneOffsetMs(instant: number, timeZone: string): number {
  return wallMs(instant, timeZone) - Math.floor(instant / 1000) * 1000;
}

/**
 * The last millisecond of calendar day `date` in `timeZone`, as an ISO instant: what "known by the
 * end of that day" means for as-of answers. Example: 2026-03-31 in Europe/Amsterdam (UTC+2 in
 * summer time) → 2026-03-31T21:59:59.999Z.
 */
export function endOfDayInZone(date: string, timeZone: string): string {
  const nextMidnightUtc = Date.parse(`${date}T00:00:00.000Z`) + 86_400_000;
  // Two passes settle the offset on days when it changes (DST).
  let guess = nextMidnightUtc - zoneOffsetMs(nextMidnightUtc, timeZone);
  guess = nextMidnightUtc - zoneOffsetMs(guess, timeZone);
  return new Date(guess - 1).toISOString();
}
