/**
 * Turning requested measurements into rows to insert, and every reason one cannot be written: the
 * checks shared by the single and the bulk write. Static checks (dates, scope) run before the
 * transaction; period checks (one current value per metric, scope and period; corrections replace
 * the current row) run inside it, after the metrics are locked, so they still hold at commit.
 */
import { addDays } from "../../../domain/dates.ts";
import type { Db } from "../../db/connection.ts";
import type { MetricFacts } from "../metrics/metrics.service.ts";
import { findPersonSummary } from "../people/people.service.ts";
import { unitExists } from "../units/units.service.ts";
import {
  findCurrentInPeriods,
  findMeasurements,
  type MeasurementRecord,
  type PeriodKey,
} from "./measurements.repo.ts";
import type { ScopeType } from "./measurements.schema.ts";

/** One measurement to write, its metric resolved, defaults applied. */
export type PlannedRow = PeriodKey & {
  index: number;
  metric: MetricFacts;
  scopeType: ScopeType;
  value: number;
  supersedes: string | undefined;
  note: string;
  source: string;
  provisional: boolean;
};

/** A row's fault; `conflict` ones are answered 409 by the single write. */
export type RowFault = { index: number; field: string; message: string; code: "invalid" | "conflict" };

export type RequestedRow = {
  scopeType: ScopeType;
  scopeId?: string | undefined;
  periodStart: string;
  periodEnd?: string | undefined;
  value: number;
  supersedes?: string | undefined;
  note: string;
  source: string;
  provisional?: boolean | undefined;
};

const periodKeyOf = (k: PeriodKey) =>
  `${k.metricId}|${k.scopeType}|${k.scopeId}|${k.periodStart}|${k.periodEnd}`;

/** Whether scope ids name a unit or person of the organisation (each id looked up once). */
export function createScopeChecker(db: Db, orgId: string) {
  const seen = new Map<string, Promise<boolean>>();
  return (scopeType: ScopeType, scopeId: string): Promise<boolean> => {
    const key = `${scopeType}|${scopeId}`;
    let known = seen.get(key);
    if (!known) {
      known =
        scopeType === "org"
          ? Promise.resolve(scopeId === orgId)
          : scopeType === "unit"
            ? unitExists(db, orgId, scopeId)
            : findPersonSummary(db, orgId, scopeId).then((p) => p !== undefined);
      seen.set(key, known);
    }
    return known;
  };
}

/**
 * The row with its defaults (period end = start, the organisation's id for org scope, provisional
 * while the period's end plus the metric's finality lag is not past), or the faults of its fields.
 */
export async function planRow(
  index: number,
  metric: MetricFacts,
  input: RequestedRow,
  ctx: { orgId: string; today: string; scopeExists: ReturnType<typeof createScopeChecker> },
): Promise<{ row: PlannedRow; faults: [] } | { row: null; faults: RowFault[] }> {
  const faults: RowFault[] = [];
  const fault = (field: string, message: string) => faults.push({ index, field, message, code: "invalid" });
  const periodEnd = input.periodEnd ?? input.periodStart;
  if (periodEnd < input.periodStart)
    fault("periodEnd", `must be on or after periodStart (${input.periodStart})`);
  if (input.periodStart > ctx.today)
    fault("periodStart", `must not be in the future (today is ${ctx.today}); record values once they happen`);
  let scopeId = input.scopeId;
  if (input.scopeType === "org") {
    if (scopeId !== undefined && scopeId !== ctx.orgId)
      fault("scopeId", "organisation scope takes the organisation's id; leave scopeId out");
    scopeId = ctx.orgId;
  } else if (scopeId === undefined) {
    fault("scopeId", `scope type ${input.scopeType} needs the ${input.scopeType}'s id`);
  } else if (!(await ctx.scopeExists(input.scopeType, scopeId))) {
    fault("scopeId", `no ${input.scopeType} with this id in the organisation`);
  }
  if (faults.length > 0 || scopeId === undefined) return { row: null, faults };
  return {
    row: {
      index,
      metric,
      metricId: metric.id,
      scopeType: input.scopeType,
      scopeId,
      periodStart: input.periodStart,
      periodEnd,
      value: input.value,
      supersedes: input.supersedes,
      note: input.note,
      source: input.source,
      provisional: input.provisional ?? ctx.today <= addDays(periodEnd, metric.finalityLagDays),
    },
    faults: [],
  };
}

/**
 * Faults that depend on what is already recorded: a second value for a period without `supersedes`,
 * a correction of a row that is not the current one of the same metric, scope and period, and two
 * rows of one request claiming the same period or the same target. Answers the corrected rows by id.
 */
export async function findPeriodFaults(
  tx: Db,
  orgId: string,
  rows: PlannedRow[],
): Promise<{ faults: RowFault[]; targets: Map<string, MeasurementRecord> }> {
  const fresh = rows.filter((r) => r.supersedes === undefined);
  const current = new Map(
    (await findCurrentInPeriods(tx, orgId, fresh)).map((m) => [periodKeyOf(m), m] as const),
  );
  const targetIds = [...new Set(rows.flatMap((r) => (r.supersedes ? [r.supersedes] : [])))];
  const targets = new Map((await findMeasurements(tx, orgId, targetIds)).map((m) => [m.id, m] as const));
  const faults: RowFault[] = [];
  const claimed = new Map<string, number>();
  for (const r of rows) {
    const fault = (code: RowFault["code"], field: string, message: string) =>
      faults.push({ index: r.index, field, message, code });
    const claim = r.supersedes ?? periodKeyOf(r);
    const earlier = claimed.get(claim);
    if (earlier !== undefined) {
      fault(
        "invalid",
        r.supersedes ? "supersedes" : "periodStart",
        `row ${earlier} of this request already writes this period`,
      );
      continue;
    }
    claimed.set(claim, r.index);
    if (r.supersedes === undefined) {
      const existing = current.get(periodKeyOf(r));
      if (existing)
        fault(
          "conflict",
          "supersedes",
          `a value for this metric, scope and period is already recorded (measurement ${existing.id}); to correct it, send "supersedes": "${existing.id}"`,
        );
      continue;
    }
    const target = targets.get(r.supersedes);
    if (!target) fault("invalid", "supersedes", "no measurement with this id in the organisation");
    else if (periodKeyOf(target) !== periodKeyOf(r))
      fault(
        "invalid",
        "supersedes",
        `measurement ${target.id} is for ${target.scopeType} ${target.scopeId}, ${target.periodStart}..${target.periodEnd} of metric ${target.metricId}; a correction keeps the metric, scope and period`,
      );
    else if (target.supersededById !== null)
      fault(
        "conflict",
        "supersedes",
        `measurement ${target.id} was already corrected by measurement ${target.supersededById}; to correct the current value, send "supersedes": "${target.supersededById}"`,
      );
  }
  return { faults, targets };
}

/** The row to insert for a planned measurement: new, accepted, recorded now by the caller. */
export const toInsertRow = (
  orgId: string,
  r: PlannedRow,
  facts: { id: string; recordedAt: string; recordedBy: string; batchId: string | null },
) => ({
  orgId,
  id: facts.id,
  metricId: r.metricId,
  scopeType: r.scopeType,
  scopeId: r.scopeId,
  periodStart: r.periodStart,
  periodEnd: r.periodEnd,
  value: r.value,
  recordedAt: facts.recordedAt,
  recordedBy: facts.recordedBy,
  supersedesId: r.supersedes ?? null,
  source: r.source,
  batchId: facts.batchId,
  provisional: r.provisional,
  validationState: "accepted",
  note: r.note,
});
