/**
 * The goal resource's shapes: what the API accepts and returns, and what a version snapshot holds.
 */
import { z } from "zod";
import { parseDayNumber } from "../../../domain/dates.ts";

export const GOAL_LEVELS = ["company", "unit", "team", "individual"] as const;
export const GOAL_KINDS = ["metric", "range", "milestone", "rubric", "rollup"] as const;
export const GOAL_STATES = [
  "draft",
  "proposed",
  "active",
  "achieved",
  "partially_achieved",
  "missed",
  "cancelled",
] as const;
export const SCOPE_TYPES = ["org", "unit", "person"] as const;
export const REVIEW_CADENCES = ["weekly", "biweekly", "monthly", "quarterly"] as const;
export const VISIBILITIES = ["public", "unit", "private"] as const;
export const ROLLUP_MODES = ["weighted_mean", "weakest", "own_metric"] as const;
export const PROGRESS_STATUSES = [
  "not_started",
  "on_track",
  "at_risk",
  "off_track",
  "achieved",
  "partially_achieved",
  "missed",
  "no_data",
] as const;

export const GoalLevel = z.enum(GOAL_LEVELS);
export const GoalKind = z.enum(GOAL_KINDS);
export const GoalState = z.enum(GOAL_STATES);
export type GoalLevel = z.infer<typeof GoalLevel>;
export type GoalKind = z.infer<typeof GoalKind>;
export type GoalState = z.infer<typeof GoalState>;

/** A calendar date, checked for being real (no 2026-02-30). */
export const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date as YYYY-MM-DD")
  .refine((d) => !Number.isNaN(parseDayNumber(d)), "must be a real calendar date (YYYY-MM-DD)");

const Value = z.number().finite();
export const Checkpoint = z.object({
  date: Day,
  expected: z.number().min(0).max(1).describe("expected attainment on that date, 0..1"),
});
export const Contributor = z.object({
  personId: z.uuid(),
  share: z.number().min(0).max(1).describe("attribution share, 0..1; shares of a goal add up to at most 1"),
});
export type Contributor = z.infer<typeof Contributor>;

/** Every field of a goal's definition a client may set. */
const definitionFields = {
  title: z.string().trim().min(1).max(200),
  specificOutcome: z.string().max(4000),
  ownerId: z.uuid(),
  cycleId: z.uuid(),
  level: GoalLevel,
  unitId: z.uuid().nullable(),
  kind: GoalKind,
  metricId: z.uuid().nullable(),
  scopeType: z.enum(SCOPE_TYPES),
  scopeId: z.uuid().nullable(),
  baselineValue: Value.nullable(),
  baselinePeriod: z.string().max(50).nullable(),
  targetValue: Value.nullable(),
  stretchValue: Value.nullable(),
  thresholdValue: Value.nullable(),
  rangeMin: Value.nullable(),
  rangeMax: Value.nullable(),
  rubricLevels: z.number().int().min(2).max(20).nullable(),
  startDate: Day,
  dueDate: Day,
  checkpoints: z.array(Checkpoint).max(24),
  reviewCadence: z.enum(REVIEW_CADENCES),
  visibility: z.enum(VISIBILITIES),
  riskAssumptions: z.string().max(4000),
  rollupMode: z.enum(ROLLUP_MODES),
  contributors: z.array(Contributor).max(50),
};

/** Omitted fields take defaults: owner = the caller, dates = the cycle's, unit = the owner's. */
export const CreateGoalInput = z
  .strictObject(definitionFields)
  .partial()
  .required({ title: true, cycleId: true, level: true, kind: true })
  .meta({ id: "CreateGoalInput" });
export type CreateGoalInput = z.infer<typeof CreateGoalInput>;

export const UpdateGoalInput = z
  .strictObject({
    ...definitionFields,
    changeReason: z.string().trim().min(1).max(2000).describe("why; required when the goal is active"),
  })
  .partial()
  .meta({ id: "UpdateGoalInput" });
export type UpdateGoalInput = z.infer<typeof UpdateGoalInput>;

export const TransitionInput = z
  .strictObject({
    to: GoalState,
    reason: z.string().trim().max(2000).optional(),
    overrideSmart: z.boolean().optional().describe("administrators only, with a reason of 10+ characters"),
  })
  .meta({ id: "GoalTransitionInput" });
export type TransitionInput = z.infer<typeof TransitionInput>;

/**
 * A goal's definition as stored in a version snapshot (and in the goals table): everything but the
 * tenant and the timestamps. Parsing fills fields that older snapshots may lack.
 */
export const GoalDefinition = z.object({
  id: z.uuid(),
  cycleId: z.uuid(),
  title: z.string(),
  specificOutcome: z.string(),
  ownerId: z.uuid(),
  level: GoalLevel,
  unitId: z.uuid().nullable(),
  kind: GoalKind,
  metricId: z.uuid().nullable(),
  scopeType: z.enum(SCOPE_TYPES),
  scopeId: z.uuid().nullable(),
  baselineValue: z.number().nullable(),
  baselinePeriod: z.string().nullable(),
  targetValue: z.number().nullable(),
  stretchValue: z.number().nullable(),
  thresholdValue: z.number().nullable(),
  rangeMin: z.number().nullable(),
  rangeMax: z.number().nullable(),
  rubricLevels: z.number().int().nullable(),
  startDate: z.string(),
  dueDate: z.string(),
  checkpoints: z.array(z.object({ date: z.string(), expected: z.number() })),
  reviewCadence: z.enum(REVIEW_CADENCES),
  visibility: z.enum(VISIBILITIES),
  riskAssumptions: z.string(),
  rollupMode: z.enum(ROLLUP_MODES),
  state: GoalState,
  version: z.number().int(),
  smartOverrideReason: z.string().nullable(),
  contributors: z.array(z.object({ personId: z.uuid(), share: z.number() })).default([]),
});
export type GoalDefinition = z.infer<typeof GoalDefinition>;

const SmartLetterResult = z.object({ pass: z.boolean(), reasons: z.array(z.string()) });
export const SmartResult = z
  .object({
    pass: z.boolean(),
    specific: SmartLetterResult,
    measurable: SmartLetterResult,
    achievable: SmartLetterResult,
    relevant: SmartLetterResult,
    timeBound: SmartLetterResult,
  })
  .meta({ id: "SmartCheck" });

export const GoalProgress = z
  .object({
    attainment: z.number().nullable(),
    expected: z.number(),
    pace: z.number().nullable(),
    status: z.string(),
    score: z.number().nullable(),
    asOf: z.string(),
  })
  .meta({ id: "GoalProgress" });

export const GoalAbilities = z
  .object({ edit: z.boolean(), transition: z.boolean(), align: z.boolean() })
  .meta({ id: "GoalAbilities" });
export type GoalAbilities = z.infer<typeof GoalAbilities>;

/** The facts that decide what a caller may do to a goal (built once: a zod pick per goal is costly). */
export const GoalAbilityFacts = GoalDefinition.pick({ ownerId: true, level: true, state: true });

export const Goal = GoalDefinition.extend({
  contributors: z.array(z.object({ personId: z.uuid(), share: z.number() })),
  parents: z.array(z.object({ goalId: z.uuid(), weight: z.number() })),
  smart: SmartResult,
  progress: GoalProgress.nullable(),
  abilities: GoalAbilities,
  createdAt: z.string(),
  updatedAt: z.string(),
}).meta({ id: "Goal" });
export type Goal = z.infer<typeof Goal>;

export const ListGoalsQuery = z.object({
  cycleId: z.uuid().optional(),
  ownerId: z.uuid().optional(),
  unitId: z.uuid().optional(),
  level: GoalLevel.optional(),
  state: GoalState.optional(),
  status: z.enum(PROGRESS_STATUSES).optional().describe("progress status today; not combinable with asOf"),
  metricId: z.uuid().optional(),
  q: z.string().trim().min(1).max(200).optional().describe("words in the title"),
  parentId: z.uuid().optional().describe("goals that support this goal"),
  mine: z.stringbool().optional().describe("goals the caller owns or contributes to"),
  asOf: Day.optional(),
});
export type ListGoalsQuery = z.infer<typeof ListGoalsQuery>;

export const AsOfQuery = z.object({ asOf: Day.optional() });

const LinkedGoal = z.object({
  goalId: z.uuid(),
  title: z.string(),
  level: GoalLevel,
  state: GoalState,
  ownerId: z.uuid(),
  weight: z.number(),
});
export const GoalAlignments = z
  .object({
    up: z.array(LinkedGoal).describe("goals this goal supports"),
    down: z.array(LinkedGoal).describe("goals that support this goal"),
  })
  .meta({ id: "GoalAlignments" });
export type GoalAlignments = z.infer<typeof GoalAlignments>;

export const AlignInput = z
  .strictObject({ parentId: z.uuid(), weight: z.number().finite().gt(0).max(1000).default(1) })
  .meta({ id: "AlignGoalInput" });
export type AlignInput = z.infer<typeof AlignInput>;

export const GoalVersionSummary = z
  .object({
    version: z.number().int(),
    effectiveFrom: z.string(),
    changedBy: z.uuid().nullable(),
    reason: z.string(),
  })
  .meta({ id: "GoalVersionSummary" });
export const GoalVersion = GoalVersionSummary.extend({ snapshot: GoalDefinition }).meta({
  id: "GoalVersion",
});

export const TrendQuery = z.object({
  cycleId: z.uuid(),
  unitId: z.uuid().optional().describe("only goals of this unit and the units below it"),
});

export const OnTrackTrend = z
  .object({
    items: z.array(
      z.object({
        date: z.string().describe("a month end of the cycle, or today for the last point"),
        counted: z.number().int().describe("goals with figures that have started (not drafts or cancelled)"),
        onTrack: z.number().int().describe("of those, on track or achieved"),
        share: z.number().nullable().describe("onTrack / counted; null when nothing counts"),
      }),
    ),
  })
  .meta({ id: "OnTrackTrend" });
