/**
 * Targets that tell a believable story: a goal's target is read off its series so that its pace
 * lands where the status mix wants it (most on track, some at risk, a few off track, some achieved
 * early). The window rules mirror src/domain/aggregate.ts `aggregateForGoal`.
 */
import type { Aggregation } from "../../../domain/aggregate.ts";
import type { KpiDef } from "./kpi-catalog.ts";
import type { Rng } from "./random.ts";
import { type Period, round } from "./series.ts";

export type SeriesValues = { periods: readonly Period[]; values: Float64Array };

/** The pace a current goal should show; "achieved early" comes back as attainment / expected. */
export function drawPace(rng: Rng, expected: number): number {
  const e = Math.max(expected, 0.05);
  const r = rng.next();
  // On track but not there yet: late in the year the pace must stay below 1 / e.
  if (r < 0.64) return rng.between(0.95, Math.max(0.96, Math.min(1.3, 0.985 / e)));
  if (r < 0.8) return rng.between(0.74, 0.87);
  if (r < 0.89) return rng.between(0.3, 0.62);
  return rng.between(1.01, 1.08) / e;
}

/** How a closed cycle's goal ended: 42 % achieved, a third partially, a quarter missed. */
export function drawFinalAttainment(rng: Rng): number {
  const r = rng.next();
  if (r < 0.42) return rng.between(1.0, 1.15);
  if (r < 0.75) return rng.between(0.6, 0.95);
  return rng.between(0.15, 0.45);
}

/** The value a goal reads for its window, by the metric's aggregation (see aggregateForGoal). */
export function readWindow(
  s: SeriesValues,
  aggregation: Aggregation,
  from: string,
  asOf: string,
): number | null {
  if (aggregation === "last") {
    let best: number | null = null;
    for (let i = 0; i < s.periods.length; i++) {
      if ((s.periods[i] as Period).end <= asOf) best = s.values[i] as number;
    }
    return best;
  }
  let n = 0;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < s.periods.length; i++) {
    const p = s.periods[i] as Period;
    if (p.start < from || p.end > asOf) continue;
    const v = s.values[i] as number;
    n += 1;
    sum += v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  if (n === 0) return null;
  switch (aggregation) {
    case "sum":
      return sum;
    case "average":
      return sum / n;
    case "min":
      return min;
    case "max":
      return max;
    default: {
      const never: never = aggregation;
      throw new TypeError(`unknown aggregation ${String(never)}`);
    }
  }
}

/** A baseline: the median of the last three periods that ended before `date` (an outlier is not a baseline). */
export function valueBefore(s: SeriesValues, date: string): number | null {
  const last: number[] = [];
  for (let i = 0; i < s.periods.length; i++) {
    if ((s.periods[i] as Period).end < date) last.push(s.values[i] as number);
    if (last.length > 3) last.shift();
  }
  if (last.length === 0) return null;
  const sorted = [...last].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] as number;
}

/** Rounds to `sig` significant digits (targets people would write down: 5,240,000 not 5,238,114). */
export function niceRound(x: number, sig = 3): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  const magnitude = 10 ** (Math.floor(Math.log10(Math.abs(x))) - sig + 1);
  return Math.round(x / magnitude) * magnitude;
}

function roundValue(kpi: KpiDef, x: number): number {
  return Math.abs(x) >= 1000 ? niceRound(x, 3) : round(x, kpi.decimals);
}

/**
 * Level goal: target `t = b + (v − b) / a` so that attainment today is `a`. Falls back to the
 * metric's usual yearly change when the series has not moved the right way (noise), or when the
 * answer would be outlandish (more than four years' worth of change).
 */
export function levelTarget(kpi: KpiDef, baseline: number, value: number | null, attainment: number): number {
  const sign = kpi.direction === "decrease" ? -1 : 1;
  const usual = sign * Math.max(kpi.change * Math.abs(baseline), 10 ** -kpi.decimals);
  const moved = value === null ? 0 : (value - baseline) * sign;
  let target = baseline + usual;
  if (attainment > 0.02 && moved > 0.1 * Math.abs(usual) && value !== null) {
    const solved = baseline + (value - baseline) / attainment;
    if (Math.abs(solved - baseline) <= 4 * Math.abs(usual)) target = solved;
  }
  let rounded = roundValue(kpi, target);
  if (kpi.bounds) rounded = Math.min(kpi.bounds[1], Math.max(kpi.bounds[0], rounded));
  if ((rounded - baseline) * sign <= 0)
    rounded = round(baseline + sign * 10 ** -kpi.decimals * 5, kpi.decimals);
  return rounded;
}

/** Flow goal: the window's total target `t = V / a`, rounded; never zero. */
export function flowTarget(kpi: KpiDef, total: number | null, attainment: number, fallback: number): number {
  const solved = total !== null && total > 0 && attainment > 0.02 ? total / attainment : fallback;
  const t = solved >= 100 ? niceRound(solved, 3) : round(solved, Math.max(kpi.decimals, 0));
  return t > 0 ? t : Math.max(1, Math.round(fallback));
}
