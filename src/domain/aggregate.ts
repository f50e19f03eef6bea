/**
 * From measurements to the value a goal reads: pick what was known at a moment (bitemporal), then
 * aggregate over the goal's window by the metric's time aggregation.
 */

export type Aggregation = "sum" | "average" | "last" | "min" | "max";

export type MeasurementPoint = {
  id: string;
  /** first day the value describes (ISO date, inclusive) */
  periodStart: string;
  /** last day the value describes (ISO date, inclusive) */
  periodEnd: string;
  value: number;
  /** when the system learned the value (ISO instant) */
  recordedAt: string;
  /** the row this one corrects, if any */
  supersedesId: string | null;
};

function instantMs(instant: string): number {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError(`"${instant}" is not an ISO instant`);
  return ms;
}

/**
 * The rows believed at `knownAt` (an ISO instant; a bare date means its first moment, 00:00 UTC):
 * those recorded at or before it, minus every row superseded by another row also recorded by then.
 * A chain A ← B ← C (C corrects B, which corrected A) leaves only C. Input order is kept.
 *
 * Example: March recorded 1 April as 100, corrected 5 April to 120 (supersedes the first row):
 * known at 2 April → [100]; known at 6 April → [120].
 */
export function selectEffective(rows: MeasurementPoint[], knownAt: string): MeasurementPoint[] {
  const cutoff = instantMs(knownAt);
  const known = rows.filter((r) => instantMs(r.recordedAt) <= cutoff);
  const superseded = new Set<string>();
  for (const r of known) if (r.supersedesId !== null) superseded.add(r.supersedesId);
  return known.filter((r) => !superseded.has(r.id));
}

/** True for aggregations whose values add up over time (a flow: revenue, calls made). */
export function isFlow(aggregation: Aggregation): boolean {
  switch (aggregation) {
    case "sum":
      return true;
    case "average":
    case "last":
    case "min":
    case "max":
      return false;
    default: {
      const never: never = aggregation;
      throw new TypeError(`unknown aggregation ${String(never)}`);
    }
  }
}

/** Later is "more current": later periodEnd, then later periodStart (shorter period), then later recordedAt, then id. */
function isMoreCurrent(p: MeasurementPoint, q: MeasurementPoint): boolean {
  if (p.periodEnd !== q.periodEnd) return p.periodEnd > q.periodEnd;
  if (p.periodStart !== q.periodStart) return p.periodStart > q.periodStart;
  const pr = instantMs(p.recordedAt);
  const qr = instantMs(q.recordedAt);
  if (pr !== qr) return pr > qr;
  return p.id > q.id;
}

function byPeriod(p: MeasurementPoint, q: MeasurementPoint): number {
  if (p.periodEnd !== q.periodEnd) return p.periodEnd < q.periodEnd ? -1 : 1;
  if (p.periodStart !== q.periodStart) return p.periodStart < q.periodStart ? -1 : 1;
  return p.id < q.id ? -1 : p.id > q.id ? 1 : 0;
}

/**
 * The value a goal reads as of `asOf` for its window starting `from` (ISO dates, inclusive). Pass the
 * effective points (see `selectEffective`). `used` lists the ids that produced the value, ordered by
 * period, for the explain trace.
 *
 * - sum: total of the points inside the window (`periodStart ≥ from` and `periodEnd ≤ asOf`).
 *   Revenue Jan 300, Feb 200, window from 1 Jan as of 28 Feb → 500.
 * - average / min / max: over the same points (average is unweighted by period length).
 * - last: the most current point with `periodEnd ≤ asOf`, even one that ends before `from` (a baseline
 *   carried forward). Ties on periodEnd go to the shorter period, then the later recording.
 *
 * No point → `{ value: null, used: [] }`.
 */
export function aggregateForGoal(
  points: MeasurementPoint[],
  aggregation: Aggregation,
  from: string,
  asOf: string,
): { value: number | null; used: string[] } {
  if (aggregation === "last") {
    let best: MeasurementPoint | null = null;
    for (const p of points) {
      if (p.periodEnd <= asOf && (best === null || isMoreCurrent(p, best))) best = p;
    }
    return best === null ? { value: null, used: [] } : { value: best.value, used: [best.id] };
  }
  // ISO dates compare correctly as strings.
  const inWindow = points.filter((p) => p.periodStart >= from && p.periodEnd <= asOf).sort(byPeriod);
  if (inWindow.length === 0) return { value: null, used: [] };
  const values = inWindow.map((p) => p.value);
  const used = inWindow.map((p) => p.id);
  switch (aggregation) {
    case "sum":
      return { value: values.reduce((s, v) => s + v, 0), used };
    case "average":
      return { value: values.reduce((s, v) => s + v, 0) / values.length, used };
    case "min":
      return { value: values.reduce((s, v) => Math.min(s, v)), used };
    case "max":
      return { value: values.reduce((s, v) => Math.max(s, v)), used };
    default: {
      const never: never = aggregation;
      throw new TypeError(`unknown aggregation ${String(never)}`);
    }
  }
}
