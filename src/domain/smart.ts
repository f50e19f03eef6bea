/**
 * The SMART check: is a goal Specific, Measurable, Achievable (internally consistent), Relevant
 * (aligned) and Time-bound? Each letter passes or lists short reasons naming the field.
 */
import { parseDayNumber } from "./dates.ts";
import type { Checkpoint } from "./expected.ts";

export type SmartLetter = "specific" | "measurable" | "achievable" | "relevant" | "timeBound";

export type SmartCheck = Record<SmartLetter, { pass: boolean; reasons: string[] }> & { pass: boolean };

export type SmartGoalFacts = {
  title: string;
  specificOutcome: string | null;
  ownerId: string | null;
  level: "company" | "unit" | "team" | "individual";
  kind: "metric" | "range" | "milestone" | "rubric" | "rollup";
  metricId: string | null;
  baseline: number | null;
  target: number | null;
  threshold: number | null;
  stretch: number | null;
  rangeMin: number | null;
  rangeMax: number | null;
  rubricLevels: number | null;
  /** of the metric */
  direction: "increase" | "decrease" | "keep_within_range" | null;
  start: string | null;
  due: string | null;
  cycleStart: string | null;
  cycleEnd: string | null;
  parentCount: number;
  checkpoints: Checkpoint[];
};

export const MIN_SPECIFIC_OUTCOME_LENGTH = 10;

function isNumber(x: number | null): x is number {
  return x !== null && Number.isFinite(x);
}

function specific(g: SmartGoalFacts): string[] {
  const reasons: string[] = [];
  if (g.title.trim() === "") reasons.push("title is missing");
  if (g.specificOutcome === null || g.specificOutcome.trim().length < MIN_SPECIFIC_OUTCOME_LENGTH) {
    reasons.push(`specific outcome is missing or shorter than ${MIN_SPECIFIC_OUTCOME_LENGTH} characters`);
  }
  if (g.ownerId === null) reasons.push("no owner");
  return reasons;
}

function measurable(g: SmartGoalFacts): string[] {
  const reasons: string[] = [];
  switch (g.kind) {
    case "metric":
      if (g.metricId === null) reasons.push("no metric chosen");
      if (!isNumber(g.baseline)) reasons.push("baseline is missing");
      if (!isNumber(g.target)) reasons.push("target is missing");
      if (isNumber(g.baseline) && isNumber(g.target) && g.target === g.baseline) {
        reasons.push("target equals baseline");
      }
      break;
    case "range":
      if (!isNumber(g.rangeMin) || !isNumber(g.rangeMax)) reasons.push("range minimum or maximum is missing");
      else if (!(g.rangeMin < g.rangeMax)) reasons.push("range minimum must be below range maximum");
      break;
    case "rubric":
      if (!isNumber(g.rubricLevels) || !Number.isInteger(g.rubricLevels) || g.rubricLevels < 2) {
        reasons.push("rubric needs a whole number of levels, at least 2");
      }
      break;
    case "milestone":
    case "rollup":
      break;
    default: {
      const never: never = g.kind;
      throw new TypeError(`unknown goal kind ${String(never)}`);
    }
  }
  return reasons;
}

/** Threshold and stretch placed on the baseline → target axis; direction consistent with the metric. */
function achievable(g: SmartGoalFacts): string[] {
  const reasons: string[] = [];
  if (g.kind !== "metric" || !isNumber(g.baseline) || !isNumber(g.target) || g.target === g.baseline) {
    return reasons;
  }
  const { baseline, target } = g;
  if (g.direction === "increase" && target < baseline) {
    reasons.push("target moves against the metric's direction (increase)");
  }
  if (g.direction === "decrease" && target > baseline) {
    reasons.push("target moves against the metric's direction (decrease)");
  }
  const position = (x: number) => (x - baseline) / (target - baseline);
  if (g.threshold !== null) {
    // At the baseline is allowed (50 points for holding steady), at the target is not.
    if (!Number.isFinite(g.threshold) || !(position(g.threshold) >= 0 && position(g.threshold) < 1)) {
      reasons.push("threshold must lie between baseline and target");
    }
  }
  if (g.stretch !== null) {
    if (!Number.isFinite(g.stretch) || !(position(g.stretch) > 1))
      reasons.push("stretch must lie beyond target");
  }
  return reasons;
}

function relevant(g: SmartGoalFacts): string[] {
  return g.level !== "company" && g.parentCount < 1 ? ["not aligned to any goal above it"] : [];
}

function dateField(value: string | null, name: string, reasons: string[]): number | null {
  if (value === null) {
    reasons.push(`${name} is missing`);
    return null;
  }
  const day = parseDayNumber(value);
  if (Number.isNaN(day)) {
    reasons.push(`${name} is not a valid date (YYYY-MM-DD)`);
    return null;
  }
  return day;
}

function timeBound(g: SmartGoalFacts): string[] {
  const reasons: string[] = [];
  const start = dateField(g.start, "start date", reasons);
  const due = dateField(g.due, "due date", reasons);
  if (start !== null && due !== null && !(start < due)) reasons.push("due date must be after the start date");
  if (g.cycleStart !== null && g.cycleEnd !== null) {
    const cycleStart = parseDayNumber(g.cycleStart);
    const cycleEnd = parseDayNumber(g.cycleEnd);
    const within = (d: number) => d >= cycleStart && d <= cycleEnd;
    const cycle = `(${g.cycleStart} – ${g.cycleEnd})`;
    if (start !== null && !within(start)) reasons.push(`start date is outside the cycle ${cycle}`);
    if (due !== null && !within(due)) reasons.push(`due date is outside the cycle ${cycle}`);
  }
  const dated: { day: number; expected: number }[] = [];
  let badDate = false;
  let outside = false;
  for (const c of g.checkpoints) {
    const day = parseDayNumber(c.date);
    if (Number.isNaN(day)) badDate = true;
    else {
      if (start !== null && due !== null && !(day > start && day < due)) outside = true;
      dated.push({ day, expected: c.expected });
    }
  }
  if (badDate) reasons.push("checkpoint dates must be valid dates (YYYY-MM-DD)");
  if (outside) reasons.push("checkpoint dates must lie between start and due");
  dated.sort((x, y) => x.day - y.day);
  if (dated.some((c, i) => i > 0 && c.day === dated[i - 1]?.day))
    reasons.push("two checkpoints share a date");
  if (dated.some((c) => !(Number.isFinite(c.expected) && c.expected >= 0 && c.expected <= 1))) {
    reasons.push("checkpoint expected attainment must lie between 0 and 1");
  }
  if (dated.some((c, i) => i > 0 && c.expected < (dated[i - 1]?.expected ?? 0))) {
    reasons.push("checkpoint expected attainment must not decrease over time");
  }
  return reasons;
}

/**
 * The SMART check of a goal's facts. Each letter passes when it has no reasons; the goal passes when
 * every letter does.
 * - specific: title, a specific outcome of at least 10 characters, an owner;
 * - measurable: metric goals need a metric, a baseline and a target that differs from it; range goals
 *   min < max; rubric goals at least 2 levels; milestones and rollups pass;
 * - achievable (metric goals): target in the metric's direction, threshold in [baseline, target),
 *   stretch beyond target;
 * - relevant: every goal below company level supports at least one goal;
 * - time-bound: valid start and due, start < due, both inside the cycle when one is given,
 *   checkpoints strictly between start and due on distinct dates with expectations in [0, 1] that
 *   never decrease.
 * Example: an individual goal without parents fails relevant with "not aligned to any goal above it".
 */
export function checkSmart(g: SmartGoalFacts): SmartCheck {
  const letter = (reasons: string[]) => ({ pass: reasons.length === 0, reasons });
  const result = {
    specific: letter(specific(g)),
    measurable: letter(measurable(g)),
    achievable: letter(achievable(g)),
    relevant: letter(relevant(g)),
    timeBound: letter(timeBound(g)),
  };
  return {
    ...result,
    pass: Object.values(result).every((r) => r.pass),
  };
}
