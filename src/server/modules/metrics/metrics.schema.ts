/** The metric (KPI definition) resource's shapes: what the API accepts and returns. */
import { z } from "zod";
import { isIsoDate } from "../../../domain/dates.ts";
import { PageQuery } from "../../http/pagination.ts";
import { ValidationRules } from "./metrics.rules.ts";

export const UNITS = ["percent", "count", "duration", "currency", "ratio", "score"] as const;
export const DIRECTIONS = ["increase", "decrease", "keep_within_range"] as const;
export const INDICATOR_TYPES = ["leading", "lagging"] as const;
export const AGGREGATIONS = ["sum", "average", "last", "min", "max"] as const;
export const PERIODS = ["day", "week", "month", "quarter"] as const;
export const CALCULATIONS = ["manual", "imported", "formula"] as const;

export const MetricUnit = z.enum(UNITS);
export const MetricDirection = z.enum(DIRECTIONS);
export const IndicatorType = z.enum(INDICATOR_TYPES);
export const MetricAggregation = z.enum(AGGREGATIONS);

export const Metric = z
  .object({
    id: z.uuid(),
    key: z.string(),
    name: z.string(),
    description: z.string(),
    unit: MetricUnit,
    currencyCode: z.string().nullable(),
    direction: MetricDirection,
    indicatorType: IndicatorType,
    aggregation: MetricAggregation,
    kind: z.enum(["level", "flow"]).describe("flow: values add up over time (sum); level: the others"),
    period: z.enum(PERIODS),
    calculation: z.enum(CALCULATIONS),
    formula: z.string().nullable(),
    baselinePeriod: z.string().nullable(),
    dataSource: z.string(),
    calculationNote: z.string(),
    refreshCadence: z.string(),
    stewardId: z.uuid().nullable(),
    finalityLagDays: z.number().int(),
    closedThrough: z
      .string()
      .nullable()
      .describe("the steward closed every period ending on or before this day: its values are final"),
    validationRules: ValidationRules,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: "Metric" });
export type Metric = z.infer<typeof Metric>;

const key = z
  .string()
  .trim()
  .max(64, "keys are at most 64 characters")
  .regex(
    /^[a-z][a-z0-9]*(?:[_-][a-z0-9]+)*$/,
    "a slug: lower-case letters and digits, words joined by _ or -, starting with a letter (net_new_arr)",
  )
  .describe("unique in the organisation; imports name metrics by it");
const text = (max: number) => z.string().trim().max(max);

/** Fields a caller sets; defaults apply on create only. */
const fields = {
  key,
  name: text(200).min(1, "give the metric a name"),
  description: text(4000),
  unit: MetricUnit,
  currencyCode: z
    .string()
    .regex(/^[A-Z]{3}$/, "an ISO 4217 code: three capital letters, like EUR or USD")
    .nullable()
    .describe("required when unit is currency, null otherwise"),
  direction: MetricDirection,
  indicatorType: IndicatorType,
  aggregation: MetricAggregation.describe("how values over time combine: sum is a flow, the others a level"),
  period: z.enum(PERIODS).describe("the length of the periods values are recorded for"),
  calculation: z.enum(CALCULATIONS),
  formula: text(4000)
    .min(1)
    .nullable()
    .describe(
      "required when calculation is formula, null otherwise: an expression over other metrics' keys with + - * / ^, parentheses, min, max, abs, round, sqrt (won_revenue / pipeline_revenue * 100)",
    ),
  baselinePeriod: text(200).nullable(),
  dataSource: text(1000),
  calculationNote: text(4000),
  refreshCadence: text(100),
  stewardId: z.uuid().nullable().describe("an active person who owns the metric's data"),
  finalityLagDays: z
    .number()
    .int()
    .min(0)
    .max(365)
    .describe("days after a period ends until values are final"),
  validationRules: ValidationRules.describe(
    "checks every new value must pass before it counts (see the data review queue); set by the steward",
  ),
};

export const CreateMetricInput = z
  .strictObject({
    ...fields,
    description: fields.description.default(""),
    currencyCode: fields.currencyCode.default(null),
    period: fields.period.default("month"),
    calculation: fields.calculation.default("manual"),
    formula: fields.formula.default(null),
    baselinePeriod: fields.baselinePeriod.default(null),
    dataSource: fields.dataSource.default(""),
    calculationNote: fields.calculationNote.default(""),
    refreshCadence: fields.refreshCadence.default("monthly"),
    stewardId: fields.stewardId.default(null),
    finalityLagDays: fields.finalityLagDays.default(0),
    validationRules: fields.validationRules.default({}),
  })
  .meta({ id: "CreateMetricInput" });
export type CreateMetricInput = z.infer<typeof CreateMetricInput>;

export const UpdateMetricInput = z
  .strictObject({
    key: fields.key.optional(),
    name: fields.name.optional(),
    description: fields.description.optional(),
    unit: fields.unit.optional(),
    currencyCode: fields.currencyCode.optional(),
    direction: fields.direction.optional(),
    indicatorType: fields.indicatorType.optional(),
    aggregation: fields.aggregation.optional(),
    period: fields.period.optional(),
    calculation: fields.calculation.optional(),
    formula: fields.formula.optional(),
    baselinePeriod: fields.baselinePeriod.optional(),
    dataSource: fields.dataSource.optional(),
    calculationNote: fields.calculationNote.optional(),
    refreshCadence: fields.refreshCadence.optional(),
    stewardId: fields.stewardId.optional(),
    finalityLagDays: fields.finalityLagDays.optional(),
    validationRules: fields.validationRules.optional(),
  })
  .meta({ id: "UpdateMetricInput" });
export type UpdateMetricInput = z.infer<typeof UpdateMetricInput>;

const ScopePeriod = {
  scopeType: z.string(),
  scopeId: z.string(),
  periodStart: z.string(),
  periodEnd: z.string(),
};

/** What a formula change did to the metric's values (docs/api.md, "Changing a formula"). */
export const Rederivation = z
  .object({
    rederived: z
      .number()
      .int()
      .describe("new values derived with the new formula, each superseding the period's current value"),
    unchanged: z
      .number()
      .int()
      .describe("current values the new formula gives again from the same inputs, left as they are"),
    kept: z
      .number()
      .int()
      .describe(
        "current values that stay because the new formula gives none there (an input missing, a division by zero), or, when the formula was removed, the derived values that stay as history",
      ),
    keptSample: z
      .array(z.object({ ...ScopePeriod, value: z.number(), reason: z.string() }))
      .describe("the first 20 kept periods, with the value that stays and why"),
  })
  .meta({ id: "Rederivation" });
export type Rederivation = z.infer<typeof Rederivation>;

/** A changed metric, with what the change did to its values when its formula changed. */
export const UpdatedMetric = Metric.extend({
  rederivation: Rederivation.nullable().describe(
    "set when the formula changed (added, edited or removed); null for any other change",
  ),
}).meta({ id: "UpdatedMetric" });
export type UpdatedMetric = z.infer<typeof UpdatedMetric>;

/** The definition every metric has once defaults are applied: what create stores and update merges into. */
export type MetricDefinition = CreateMetricInput;

export const MetricQuery = PageQuery.extend({
  q: z.string().trim().min(1).max(200).optional().describe("part of the key or name, any case"),
  unit: MetricUnit.optional(),
  direction: MetricDirection.optional(),
  indicatorType: IndicatorType.optional(),
  stewardId: z.uuid().optional(),
});
export type MetricQuery = z.infer<typeof MetricQuery>;

export const MetricParams = z.object({ id: z.uuid() });

export const ClosePeriodsInput = z
  .strictObject({
    through: z
      .string()
      .refine(isIsoDate, "must be a real calendar date as YYYY-MM-DD")
      .describe(
        "close every period ending on or before this day; not in the future, not before an earlier close",
      ),
  })
  .meta({ id: "ClosePeriodsInput" });
export type ClosePeriodsInput = z.infer<typeof ClosePeriodsInput>;
