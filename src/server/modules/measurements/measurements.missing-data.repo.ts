/** SQL for missing-data alerts of stopped series. Every function takes a db or a transaction. */
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/connection.ts";

/** Rows of a raw query, the same on node-postgres and PGlite. */
async function selectRows<T>(db: Db, query: SQL): Promise<T[]> {
  const res = (await db.execute(query)) as unknown as { rows: T[] };
  return res.rows;
}

/** A uuid[] parameter: one parameter however many ids. */
const uuidArray = (ids: readonly string[]) => sql`${`{${ids.join(",")}}`}::uuid[]`;

export type SeriesKey = { metricId: string; scopeType: string; scopeId: string };
/** A series and the period end of its latest counted value (null: none counts). */
export type SeriesEnd = SeriesKey & { lastPeriodEnd: string | null };

export type MetricForCheck = {
  id: string;
  key: string;
  period: string;
  finalityLagDays: number;
  validationRules: unknown;
};

export type OpenAlert = SeriesKey & {
  id: string;
  lastPeriodEnd: string;
  missingSince: string;
  periodsMissing: number;
};

export type NewAlert = OpenAlert & { openedAt: string };

export async function loadOrgCalendar(db: Db, orgId: string) {
  const rows = await selectRows<{ timeZone: string; fiscalYearStartMonth: number }>(
    db,
    sql`select time_zone as "timeZone", fiscal_year_start_month as "fiscalYearStartMonth"
      from organizations where id = ${orgId}`,
  );
  return rows[0];
}

/** Every metric with the facts the check needs; the caller reads the rules (stored JSON). */
export async function listMetricsForCheck(db: Db, orgId: string): Promise<MetricForCheck[]> {
  return selectRows<MetricForCheck>(
    db,
    sql`select id, key, period, finality_lag_days as "finalityLagDays", validation_rules as "validationRules"
      from metrics where org_id = ${orgId} order by key`,
  );
}

/**
 * The latest counted period end of every series of these metrics. Not quarantined is enough: a
 * correction covers the period it corrects, so the latest end of the rows that are not quarantined is
 * the latest end of the counted ones.
 */
export async function latestCountedEnds(db: Db, orgId: string, metricIds: string[]): Promise<SeriesEnd[]> {
  if (metricIds.length === 0) return [];
  return selectRows<SeriesEnd>(
    db,
    sql`select metric_id as "metricId", scope_type as "scopeType", scope_id as "scopeId",
        max(period_end)::text as "lastPeriodEnd"
      from measurements
      where org_id = ${orgId} and metric_id = any(${uuidArray(metricIds)}) and validation_state <> 'quarantined'
      group by metric_id, scope_type, scope_id`,
  );
}

/** The same for named series, one index lookup each (the frequent pass over open alerts). */
export async function latestCountedEndsOf(db: Db, orgId: string, series: SeriesKey[]): Promise<SeriesEnd[]> {
  if (series.length === 0) return [];
  return selectRows<SeriesEnd>(
    db,
    sql`select k."metricId", k."scopeType", k."scopeId",
        (select max(m.period_end)::text from measurements m
          where m.org_id = ${orgId} and m.metric_id = k."metricId" and m.scope_type = k."scopeType"
            and m.scope_id = k."scopeId" and m.validation_state <> 'quarantined') as "lastPeriodEnd"
      from json_to_recordset(${JSON.stringify(series)}::json) as k("metricId" uuid, "scopeType" text, "scopeId" uuid)`,
  );
}

export async function listOpenAlerts(db: Db, orgId: string): Promise<OpenAlert[]> {
  return selectRows<OpenAlert>(
    db,
    sql`select id, metric_id as "metricId", scope_type as "scopeType", scope_id as "scopeId",
        last_period_end::text as "lastPeriodEnd", missing_since::text as "missingSince",
        periods_missing as "periodsMissing"
      from missing_data_alerts where org_id = ${orgId} and resolved_at is null order by id`,
  );
}

/**
 * Opens alerts; a series that meanwhile has an open one (another process was first) is skipped.
 * Answers the ids actually inserted.
 */
export async function insertAlerts(tx: Db, orgId: string, rows: NewAlert[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const inserted = await selectRows<{ id: string }>(
    tx,
    sql`insert into missing_data_alerts (org_id, id, metric_id, scope_type, scope_id, last_period_end,
        missing_since, periods_missing, opened_at)
      select ${orgId}, k.id, k."metricId", k."scopeType", k."scopeId", k."lastPeriodEnd", k."missingSince",
        k."periodsMissing", k."openedAt"
      from json_to_recordset(${JSON.stringify(rows)}::json) as k(id uuid, "metricId" uuid, "scopeType" text,
        "scopeId" uuid, "lastPeriodEnd" date, "missingSince" date, "periodsMissing" int, "openedAt" timestamptz)
      on conflict (org_id, metric_id, scope_type, scope_id) where resolved_at is null do nothing
      returning id`,
  );
  return inserted.map((r) => r.id);
}

/** Resolves open alerts; answers the ids this call resolved (an alert already resolved is left). */
export async function resolveAlerts(
  tx: Db,
  orgId: string,
  ids: string[],
  resolution: string,
  at: string,
): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await selectRows<{ id: string }>(
    tx,
    sql`update missing_data_alerts set resolved_at = ${at}::timestamptz, resolution = ${resolution}
      where org_id = ${orgId} and id = any(${uuidArray(ids)}) and resolved_at is null
      returning id`,
  );
  return rows.map((r) => r.id);
}

/**
 * Claims the organisation's full check for `today`: true for the first caller of the day (in any
 * process), false when it already ran today.
 */
export async function claimDailyCheck(db: Db, orgId: string, today: string, at: string): Promise<boolean> {
  const rows = await selectRows<{ orgId: string }>(
    db,
    sql`insert into missing_data_checks (org_id, checked_on, checked_at)
      values (${orgId}, ${today}::date, ${at}::timestamptz)
      on conflict (org_id) do update set checked_on = excluded.checked_on, checked_at = excluded.checked_at
        where missing_data_checks.checked_on < excluded.checked_on
      returning org_id as "orgId"`,
  );
  return rows.length > 0;
}

export type AlertListRow = OpenAlert & {
  metricKey: string;
  metricName: string;
  metricUnit: string;
  metricPeriod: string;
  finalityLagDays: number;
  validationRules: unknown;
  scopeName: string;
  openedAt: string;
};

/** Open alerts, oldest first (ids are time-ordered), with their metric and scope name. */
export async function listOpenAlertsPage(
  db: Db,
  orgId: string,
  q: { metricId?: string; stewardId?: string; afterId?: string; limit: number },
): Promise<AlertListRow[]> {
  const rows = await selectRows<AlertListRow>(
    db,
    sql`select a.id, a.metric_id as "metricId", a.scope_type as "scopeType", a.scope_id as "scopeId",
        a.last_period_end::text as "lastPeriodEnd", a.missing_since::text as "missingSince",
        a.periods_missing as "periodsMissing", to_json(a.opened_at)#>>'{}' as "openedAt",
        mt.key as "metricKey", mt.name as "metricName", mt.unit as "metricUnit", mt.period as "metricPeriod",
        mt.finality_lag_days as "finalityLagDays", mt.validation_rules as "validationRules",
        coalesce(case a.scope_type
          when 'org' then (select o.name from organizations o where o.id = a.org_id)
          when 'unit' then (select u.name from org_units u where u.org_id = a.org_id and u.id = a.scope_id)
          else (select p.name from people p where p.org_id = a.org_id and p.id = a.scope_id) end, '') as "scopeName"
      from missing_data_alerts a
      join metrics mt on mt.org_id = a.org_id and mt.id = a.metric_id
      where a.org_id = ${orgId} and a.resolved_at is null
        ${q.metricId !== undefined ? sql`and a.metric_id = ${q.metricId}` : sql``}
        ${q.stewardId !== undefined ? sql`and mt.steward_id = ${q.stewardId}` : sql``}
        ${q.afterId !== undefined ? sql`and a.id > ${q.afterId}::uuid` : sql``}
      order by a.id limit ${q.limit}`,
  );
  return rows.map((r) => ({ ...r, openedAt: new Date(r.openedAt).toISOString() }));
}
