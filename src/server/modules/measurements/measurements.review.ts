/**
 * The data steward's review queue: quarantined measurements (values a validation rule kept out of
 * every figure) and the decision on each, accept or reject, with a reason.
 *
 * Measurements are immutable, except for this: accepting one updates its `validation_state` from
 * quarantined to accepted, and the decision itself (who, when, why) lives in `measurement_reviews`.
 * Why not derive the effective state from the review table instead: every figure query (the progress
 * engine, the superseded-by rule, the series list) already reads `validation_state`, so one column
 * keeps them simple and indexable, and no query has to learn about reviews. A rejected value keeps
 * the state quarantined (so it never counts) and leaves the queue because it has a review. The cost:
 * a figure recomputed "as known at" a date before the acceptance counts the value too; the review's
 * `reviewed_at` and the audit trail say when it began to count.
 */
import { uuidv7 } from "uuidv7";
import type { Actor } from "../../actor.ts";
import type { Clock } from "../../clock.ts";
import type { Db } from "../../db/connection.ts";
import { AppError, notFound } from "../../errors.ts";
import { decodeCursor, toPage } from "../../http/pagination.ts";
import { appendAudit } from "../audit/audit.service.ts";
import { findMetricFacts, lockMetricsForWrite } from "../metrics/metrics.service.ts";
import { createProgressService } from "../progress/progress.service.ts";
import { deriveFormulaMeasurements } from "./measurements.derive.ts";
import { canReviewMeasurement, reviewQueueScope } from "./measurements.policy.ts";
import { findCurrentInPeriods, findMeasurements } from "./measurements.repo.ts";
import {
  findFindings,
  findReview,
  insertReview,
  listQuarantined,
  markAccepted,
} from "./measurements.review.repo.ts";
import type {
  MeasurementReview,
  QuarantinedMeasurement,
  QuarantineQuery,
  ReviewMeasurementInput,
} from "./measurements.schema.ts";

const FORBIDDEN_QUEUE = "the review queue is for data stewards, the performance office and administrators";

export function createReviewService(deps: { db: Db; clock: Clock }) {
  return {
    /** The caller's queue, oldest first: all quarantined values, or those of the metrics they steward. */
    async listQuarantine(actor: Actor, q: QuarantineQuery) {
      const scope = reviewQueueScope(actor);
      if (scope === "none") throw new AppError("forbidden", FORBIDDEN_QUEUE);
      const afterId = decodeCursor(q.cursor);
      const rows = await listQuarantined(deps.db, actor.orgId, {
        limit: q.limit + 1,
        ...(q.metricId !== undefined ? { metricId: q.metricId } : {}),
        ...(scope === "stewarded" ? { stewardId: actor.personId } : {}),
        ...(afterId !== undefined ? { afterId } : {}),
      });
      const page = toPage(rows, q.limit, (r) => r.id);
      const items = page.items.map(
        (r): QuarantinedMeasurement => ({
          id: r.id,
          metric: { id: r.metricId, key: r.metricKey, name: r.metricName, unit: r.metricUnit },
          scopeType: r.scopeType as QuarantinedMeasurement["scopeType"],
          scopeId: r.scopeId,
          scopeName: r.scopeName,
          periodStart: r.periodStart,
          periodEnd: r.periodEnd,
          value: r.value,
          source: r.source,
          recordedAt: r.recordedAt,
          recordedBy: r.recordedBy,
          supersedesId: r.supersedesId,
          supersedesValue: r.supersedesValue,
          note: r.note,
          findings: r.findings as QuarantinedMeasurement["findings"],
        }),
      );
      return { items, nextCursor: page.nextCursor };
    },

    /**
     * Accepts or rejects a quarantined value. 404 no such measurement; 403 not the metric's steward,
     * the performance office or an administrator; 409 not quarantined, already decided, or (accept)
     * the period meanwhile has a counted value this one does not correct. Audited
     * `measurement.review_accepted` / `measurement.review_rejected`; accepting recomputes the goals
     * reading the series in the same transaction.
     */
    async reviewMeasurement(
      actor: Actor,
      id: string,
      input: ReviewMeasurementInput,
    ): Promise<MeasurementReview> {
      const orgId = actor.orgId;
      return deps.db.transaction(async (tx) => {
        const [found] = await findMeasurements(tx, orgId, [id]);
        if (!found) throw notFound("measurement");
        const metric = await findMetricFacts(tx, orgId, found.metricId);
        if (!metric) throw notFound("measurement");
        if (!canReviewMeasurement(actor, metric))
          throw new AppError(
            "forbidden",
            `only administrators, the performance office and the steward of metric ${metric.key} decide on its quarantined values`,
          );
        await lockMetricsForWrite(tx, orgId, [metric.id]);
        const earlier = await findReview(tx, orgId, id);
        if (earlier)
          throw new AppError(
            "conflict",
            `measurement ${id} was already reviewed: ${earlier.decision}ed on ${earlier.reviewedAt.slice(0, 10)} (${earlier.reason})`,
          );
        if (found.validationState !== "quarantined")
          throw new AppError(
            "conflict",
            `measurement ${id} is ${found.validationState}, not quarantined: only quarantined values are reviewed`,
          );
        if (input.decision === "accept") {
          const counted = (await findCurrentInPeriods(tx, orgId, [found])).find(
            (m) => m.validationState !== "quarantined",
          );
          if ((counted?.id ?? null) !== found.supersedesId && counted)
            throw new AppError(
              "conflict",
              `this period now counts measurement ${counted.id} (value ${counted.value}), which this one does not correct; reject it, or record a correction of ${counted.id}`,
            );
        }
        const now = deps.clock.now();
        const review = {
          orgId,
          id: uuidv7(),
          measurementId: id,
          decision: input.decision,
          reason: input.reason,
          reviewedBy: actor.personId,
          reviewedAt: now.toISOString(),
        };
        await insertReview(tx, review);
        const findings = await findFindings(tx, orgId, id);
        await appendAudit(tx, { orgId, actorId: actor.personId, at: now }, [
          {
            action:
              input.decision === "accept" ? "measurement.review_accepted" : "measurement.review_rejected",
            entityType: "measurement",
            entityId: id,
            data: {
              measurementId: id,
              metricId: found.metricId,
              scopeType: found.scopeType,
              scopeId: found.scopeId,
              periodStart: found.periodStart,
              periodEnd: found.periodEnd,
              value: found.value,
              supersedes: found.supersedesId,
              reason: input.reason,
              findings: findings.map((f) => f.rule),
            },
          },
        ]);
        if (input.decision === "accept") {
          await markAccepted(tx, orgId, id);
          // An accepted input completes formula metrics' periods like a new value does.
          const derived = await deriveFormulaMeasurements(tx, orgId, [found], {
            actorId: actor.personId,
            now,
          });
          await createProgressService({ db: tx, clock: deps.clock }).recomputeForSeries(tx, orgId, [
            { metricId: found.metricId, scopeType: found.scopeType, scopeId: found.scopeId },
            ...derived,
          ]);
        }
        const { orgId: _o, ...rest } = review;
        return { ...rest, validationState: input.decision === "accept" ? "accepted" : "quarantined" };
      });
    },
  };
}
