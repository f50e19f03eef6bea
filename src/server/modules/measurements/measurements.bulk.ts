/**
 * The bulk write: up to 5,000 measurements (values and corrections) of any metrics in one request,
 * all or nothing in one transaction. Any invalid row → 400 naming `rows[i].field` for every fault,
 * nothing written. Issue 4 adds partial acceptance, files and validation rules on top of this.
 */
import { uuidv7 } from "uuidv7";
import type { Actor } from "../../actor.ts";
import type { Clock } from "../../clock.ts";
import type { Db } from "../../db/connection.ts";
import { AppError, type FieldError } from "../../errors.ts";
import { withIdempotency } from "../../http/idempotency.ts";
import { appendAudit } from "../audit/audit.service.ts";
import {
  findMetricFactsByIdsOrKeys,
  lockMetricsForWrite,
  type MetricFacts,
} from "../metrics/metrics.service.ts";
import { createProgressService, type SeriesKey } from "../progress/progress.service.ts";
import {
  createScopeChecker,
  findPeriodFaults,
  type PlannedRow,
  planRow,
  type RowFault,
  toInsertRow,
} from "./measurements.plan.ts";
import { deriveFormulaMeasurements } from "./measurements.derive.ts";
import { canWriteMeasurements } from "./measurements.policy.ts";
import { insertMeasurements } from "./measurements.repo.ts";
import type { BulkMeasurementResult, BulkMeasurementRow } from "./measurements.schema.ts";

const BULK_ROUTE = "POST /api/v1/measurements";

/** Faults as problem-details errors, each naming its row: `rows[3].value`. */
export const rowErrors = (faults: RowFault[]): FieldError[] =>
  faults
    .sort((a, b) => a.index - b.index)
    .map((f) => ({ field: `rows[${f.index}].${f.field}`, message: f.message }));

/** Each row's metric, by id or key; faults for rows naming none, an unknown one, or two different ones. */
async function resolveMetrics(db: Db, orgId: string, rows: BulkMeasurementRow[]) {
  const ids = rows.flatMap((r) => (r.metricId ? [r.metricId] : []));
  const keys = rows.flatMap((r) => (r.metricKey ? [r.metricKey] : []));
  const found = await findMetricFactsByIdsOrKeys(db, orgId, ids, keys);
  const byId = new Map(found.map((m) => [m.id, m]));
  const byKey = new Map(found.map((m) => [m.key, m]));
  const faults: RowFault[] = [];
  const metrics = rows.map((r, index): MetricFacts | undefined => {
    const fault = (field: string, message: string) => faults.push({ index, field, message, code: "invalid" });
    if (r.metricId === undefined && r.metricKey === undefined) {
      fault("metricId", "name the metric: give metricId or metricKey");
      return undefined;
    }
    const metric = r.metricId !== undefined ? byId.get(r.metricId) : byKey.get(r.metricKey ?? "");
    if (!metric) {
      fault(
        r.metricId !== undefined ? "metricId" : "metricKey",
        "no metric with this id or key in the KPI library",
      );
      return undefined;
    }
    if (r.metricKey !== undefined && r.metricKey !== metric.key) {
      fault(
        "metricKey",
        `metricId names metric ${metric.key}; give one of them, or both for the same metric`,
      );
      return undefined;
    }
    return metric;
  });
  return { metrics, faults };
}

export function createBulkMeasurementsService(deps: { db: Db; clock: Clock }) {
  const progress = createProgressService(deps);
  return {
    /**
     * Writes every row or none. 403 when a row's metric is one the caller may not record (naming the
     * metrics), 400 for invalid rows (each named `rows[i].field`, including a second value for a
     * recorded period without `supersedes`). Honours `Idempotency-Key`; one audit event for the batch;
     * the touched series are recomputed once, in the same transaction.
     */
    async recordBulk(
      actor: Actor,
      rows: BulkMeasurementRow[],
      idempotencyKey: string | undefined,
    ): Promise<{ status: number; body: BulkMeasurementResult; replayed: boolean }> {
      const orgId = actor.orgId;
      const { metrics, faults } = await resolveMetrics(deps.db, orgId, rows);
      const denied = [
        ...new Set(metrics.filter((m) => m && !canWriteMeasurements(actor, m)).map((m) => m?.key)),
      ];
      if (denied.length > 0)
        throw new AppError(
          "forbidden",
          `only administrators, the performance office and a metric's steward record its measurements; you may not record ${denied.join(", ")}`,
        );
      const { today } = await progress.orgContext(orgId);
      const ctx = { orgId, today, scopeExists: createScopeChecker(deps.db, orgId) };
      const planned: PlannedRow[] = [];
      for (const [index, input] of rows.entries()) {
        const metric = metrics[index];
        if (!metric) continue;
        const result = await planRow(index, metric, input, ctx);
        if (result.row) planned.push(result.row);
        else faults.push(...result.faults);
      }
      if (faults.length > 0) throw new AppError("invalid", rowErrors(faults));
      const answer = await withIdempotency(
        deps.db,
        { orgId, actorId: actor.personId, route: BULK_ROUTE, key: idempotencyKey, body: rows },
        async (tx) => {
          await lockMetricsForWrite(
            tx,
            orgId,
            planned.map((r) => r.metricId),
          );
          const found = await findPeriodFaults(tx, orgId, planned);
          if (found.faults.length > 0) throw new AppError("invalid", rowErrors(found.faults));
          const now = deps.clock.now();
          const batchId = uuidv7();
          const inserted = planned.map((r) =>
            toInsertRow(orgId, r, {
              id: uuidv7(),
              recordedAt: now.toISOString(),
              recordedBy: actor.personId,
              batchId,
            }),
          );
          await insertMeasurements(tx, inserted);
          const recorded = inserted.map((m) => {
            const old = m.supersedesId !== null ? found.targets.get(m.supersedesId) : undefined;
            const { orgId: _o, batchId: _b, recordedAt: _r, recordedBy: _by, ...row } = m;
            return old ? { ...row, from: old.value } : row;
          });
          await appendAudit(tx, { orgId, actorId: actor.personId, at: now }, [
            {
              action: "measurement.bulk_recorded",
              entityType: "measurement_batch",
              entityId: batchId,
              data: { accepted: inserted.length, rows: recorded },
            },
          ]);
          const series = new Map<string, SeriesKey>();
          for (const r of planned) {
            series.set(`${r.metricId}|${r.scopeType}|${r.scopeId}`, {
              metricId: r.metricId,
              scopeType: r.scopeType,
              scopeId: r.scopeId,
            });
          }
          const derived = await deriveFormulaMeasurements(tx, orgId, planned, {
            actorId: actor.personId,
            now,
          });
          for (const d of derived) series.set(`${d.metricId}|${d.scopeType}|${d.scopeId}`, d);
          await progress.recomputeForSeries(tx, orgId, [...series.values()]);
          const body: BulkMeasurementResult = {
            accepted: inserted.length,
            rejected: [],
            batchId,
            ids: inserted.map((m) => m.id),
          };
          return { status: 201, body };
        },
      );
      return { ...answer, body: answer.body as BulkMeasurementResult };
    },
  };
}
