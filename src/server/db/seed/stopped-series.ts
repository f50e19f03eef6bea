/**
 * One series that stopped reporting, so the Data review page's missing-data list has something to
 * show on a first start: "Partner referrals", weekly, organisation-wide, with a frequency rule, whose
 * export stopped five weeks before today. Written after everything else with its own ids and a fixed
 * formula (no draws from the random source), so the rest of the demo is unchanged by it.
 */
import { addDays } from "../../../domain/dates.ts";
import { insertAll } from "../batch.ts";
import type { Db } from "../connection.ts";
import { measurements, metrics } from "../schema.ts";
import { periodsBetween } from "./series.ts";

export const STOPPED_METRIC_KEY = "partner_referrals";

export async function seedStoppedSeries(
  db: Db,
  ctx: {
    newId: () => string;
    orgId: string;
    stewardId: string;
    historyStart: string;
    today: string;
    createdAt: string;
  },
): Promise<{ metrics: number; measurements: number }> {
  const metricId = ctx.newId();
  await db.insert(metrics).values({
    orgId: ctx.orgId,
    id: metricId,
    key: STOPPED_METRIC_KEY,
    name: "Partner referrals",
    description: "Qualified leads referred by reseller partners through the partner portal.",
    unit: "count",
    direction: "increase",
    indicatorType: "leading",
    aggregation: "sum",
    period: "week",
    calculation: "imported",
    baselinePeriod: "previous calendar year",
    dataSource: "Partner portal: weekly referral export (stopped when the portal moved to a new host)",
    calculationNote: "Referrals accepted by sales in the ISO week",
    refreshCadence: "weekly",
    stewardId: ctx.stewardId,
    finalityLagDays: 2,
    validationRules: { min: 0, maxJumpRobustZ: 4, frequency: { maxMissingPeriods: 1, action: "flag" } },
    createdAt: ctx.createdAt,
    updatedAt: ctx.createdAt,
  });
  // Whole weeks up to five weeks before today: the last four or five weeks are due and missing.
  const weeks = periodsBetween("week", ctx.historyStart, addDays(ctx.today, -35));
  const rows = weeks.map((w, i) => ({
    orgId: ctx.orgId,
    id: ctx.newId(),
    metricId,
    scopeType: "org",
    scopeId: ctx.orgId,
    periodStart: w.start,
    periodEnd: w.end,
    value: 18 + (i % 5) + Math.floor(i / 8),
    recordedAt: `${addDays(w.end, 1)}T06:00:00.000Z`,
    source: "import",
    validationState: "accepted",
  }));
  await insertAll(db, measurements, rows);
  return { metrics: 1, measurements: rows.length };
}
