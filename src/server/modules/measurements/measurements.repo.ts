/**
 * SQL for measurements. Every function takes a database or a transaction. Rows are never updated or
 * deleted: a correction is a new row whose `supersedes_id` names the row it replaces. A row is
 * superseded (as known at an instant) when a row recorded by then, and not quarantined, supersedes it
 * — the progress engine reads the same rule. A correction always has its target's metric, scope and
 * period, so finding it walks the series index (org_id, metric_id, scope_type, scope_id, period_end).
 */
import { type SQL, sql } from "drizzle-orm";
import { insertAll } from "../../db/batch.ts";
import type { Db } from "../../db/connection.ts";
import { measurementFindings, measurements } from "../../db/schema.ts";
import type { DigestedRow } from "./measurements.digest.ts";

export type MeasurementRecord = {
  id: string;
  metricId: string;
  scopeType: string;
  scopeId: string;
  periodStart: string;
  periodEnd: string;
  value: number;
  recordedAt: string;
  recordedBy: string | null;
  supersedesId: string | null;
  supersededById: string | null;
  source: string;
  provisional: boolean;
  validationState: string;
  note: string;
};

/** One (metric, scope, period): at most one current value each. */
export type PeriodKey = {
  metricId: string;
  scopeType: string;
  scopeId: string;
  periodStart: string;
  periodEnd: string;
};

async function selectRows<T>(db: Db, query: SQL): Promise<T[]> {
  const res = (await db.execute(query)) as unknown as { rows: T[] };
  return res.rows;
}

/** The organisation's time zone and fiscal year start month: how a row's time names its period. */
export async function loadOrgCalendar(db: Db, orgId: string) {
  const rows = await selectRows<{ timeZone: string; fiscalYearStartMonth: number }>(
    db,
    sql`select time_zone as "timeZone", fiscal_year_start_month as "fiscalYearStartMonth"
        from organizations where id = ${orgId}`,
  );
  return rows[0];
}

const columns = sql`m.id, m.metric_id as "metricId", m.scope_type as "scopeType", m.scope_id as "scopeId",
  m.period_start::text as "periodStart", m.period_end::text as "periodEnd", m.value,
  to_json(m.recorded_at)#>>'{}' as "recordedAt", m.recorded_by as "recordedBy",
  m.supersedes_id as "supersedesId", s.id as "supersededById", m.source, m.provisional,
  m.validation_state as "validationState", m.note`;

/**
 * `s` is a correction of `m` that counts (not quarantined). Found by `m`'s id alone, through
 * `measurements_supersedes_idx`: a correction always keeps its target's metric, scope and period
 * (the judge refuses any other), so naming them as well adds nothing. It cost a lot: with them, the
 * planner probed the series index for each value of a series and read the whole series each time —
 * the history of 1,000 series of 127 values took 5.9 s to read, 0.09 s by the id (bench/import.ts).
 */
export const correctionOf = sql`s.org_id = m.org_id and s.supersedes_id = m.id and s.validation_state <> 'quarantined'`;

/** The row (first by id) that supersedes `m`, recorded by `knownAt` (null: whenever). */
const supersederOf = (knownAt: string | null) => sql`left join lateral (
    select s.id from measurements s
    where ${correctionOf}
      ${knownAt !== null ? sql`and s.recorded_at <= ${knownAt}::timestamptz` : sql``}
    order by s.id limit 1
  ) s on true`;

/** Normalises the instant to ISO (PGlite and pg print timestamptz differently). */
const normalise = (r: MeasurementRecord): MeasurementRecord => ({
  ...r,
  value: Number(r.value),
  recordedAt: new Date(r.recordedAt).toISOString(),
});

export type SeriesQuery = {
  metricId: string;
  scopeType: string;
  scopeId: string;
  /** rows recorded after this instant are left out; null: everything recorded */
  knownAt: string | null;
  from?: string;
  to?: string;
  includeSuperseded: boolean;
  afterId?: string;
  limit: number;
};

/** One series' measurements by id: the current ones, or with `includeSuperseded` all, as known at `knownAt`. */
export async function listSeries(db: Db, orgId: string, q: SeriesQuery): Promise<MeasurementRecord[]> {
  const rows = await selectRows<MeasurementRecord>(
    db,
    sql`select ${columns} from measurements m ${supersederOf(q.knownAt)}
    where m.org_id = ${orgId} and m.metric_id = ${q.metricId} and m.scope_type = ${q.scopeType}
      and m.scope_id = ${q.scopeId}
      ${q.knownAt !== null ? sql`and m.recorded_at <= ${q.knownAt}::timestamptz` : sql``}
      ${q.from !== undefined ? sql`and m.period_end >= ${q.from}::date` : sql``}
      ${q.to !== undefined ? sql`and m.period_start <= ${q.to}::date` : sql``}
      ${q.afterId !== undefined ? sql`and m.id > ${q.afterId}::uuid` : sql``}
      ${q.includeSuperseded ? sql`` : sql`and s.id is null`}
    order by m.id limit ${q.limit}`,
  );
  return rows.map(normalise);
}

/** These measurements with what supersedes them now (for checking correction targets). */
export async function findMeasurements(db: Db, orgId: string, ids: string[]): Promise<MeasurementRecord[]> {
  if (ids.length === 0) return [];
  const rows = await selectRows<MeasurementRecord>(
    db,
    sql`select ${columns} from measurements m ${supersederOf(null)}
    where m.org_id = ${orgId} and m.id = any(${`{${ids.join(",")}}`}::uuid[])`,
  );
  return rows.map(normalise);
}

/** The current (not superseded) measurements of these periods. */
export async function findCurrentInPeriods(
  db: Db,
  orgId: string,
  keys: PeriodKey[],
): Promise<MeasurementRecord[]> {
  if (keys.length === 0) return [];
  const rows = await selectRows<MeasurementRecord>(
    db,
    sql`select ${columns}
    from json_to_recordset(${JSON.stringify(keys)}::json)
      as k("metricId" uuid, "scopeType" text, "scopeId" uuid, "periodStart" date, "periodEnd" date)
    join measurements m on m.org_id = ${orgId} and m.metric_id = k."metricId"
      and m.scope_type = k."scopeType" and m.scope_id = k."scopeId"
      and m.period_end = k."periodEnd" and m.period_start = k."periodStart"
    ${supersederOf(null)}
    where s.id is null`,
  );
  return rows.map(normalise);
}

export async function insertMeasurements(tx: Db, rows: (typeof measurements.$inferInsert)[]): Promise<void> {
  // One JSON parameter per statement: building a VALUES list of 16 parameters a row through the
  // query builder took most of a bulk write's CPU time.
  await insertAll(tx, measurements, rows);
}

/** A counted value of a series (not quarantined, not superseded by a counted correction). */
export type CountedValue = PeriodKey & { id: string; source: string; value: number };

/**
 * For each ask (one series), the counted values a bulk write is judged against, in one statement:
 * every one whose period ends in [from, to] — the periods the write names, so a second value for one
 * is found — and the last `limit` whose period ends before `from`, the history the validation rules
 * look back on. Each ask is two index range scans of the series, whatever the number of rows.
 */
export async function findCountedAround(
  db: Db,
  orgId: string,
  asks: {
    metricId: string;
    scopeType: string;
    scopeId: string;
    from: string;
    to: string;
    limit: number;
  }[],
): Promise<CountedValue[]> {
  if (asks.length === 0) return [];
  const counted = sql`m.org_id = ${orgId} and m.metric_id = k."metricId" and m.scope_type = k."scopeType"
        and m.scope_id = k."scopeId" and m.validation_state <> 'quarantined'
        and not exists (select 1 from measurements s where ${correctionOf})`;
  const rows = await selectRows<CountedValue>(
    db,
    sql`select k."metricId", k."scopeType", k."scopeId", h.id, h.source, h.period_start::text as "periodStart",
      h.period_end::text as "periodEnd", h.value
    from json_to_recordset(${JSON.stringify(asks)}::json)
      as k("metricId" uuid, "scopeType" text, "scopeId" uuid, "from" date, "to" date, "limit" int)
    cross join lateral (
      (select m.id, m.source, m.period_start, m.period_end, m.value from measurements m
        where ${counted} and m.period_end < k."from"
        order by m.period_end desc, m.period_start desc limit k."limit")
      union all
      (select m.id, m.source, m.period_start, m.period_end, m.value from measurements m
        where ${counted} and m.period_end >= k."from" and m.period_end <= k."to")
    ) h`,
  );
  return rows.map((r) => ({ ...r, value: Number(r.value) }));
}

export async function insertFindings(
  tx: Db,
  rows: (typeof measurementFindings.$inferInsert)[],
): Promise<void> {
  await insertAll(tx, measurementFindings, rows);
}

/** The rows one bulk write's audit event covers: its batch, ids `firstId`..`lastId`, in id order. */
export async function listBatchRows(
  db: Db,
  orgId: string,
  batchId: string,
  firstId: string,
  lastId: string,
): Promise<DigestedRow[]> {
  const rows = await selectRows<DigestedRow>(
    db,
    sql`select id, metric_id as "metricId", scope_type as "scopeType", scope_id as "scopeId",
      period_start::text as "periodStart", period_end::text as "periodEnd", value,
      supersedes_id as "supersedesId", source, note
    from measurements
    where org_id = ${orgId} and id between ${firstId}::uuid and ${lastId}::uuid and batch_id = ${batchId}::uuid
    order by id`,
  );
  return rows.map((r) => ({ ...r, value: Number(r.value) }));
}
