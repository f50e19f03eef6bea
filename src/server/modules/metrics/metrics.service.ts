/**
 * The KPI library: list, read, define and change metrics. Permission check, transaction and audit
 * here; SQL in metrics.repo.ts. Also the lookups the measurements module needs.
 */
import { uuidv7 } from "uuidv7";
import type { MetricPeriod } from "../../../domain/validation/checks.ts";
import type { ValidationRules } from "../../../domain/validation/rules.ts";
import { parseStoredRules } from "../../../domain/validation/stored-rules.ts";
import type { Actor } from "../../actor.ts";
import { type Clock, dateInZone } from "../../clock.ts";
import type { Db } from "../../db/connection.ts";
import { AppError, notFound } from "../../errors.ts";
import { decodeCursor, toPage } from "../../http/pagination.ts";
import { appendAudit } from "../audit/audit.service.ts";
import { rederiveFormulaMetric } from "../measurements/measurements.rederive.ts";
import { createProgressService } from "../progress/progress.service.ts";
import { formulaErrors } from "./metrics.formula.ts";
import { canMetric, type MetricAction } from "./metrics.policy.ts";
import * as repo from "./metrics.repo.ts";
import type {
  ClosePeriodsInput,
  CreateMetricInput,
  Metric,
  MetricDefinition,
  MetricQuery,
  UpdatedMetric,
  UpdateMetricInput,
} from "./metrics.schema.ts";
import {
  changedFields,
  definitionErrors,
  stewardErrors,
  toDefinition,
  toMetric,
} from "./metrics.validate.ts";

/** What a measurement write needs to know about its metric. */
export type MetricFacts = {
  id: string;
  key: string;
  stewardId: string | null;
  aggregation: string;
  finalityLagDays: number;
  /** every period ending on or before this day is closed (final) */
  closedThrough: string | null;
  unit: string;
  period: MetricPeriod;
  /** the steward's validation rules, read leniently (src/domain/validation/stored-rules.ts) */
  rules: ValidationRules;
  /** the metric's write sequence when these facts were read (see the schema) */
  writeSeq: number;
};

const toFacts = (r: repo.MetricRow): MetricFacts => ({
  id: r.id,
  key: r.key,
  stewardId: r.stewardId,
  aggregation: r.aggregation,
  finalityLagDays: r.finalityLagDays,
  closedThrough: r.closedThrough,
  unit: r.unit,
  period: r.period as MetricPeriod,
  rules: parseStoredRules(r.validationRules),
  writeSeq: r.writeSeq,
});

/** One metric's facts, or undefined when the organisation has no such metric. */
export async function findMetricFacts(db: Db, orgId: string, id: string): Promise<MetricFacts | undefined> {
  const row = await repo.findMetric(db, orgId, id);
  return row ? toFacts(row) : undefined;
}

/** The metrics these ids or keys name (those that exist). */
export async function findMetricFactsByIdsOrKeys(
  db: Db,
  orgId: string,
  ids: string[],
  keys: string[],
): Promise<MetricFacts[]> {
  const rows = await repo.findMetricsByIdsOrKeys(db, orgId, [...new Set(ids)], [...new Set(keys)]);
  return rows.map(toFacts);
}

/**
 * Locks these metrics for the rest of the transaction, so writers of their measurements take turns
 * (the "one current value per period" check then holds at commit), and bumps their write sequence.
 * Call inside the write's transaction. Answers each metric's new write sequence.
 */
export async function lockMetricsForWrite(
  tx: Db,
  orgId: string,
  ids: string[],
): Promise<Map<string, number>> {
  const locked = await repo.lockMetrics(tx, orgId, [...new Set(ids)].sort());
  return new Map(locked.map((m) => [m.id, m.writeSeq]));
}

const FORBIDDEN: Record<MetricAction, string> = {
  read: "signed-in people read the KPI library",
  create: "only administrators and the performance office define metrics",
  update: "only administrators, the performance office and the metric's data steward change a metric",
  reassign_steward: "only administrators and the performance office hand a metric to another steward",
};

function authorize(actor: Actor, action: MetricAction, metric?: { stewardId: string | null }) {
  if (!canMetric(actor, action, metric)) throw new AppError("forbidden", FORBIDDEN[action]);
}

const keyTaken = () =>
  new AppError("conflict", { field: "key", message: "another metric in this organisation has this key" });

/** PostgreSQL's unique_violation, whether the driver hands it over bare or wrapped by Drizzle. */
function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Object; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === "23505") return true;
  }
  return false;
}

async function assertValid(
  db: Db,
  orgId: string,
  d: MetricDefinition,
  checkSteward: boolean,
  current?: { id: string; key: string },
) {
  const errors = [
    ...definitionErrors(d),
    ...(checkSteward ? await stewardErrors(db, orgId, d.stewardId) : []),
    ...(await formulaErrors(db, orgId, d, current)),
  ];
  if (errors.length > 0) throw new AppError("invalid", errors);
}

export function createMetricsService(deps: { db: Db; clock: Clock }) {
  const audit = (tx: Db, actor: Actor, action: string, entityId: string, data: Record<string, unknown>) =>
    appendAudit(tx, { orgId: actor.orgId, actorId: actor.personId, at: deps.clock.now() }, [
      { action, entityType: "metric", entityId, data },
    ]);

  return {
    /** The organisation's metrics by id, filtered. */
    async listMetrics(actor: Actor, q: MetricQuery) {
      authorize(actor, "read");
      const afterId = decodeCursor(q.cursor);
      const rows = await repo.listMetrics(deps.db, actor.orgId, {
        limit: q.limit + 1,
        ...(afterId !== undefined ? { afterId } : {}),
        ...(q.q !== undefined ? { q: q.q } : {}),
        ...(q.unit !== undefined ? { unit: q.unit } : {}),
        ...(q.direction !== undefined ? { direction: q.direction } : {}),
        ...(q.indicatorType !== undefined ? { indicatorType: q.indicatorType } : {}),
        ...(q.stewardId !== undefined ? { stewardId: q.stewardId } : {}),
      });
      const page = toPage(rows, q.limit, (r) => r.id);
      return { items: page.items.map(toMetric), nextCursor: page.nextCursor };
    },

    async getMetric(actor: Actor, id: string): Promise<Metric> {
      authorize(actor, "read");
      const row = await repo.findMetric(deps.db, actor.orgId, id);
      if (!row) throw notFound("metric");
      return toMetric(row);
    },

    /**
     * Defines a metric: 403, then 400 (field rules, steward), then 409 for a key in use. Audited. A
     * formula metric's values are derived at once where its inputs already have values.
     */
    async createMetric(actor: Actor, input: CreateMetricInput): Promise<Metric> {
      authorize(actor, "create");
      await assertValid(deps.db, actor.orgId, input, true);
      const now = deps.clock.now().toISOString();
      try {
        return await deps.db.transaction(async (tx) => {
          if (await repo.findMetricIdByKey(tx, actor.orgId, input.key)) throw keyTaken();
          const row = await repo.insertMetric(tx, {
            orgId: actor.orgId,
            id: uuidv7(),
            ...input,
            createdAt: now,
            updatedAt: now,
          });
          const metric = toMetric(row);
          // A formula over inputs that already have values starts with its values derived, as a
          // changed formula does; nothing reads a new metric yet, so no goal needs recomputing.
          const derived = row.formula
            ? await rederiveFormulaMetric(tx, actor.orgId, row, {
                actorId: actor.personId,
                now: deps.clock.now(),
              })
            : null;
          await audit(tx, actor, "metric.created", metric.id, {
            metric,
            ...(derived ? { derivation: derived.rederivation } : {}),
          });
          return metric;
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw keyTaken();
        throw err;
      }
    },

    /**
     * Changes a metric: 404, 403 (the steward may not hand stewardship on), 400, then 409 for a key in
     * use or for a new aggregation or direction while goals read the metric (their figures would
     * change meaning). Audited `metric.updated` with each changed field's old and new value. A changed
     * formula re-derives the metric's values in the same transaction (measurements.rederive.ts) and
     * recomputes the goals that read them; the counts go into the audit event and the answer.
     */
    async updateMetric(actor: Actor, id: string, input: UpdateMetricInput): Promise<UpdatedMetric> {
      try {
        return await deps.db.transaction(async (tx) => {
          const row = await repo.lockMetric(tx, actor.orgId, id);
          if (!row) throw notFound("metric");
          authorize(actor, "update", row);
          const current = toMetric(row);
          const before = toDefinition(current);
          const after: MetricDefinition = { ...before, ...input };
          const changes = changedFields(before, after);
          if (Object.keys(changes).length === 0) return { ...current, rederivation: null };
          if (changes.stewardId) authorize(actor, "reassign_steward", row);
          await assertValid(tx, actor.orgId, after, changes.stewardId !== undefined, row);
          if (changes.key && (await repo.findMetricIdByKey(tx, actor.orgId, after.key))) throw keyTaken();
          const meaning = (["aggregation", "direction"] as const).filter((f) => changes[f]);
          if (meaning.length > 0) {
            const goals = await repo.countGoalsUsingMetric(tx, actor.orgId, id);
            if (goals > 0)
              throw new AppError("conflict", {
                field: meaning[0] ?? "aggregation",
                message: `${meaning.join(" and ")} cannot change while ${goals} goal(s) use this metric: their figures would change meaning; define a new metric instead`,
              });
          }
          const update = Object.fromEntries(
            Object.keys(changes).map((f) => [f, after[f as keyof MetricDefinition]]),
          );
          const updated = await repo.updateMetric(tx, actor.orgId, id, {
            ...update,
            updatedAt: deps.clock.now().toISOString(),
          });
          const now = deps.clock.now();
          const rederived = changes.formula
            ? await rederiveFormulaMetric(tx, actor.orgId, updated, { actorId: actor.personId, now })
            : null;
          if (rederived)
            await createProgressService({ db: tx, clock: deps.clock }).recomputeForSeries(
              tx,
              actor.orgId,
              rederived.series,
            );
          const rederivation = rederived?.rederivation ?? null;
          await audit(tx, actor, "metric.updated", id, {
            changes,
            ...(rederivation ? { rederivation } : {}),
          });
          return { ...toMetric(updated), rederivation };
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw keyTaken();
        throw err;
      }
    },

    /**
     * Closes the metric's periods through a day: their values are final from now on, whatever the
     * finality lag says. The steward, the performance office or an administrator; not a future day
     * (400) and never earlier than a close already made (409: a close is not undone). Audited.
     */
    async closePeriods(actor: Actor, id: string, input: ClosePeriodsInput): Promise<Metric> {
      return deps.db.transaction(async (tx) => {
        const row = await repo.lockMetric(tx, actor.orgId, id);
        if (!row) throw notFound("metric");
        authorize(actor, "update", row);
        const today = dateInZone(deps.clock.now(), await repo.findOrgTimeZone(tx, actor.orgId));
        if (input.through > today)
          throw new AppError("invalid", {
            field: "through",
            message: `must not be in the future (today is ${today}): a period closes once it has ended`,
          });
        if (row.closedThrough !== null && input.through < row.closedThrough)
          throw new AppError("conflict", {
            field: "through",
            message: `periods are already closed through ${row.closedThrough}; a close is not undone`,
          });
        const updated = await repo.updateMetric(tx, actor.orgId, id, {
          closedThrough: input.through,
          updatedAt: deps.clock.now().toISOString(),
        });
        await audit(tx, actor, "metric.periods_closed", id, {
          from: row.closedThrough,
          through: input.through,
        });
        return toMetric(updated);
      });
    },
  };
}

export type MetricsService = ReturnType<typeof createMetricsService>;
