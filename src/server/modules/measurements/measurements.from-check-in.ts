/**
 * A check-in's value on a goal whose metric is entered by hand becomes a measurement of the goal's
 * series for the check-in's day, so the figures read it like any other value. A second check-in for
 * the same day supersedes the first value (history stays). Runs inside the check-in's transaction.
 */
import { uuidv7 } from "uuidv7";
import type { Db } from "../../db/connection.ts";
import { appendAudit } from "../audit/audit.service.ts";
import { findMetricFacts, lockMetricsForWrite } from "../metrics/metrics.service.ts";
import { toInsertRow } from "./measurements.plan.ts";
import { findCurrentInPeriods, insertMeasurements } from "./measurements.repo.ts";
import type { Measurement, ScopeType } from "./measurements.schema.ts";
import { toMeasurement } from "./measurements.service.ts";

export type CheckInValue = {
  orgId: string;
  actorId: string;
  now: Date;
  metricId: string;
  scopeType: ScopeType;
  scopeId: string;
  date: string;
  value: number;
  note: string;
};

export async function recordCheckInValue(tx: Db, v: CheckInValue): Promise<Measurement> {
  await lockMetricsForWrite(tx, v.orgId, [v.metricId]);
  const metric = await findMetricFacts(tx, v.orgId, v.metricId);
  if (!metric) throw new Error(`metric ${v.metricId} vanished during a check-in`);
  const key = {
    metricId: v.metricId,
    scopeType: v.scopeType,
    scopeId: v.scopeId,
    periodStart: v.date,
    periodEnd: v.date,
  };
  const [current] = await findCurrentInPeriods(tx, v.orgId, [key]);
  const inserted = toInsertRow(
    v.orgId,
    {
      ...key,
      index: 0,
      metric,
      value: v.value,
      supersedes: current?.id,
      note: v.note,
      source: "check-in",
      provisional: false,
    },
    { id: uuidv7(), recordedAt: v.now.toISOString(), recordedBy: v.actorId, batchId: null },
  );
  await insertMeasurements(tx, [inserted]);
  const measurement = toMeasurement({ ...inserted, supersededById: null });
  await appendAudit(tx, { orgId: v.orgId, actorId: v.actorId, at: v.now }, [
    current
      ? {
          action: "measurement.corrected",
          entityType: "measurement",
          entityId: measurement.id,
          data: { measurement, supersedes: current.id, from: current.value, to: measurement.value },
        }
      : {
          action: "measurement.recorded",
          entityType: "measurement",
          entityId: measurement.id,
          data: { measurement },
        },
  ]);
  return measurement;
}
