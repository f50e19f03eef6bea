/**
 * Two years of history for one metric in one scope: a trend, seasonality, noise and a few outliers.
 * Level metrics follow a designed path (the attainment their goals should show); flows grow steadily
 * and their goals' targets are read off the result (see goal-targets.ts).
 */
import type { MeasurementPoint } from "../../../domain/aggregate.ts";
import { addDays, dayNumber, fromDayNumber } from "../../../domain/dates.ts";
import type { KpiDef } from "./kpi-catalog.ts";
import type { Rng } from "./random.ts";

export type Period = { start: string; end: string };

/** Whole periods (ISO weeks Monday–Sunday, or calendar months) from `from` that end before `today`. */
export function periodsBetween(kind: "week" | "month", from: string, today: string): Period[] {
  const out: Period[] = [];
  if (kind === "week") {
    // 1970-01-05 (day 4) was a Monday.
    let start = dayNumber(from);
    start += (7 - ((start - 4) % 7)) % 7;
    for (; start + 6 < dayNumber(today); start += 7) {
      out.push({ start: fromDayNumber(start), end: fromDayNumber(start + 6) });
    }
    return out;
  }
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  if (from.slice(8) !== "01") m += 1;
  for (;;) {
    if (m > 12) {
      m = 1;
      y += 1;
    }
    const start = `${y}-${String(m).padStart(2, "0")}-01`;
    const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, "0")}-01`;
    const end = addDays(next, -1);
    if (end >= today) return out;
    out.push({ start, end });
    m += 1;
  }
}

export type SeriesDesign = {
  /** attainment the previous year's goal ends with, and the current goal's attainment today */
  prevAttainment: number;
  currentAttainment: number;
  /** for range metrics: whether today's value lies inside the range */
  insideRange: boolean;
};

export type SeriesPoint = { period: Period; value: number; outlier: boolean };

export type SeriesCalendar = {
  historyStart: string;
  prevStart: string;
  curStart: string;
  today: string;
};

const YEAR_DAYS = 365.25;

/**
 * Values per period. `level` is the metric's typical value in this scope (for flows: per period).
 * Level metrics: piecewise-linear path L0 → L1 (previous year start) → L2 (this year start) → L3
 * (today) with L2 − L1 = prevAttainment · Δ and L3 − L2 = currentAttainment · Δ, where Δ is the yearly
 * change a goal asks for. Flows grow ~12 % a year. Then seasonality, noise and rare outliers (never
 * in the last three periods, so today's figure is not a freak).
 */
export function generateSeries(
  rng: Rng,
  kpi: KpiDef,
  level: number,
  cal: SeriesCalendar,
  design: SeriesDesign,
): SeriesPoint[] {
  const periods = periodsBetween(kpi.period, cal.historyStart, cal.today);
  const flow = kpi.aggregation === "sum";
  const sign = kpi.direction === "decrease" ? -1 : 1;
  const delta = sign * kpi.change * level;
  const L1 = level;
  const L0 = L1 - 0.4 * delta + level * kpi.noise * rng.normal() * 0.5;
  const L2 = L1 + design.prevAttainment * delta;
  const L3 = L2 + design.currentAttainment * delta;
  const h = dayNumber(cal.historyStart);
  const p = dayNumber(cal.prevStart);
  const c = dayNumber(cal.curStart);
  const t = Math.max(dayNumber(cal.today), c + 1);
  const growth = 0.08 + rng.next() * 0.1;
  const phase = rng.next();
  const path = (d: number): number => {
    if (flow) return level * (1 + (growth * (d - p)) / YEAR_DAYS);
    if (d < p) return L0 + ((L1 - L0) * (d - h)) / (p - h);
    if (d < c) return L1 + ((L2 - L1) * (d - p)) / (c - p);
    return L2 + ((L3 - L2) * (d - c)) / (t - c);
  };
  const [lo, hi] = kpi.bounds ?? [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
  const points: SeriesPoint[] = [];
  for (const [i, period] of periods.entries()) {
    const mid = (dayNumber(period.start) + dayNumber(period.end)) / 2;
    const seasonal = 1 + kpi.season * Math.sin(2 * Math.PI * (mid / YEAR_DAYS + phase));
    const recent = i >= periods.length - 3;
    let value = path(mid) * seasonal;
    // Level metrics near today stay on their path (tighter noise), so the designed status shows.
    value += Math.abs(level) * kpi.noise * rng.normal() * (recent && !flow ? 0.3 : 1);
    const outlier = !recent && rng.chance(0.015);
    if (outlier) value *= rng.chance(0.5) ? rng.between(1.5, 2.1) : rng.between(0.45, 0.65);
    if (kpi.range && recent && i === periods.length - 1)
      value = rangeValue(rng, kpi.range, design.insideRange);
    if (flow) value = Math.max(0, value);
    points.push({ period, value: round(Math.min(hi, Math.max(lo, value)), kpi.decimals), outlier });
  }
  return points;
}

function rangeValue(rng: Rng, [min, max]: [number, number], inside: boolean): number {
  const width = max - min;
  if (inside) return min + width * rng.between(0.2, 0.8);
  return rng.chance(0.5) ? max + width * rng.between(0.05, 0.3) : min - width * rng.between(0.05, 0.3);
}

export function round(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}

/** The series as the domain's measurement points (ids are not needed to aggregate). */
export function asPoints(points: SeriesPoint[], recordedAt: string): MeasurementPoint[] {
  return points.map((p, i) => ({
    id: String(i).padStart(8, "0"),
    periodStart: p.period.start,
    periodEnd: p.period.end,
    value: p.value,
    recordedAt,
    supersedesId: null,
  }));
}
