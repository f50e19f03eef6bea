/**
 * Attainment: how far a goal has come from its starting point to its target, on one axis where
 * 0 is "nothing yet" and 1 is "target met". Not capped here: 1.25 is 25 % overshoot.
 */

export type GoalMeasure =
  | { kind: "level"; baseline: number; target: number; value: number | null }
  | { kind: "flow"; target: number; total: number | null }
  | { kind: "range"; min: number; max: number; value: number | null }
  | { kind: "milestone"; done: boolean }
  | { kind: "rubric"; levels: number; level: number | null };

function notFinite(x: number): boolean {
  return !Number.isFinite(x);
}

/** A decreasing goal at its baseline divides 0 by a negative number: show 0, never "-0 %". */
function plusZero(x: number): number {
  return x === 0 ? 0 : x;
}

/** What is wrong with the goal's fixed parameters (not its current value), or null. */
function shapeError(m: GoalMeasure): string | null {
  switch (m.kind) {
    case "level":
      if (notFinite(m.baseline)) return "baseline must be a finite number";
      if (notFinite(m.target)) return "target must be a finite number";
      if (m.target === m.baseline) return "target must differ from baseline";
      return null;
    case "flow":
      if (notFinite(m.target)) return "target must be a finite number";
      if (m.target === 0) return "target must not be zero";
      return null;
    case "range":
      if (notFinite(m.min) || notFinite(m.max)) return "range minimum and maximum must be finite numbers";
      if (m.min > m.max) return "range minimum must not exceed range maximum";
      return null;
    case "milestone":
      return null;
    case "rubric":
      if (!Number.isInteger(m.levels) || m.levels < 2)
        return "rubric levels must be a whole number of at least 2";
      return null;
    default: {
      const never: never = m;
      throw new TypeError(`unknown measure ${JSON.stringify(never)}`);
    }
  }
}

/**
 * What is wrong with a measure (parameters or current value) as a message naming the field, or null
 * when `computeAttainment` can use it. Services may reuse the messages for validation errors.
 */
export function validateMeasure(m: GoalMeasure): string | null {
  const shape = shapeError(m);
  if (shape !== null) return shape;
  switch (m.kind) {
    case "level":
    case "range":
      return m.value !== null && notFinite(m.value) ? "value must be a finite number" : null;
    case "flow":
      return m.total !== null && notFinite(m.total) ? "total must be a finite number" : null;
    case "rubric":
      return m.level !== null && !(m.level >= 1 && m.level <= m.levels)
        ? `rubric level must lie between 1 and ${m.levels}`
        : null;
    case "milestone":
      return null;
    default: {
      const never: never = m;
      throw new TypeError(`unknown measure ${JSON.stringify(never)}`);
    }
  }
}

/**
 * Attainment of a goal from its measure; null when there is no value yet. Throws a RangeError for an
 * invalid measure (see `validateMeasure`), e.g. a level goal whose target equals its baseline.
 *
 * - level: `a = (v − b) / (t − b)`. Engagement 67 → 75, now 71: (71 − 67) / (75 − 67) = 0.5.
 *   Decreasing works the same: cycle time 10 → 6 days, now 8: (8 − 10) / (6 − 10) = 0.5.
 * - flow: `a = V / t`. Revenue target 1,000,000, 250,000 so far: 0.25.
 * - range: 1 when `min ≤ v ≤ max`, else 0.
 * - milestone: 1 when done, else 0.
 * - rubric: `(level − 1) / (levels − 1)`. Level 3 of 5: 0.5.
 */
export function computeAttainment(m: GoalMeasure): number | null {
  const error = validateMeasure(m);
  if (error !== null) throw new RangeError(error);
  switch (m.kind) {
    case "level":
      return m.value === null ? null : plusZero((m.value - m.baseline) / (m.target - m.baseline));
    case "flow":
      return m.total === null ? null : plusZero(m.total / m.target);
    case "range":
      return m.value === null ? null : m.value >= m.min && m.value <= m.max ? 1 : 0;
    case "milestone":
      return m.done ? 1 : 0;
    case "rubric":
      return m.level === null ? null : (m.level - 1) / (m.levels - 1);
    default: {
      const never: never = m;
      throw new TypeError(`unknown measure ${JSON.stringify(never)}`);
    }
  }
}

/**
 * The attainment a raw value `x` would have for this goal: how a threshold or stretch value, given in
 * the metric's unit, is placed on the attainment axis. Null where that has no meaning (range,
 * milestone). Throws a RangeError for an invalid measure.
 *
 * - level: `(x − b) / (t − b)`. Baseline 67, target 75, threshold 71 → 0.5; stretch 79 → 1.5.
 * - flow: `x / t`. Target 1,000,000, threshold 800,000 → 0.8.
 * - rubric: `(x − 1) / (levels − 1)`. Threshold level 4 of 5 → 0.75.
 */
export function attainmentOfValue(m: GoalMeasure, x: number): number | null {
  const error = shapeError(m);
  if (error !== null) throw new RangeError(error);
  switch (m.kind) {
    case "level":
      return plusZero((x - m.baseline) / (m.target - m.baseline));
    case "flow":
      return plusZero(x / m.target);
    case "rubric":
      return (x - 1) / (m.levels - 1);
    case "range":
    case "milestone":
      return null;
    default: {
      const never: never = m;
      throw new TypeError(`unknown measure ${JSON.stringify(never)}`);
    }
  }
}
