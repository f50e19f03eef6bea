/**
 * Measurements: one series' values as known at a date, and recording one value or a correction.
 * Rows are immutable (no update, no delete). A write recomputes the goals that read the touched
 * series in the same transaction. The bulk form lives in measurements.bulk.ts.
 */
import { uuidv7 } from "uuidv7";
import { isProvisional } from "../../../domain/finality.ts";
import type { Actor } from "../../actor.ts";
import type { Clock } from "../../clock.ts";
import type { Db } from "../../db/connection.ts";
import { AppError, notFound } from "../../errors.ts";
import { withIdempotency } from "../../http/idempotency.ts";
import { decodeCursor, toPage } from "../../http/pagination.ts";
import { appendAudit } from "../audit/audit.service.ts";
import { findMetricFacts, lockMetricsForWrite, type MetricFacts } from "../metrics/metrics.service.ts";
import { listManagerChain } from "../people/people.service.ts";
import { createProgressService } from "../progress/progress.service.ts";
import { deriveFormulaMeasurements } from "./measurements.derive.ts";
import { judgeRows } from "./measurements.judge.ts";
import { createScopeChecker, loadPlanContext, planRow, toInsertRow } from "./measurements.plan.ts";
import { canReadSeries, canWriteMeasurements } from "./measurements.policy.ts";
import {
  insertFindings,
  insertMeasurements,
  listSeries,
  type MeasurementRecord,
} from "./measurements.repo.ts";
import type { Measurement, MeasurementQuery, RecordMeasurementInput } from "./measurements.schema.ts";

/** The API's shape: exactly the listed fields (an insert row also carries orgId and batchId). */
export const toMeasurement = (r: MeasurementRecord): Measurement => ({
  id: r.id,
  metricId: r.metricId,
  scopeType: r.scopeType as Measurement["scopeType"],
  scopeId: r.scopeId,
  periodStart: r.periodStart,
  periodEnd: r.periodEnd,
  value: r.value,
  recordedAt: r.recordedAt,
  recordedBy: r.recordedBy,
  supersedesId: r.supersedesId,
  supersededById: r.supersededById,
  source: r.source,
  provisional: r.provisional,
  validationState: r.validationState as Measurement["validationState"],
  note: r.note,
});

/** The instant that ends `date` in UTC: rows recorded after it were not yet known that day. */
const endOfDayUtc = (date: string) => `${date}T23:59:59.999999Z`;

export const forbiddenToWrite = (metric: MetricFacts) =>
  new AppError(
    "forbidden",
    `only administrators, the performance office and the steward of metric ${metric.key} record its measurements`,
  );

export function createMeasurementsService(deps: { db: Db; clock: Clock }) {
  const progress = createProgressService(deps);

  async function getMetric(actor: Actor, metricId: string) {
    const metric = await findMetricFacts(deps.db, actor.orgId, metricId);
    if (!metric) throw notFound("metric");
    return metric;
  }

  return {
    /**
     * One series (metric + scope) by id: current rows, or the correction history with
     * `includeSuperseded`, as known at the end of `asOf`. A person's series the caller may not see,
     * and a unit or person that does not exist, answer 404.
     */
    async listMeasurements(actor: Actor, metricId: string, q: MeasurementQuery) {
      const metric = await getMetric(actor, metricId);
      const orgId = actor.orgId;
      let scopeId = q.scopeId;
      if (q.scopeType === "org") {
        if (scopeId !== undefined && scopeId !== orgId)
          throw new AppError("invalid", {
            field: "scopeId",
            message: "organisation scope takes the organisation's id; leave scopeId out",
          });
        scopeId = orgId;
      } else if (scopeId === undefined) {
        throw new AppError("invalid", { field: "scopeId", message: `scope type ${q.scopeType} needs an id` });
      } else if (!(await createScopeChecker(deps.db, orgId)(q.scopeType, scopeId))) {
        throw notFound(q.scopeType);
      }
      const managesScopePerson =
        q.scopeType === "person" &&
        (await listManagerChain(deps.db, orgId, scopeId)).includes(actor.personId);
      const facts = {
        scopeType: q.scopeType,
        scopeId,
        managesScopePerson,
        metricStewardId: metric.stewardId,
      };
      if (!canReadSeries(actor, facts)) throw notFound("person");
      const afterId = decodeCursor(q.cursor);
      const rows = await listSeries(deps.db, orgId, {
        metricId,
        scopeType: q.scopeType,
        scopeId,
        knownAt: q.asOf !== undefined ? endOfDayUtc(q.asOf) : null,
        ...(q.from !== undefined ? { from: q.from } : {}),
        ...(q.to !== undefined ? { to: q.to } : {}),
        includeSuperseded: q.includeSuperseded,
        ...(afterId !== undefined ? { afterId } : {}),
        limit: q.limit + 1,
      });
      const page = toPage(rows, q.limit, (r) => r.id);
      // Provisional is read now, not as written: the finality lag may have passed since, or the
      // steward closed the period.
      const { today } = await progress.orgContext(orgId);
      const items = page.items.map((r) => ({
        ...toMeasurement(r),
        provisional: isProvisional(
          { periodEnd: r.periodEnd, writtenProvisional: r.provisional },
          metric,
          today,
        ),
      }));
      return { items, nextCursor: page.nextCursor };
    },

    /**
     * Records one value, or a correction (`supersedes`). 404 unknown metric, 403 not a writer, 400 bad
     * fields, 409 a second value for the period without `supersedes` (naming the current row; unless
     * the metric's duplicate rule keeps it as a flagged or quarantined correction), or a correction of
     * a row already corrected (naming the correction) or quarantined. The value is written in the
     * state the metric's validation rules give it, with their findings. Honours `Idempotency-Key`.
     * Audited `measurement.recorded` / `measurement.corrected` (old and new value).
     */
    async recordMeasurement(
      actor: Actor,
      metricId: string,
      input: RecordMeasurementInput,
      idempotencyKey: string | undefined,
    ): Promise<{ status: number; body: Measurement; replayed: boolean }> {
      const metric = await getMetric(actor, metricId);
      if (!canWriteMeasurements(actor, metric)) throw forbiddenToWrite(metric);
      const orgId = actor.orgId;
      const planned = await planRow(0, metric, input, await loadPlanContext(deps.db, orgId, deps.clock));
      if (!planned.row) throw new AppError("invalid", planned.faults);
      const row = planned.row;
      const route = `POST /api/v1/metrics/${metricId}/measurements`;
      const answer = await withIdempotency(
        deps.db,
        { orgId, actorId: actor.personId, route, key: idempotencyKey, body: input },
        async (tx) => {
          await lockMetricsForWrite(tx, orgId, [metricId]);
          const { judged, faults, targets } = await judgeRows(tx, orgId, [row], uuidv7);
          const fault = faults[0];
          if (fault) throw new AppError(fault.code, { field: fault.field, message: fault.message });
          const j = judged[0];
          if (!j) throw new Error("a row without a fault was not judged");
          const now = deps.clock.now();
          const inserted = toInsertRow(
            orgId,
            { ...row, supersedes: j.supersedesId ?? undefined },
            {
              id: j.id,
              recordedAt: now.toISOString(),
              recordedBy: actor.personId,
              batchId: null,
              validationState: j.state,
            },
          );
          await insertMeasurements(tx, [inserted]);
          await insertFindings(
            tx,
            j.findings.map((f) => ({ orgId, measurementId: j.id, ...f })),
          );
          const measurement = {
            ...toMeasurement({ ...inserted, supersededById: null }),
            findings: j.findings.map(({ rule, outcome, message }) => ({ rule, outcome, message })),
          };
          const old = j.supersedesId !== null ? targets.get(j.supersedesId) : undefined;
          await appendAudit(tx, { orgId, actorId: actor.personId, at: now }, [
            old
              ? {
                  action: "measurement.corrected",
                  entityType: "measurement",
                  entityId: measurement.id,
                  data: { measurement, supersedes: old.id, from: old.value, to: measurement.value },
                }
              : {
                  action: "measurement.recorded",
                  entityType: "measurement",
                  entityId: measurement.id,
                  data: { measurement },
                },
          ]);
          const derived = await deriveFormulaMeasurements(tx, orgId, [row], { actorId: actor.personId, now });
          // A quarantined value changes no figure until a steward accepts it.
          const own =
            j.state !== "quarantined" ? [{ metricId, scopeType: row.scopeType, scopeId: row.scopeId }] : [];
          await progress.recomputeForSeries(tx, orgId, [...own, ...derived]);
          return { status: 201, body: measurement };
        },
      );
      return { ...answer, body: answer.body as Measurement };
    },
  };
}
