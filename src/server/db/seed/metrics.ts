/**
 * The KPI library and its history: one metric row per catalogue entry, and series of measurements
 * organisation-wide, per unit of the owning division and per person for personal metrics.
 */
import { addDays, dayNumber } from "../../../domain/dates.ts";
import { createSink, insertAll } from "../batch.ts";
import type { Db } from "../connection.ts";
import { measurements, metrics } from "../schema.ts";
import { drawFinalAttainment, drawPace } from "./goal-targets.ts";
import { isFlowKpi, KPIS, type KpiDef } from "./kpi-catalog.ts";
import type { OrgPlan, PersonPlan, UnitPlan } from "./org.ts";
import type { Rng } from "./random.ts";
import {
  generateSeries,
  type Period,
  periodsBetween,
  type SeriesCalendar,
  type SeriesDesign,
} from "./series.ts";

export type ScopeType = "org" | "unit" | "person";

export type Series = {
  kpi: KpiDef;
  metricId: string;
  scopeType: ScopeType;
  scopeId: string;
  periods: readonly Period[];
  values: Float64Array;
  design: SeriesDesign;
};

export type MetricsResult = {
  metricIds: Map<string, string>;
  orgSeries: Map<string, Series>;
  unitSeries: Map<string, Series[]>;
  personSeries: Map<string, Series>;
  measurementCount: number;
};

type Ctx = {
  db: Db;
  rng: Rng;
  newId: () => string;
  orgId: string;
  org: OrgPlan;
  cal: SeriesCalendar & { curEnd: string };
  /** the organisation's size relative to the catalogue's 250 people */
  scale: number;
  createdAt: string;
};

/** How many unit-level series each kind of unit keeps (the rest of the catalogue stays org-wide). */
const SERIES_PER_UNIT: Record<UnitPlan["kind"], number> = { company: 0, division: 5, department: 3, team: 2 };

export async function seedMetrics(ctx: Ctx): Promise<MetricsResult> {
  const { db, rng, newId, orgId, org } = ctx;
  const stewardOf = (k: KpiDef) => org.featured[k.steward].id;
  const metricIds = new Map<string, string>();
  const rows = KPIS.map((k) => {
    const id = newId();
    metricIds.set(k.key, id);
    return {
      orgId,
      id,
      key: k.key,
      name: k.name,
      description: k.description,
      unit: k.unit,
      currencyCode: k.unit === "currency" ? "EUR" : null,
      direction: k.direction,
      indicatorType: k.indicator,
      aggregation: k.aggregation,
      period: k.period,
      calculation: k.scope === "person" && k.period === "month" ? "manual" : "imported",
      baselinePeriod: "previous calendar year",
      dataSource: k.dataSource,
      calculationNote: k.calculationNote,
      refreshCadence: k.period === "week" ? "weekly" : "monthly",
      stewardId: stewardOf(k),
      finalityLagDays: k.period === "week" ? 2 : 5,
      validationRules: validationRulesOf(k),
      createdAt: ctx.createdAt,
      updatedAt: ctx.createdAt,
    };
  });
  await insertAll(db, metrics, rows);

  const periods = {
    week: periodsBetween("week", ctx.cal.historyStart, ctx.cal.today),
    month: periodsBetween("month", ctx.cal.historyStart, ctx.cal.today),
  };
  const yearDays = dayNumber(ctx.cal.curEnd) - dayNumber(ctx.cal.curStart) + 1;
  const expectedToday = Math.min(
    1,
    Math.max(0, (dayNumber(ctx.cal.today) - dayNumber(ctx.cal.curStart)) / yearDays),
  );
  const sink = createSink(db, measurements);
  // Values arrive the morning after their period closes (monthly ones a few days later), never after
  // the start of today, so an as-of read today sees all of them.
  const todayStart = `${ctx.cal.today}T00:00:00.000Z`;
  const recordedAtOf = (p: Period, k: KpiDef) => {
    const at = `${addDays(p.end, k.period === "week" ? 1 : 3)}T06:00:00.000Z`;
    return at < todayStart ? at : todayStart;
  };

  const makeSeries = async (
    k: KpiDef,
    scopeType: ScopeType,
    scopeId: string,
    level: number,
  ): Promise<Series> => {
    const design: SeriesDesign = {
      prevAttainment: drawFinalAttainment(rng),
      currentAttainment: 0,
      insideRange: rng.chance(0.85),
    };
    design.currentAttainment = drawPace(rng, expectedToday) * expectedToday;
    const points = generateSeries(rng, k, level, ctx.cal, design);
    const metricId = metricIds.get(k.key) as string;
    for (const [i, pt] of points.entries()) {
      const recordedAt = recordedAtOf(pt.period, k);
      const base = {
        orgId,
        metricId,
        scopeType,
        scopeId,
        periodStart: pt.period.start,
        periodEnd: pt.period.end,
        source: "import",
        validationState: "accepted",
        note: pt.outlier ? "Unusual value confirmed with the source system" : "",
      };
      // A few values were first loaded wrong and corrected two days later: the correction supersedes.
      const corrected = `${addDays(recordedAt.slice(0, 10), 2)}T09:00:00.000Z`;
      if (i < points.length - 3 && corrected < todayStart && rng.chance(0.005)) {
        const wrongId = newId();
        await sink.add({ ...base, id: wrongId, value: pt.value * 1.1, recordedAt, supersedesId: null });
        await sink.add({
          ...base,
          id: newId(),
          value: pt.value,
          recordedAt: corrected,
          supersedesId: wrongId,
          note: "Corrected: duplicate records removed at the source",
        });
      } else {
        await sink.add({ ...base, id: newId(), value: pt.value, recordedAt, supersedesId: null });
      }
    }
    return {
      kpi: k,
      metricId,
      scopeType,
      scopeId,
      periods: periods[k.period],
      values: Float64Array.from(points.map((p) => p.value)),
      design,
    };
  };

  const divisionHeadcount = new Map(
    org.units.filter((u) => u.kind === "division").map((u) => [u.division, u.headcount]),
  );
  const orgSeries = new Map<string, Series>();
  for (const k of KPIS) {
    const members = k.scope === "person" ? (divisionHeadcount.get(asDivision(k)) ?? 1) : 1;
    const level = isFlowKpi(k) ? k.base * (k.scope === "person" ? members : ctx.scale) : k.base;
    orgSeries.set(k.key, await makeSeries(k, "org", orgId, level));
  }

  const unitSeries = new Map<string, Series[]>();
  for (const u of org.units) {
    const own = KPIS.filter((k) => k.scope === "unit" && k.division === u.division);
    const chosen = rng.sample(own, SERIES_PER_UNIT[u.kind]);
    const list: Series[] = [];
    for (const k of chosen) {
      const share = u.headcount / Math.max(1, divisionHeadcount.get(u.division) ?? 1);
      const level = isFlowKpi(k) ? k.base * ctx.scale * share : k.base * (1 + 0.05 * rng.normal());
      list.push(await makeSeries(k, "unit", u.id, level));
    }
    unitSeries.set(u.id, list);
  }

  const personSeries = new Map<string, Series>();
  const personal = (p: PersonPlan) => KPIS.filter((k) => k.scope === "person" && k.division === p.division);
  for (const members of org.membersByTeam.values()) {
    for (const p of members) {
      const options = personal(p);
      if (options.length === 0) continue;
      const k = rng.pick(options);
      personSeries.set(p.id, await makeSeries(k, "person", p.id, k.base * rng.between(0.7, 1.3)));
    }
  }
  await sink.flush();
  return { metricIds, orgSeries, unitSeries, personSeries, measurementCount: sink.written };
}

function asDivision(k: KpiDef) {
  return k.division === "company" ? null : k.division;
}

function validationRulesOf(k: KpiDef): Record<string, unknown> {
  const rules: Record<string, unknown> = { maxJumpRobustZ: 4 };
  if (k.bounds) {
    rules.min = k.bounds[0];
    rules.max = k.bounds[1];
  } else rules.min = 0;
  return rules;
}
