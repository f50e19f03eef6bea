/**
 * Turning requested measurements into rows to insert, and every reason one cannot be written: the
 * checks shared by the single and the bulk write. Static checks (dates, scope) run here; the checks
 * against what is recorded (one counted value per period, corrections, the validation rules) run in
 * measurements.judge.ts, inside the write's transaction once the metrics are locked.
 */
import { dayNumber } from "../../../domain/dates.ts";
import { normaliseWhen, periodOf } from "../../../domain/periods.ts";
import type { ValidationState } from "../../../domain/validation/rules.ts";
import { type Clock, dateInZone } from "../../clock.ts";
import type { Db } from "../../db/connection.ts";
import { notFound } from "../../errors.ts";
import type { MetricFacts } from "../metrics/metrics.service.ts";
import { existingPersonIds, findPersonSummary } from "../people/people.service.ts";
import { existingUnitIds, unitExists } from "../units/units.service.ts";
import { loadOrgCalendar, type PeriodKey } from "./measurements.repo.ts";
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
  /** a date, local date-time or instant; give this (and periodEnd) or `at` */
  periodStart?: string | undefined;
  periodEnd?: string | undefined;
  /** a moment in the metric's period: the row takes that period's bounds */
  at?: string | undefined;
  value: number;
  supersedes?: string | undefined;
  note: string;
  source: string;
  provisional?: boolean | undefined;
};

export const periodKeyOf = (k: PeriodKey) =>
  `${k.metricId}|${k.scopeType}|${k.scopeId}|${k.periodStart}|${k.periodEnd}`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether scope ids name a unit or person of the organisation, each id looked up once. `preload`
 * answers many ids in one query per scope type, so a bulk write does not ask once per scope.
 */
export function createScopeChecker(db: Db, orgId: string) {
  const seen = new Map<string, Promise<boolean>>();
  // What preload answered, readable without awaiting (or making a key string): a bulk write plans
  // thousands of rows.
  const settled = { unit: new Map<string, boolean>(), person: new Map<string, boolean>() };
  /** Whether the scope exists, when that is already known (org scope, or preloaded); else undefined. */
  const known = (scopeType: ScopeType, scopeId: string): boolean | undefined =>
    scopeType === "org" ? scopeId === orgId : settled[scopeType].get(scopeId);
  const check = (scopeType: ScopeType, scopeId: string): Promise<boolean> => {
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
  const preload = async (scopes: readonly { scopeType: ScopeType; scopeId?: string | undefined }[]) => {
    for (const [type, find] of [
      ["unit", existingUnitIds],
      ["person", existingPersonIds],
    ] as const) {
      const named = new Set<string>();
      for (const s of scopes) if (s.scopeType === type && s.scopeId) named.add(s.scopeId);
      const ids = [...named].filter((id) => UUID.test(id) && !settled[type].has(id));
      if (ids.length === 0) continue;
      const found = new Set(await find(db, orgId, ids));
      for (const id of ids) {
        seen.set(`${type}|${id}`, Promise.resolve(found.has(id)));
        settled[type].set(id, found.has(id));
      }
    }
  };
  return Object.assign(check, { preload, known });
}

/** What planning a row needs to know about the organisation. */
export type PlanContext = {
  orgId: string;
  /** today's date in the organisation's time zone */
  today: string;
  /** `today` as a day number (src/domain/dates.ts) */
  todayDay: number;
  timeZone: string;
  fiscalYearStartMonth: number;
  scopeExists: ReturnType<typeof createScopeChecker>;
};

/** The organisation's calendar (zone, fiscal year, today) and a scope checker, for planning rows. */
export async function loadPlanContext(db: Db, orgId: string, clock: Clock): Promise<PlanContext> {
  const org = await loadOrgCalendar(db, orgId);
  if (!org) throw notFound("organisation");
  const today = dateInZone(clock.now(), org.timeZone);
  return {
    orgId,
    today,
    todayDay: dayNumber(today),
    timeZone: org.timeZone,
    fiscalYearStartMonth: org.fiscalYearStartMonth,
    scopeExists: createScopeChecker(db, orgId),
  };
}

/**
 * The row with its defaults (period end = start, the organisation's id for org scope, provisional
 * while the period's end plus the metric's finality lag is not past), or the faults of its fields.
 * Times are normalised to the organisation's calendar date (src/domain/periods.ts); `at` gives the
 * metric's period containing it (a monthly metric, `at` 2026-03-31T23:30:00Z in Amsterdam → April).
 */
export async function planRow(index: number, metric: MetricFacts, input: RequestedRow, ctx: PlanContext) {
  const scopeFound =
    input.scopeType === "org" || input.scopeId === undefined
      ? true
      : await ctx.scopeExists(input.scopeType, input.scopeId);
  return planRowKnowingScope(index, metric, input, ctx, scopeFound);
}

/** `planRow` once whether the row's unit or person exists is known (`scopeFound`). */
export function planRowKnowingScope(
  index: number,
  metric: MetricFacts,
  input: RequestedRow,
  ctx: PlanContext,
  scopeFound: boolean,
): { row: PlannedRow; faults: [] } | { row: null; faults: RowFault[] } {
  const faults: RowFault[] = [];
  const fault = (field: string, message: string) => faults.push({ index, field, message, code: "invalid" });
  const dateOf = (field: string, text: string) => {
    const when = normaliseWhen(text, ctx.timeZone);
    if (when.ok) return when.date;
    fault(field, when.reason);
    return undefined;
  };
  let periodStart: string | undefined;
  let periodEnd: string | undefined;
  if (input.at !== undefined) {
    if (input.periodStart !== undefined || input.periodEnd !== undefined)
      fault("at", "give either at (a moment in the metric's period) or periodStart/periodEnd, not both");
    const date = dateOf("at", input.at);
    if (date !== undefined && date > ctx.today)
      fault("at", `${date} is in the future (today is ${ctx.today}); record values once they happen`);
    else if (date !== undefined)
      ({ start: periodStart, end: periodEnd } = periodOf(date, metric.period, ctx.fiscalYearStartMonth));
  } else if (input.periodStart === undefined) {
    fault(
      "periodStart",
      "give periodStart (the first day the value describes), or at (a moment in the metric's period)",
    );
  } else {
    periodStart = dateOf("periodStart", input.periodStart);
    periodEnd = input.periodEnd !== undefined ? dateOf("periodEnd", input.periodEnd) : periodStart;
    if (periodStart !== undefined && periodEnd !== undefined && periodEnd < periodStart)
      fault("periodEnd", `must be on or after periodStart (${periodStart})`);
    if (periodStart !== undefined && periodStart > ctx.today)
      fault(
        "periodStart",
        `must not be in the future (today is ${ctx.today}); record values once they happen`,
      );
  }
  let scopeId = input.scopeId;
  if (input.scopeType === "org") {
    if (scopeId !== undefined && scopeId !== ctx.orgId)
      fault("scopeId", "organisation scope takes the organisation's id; leave scopeId out");
    scopeId = ctx.orgId;
  } else if (scopeId === undefined) {
    fault("scopeId", `scope type ${input.scopeType} needs the ${input.scopeType}'s id`);
  } else if (!scopeFound) {
    fault("scopeId", `no ${input.scopeType} with this id in the organisation`);
  }
  if (faults.length > 0 || scopeId === undefined || periodStart === undefined || periodEnd === undefined)
    return { row: null, faults };
  return {
    row: {
      index,
      metric,
      metricId: metric.id,
      scopeType: input.scopeType,
      scopeId,
      periodStart,
      periodEnd,
      value: input.value,
      supersedes: input.supersedes,
      note: input.note,
      source: input.source,
      // provisional while today <= periodEnd + lag, in day numbers (no date string made per row)
      provisional: input.provisional ?? ctx.todayDay <= dayNumber(periodEnd) + metric.finalityLagDays,
    },
    faults: [],
  };
}

/** The row to insert for a planned measurement, recorded now by the caller; accepted unless judged otherwise. */
export const toInsertRow = (
  orgId: string,
  r: PlannedRow,
  facts: {
    id: string;
    recordedAt: string;
    recordedBy: string;
    batchId: string | null;
    validationState?: ValidationState;
    /** the measurement it corrects, when judging decided it (else the row's own `supersedes`) */
    supersedesId?: string | null;
  },
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
  supersedesId: facts.supersedesId !== undefined ? facts.supersedesId : (r.supersedes ?? null),
  source: r.source,
  batchId: facts.batchId,
  provisional: r.provisional,
  validationState: facts.validationState ?? "accepted",
  note: r.note,
});
