import { dayNumber } from "./dates.ts";

/** Pace bands: on track when `pace ≥ onTrack`, at risk when `atRisk ≤ pace < onTrack`, else off track. */
export type StatusBands = { onTrack: number; atRisk: number };

export const DEFAULT_BANDS: StatusBands = Object.freeze({ onTrack: 0.9, atRisk: 0.7 });

export type ProgressStatus =
  | "not_started"
  | "on_track"
  | "at_risk"
  | "off_track"
  | "achieved"
  | "partially_achieved"
  | "missed"
  | "no_data";

/**
 * Slack for comparisons against a boundary (bands, target, threshold), so that a figure that is 0.9 on
 * paper but 0.8999999999999999 in floating point counts as 0.9. Far below anything a person can see.
 */
export const TOLERANCE = 1e-9;

/** `a ≥ bound`, allowing for floating-point noise. */
export function reaches(a: number, bound: number): boolean {
  return a >= bound - TOLERANCE;
}

/**
 * Pace `p = a / e`: attainment against the plan. Null when there is no attainment or nothing is
 * expected yet (e = 0). Example: a = 0.45, e = 0.5 → p = 0.9.
 */
export function computePace(attainment: number | null, expected: number): number | null {
  if (attainment === null || expected === 0) return null;
  return attainment / expected;
}

/**
 * Status of a goal, with `due` reached decided by the caller (`isDue = asOf ≥ due`). Rules, first
 * match wins:
 * 1. due reached → achieved if `a ≥ 1`, partially_achieved if a threshold is set and `a ≥ threshold`,
 *    else missed (no attainment at the due date is missed);
 * 2. `expected = 0` → not_started (the plan has not begun, even if the value already looks good);
 * 3. `a ≥ 1` → achieved (early);
 * 4. no attainment → no_data;
 * 5. pace bands: `p ≥ onTrack` → on_track, `p ≥ atRisk` → at_risk, else off_track.
 */
export function statusOf(
  attainment: number | null,
  expected: number,
  isDue: boolean,
  thresholdAttainment: number | null,
  bands: StatusBands,
): ProgressStatus {
  if (isDue) {
    if (attainment === null) return "missed";
    if (reaches(attainment, 1)) return "achieved";
    if (thresholdAttainment !== null && reaches(attainment, thresholdAttainment)) return "partially_achieved";
    return "missed";
  }
  if (expected === 0) return "not_started";
  if (attainment === null) return "no_data";
  if (reaches(attainment, 1)) return "achieved";
  const pace = attainment / expected;
  if (reaches(pace, bands.onTrack)) return "on_track";
  if (reaches(pace, bands.atRisk)) return "at_risk";
  return "off_track";
}

/**
 * Status of a goal as of a date (see `statusOf` for the rules, in order).
 * Examples with default bands: a = 0.45, e = 0.5 (p = 0.9) → on_track; a = 0.35, e = 0.5 (p = 0.7)
 * → at_risk; a = 0.3, e = 0.5 (p = 0.6) → off_track; at the due date a = 0.8 with threshold 0.5 →
 * partially_achieved.
 */
export function computeStatus(
  input: {
    attainment: number | null;
    expected: number;
    asOf: string;
    due: string;
    thresholdAttainment: number | null;
  },
  bands: StatusBands = DEFAULT_BANDS,
): ProgressStatus {
  const isDue = dayNumber(input.asOf) >= dayNumber(input.due);
  return statusOf(input.attainment, input.expected, isDue, input.thresholdAttainment, bands);
}
