/**
 * Missing-data alerts: the series (metric and scope) of metrics with a frequency rule that stopped
 * reporting. The validation rule judges a value when it arrives; a series that stops sends none, so a
 * check looks for them instead (src/domain/validation/missing-data.ts decides, per series, from its
 * latest counted period end and today in the organisation's zone).
 *
 * - The full check reads every series of every metric whose frequency rule is not off: it opens an
 *   alert for each that is missing data and has none open. It runs once a day per organisation (the
 *   daily job) and on demand (`POST /measurements/missing-data/check`).
 * - Resolving is checked more often: the daily job's every tick (ten minutes) re-reads only the
 *   series with open alerts, one index lookup each, so an alert resolves within minutes of its value
 *   arriving without touching the write paths. An alert resolves when a value for a later period
 *   counts (`value_arrived`; if the series is still missing data a new alert opens with the new
 *   start) or when the rule no longer finds data missing (`not_missing`: turned off or more tolerant).
 *
 * Opening and resolving are audited (`missing_data.opened`, `missing_data.resolved`) in the
 * transaction that writes them; the job acts as the system (no actor), the on-demand check as its
 * caller. The reads happen before that short transaction (PGlite runs one at a time); a value that
 * lands in between is seen at the next tick.
 */
import { uuidv7 } from "uuidv7";
import type { MetricPeriod } from "../../../domain/validation/checks.ts";
import { DEFAULT_MAX_MISSING_PERIODS, findMissingData } from "../../../domain/validation/missing-data.ts";
import { actionOf } from "../../../domain/validation/rules.ts";
import { parseStoredRules } from "../../../domain/validation/stored-rules.ts";
import type { Actor } from "../../actor.ts";
import { type Clock, dateInZone } from "../../clock.ts";
import type { Db } from "../../db/connection.ts";
import { AppError, notFound } from "../../errors.ts";
import { decodeCursor, toPage } from "../../http/pagination.ts";
import { type AuditEventInput, appendAudit } from "../audit/audit.service.ts";
import { canRunMissingDataCheck, missingDataScope } from "./measurements.missing-data.policy.ts";
import * as repo from "./measurements.missing-data.repo.ts";
import type {
  MissingDataAlert,
  MissingDataCheck,
  MissingDataQuery,
} from "./measurements.missing-data.schema.ts";

const FORBIDDEN_LIST = "missing-data alerts are for data stewards, the performance office and administrators";
const FORBIDDEN_CHECK =
  "the missing-data check is run by data stewards, the performance office and administrators";
const PERIODS: readonly string[] = ["day", "week", "month", "quarter"] satisfies MetricPeriod[];

type Rule = { period: MetricPeriod; finalityLagDays: number; maxMissingPeriods: number };

/** The metric's frequency rule as the check applies it, or null when it is off. */
function ruleOf(m: { period: string; finalityLagDays: number; validationRules: unknown }): Rule | null {
  const rules = parseStoredRules(m.validationRules);
  if (actionOf(rules, "frequency") === "off" || !PERIODS.includes(m.period)) return null;
  return {
    period: m.period as MetricPeriod,
    finalityLagDays: m.finalityLagDays,
    maxMissingPeriods: rules.frequency?.maxMissingPeriods ?? DEFAULT_MAX_MISSING_PERIODS,
  };
}

const keyOf = (s: repo.SeriesKey) => `${s.metricId}|${s.scopeType}|${s.scopeId}`;

export function createMissingDataService(deps: { db: Db; clock: Clock }) {
  const calendarOf = async (orgId: string) => {
    const cal = await repo.loadOrgCalendar(deps.db, orgId);
    if (!cal) throw notFound("organisation");
    return cal;
  };

  /** One pass over an organisation: `full` reads every ruled series, else only those with open alerts. */
  async function checkOrganisation(
    orgId: string,
    opts: { full: boolean; actorId: string | null },
  ): Promise<MissingDataCheck> {
    const cal = await calendarOf(orgId);
    const now = deps.clock.now();
    const today = dateInZone(now, cal.timeZone);
    const metrics = await repo.listMetricsForCheck(deps.db, orgId);
    const byId = new Map(metrics.map((m) => [m.id, { metric: m, rule: ruleOf(m) }]));
    const open = await repo.listOpenAlerts(deps.db, orgId);
    const openByKey = new Map(open.map((a) => [keyOf(a), a]));
    let series: repo.SeriesEnd[];
    if (opts.full) {
      const ruled = metrics.filter((m) => byId.get(m.id)?.rule).map((m) => m.id);
      const ends = await repo.latestCountedEnds(deps.db, orgId, ruled);
      const seen = new Set(ends.map(keyOf));
      // Open alerts of metrics whose rule was turned off are read too, so they resolve.
      const rest = open.filter((a) => !seen.has(keyOf(a)));
      series = [...ends, ...(await repo.latestCountedEndsOf(deps.db, orgId, rest.map(seriesKey)))];
    } else series = await repo.latestCountedEndsOf(deps.db, orgId, open.map(seriesKey));

    // A stable order (metric key, then scope), so alerts open, and list, in the same order every time.
    const sortKey = (x: repo.SeriesKey) =>
      `${byId.get(x.metricId)?.metric.key ?? ""}|${x.scopeType}|${x.scopeId}`;
    series.sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));

    const resolve = { value_arrived: [] as repo.OpenAlert[], not_missing: [] as repo.OpenAlert[] };
    const ends = new Map<string, string | null>();
    const toOpen: (repo.NewAlert & { maxMissingPeriods: number })[] = [];
    for (const s of series) {
      ends.set(keyOf(s), s.lastPeriodEnd);
      const rule = byId.get(s.metricId)?.rule ?? null;
      const verdict = rule
        ? findMissingData({
            period: rule.period,
            fiscalYearStartMonth: cal.fiscalYearStartMonth,
            finalityLagDays: rule.finalityLagDays,
            maxMissingPeriods: rule.maxMissingPeriods,
            lastPeriodEnd: s.lastPeriodEnd,
            today,
          })
        : null;
      const alert = openByKey.get(keyOf(s));
      if (alert) {
        const arrived = s.lastPeriodEnd !== null && s.lastPeriodEnd > alert.lastPeriodEnd;
        if (!arrived && verdict?.missing) continue;
        resolve[arrived ? "value_arrived" : "not_missing"].push(alert);
      }
      if (rule && verdict?.missing && verdict.firstMissing && s.lastPeriodEnd !== null)
        toOpen.push({
          ...seriesKey(s),
          id: uuidv7(),
          lastPeriodEnd: s.lastPeriodEnd,
          missingSince: verdict.firstMissing.start,
          periodsMissing: verdict.periodsMissing,
          openedAt: now.toISOString(),
          maxMissingPeriods: rule.maxMissingPeriods,
        });
    }
    if (resolve.value_arrived.length + resolve.not_missing.length + toOpen.length === 0)
      return { today, opened: 0, resolved: 0, open: open.length };

    const metricKey = (id: string) => byId.get(id)?.metric.key ?? null;
    return deps.db.transaction(async (tx) => {
      const events: AuditEventInput[] = [];
      let resolved = 0;
      for (const resolution of ["value_arrived", "not_missing"] as const) {
        const alerts = resolve[resolution];
        const done = new Set(
          await repo.resolveAlerts(
            tx,
            orgId,
            alerts.map((a) => a.id),
            resolution,
            now.toISOString(),
          ),
        );
        resolved += done.size;
        for (const a of alerts.filter((x) => done.has(x.id)))
          events.push({
            action: "missing_data.resolved",
            entityType: "missing_data_alert",
            entityId: a.id,
            data: {
              ...seriesKey(a),
              metricKey: metricKey(a.metricId),
              resolution,
              missingSince: a.missingSince,
              lastPeriodEndAtOpen: a.lastPeriodEnd,
              lastPeriodEnd: ends.get(keyOf(a)) ?? null,
              today,
            },
          });
      }
      const inserted = new Set(await repo.insertAlerts(tx, orgId, toOpen));
      for (const a of toOpen.filter((x) => inserted.has(x.id)))
        events.push({
          action: "missing_data.opened",
          entityType: "missing_data_alert",
          entityId: a.id,
          data: {
            ...seriesKey(a),
            metricKey: metricKey(a.metricId),
            lastPeriodEnd: a.lastPeriodEnd,
            missingSince: a.missingSince,
            periodsMissing: a.periodsMissing,
            maxMissingPeriods: a.maxMissingPeriods,
            today,
          },
        });
      await appendAudit(tx, { orgId, actorId: opts.actorId, at: now }, events);
      return { today, opened: inserted.size, resolved, open: open.length - resolved + inserted.size };
    });
  }

  return {
    checkOrganisation,

    /**
     * The daily job's pass for one organisation: the full check once per day in its time zone (the
     * first process to claim the day runs it), else the resolve-only pass over open alerts.
     */
    async runScheduled(org: { id: string; timeZone: string }) {
      const now = deps.clock.now();
      const full = await repo.claimDailyCheck(
        deps.db,
        org.id,
        dateInZone(now, org.timeZone),
        now.toISOString(),
      );
      return { full, ...(await checkOrganisation(org.id, { full, actorId: null })) };
    },

    /** The full check now, for the caller's organisation (data stewards, performance office, admins). */
    async runCheck(actor: Actor): Promise<MissingDataCheck> {
      if (!canRunMissingDataCheck(actor)) throw new AppError("forbidden", FORBIDDEN_CHECK);
      return checkOrganisation(actor.orgId, { full: true, actorId: actor.personId });
    },

    /** Open alerts, oldest first: all, or those of the metrics the caller stewards; others 403. */
    async listMissingData(actor: Actor, q: MissingDataQuery) {
      const scope = missingDataScope(actor);
      if (scope === "none") throw new AppError("forbidden", FORBIDDEN_LIST);
      const cal = await calendarOf(actor.orgId);
      const today = dateInZone(deps.clock.now(), cal.timeZone);
      const afterId = decodeCursor(q.cursor);
      const rows = await repo.listOpenAlertsPage(deps.db, actor.orgId, {
        limit: q.limit + 1,
        ...(q.metricId !== undefined ? { metricId: q.metricId } : {}),
        ...(scope === "stewarded" ? { stewardId: actor.personId } : {}),
        ...(afterId !== undefined ? { afterId } : {}),
      });
      const page = toPage(rows, q.limit, (r) => r.id);
      const items = page.items.map((r): MissingDataAlert => {
        const rule = ruleOf({
          period: r.metricPeriod,
          finalityLagDays: r.finalityLagDays,
          validationRules: r.validationRules,
        });
        // Counted again as of today: the gap grows while nothing arrives.
        const periodsMissing = rule
          ? findMissingData({
              period: rule.period,
              fiscalYearStartMonth: cal.fiscalYearStartMonth,
              finalityLagDays: rule.finalityLagDays,
              lastPeriodEnd: r.lastPeriodEnd,
              today,
            }).periodsMissing
          : r.periodsMissing;
        return {
          id: r.id,
          metric: {
            id: r.metricId,
            key: r.metricKey,
            name: r.metricName,
            unit: r.metricUnit,
            period: r.metricPeriod as MetricPeriod,
          },
          scopeType: r.scopeType as MissingDataAlert["scopeType"],
          scopeId: r.scopeId,
          scopeName: r.scopeName,
          lastPeriodEnd: r.lastPeriodEnd,
          missingSince: r.missingSince,
          periodsMissing: Math.max(periodsMissing, r.periodsMissing),
          maxMissingPeriods: rule?.maxMissingPeriods ?? DEFAULT_MAX_MISSING_PERIODS,
          openedAt: r.openedAt,
        };
      });
      return { items, nextCursor: page.nextCursor };
    },
  };
}

function seriesKey(s: repo.SeriesKey): repo.SeriesKey {
  return { metricId: s.metricId, scopeType: s.scopeType, scopeId: s.scopeId };
}
