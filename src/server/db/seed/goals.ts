/**
 * The cascade: five company objectives → company key results → division, department and team goals →
 * individual goals, with weighted alignment links (a few goals support two parents), contributors on
 * shared team goals, for the current cycle and the closed previous one.
 */
import { dayNumber } from "../../../domain/dates.ts";
import type { DivisionKey } from "./divisions.ts";
import {
  type CyclePlan,
  finalState,
  type GoalRow,
  metricGoalFields,
  type PlannedGoal,
} from "./goal-factory.ts";
import { drawPace } from "./goal-targets.ts";
import type { MetricsResult, Series } from "./metrics.ts";
import type { OrgPlan, PersonPlan, UnitPlan } from "./org.ts";
import type { Rng } from "./random.ts";

export type GoalsCtx = {
  rng: Rng;
  newId: () => string;
  orgId: string;
  org: OrgPlan;
  metrics: MetricsResult;
  today: string;
  /** individual goals per active team member in the current cycle (fractions are drawn) */
  goalsPerPerson: number;
};

const OBJECTIVES: Record<DivisionKey, { title: string; krs: string[] }> = {
  sales: {
    title: "Grow recurring revenue efficiently",
    krs: ["net_new_arr", "average_deal_size", "ltv_to_cac"],
  },
  success: {
    title: "Delight our customers",
    krs: ["net_revenue_retention", "nps", "gross_revenue_churn"],
  },
  product: {
    title: "Build a product people use every week",
    krs: ["weekly_active_users", "service_availability", "trial_conversion"],
  },
  operations: { title: "Run a reliable, efficient operation", krs: ["cost_to_serve", "recognised_revenue"] },
  people: {
    title: "Make Northwind a great place to work",
    krs: ["enps", "voluntary_attrition", "operating_margin", "days_sales_outstanding"],
  },
};

const UNIT_THEMES: Record<DivisionKey, string[]> = {
  sales: ["build a predictable revenue engine", "win more of the right deals"],
  success: ["make every customer successful in their first 90 days", "resolve issues before they escalate"],
  product: ["ship reliable improvements every week", "turn usage into habits"],
  operations: ["deliver on time, every time", "trustworthy data for every decision"],
  people: ["hire and grow the people we need", "keep spend within plan"],
};

const MILESTONES = [
  "Complete the advanced SQL certification",
  "Publish the customer onboarding playbook",
  "Run a lunch-and-learn on forecasting",
  "Automate the weekly pipeline report",
  "Document the incident runbook for the reporting stack",
  "Mentor a new joiner through their first 90 days",
  "Migrate the team's dashboards to the new warehouse",
  "Lead a customer discovery workshop",
];
const RUBRICS = [
  "Grow as a presenter",
  "Develop coaching skills",
  "Deepen product knowledge",
  "Strengthen stakeholder management",
];

export function planGoals(ctx: GoalsCtx, cycle: CyclePlan): PlannedGoal[] {
  const { rng, newId, org, metrics, today } = ctx;
  const planned: PlannedGoal[] = [];
  const year = cycle.start.slice(0, 4);
  const createdAt = `${addDaysIso(cycle.start, -rng.int(5, 25))}T10:00:00.000Z`;
  const whole = { start: cycle.start, due: cycle.end, label: year, wholeCycle: true };
  const headOf = (u: UnitPlan) => u.headId ?? org.featured.ceo.id;

  const add: Add = (fields, extra) => {
    const id = newId();
    const g: PlannedGoal = {
      row: {
        orgId: ctx.orgId,
        id,
        cycleId: cycle.id,
        specificOutcome: "",
        unitId: extra.unit?.id ?? null,
        metricId: extra.series?.metricId ?? null,
        scopeType: extra.series?.scopeType ?? "org",
        scopeId: extra.series?.scopeId ?? null,
        startDate: cycle.start,
        dueDate: cycle.end,
        reviewCadence: "monthly",
        visibility: "public",
        rollupMode: extra.series ? "own_metric" : "weighted_mean",
        state: "active",
        version: 1,
        createdAt,
        updatedAt: createdAt,
        ...fields,
      } as PlannedGoal["row"],
      series: extra.series ?? null,
      attainment: extra.attainment ?? null,
      parents: (extra.parents ?? []).map((p) => ({ id: p.row.id, weight: rng.int(1, 3) })),
      contributors: [],
    };
    planned.push(g);
    return g;
  };
  const metricGoal = (
    s: Series,
    level: GoalRow["level"],
    ownerId: string,
    unit: UnitPlan | null,
    who: string,
    parents: PlannedGoal[],
    window = whole,
  ) => {
    const { fields, attainment } = metricGoalFields(rng, s, window, today, who);
    return add(
      { ...fields, level, ownerId, startDate: window.start, dueDate: window.due },
      { series: s, attainment, parents, unit },
    );
  };

  // Company: objectives owned by the CEO, key results by the division heads.
  const divisions = org.units.filter((u) => u.kind === "division");
  const objectives = new Map<DivisionKey, PlannedGoal>();
  const krs = new Map<string, PlannedGoal>();
  const krsOf = new Map<DivisionKey, PlannedGoal[]>();
  for (const div of divisions) {
    const key = div.division as DivisionKey;
    const o = add(
      {
        title: OBJECTIVES[key].title,
        specificOutcome: `Company objective for ${year}, led with ${div.name}; progress is the weighted result of its key results.`,
        kind: "rollup",
        level: "company",
        ownerId: org.featured.ceo.id,
        reviewCadence: "quarterly",
      },
      { unit: org.company },
    );
    objectives.set(key, o);
    const list: PlannedGoal[] = [];
    for (const kpiKey of OBJECTIVES[key].krs) {
      const s = metrics.orgSeries.get(kpiKey);
      if (!s) continue;
      const kr = metricGoal(s, "company", headOf(div), org.company, "Northwind", [o]);
      krs.set(kpiKey, kr);
      list.push(kr);
    }
    krsOf.set(key, list);
  }
  const anyKr = (key: DivisionKey) => rng.pick(krsOf.get(key) ?? [...krs.values()]);
  const sameKpi = (candidates: PlannedGoal[], s: Series) =>
    candidates.find((c) => c.series?.kpi.key === s.kpi.key) ?? rng.pick(candidates);

  // Units, top-down, so parents exist before their children.
  const unitGoals = new Map<string, PlannedGoal[]>();
  const rollupOf = new Map<string, PlannedGoal>();
  const rolledUp = new Set<string>();
  const byId = new Map(org.units.map((u) => [u.id, u]));
  for (const u of org.units) {
    if (u.kind === "company" || !u.division) continue;
    const key = u.division;
    const parentGoals =
      u.kind === "division" ? (krsOf.get(key) ?? []) : (unitGoals.get(u.parentId ?? "") ?? []);
    const list: PlannedGoal[] = [];
    if (u.kind === "department") {
      const theme = rng.pick(UNIT_THEMES[key]);
      const r = add(
        {
          title: `${u.name}: ${theme}`,
          specificOutcome: `${u.name} contributes to ${byId.get(u.parentId ?? "")?.name ?? "its division"}'s goals in ${year}; progress rolls up from its teams.`,
          kind: "rollup",
          level: "unit",
          ownerId: headOf(u),
          rollupMode: rng.chance(0.2) ? "weakest" : "weighted_mean",
        },
        { unit: u, parents: parentGoals.length > 0 ? [rng.pick(parentGoals)] : [anyKr(key)] },
      );
      rollupOf.set(u.id, r);
      list.push(r);
    }
    const parentRollup = rollupOf.get(u.parentId ?? "");
    for (const s of metrics.unitSeries.get(u.id) ?? []) {
      const parents = parentGoals.length > 0 ? [sameKpi(parentGoals, s)] : [anyKr(key)];
      // Every department rollup gets at least one team goal under it.
      if (parentRollup && !parents.includes(parentRollup) && !rolledUp.has(parentRollup.row.id)) {
        parents.push(parentRollup);
      }
      for (const p of parents) rolledUp.add(p.row.id);
      // A few goals also serve a second objective: reliability helps customers, hiring helps revenue.
      if (u.kind === "division" && rng.chance(0.25)) {
        const other = rng.pick(divisions.filter((d) => d.division !== key)).division as DivisionKey;
        parents.push(anyKr(other));
      }
      const level = u.kind === "team" ? "team" : "unit";
      const g = metricGoal(s, level, headOf(u), u, u.name, parents);
      if (u.kind === "team") g.row.reviewCadence = "weekly";
      if (u.kind === "team" && rng.chance(0.15)) g.row.visibility = "unit";
      list.push(g);
    }
    unitGoals.set(u.id, list);
  }

  // Shared team goals: members contribute with shares that add up to 1.
  for (const [teamId, members] of org.membersByTeam) {
    for (const g of (unitGoals.get(teamId) ?? []).filter((x) => x.row.level === "team")) {
      if (members.length < 2 || !rng.chance(0.3)) continue;
      const people = rng.sample(members, rng.int(2, Math.min(4, members.length)));
      const raw = people.map(() => rng.between(1, 3));
      const total = raw.reduce((s, x) => s + x, 0);
      const shares = raw.map((x) => Math.round((20 * x) / total) / 20);
      const drift = 1 - shares.reduce((s, x) => s + x, 0);
      shares[0] = Math.round(((shares[0] as number) + drift) * 100) / 100;
      g.contributors = people.map((p, i) => ({ personId: p.id, share: shares[i] as number }));
    }
  }

  if (!cycle.closed) planIndividualGoals(ctx, cycle, unitGoals, rollupOf, add, metricGoal, createdAt);
  if (cycle.closed) settleClosedCycle(planned);
  return planned;
}

type GoalFields = Partial<GoalRow> & Pick<GoalRow, "title" | "kind" | "level" | "ownerId">;
type GoalExtra = {
  series?: Series;
  attainment?: number | null;
  parents?: PlannedGoal[];
  unit: UnitPlan | null;
};
type Add = (fields: GoalFields, extra: GoalExtra) => PlannedGoal;
type MetricGoal = (
  s: Series,
  level: GoalRow["level"],
  ownerId: string,
  unit: UnitPlan | null,
  who: string,
  parents: PlannedGoal[],
  window?: { start: string; due: string; label: string; wholeCycle: boolean },
) => PlannedGoal;

function planIndividualGoals(
  ctx: GoalsCtx,
  cycle: CyclePlan,
  unitGoals: Map<string, PlannedGoal[]>,
  rollupOf: Map<string, PlannedGoal>,
  add: Add,
  metricGoal: MetricGoal,
  createdAt: string,
): void {
  const { rng, org, metrics, today } = ctx;
  const year = cycle.start.slice(0, 4);
  const quarters = [1, 2, 3, 4].map((q) => {
    const m = (q - 1) * 3 + 1;
    const start = `${year}-${String(m).padStart(2, "0")}-01`;
    const due = addDaysIso(
      q === 4 ? `${Number(year) + 1}-01-01` : `${year}-${String(m + 3).padStart(2, "0")}-01`,
      -1,
    );
    return { start, due, label: `Q${q} ${year}`, wholeCycle: false };
  });
  const current = quarters.findIndex((q) => q.start <= today && today <= q.due);
  const quarterOrder = [current, current - 1, current + 1, current - 2, current + 2, current - 3, current + 3]
    .filter((q) => q >= 0 && q < 4)
    .map((q) => quarters[q] as (typeof quarters)[number]);
  const unitById = new Map(org.units.map((u) => [u.id, u]));

  for (const [teamId, members] of org.membersByTeam) {
    const team = unitById.get(teamId) as UnitPlan;
    const teamGoals = (unitGoals.get(teamId) ?? []).filter((g) => g.row.level === "team");
    const deptRollup = rollupOf.get(team.parentId ?? "");
    for (const p of members) {
      const parentsFor = () => {
        const parents = teamGoals.length > 0 ? [rng.pick(teamGoals)] : deptRollup ? [deptRollup] : [];
        if (deptRollup && teamGoals.length > 0 && rng.chance(0.05)) parents.push(deptRollup);
        return parents;
      };
      const count = Math.max(
        1,
        Math.floor(ctx.goalsPerPerson) + (rng.chance(ctx.goalsPerPerson % 1) ? 1 : 0),
      );
      const s = metrics.personSeries.get(p.id);
      let q = 0;
      for (let i = 0; i < count; i++) {
        let g: PlannedGoal;
        if (s && i === 0) g = metricGoal(s, "individual", p.id, team, p.name, parentsFor());
        else if (s && i >= 2 && q < quarterOrder.length) {
          g = metricGoal(s, "individual", p.id, team, p.name, parentsFor(), quarterOrder[q++]);
        } else g = developmentGoal(ctx, add, p, team, parentsFor(), year, cycle);
        g.row.reviewCadence = rng.chance(0.5) ? "weekly" : "biweekly";
        if (rng.chance(0.1)) g.row.visibility = "private";
        // A few are still being written or agreed with the manager.
        if (rng.chance(0.04)) {
          g.row.state = rng.chance(0.5) ? "draft" : "proposed";
          g.row.createdAt = g.row.updatedAt = maxIso(
            createdAt,
            `${addDaysIso(today, -rng.int(1, 20))}T10:00:00.000Z`,
          );
        }
      }
    }
  }
}

function developmentGoal(
  ctx: GoalsCtx,
  add: Add,
  p: PersonPlan,
  team: UnitPlan,
  parents: PlannedGoal[],
  year: string,
  cycle: CyclePlan,
): PlannedGoal {
  const { rng, today } = ctx;
  const span = dayNumber(cycle.end) - dayNumber(cycle.start);
  const elapsed = Math.max(0, Math.min(1, (dayNumber(today) - dayNumber(cycle.start)) / span));
  if (rng.chance(0.6)) {
    // Milestones: half done already; the rest mostly scheduled for later in the year.
    const done = rng.chance(0.5);
    const later = !done && rng.chance(0.8);
    const startDay = later
      ? Math.min(dayNumber(cycle.end) - 30, dayNumber(today) + rng.int(5, 60))
      : dayNumber(cycle.start);
    const start = later ? addDaysIso(cycle.start, startDay - dayNumber(cycle.start)) : cycle.start;
    const g = add(
      {
        title: rng.pick(MILESTONES),
        specificOutcome: `${p.name} finishes this by ${cycle.end} and shares the result with ${team.name}.`,
        kind: "milestone",
        level: "individual",
        ownerId: p.id,
        startDate: start < cycle.end ? start : cycle.start,
      },
      { unit: team, parents, attainment: done ? 1 : 0 },
    );
    g.milestoneDone = done;
    return g;
  }
  const levels = 5;
  const level = Math.max(
    1,
    Math.min(levels, 1 + Math.round(elapsed * drawPace(rng, elapsed) * (levels - 1))),
  );
  const g = add(
    {
      title: `${rng.pick(RUBRICS)} (${year})`,
      specificOutcome: `${p.name} moves up the ${levels}-level rubric agreed with their manager, assessed at each check-in.`,
      kind: "rubric",
      level: "individual",
      ownerId: p.id,
      rubricLevels: levels,
    },
    { unit: team, parents, attainment: (level - 1) / (levels - 1) },
  );
  g.rubricLevel = level;
  return g;
}

/** Final states for a closed cycle, children first (they were planned after their parents). */
function settleClosedCycle(planned: PlannedGoal[]): void {
  const children = new Map<string, { g: PlannedGoal; weight: number }[]>();
  for (const g of planned) {
    for (const p of g.parents) children.set(p.id, [...(children.get(p.id) ?? []), { g, weight: p.weight }]);
  }
  for (let i = planned.length - 1; i >= 0; i--) {
    const g = planned[i] as PlannedGoal;
    const kids = children.get(g.row.id) ?? [];
    if (g.row.kind === "rollup" && kids.length > 0) {
      const w = kids.reduce((s, k) => s + k.weight, 0);
      g.attainment = kids.reduce((s, k) => s + k.weight * Math.min(k.g.attainment ?? 0, 1), 0) / w;
    }
    const threshold = g.series?.kpi.aggregation === "sum" ? 0.8 : 0.5;
    g.row.state = finalState(g.attainment, g.row.kind === "rollup" ? 0.5 : threshold);
  }
}

function addDaysIso(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

const maxIso = (a: string, b: string) => (a > b ? a : b);
