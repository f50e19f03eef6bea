/**
 * SQL for re-deriving a formula metric after its formula changed: the periods to look at, one bounded
 * page at a time, and how many derived values stay current when the formula is removed. Every
 * function takes a database or a transaction. "Current" is the rule measurements.repo.ts states: not
 * quarantined, and no row that is not quarantined supersedes it.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../../db/connection.ts";
import { correctionOf } from "./measurements.repo.ts";

/** One scope and period of a series (the metric left out: the same period of several metrics). */
export type ScopePeriod = { scopeType: string; scopeId: string; periodStart: string; periodEnd: string };

const notSuperseded = sql`not exists (select 1 from measurements s where ${correctionOf})`;

/**
 * The next `limit` distinct (scope, period)s in which any of these metrics has a current value, in
 * (scope type, scope id, period end, period start) order, after `after` (keyset paging: each page is
 * one bounded statement over the series index, however long the history).
 */
export async function listPeriodsWithValues(
  db: Db,
  orgId: string,
  metricIds: string[],
  after: ScopePeriod | null,
  limit: number,
): Promise<ScopePeriod[]> {
  if (metricIds.length === 0) return [];
  const res = (await db.execute(
    sql`select distinct m.scope_type as "scopeType", m.scope_id as "scopeId",
        m.period_start::text as "periodStart", m.period_end::text as "periodEnd"
      from measurements m
      where m.org_id = ${orgId} and m.metric_id = any(${`{${metricIds.join(",")}}`}::uuid[])
        and m.validation_state <> 'quarantined' and ${notSuperseded}
        ${
          after !== null
            ? sql`and (m.scope_type, m.scope_id, m.period_end, m.period_start) >
                (${after.scopeType}::text, ${after.scopeId}::uuid, ${after.periodEnd}::date, ${after.periodStart}::date)`
            : sql``
        }
      order by "scopeType", "scopeId", "periodEnd", "periodStart"
      limit ${limit}`,
  )) as unknown as { rows: ScopePeriod[] };
  return res.rows;
}

/** How many current values of this metric came from its formula (what stays when the formula goes). */
export async function countCurrentDerived(db: Db, orgId: string, metricId: string): Promise<number> {
  const res = (await db.execute(
    sql`select count(*)::int as n from measurements m
      where m.org_id = ${orgId} and m.metric_id = ${metricId} and m.source = 'formula'
        and m.validation_state <> 'quarantined' and ${notSuperseded}`,
  )) as unknown as { rows: { n: number }[] };
  return Number(res.rows[0]?.n ?? 0);
}
