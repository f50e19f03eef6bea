/** The goal form's state, and how it maps to the API's input and to the SMART facts. */
import type { SmartGoalFacts } from "../../../domain/smart.ts";
import type { Goal } from "../../api/hooks.ts";

export type Level = Goal["level"];
export type Kind = Goal["kind"];
export type Parent = { goalId: string; title: string; weight: number };

export type GoalDraft = {
  title: string;
  specificOutcome: string;
  level: Level;
  kind: Kind;
  metricId: string | null;
  baselineValue: number | null;
  baselinePeriod: string;
  thresholdValue: number | null;
  targetValue: number | null;
  stretchValue: number | null;
  rangeMin: number | null;
  rangeMax: number | null;
  rubricLevels: number | null;
  startDate: string;
  dueDate: string;
  checkpoints: { date: string; expected: number }[];
  reviewCadence: Goal["reviewCadence"];
  visibility: Goal["visibility"];
  riskAssumptions: string;
  rollupMode: Goal["rollupMode"];
  parents: Parent[];
};

export function emptyDraft(cycle: { startDate: string; endDate: string } | null): GoalDraft {
  return {
    title: "",
    specificOutcome: "",
    level: "individual",
    kind: "metric",
    metricId: null,
    baselineValue: null,
    baselinePeriod: "",
    thresholdValue: null,
    targetValue: null,
    stretchValue: null,
    rangeMin: null,
    rangeMax: null,
    rubricLevels: null,
    startDate: cycle?.startDate ?? "",
    dueDate: cycle?.endDate ?? "",
    checkpoints: [],
    reviewCadence: "monthly",
    visibility: "public",
    riskAssumptions: "",
    rollupMode: "weighted_mean",
    parents: [],
  };
}

export function draftFromGoal(g: Goal, parents: Parent[]): GoalDraft {
  return {
    title: g.title,
    specificOutcome: g.specificOutcome,
    level: g.level,
    kind: g.kind,
    metricId: g.metricId,
    baselineValue: g.baselineValue,
    baselinePeriod: g.baselinePeriod ?? "",
    thresholdValue: g.thresholdValue,
    targetValue: g.targetValue,
    stretchValue: g.stretchValue,
    rangeMin: g.rangeMin,
    rangeMax: g.rangeMax,
    rubricLevels: g.rubricLevels,
    startDate: g.startDate,
    dueDate: g.dueDate,
    checkpoints: g.checkpoints,
    reviewCadence: g.reviewCadence,
    visibility: g.visibility,
    riskAssumptions: g.riskAssumptions,
    rollupMode: g.rollupMode,
    parents,
  };
}

/** The definition fields the API takes (create and update share them). */
export function toInput(d: GoalDraft) {
  return {
    title: d.title,
    specificOutcome: d.specificOutcome,
    level: d.level,
    kind: d.kind,
    metricId: d.kind === "metric" || d.kind === "range" ? d.metricId : null,
    baselineValue: d.baselineValue,
    baselinePeriod: d.baselinePeriod || null,
    thresholdValue: d.thresholdValue,
    targetValue: d.targetValue,
    stretchValue: d.stretchValue,
    rangeMin: d.rangeMin,
    rangeMax: d.rangeMax,
    rubricLevels: d.rubricLevels,
    startDate: d.startDate,
    dueDate: d.dueDate,
    checkpoints: d.checkpoints,
    reviewCadence: d.reviewCadence,
    visibility: d.visibility,
    riskAssumptions: d.riskAssumptions,
    rollupMode: d.rollupMode,
  };
}

export function smartFacts(
  d: GoalDraft,
  ctx: {
    ownerId: string;
    direction: SmartGoalFacts["direction"];
    cycleStart: string | null;
    cycleEnd: string | null;
  },
): SmartGoalFacts {
  return {
    title: d.title,
    specificOutcome: d.specificOutcome,
    ownerId: ctx.ownerId,
    level: d.level,
    kind: d.kind,
    metricId: d.metricId,
    baseline: d.baselineValue,
    target: d.targetValue,
    threshold: d.thresholdValue,
    stretch: d.stretchValue,
    rangeMin: d.rangeMin,
    rangeMax: d.rangeMax,
    rubricLevels: d.rubricLevels,
    direction: ctx.direction,
    start: d.startDate || null,
    due: d.dueDate || null,
    cycleStart: ctx.cycleStart,
    cycleEnd: ctx.cycleEnd,
    parentCount: d.parents.length,
    checkpoints: d.checkpoints,
  };
}
