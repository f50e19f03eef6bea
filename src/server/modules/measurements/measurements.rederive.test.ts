/**
 * Changing a formula through PATCH /metrics/{id} re-derives the metric's values: each new value
 * supersedes the old one (history kept), formula metrics that read it follow, the goals on it move,
 * and the metric.updated audit event counts what happened. Worked numbers throughout.
 */
import { and, eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, goalProgress, measurements } from "../../db/schema.ts";
import { createTestApp, type TestApp } from "../../testing/test-app.ts";
import { testBackend } from "../../testing/test-db.ts";
import type { Metric, Rederivation } from "../metrics/metrics.schema.ts";
import { insertGoal } from "../progress/progress.fixtures.ts";
import type { Measurement } from "./measurements.schema.ts";

type Problem = { status: number; errors?: { field: string; message: string }[] };
type Updated = Metric & { rederivation: Rederivation | null } & Problem;
type Explain = {
  inputs: {
    value: number | null;
    measurements: { derivedFrom?: { formula: string; inputs: { metricKey: string; value: number }[] } }[];
  };
};

const APR = { periodStart: "2026-04-01", periodEnd: "2026-04-30" };
const MAY = { periodStart: "2026-05-01", periodEnd: "2026-05-31" };
const JUN = { periodStart: "2026-06-01", periodEnd: "2026-06-30" };
const OLD = "won_revenue / pipeline_revenue * 100";
const NEW = "won_revenue / (won_revenue + pipeline_revenue) * 100";

describe("changing a formula re-derives the metric's values", () => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  const base = { unit: "count", direction: "increase", indicatorType: "lagging", aggregation: "last" };
  const define = async (payload: object) =>
    (
      await t.call<Metric>("admin", {
        method: "POST",
        url: "/api/v1/metrics",
        payload: { ...base, ...payload },
      })
    ).body.id;
  const change = (metric: string, payload: object) =>
    t.call<Updated>("admin", { method: "PATCH", url: `/api/v1/metrics/${ids[metric]}`, payload });
  const rowsOf = async (metric: string, scope: { scopeType: string; scopeId: string }) => {
    const q = `?scopeType=${scope.scopeType}&scopeId=${scope.scopeId}&includeSuperseded=true&limit=100`;
    const res = await t.call<{ items: Measurement[] }>("admin", {
      method: "GET",
      url: `/api/v1/metrics/${ids[metric]}/measurements${q}`,
    });
    return res.body.items;
  };
  /** Every row of one series by period, superseded before current: [period start, value, current?] */
  const history = async (metric: string, scope: { scopeType: string; scopeId: string }) =>
    (await rowsOf(metric, scope))
      .map((m) => [m.periodStart, m.value, m.supersededById === null] as const)
      .sort((a, b) => a[0].localeCompare(b[0]) || Number(a[2]) - Number(b[2]));
  const current = async (metric: string, scope: { scopeType: string; scopeId: string }) =>
    (await history(metric, scope)).filter((r) => r[2]).map(([p, v]) => [p, v]);
  const attainment = async (goal: string) => {
    const [row] = await t.database.db
      .select()
      .from(goalProgress)
      .where(and(eq(goalProgress.orgId, t.org.orgId), eq(goalProgress.goalId, ids[goal] as string)));
    return row?.attainment;
  };
  const lastUpdate = async (metric: string) => {
    const events = await t.database.db
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.orgId, t.org.orgId),
          eq(auditEvents.entityId, ids[metric] as string),
          eq(auditEvents.action, "metric.updated"),
        ),
      );
    return events.sort((a, b) => a.seq - b.seq).at(-1)?.data as {
      changes: Record<string, { from: unknown; to: unknown }>;
      rederivation?: Rederivation;
    };
  };
  const rowCount = async () => (await t.database.db.select().from(measurements)).length;
  let org: { scopeType: string; scopeId: string };
  let sales: { scopeType: string; scopeId: string };

  beforeAll(async () => {
    t = await createTestApp();
    org = { scopeType: "org", scopeId: t.org.orgId };
    sales = { scopeType: "unit", scopeId: t.org.units.sales };
    ids.won = await define({ key: "won_revenue", name: "Won revenue" });
    ids.pipeline = await define({ key: "pipeline_revenue", name: "Pipeline revenue" });
    ids.winRate = await define({
      key: "win_rate",
      name: "Win rate",
      unit: "percent",
      calculation: "formula",
      formula: OLD,
    });
    ids.doubled = await define({
      key: "win_rate_x2",
      name: "x2",
      calculation: "formula",
      formula: "win_rate * 2",
    });
    // Level goals on the formula metric, one per scope; they read June's value (today is 1 July).
    ids.orgGoal = await insertGoal(t.database.db, t.org, {
      kind: "metric",
      metricId: ids.winRate,
      scopeType: "org",
      baselineValue: 10,
      targetValue: 60,
    });
    ids.salesGoal = await insertGoal(t.database.db, t.org, {
      kind: "metric",
      metricId: ids.winRate,
      scopeType: "unit",
      scopeId: t.org.units.sales,
      baselineValue: 20,
      targetValue: 45,
    });
    const rows = (scope: { scopeType: string; scopeId: string }, values: [typeof APR, number, number][]) =>
      values.flatMap(([period, won, pipeline]) => [
        { metricKey: "won_revenue", value: won, ...period, ...scope },
        { metricKey: "pipeline_revenue", value: pipeline, ...period, ...scope },
      ]);
    const res = await t.call("admin", {
      method: "POST",
      url: "/api/v1/measurements",
      payload: [
        ...rows(org, [
          [APR, 100, 400],
          [MAY, 150, 600],
          [JUN, 300, 500],
        ]),
        ...rows(sales, [
          [APR, 50, 200],
          [MAY, 100, 100],
          [JUN, 60, 100],
        ]),
      ],
    });
    expect(res.status).toBe(201);
  });
  afterAll(() => t.close());
  afterEach(() => {
    delete process.env.YARDSTICK_REDERIVE_BATCH_PERIODS;
  });

  it("starts from the old formula's values: won / pipeline × 100", async () => {
    expect(await current("winRate", org)).toEqual([
      ["2026-04-01", 25],
      ["2026-05-01", 25],
      ["2026-06-01", 60],
    ]);
    expect(await current("winRate", sales)).toEqual([
      ["2026-04-01", 25],
      ["2026-05-01", 100],
      ["2026-06-01", 60],
    ]);
    // org: a = (60 − 10) / (60 − 10) = 1; sales: a = (60 − 20) / (45 − 20) = 1.6
    expect(await attainment("orgGoal")).toBeCloseTo(1, 12);
    expect(await attainment("salesGoal")).toBeCloseTo(1.6, 12);
  });

  it("changing only the name re-derives nothing", async () => {
    const before = await rowCount();
    const res = await change("winRate", { name: "Win rate (value)" });
    expect(res.status).toBe(200);
    expect(res.body.rederivation).toBeNull();
    expect(await rowCount()).toBe(before);
    const event = await lastUpdate("winRate");
    expect(event.changes).toEqual({ name: { from: "Win rate", to: "Win rate (value)" } });
    expect(event.rederivation).toBeUndefined();
  });

  it("a cycle or an unknown key in the new formula is rejected at formula, and nothing changes", async () => {
    const before = await rowCount();
    for (const [formula, message] of [
      ["win_rate_x2 / 2", "win_rate_x2 already reads win_rate through its formula"],
      ["won_revenue / lost_revenue", "no metric with key lost_revenue in the KPI library"],
    ] as const) {
      const res = await change("winRate", { formula });
      expect(res.status).toBe(400);
      expect(res.body.errors?.map((e) => e.field)).toEqual(["formula"]);
      expect(res.body.errors?.[0]?.message).toContain(message);
    }
    expect(await rowCount()).toBe(before);
    const metric = await t.call<Metric>("admin", { method: "GET", url: `/api/v1/metrics/${ids.winRate}` });
    expect(metric.body.formula).toBe(OLD);
  });

  it("a new formula supersedes every derived value, in batches; the goals and the formula over it follow", async () => {
    process.env.YARDSTICK_REDERIVE_BATCH_PERIODS = "4"; // 6 periods: a batch of 4, then one of 2
    const res = await change("winRate", { formula: NEW });
    expect(res.status).toBe(200);
    expect(res.body.formula).toBe(NEW);
    expect(res.body.rederivation).toEqual({ rederived: 6, unchanged: 0, kept: 0, keptSample: [] });
    // won / (won + pipeline) × 100: 100 / 500 = 20, 150 / 750 = 20, 300 / 800 = 37.5
    expect(await history("winRate", org)).toEqual([
      ["2026-04-01", 25, false],
      ["2026-04-01", 20, true],
      ["2026-05-01", 25, false],
      ["2026-05-01", 20, true],
      ["2026-06-01", 60, false],
      ["2026-06-01", 37.5, true],
    ]);
    // 50 / 250 = 20, 100 / 200 = 50, 60 / 160 = 37.5
    expect(await current("winRate", sales)).toEqual([
      ["2026-04-01", 20],
      ["2026-05-01", 50],
      ["2026-06-01", 37.5],
    ]);
    expect((await history("winRate", sales)).filter((r) => !r[2]).map(([p, v]) => [p, v])).toEqual([
      ["2026-04-01", 25],
      ["2026-05-01", 100],
      ["2026-06-01", 60],
    ]);
    // win_rate × 2 follows: 40, 40, 75
    expect(await current("doubled", org)).toEqual([
      ["2026-04-01", 40],
      ["2026-05-01", 40],
      ["2026-06-01", 75],
    ]);
    // org: a = (37.5 − 10) / (60 − 10) = 0.55; sales: a = (37.5 − 20) / (45 − 20) = 0.7
    expect(await attainment("orgGoal")).toBeCloseTo(0.55, 12);
    expect(await attainment("salesGoal")).toBeCloseTo(0.7, 12);
    const event = await lastUpdate("winRate");
    expect(event.changes).toEqual({ formula: { from: OLD, to: NEW } });
    expect(event.rederivation).toEqual({ rederived: 6, unchanged: 0, kept: 0, keptSample: [] });
    // The explain trace shows the new formula and the inputs it read.
    const explain = await t.call<Explain>("admin", {
      method: "GET",
      url: `/api/v1/goals/${ids.orgGoal}/explain`,
    });
    expect(explain.body.inputs.value).toBe(37.5);
    const trace = explain.body.inputs.measurements[0]?.derivedFrom;
    expect(trace?.formula).toBe(NEW);
    expect(trace?.inputs.map((i) => [i.metricKey, i.value])).toEqual([
      ["won_revenue", 300],
      ["pipeline_revenue", 500],
    ]);
  });

  it("values the new formula gives again from the same inputs are left alone and counted unchanged", async () => {
    const before = await rowCount();
    // Capped at 40: only sales May (50) changes; the other five are already ≤ 40.
    const res = await change("winRate", { formula: `min(${NEW}, 40)` });
    expect(res.body.rederivation).toEqual({ rederived: 1, unchanged: 5, kept: 0, keptSample: [] });
    expect(await current("winRate", sales)).toEqual([
      ["2026-04-01", 20],
      ["2026-05-01", 40],
      ["2026-06-01", 37.5],
    ]);
    // one win_rate row and the one win_rate_x2 row that follows it (80)
    expect(await rowCount()).toBe(before + 2);
    expect((await current("doubled", sales)).find(([p]) => p === "2026-05-01")).toEqual(["2026-05-01", 80]);
    expect(await attainment("salesGoal")).toBeCloseTo(0.7, 12); // June did not move
  });

  it("a plain metric that becomes a formula metric: hand values superseded where the inputs are, kept elsewhere", async () => {
    ids.manual = await define({ key: "win_share", name: "Win share", unit: "percent" });
    const record = (value: number, period: typeof APR) =>
      t.call("admin", {
        method: "POST",
        url: `/api/v1/metrics/${ids.manual}/measurements`,
        payload: { value, ...period },
      });
    expect((await record(21, JUN)).status).toBe(201);
    expect((await record(19, { periodStart: "2026-03-01", periodEnd: "2026-03-31" })).status).toBe(201);
    const res = await change("manual", { calculation: "formula", formula: NEW });
    expect(res.status).toBe(200);
    // Org: April, May and June derived (20, 20, 37.5; June's 21 superseded); sales: three more.
    // March has a hand value but no inputs: it stays, named in the sample.
    expect(res.body.rederivation).toEqual({
      rederived: 6,
      unchanged: 0,
      kept: 1,
      keptSample: [
        {
          ...org,
          periodStart: "2026-03-01",
          periodEnd: "2026-03-31",
          value: 19,
          reason: "no value for won_revenue, pipeline_revenue",
        },
      ],
    });
    expect(await history("manual", org)).toEqual([
      ["2026-03-01", 19, true],
      ["2026-04-01", 20, true],
      ["2026-05-01", 20, true],
      ["2026-06-01", 21, false],
      ["2026-06-01", 37.5, true],
    ]);
  });

  it("removing the formula keeps the derived values as history and derives nothing more", async () => {
    const before = await rowCount();
    const res = await change("manual", { calculation: "manual", formula: null });
    expect(res.status).toBe(200);
    // The six derived values stay current (March's hand value is not a derived one).
    expect(res.body.rederivation).toEqual({ rederived: 0, unchanged: 0, kept: 6, keptSample: [] });
    expect(await rowCount()).toBe(before);
    expect((await lastUpdate("manual")).rederivation?.kept).toBe(6);
    // A corrected input no longer derives win_share; a hand value supersedes the derived one.
    const wonJune = (await rowsOf("won", org)).find((m) => m.periodStart === JUN.periodStart);
    const fix = await t.call("admin", {
      method: "POST",
      url: `/api/v1/metrics/${ids.won}/measurements`,
      payload: { value: 400, ...JUN, supersedes: wonJune?.id },
    });
    expect(fix.status).toBe(201);
    const derivedJune = (await rowsOf("manual", org)).find((m) => m.value === 37.5);
    const hand = await t.call("admin", {
      method: "POST",
      url: `/api/v1/metrics/${ids.manual}/measurements`,
      payload: { value: 36, ...JUN, supersedes: derivedJune?.id },
    });
    expect(hand.status).toBe(201);
    expect(await current("manual", org)).toEqual([
      ["2026-03-01", 19],
      ["2026-04-01", 20],
      ["2026-05-01", 20],
      ["2026-06-01", 36],
    ]);
  });

  it("a new formula metric starts with its values derived from the inputs already recorded", async () => {
    ids.open = await define({
      key: "open_pipeline",
      name: "Open pipeline",
      calculation: "formula",
      formula: "pipeline_revenue - won_revenue",
    });
    // org: 400 − 100, 600 − 150, 500 − 400 (June's won corrected to 400 above); sales: 200 − 50, …
    expect(await current("open", org)).toEqual([
      ["2026-04-01", 300],
      ["2026-05-01", 450],
      ["2026-06-01", 100],
    ]);
    expect(await current("open", sales)).toEqual([
      ["2026-04-01", 150],
      ["2026-05-01", 0],
      ["2026-06-01", 40],
    ]);
    const [created] = await t.database.db
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.orgId, t.org.orgId),
          eq(auditEvents.entityId, ids.open as string),
          eq(auditEvents.action, "metric.created"),
        ),
      );
    expect(created?.data).toMatchObject({ derivation: { rederived: 6, unchanged: 0, kept: 0 } });
  });
});

// Two connections are needed to interleave the writes: PostgreSQL only (PGlite runs one at a time).
describe.skipIf(testBackend() !== "postgres")("a formula change while an input is being written", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it("the input's derivation waits for the change and uses the new formula", async () => {
    const define = async (payload: object) =>
      (
        await t.call<Metric>("admin", {
          method: "POST",
          url: "/api/v1/metrics",
          payload: {
            unit: "count",
            direction: "increase",
            indicatorType: "lagging",
            aggregation: "last",
            ...payload,
          },
        })
      ).body.id;
    const a = await define({ key: "a", name: "a" });
    const b = await define({ key: "b", name: "b" });
    const f = await define({ key: "f", name: "f", calculation: "formula", formula: "a + b" });
    const record = (metricId: string, value: number, supersedes?: string) =>
      t.call<Measurement>("admin", {
        method: "POST",
        url: `/api/v1/metrics/${metricId}/measurements`,
        payload: { value, ...JUN, ...(supersedes ? { supersedes } : {}) },
      });
    await record(a, 2);
    const first = await record(b, 3);
    const db = t.database.db;
    // The change, held open: f locked and its formula written (as updateMetric does), not committed.
    let recording: Promise<{ status: number }> = Promise.resolve({ status: 0 });
    await db.transaction(async (tx) => {
      await tx.execute(sql`select id from metrics where id = ${f} for no key update`);
      await tx.execute(sql`update metrics set formula = 'a * b' where id = ${f}`);
      // A corrected input: its derivation reads the old formula, then waits for f's lock.
      recording = record(b, 5, first.body.id);
      for (;;) {
        const res = (await db.execute(
          sql`select count(*)::int as n from pg_stat_activity
              where datname = current_database() and wait_event_type = 'Lock'`,
        )) as unknown as { rows: { n: number }[] };
        if (Number(res.rows[0]?.n) > 0) break;

        await new Promise((r) => setTimeout(r, 20));
      }
    });
    expect((await recording).status).toBe(201);
    // a × b = 2 × 5 = 10 (the old formula would have given 2 + 5 = 7).
    const res = await t.call<{ items: Measurement[] }>("admin", {
      method: "GET",
      url: `/api/v1/metrics/${f}/measurements`,
    });
    expect(res.body.items.map((m) => m.value)).toEqual([10]);
  });
});
