/** The measurement resource's shapes: one value of a metric for a scope and a period, immutable. */
import { z } from "zod";
import { isIsoDate } from "../../../domain/dates.ts";
import { RULE_NAMES } from "../../../domain/validation/rules.ts";
import { PageQuery } from "../../http/pagination.ts";

export const SCOPE_TYPES = ["org", "unit", "person"] as const;
export const ScopeType = z.enum(SCOPE_TYPES);
export type ScopeType = z.infer<typeof ScopeType>;

/** Most rows one bulk request may carry. */
export const MAX_BULK_ROWS = 5000;

const isoDate = z.string().refine(isIsoDate, "must be a real calendar date as YYYY-MM-DD");

export const FindingSummary = z
  .object({
    rule: z.enum(RULE_NAMES),
    outcome: z.enum(["flag", "quarantine"]),
    message: z.string().describe("what the rule found, with the numbers"),
  })
  .meta({ id: "Finding" });

export const Measurement = z
  .object({
    id: z.uuid(),
    metricId: z.uuid(),
    scopeType: ScopeType,
    scopeId: z.uuid().describe("the organisation's id for organisation-wide values"),
    periodStart: z.string(),
    periodEnd: z.string(),
    value: z.number(),
    recordedAt: z.string().describe("when the system learned the value"),
    recordedBy: z.uuid().nullable(),
    supersedesId: z.uuid().nullable().describe("the measurement this one corrects"),
    supersededById: z.uuid().nullable().describe("the correction that replaced this one (as known at asOf)"),
    source: z.string(),
    provisional: z
      .boolean()
      .describe(
        "true until the metric's finality lag after the period has passed, or until the steward closes the period",
      ),
    validationState: z.enum(["accepted", "flagged", "quarantined"]),
    note: z.string(),
    findings: z
      .array(FindingSummary)
      .optional()
      .describe(
        "why the validation rules flagged or quarantined it (on the write's answer; the review queue lists them too)",
      ),
  })
  .meta({ id: "Measurement" });
export type Measurement = z.infer<typeof Measurement>;

export const MeasurementQuery = PageQuery.extend({
  scopeType: ScopeType.default("org"),
  scopeId: z
    .uuid()
    .optional()
    .describe("required for unit and person scope; the organisation's id by default"),
  from: isoDate.optional().describe("only periods that end on or after this date"),
  to: isoDate.optional().describe("only periods that start on or before this date"),
  asOf: isoDate
    .optional()
    .describe("what was believed at the end of this day (UTC): rows recorded later are left out"),
  includeSuperseded: z
    .stringbool()
    .default(false)
    .describe("true: the whole correction history, each row with supersededById"),
});
export type MeasurementQuery = z.infer<typeof MeasurementQuery>;

/** A date, a local date-time or an instant (checked against the organisation's zone when written). */
const when = z
  .string()
  .min(1)
  .max(40)
  .describe(
    "a date (2026-03-31), a local date-time in the organisation's time zone (2026-03-31T14:30), or an instant with offset (2026-03-31T14:30:00Z, …+02:00); normalised to the organisation's calendar date",
  );
const at = when.describe(
  "instead of periodStart/periodEnd: a moment (date, local date-time or instant) in the metric's period; the row takes that period's first and last day (day, ISO week, month, or quarter of the fiscal year)",
);

const value = z.number().finite().describe("the value, in the metric's unit");
const note = z.string().trim().max(2000);
const source = z.string().trim().min(1).max(100).describe("where the value came from, e.g. api, salesforce");
const supersedes = z
  .uuid()
  .optional()
  .describe("the id of the current measurement of this metric, scope and period that this one corrects");

export const RecordMeasurementInput = z
  .strictObject({
    value,
    periodStart: when
      .optional()
      .describe(
        "first day the value describes (any time form, taken as its date); not in the future; or give at",
      ),
    periodEnd: when.optional().describe("last day the value describes; periodStart by default"),
    at: at.optional(),
    scopeType: ScopeType.default("org"),
    scopeId: z.uuid().optional().describe("the unit's or person's id; leave out for organisation scope"),
    supersedes,
    note: note.default(""),
    source: source.default("api"),
    provisional: z
      .boolean()
      .optional()
      .describe("by default true while the period's end plus the metric's finality lag is still ahead"),
  })
  .meta({ id: "RecordMeasurementInput" });
export type RecordMeasurementInput = z.infer<typeof RecordMeasurementInput>;

export const BulkMeasurementRow = z
  .strictObject({
    metricId: z.uuid().optional().describe("the metric's id, or give metricKey"),
    metricKey: z.string().min(1).max(64).optional().describe("the metric's key, or give metricId"),
    scopeType: ScopeType.default("org"),
    scopeId: z.uuid().optional(),
    periodStart: when.optional().describe("first day the value describes; or give at"),
    periodEnd: when.optional().describe("last day the value describes; periodStart by default"),
    at: at.optional(),
    value,
    supersedes,
    note: note.default(""),
    source: source.default("api"),
    provisional: z.boolean().optional(),
  })
  .meta({ id: "BulkMeasurementRow" });
/** A bulk row as the API parses it: its period given by periodStart (and periodEnd), or by `at`. */
export type BulkMeasurementRowInput = z.infer<typeof BulkMeasurementRow>;
/** A row with its period given by periodStart, as file import and connectors build it. */
export type BulkMeasurementRow = Omit<BulkMeasurementRowInput, "periodStart"> & { periodStart: string };

export const BulkMeasurementInput = z
  .array(BulkMeasurementRow)
  .min(1, "send at least one row")
  .max(MAX_BULK_ROWS, `send at most ${MAX_BULK_ROWS} rows per request`)
  .meta({ id: "BulkMeasurementInput" });

const count = z.number().int().min(0);

export const BulkMeasurementResult = z
  .object({
    accepted: count.describe("rows written and counted without a finding"),
    flagged: count.describe("rows written and counted, with a warning (see findings)"),
    quarantined: count.describe("rows written but not counted until a steward accepts them (see findings)"),
    counts: z.object({ accepted: count, flagged: count, quarantined: count, rejected: count }),
    rejected: z
      .array(z.object({ index: z.number().int(), field: z.string(), message: z.string() }))
      .describe("each fault of each row not written: its index in the request, the field, the reason"),
    findings: z
      .array(FindingSummary.extend({ index: z.number().int() }))
      .describe("the validation rules' findings on the rows written flagged or quarantined"),
    batchId: z.uuid().describe("carried by every row written"),
    ids: z
      .array(z.uuid().nullable())
      .describe("per row of the request: the new measurement's id, null when rejected"),
  })
  .meta({ id: "BulkMeasurementResult" });
export type BulkMeasurementResult = z.infer<typeof BulkMeasurementResult>;

export const MetricParams = z.object({ id: z.uuid() });

export const QuarantineQuery = PageQuery.extend({
  metricId: z.uuid().optional().describe("only this metric's values"),
});
export type QuarantineQuery = z.infer<typeof QuarantineQuery>;

export const QuarantinedMeasurement = z
  .object({
    id: z.uuid(),
    metric: z.object({ id: z.uuid(), key: z.string(), name: z.string(), unit: z.string() }),
    scopeType: ScopeType,
    scopeId: z.uuid(),
    scopeName: z.string(),
    periodStart: z.string(),
    periodEnd: z.string(),
    value: z.number(),
    source: z.string(),
    recordedAt: z.string(),
    recordedBy: z.uuid().nullable(),
    supersedesId: z.uuid().nullable().describe("the counted value it would replace when accepted"),
    supersedesValue: z.number().nullable(),
    note: z.string(),
    findings: z.array(FindingSummary),
  })
  .meta({ id: "QuarantinedMeasurement" });
export type QuarantinedMeasurement = z.infer<typeof QuarantinedMeasurement>;

export const ReviewMeasurementInput = z
  .strictObject({
    decision: z
      .enum(["accept", "reject"])
      .describe("accept: the value counts from now on; reject: it stays out"),
    reason: z.string().trim().min(1, "give the reason for the decision").max(2000),
  })
  .meta({ id: "ReviewMeasurementInput" });
export type ReviewMeasurementInput = z.infer<typeof ReviewMeasurementInput>;

export const MeasurementReview = z
  .object({
    id: z.uuid(),
    measurementId: z.uuid(),
    decision: z.enum(["accept", "reject"]),
    reason: z.string(),
    reviewedBy: z.uuid(),
    reviewedAt: z.string(),
    validationState: z
      .enum(["accepted", "quarantined"])
      .describe("the measurement's state after the decision"),
  })
  .meta({ id: "MeasurementReview" });
export type MeasurementReview = z.infer<typeof MeasurementReview>;
