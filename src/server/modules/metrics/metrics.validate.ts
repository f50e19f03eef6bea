/** Rules a metric definition must satisfy as a whole, beyond each field's own shape. */
import { isFlow } from "../../../domain/aggregate.ts";
import { parseStoredRules } from "../../../domain/validation/stored-rules.ts";
import type { Db } from "../../db/connection.ts";
import type { FieldError } from "../../errors.ts";
import { canonicalJson } from "../audit/canonical-json.ts";
import { findPersonSummary } from "../people/people.service.ts";
import type { MetricRow } from "./metrics.repo.ts";
import type { Metric, MetricDefinition } from "./metrics.schema.ts";

export const toMetric = (r: MetricRow): Metric => ({
  id: r.id,
  key: r.key,
  name: r.name,
  description: r.description,
  unit: r.unit as Metric["unit"],
  currencyCode: r.currencyCode,
  direction: r.direction as Metric["direction"],
  indicatorType: r.indicatorType as Metric["indicatorType"],
  aggregation: r.aggregation as Metric["aggregation"],
  kind: isFlow(r.aggregation as Metric["aggregation"]) ? "flow" : "level",
  period: r.period as Metric["period"],
  calculation: r.calculation as Metric["calculation"],
  formula: r.formula,
  baselinePeriod: r.baselinePeriod,
  dataSource: r.dataSource,
  calculationNote: r.calculationNote,
  refreshCadence: r.refreshCadence,
  stewardId: r.stewardId,
  finalityLagDays: r.finalityLagDays,
  closedThrough: r.closedThrough,
  validationRules: parseStoredRules(r.validationRules),
  createdAt: new Date(r.createdAt).toISOString(),
  updatedAt: new Date(r.updatedAt).toISOString(),
});

/** The definition as stored, in the shape an update merges into. */
export const toDefinition = (m: Metric): MetricDefinition => {
  const { id: _id, kind: _kind, closedThrough: _closed, createdAt: _c, updatedAt: _u, ...definition } = m;
  return definition;
};

/** Fields that depend on each other: a currency needs its code, a formula metric its formula. */
export function definitionErrors(d: MetricDefinition): FieldError[] {
  const errors: FieldError[] = [];
  if (d.unit === "currency" && d.currencyCode === null)
    errors.push({ field: "currencyCode", message: "currency metrics need an ISO 4217 code, like EUR" });
  if (d.unit !== "currency" && d.currencyCode !== null)
    errors.push({
      field: "currencyCode",
      message: `only currency metrics carry a code; this one is ${d.unit}: send null`,
    });
  if (d.calculation === "formula" && d.formula === null)
    errors.push({ field: "formula", message: "formula metrics need the formula text" });
  if (d.calculation !== "formula" && d.formula !== null)
    errors.push({
      field: "formula",
      message: `only formula metrics take a formula; this one is ${d.calculation}: send null`,
    });
  return errors;
}

/** The steward must be an active person of the organisation. */
export async function stewardErrors(db: Db, orgId: string, stewardId: string | null): Promise<FieldError[]> {
  if (stewardId === null) return [];
  const person = await findPersonSummary(db, orgId, stewardId);
  if (!person)
    return [{ field: "stewardId", message: "no person with this id; give an active person's id or null" }];
  if (!person.active)
    return [{ field: "stewardId", message: "this person is inactive; choose an active steward" }];
  return [];
}

/** The fields whose value differs, with old and new values (for the audit event and the update). */
export function changedFields(
  before: MetricDefinition,
  after: MetricDefinition,
): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const field of Object.keys(after) as (keyof MetricDefinition)[]) {
    if (canonicalJson(before[field]) !== canonicalJson(after[field])) {
      changes[field] = { from: before[field], to: after[field] };
    }
  }
  return changes;
}
