/**
 * Formula metrics through the HTTP API: the KPI library checks formulas; an input's value derives the
 * formula metric's value for the same scope and period; a correction supersedes the derived value;
 * the goal on the formula metric follows; explain shows the inputs.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents } from "../../db/schema.ts";
import { createTestApp, type TestApp } from "../../testing/test-app.ts";
import type { Metric } from "../metrics/metrics.schema.ts";
import { insertGoal } from "../progress/progress.fixtures.ts";
import type { Measurement } from "./measurements.schema.ts";

type Problem = { status: number; errors?: { field: string; message: string }[] };
type Page = { items: Measurement[] };
type Explain = {
  inputs: {
    value: number | null;
    measurements: {
      id: string;
      value: number;
      derivedFrom?: {
        formula: string;
        inputs: { metricKey: string; measurementId: string; value: number }[];
      };
    }[];
  };
  result: { attainment: number | null };
};
const june = { periodStart: "2026-06-01", periodEnd: "2026-06-30" };
const may = { periodStart: "2026-05-01", periodEnd: "2026-05-31" };

describe("formula metrics", () => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  const base = { unit: "count", direction: "increase", indicatorType: "lagging", aggregation: "last" };
  const define = (payload: object) =>
    t.call<Metric & Problem>("admin", {
      method: "POST",
      url: "/api/v1/metrics",
      payload: { ...base, ...payload },
    });
  const change = (id: string, payload: object) =>
    t.call<Metric & Problem>("admin", { method: "PATCH", url: `/api/v1/metrics/${id}`, payload });
  const record = (metric: string, payload: object) =>
    t.call<Measurement & Problem>("admin", {
      method: "POST",
      url: `/api/v1/metrics/${ids[metric]}/measurements`,
      payload,
    });
  const series = async (metric: string, query = "") =>
    (
      await t.call<Page>("admin", {
        method: "GET",
        url: `/api/v1/metrics/${ids[metric]}/measurements${query}`,
      })
    ).body.items;
  const explain = async (goal: string) =>
    (await t.call<Explain>("admin", { method: "GET", url: `/api/v1/goals/${ids[goal]}/explain` })).body;
  const formulaError = async (res: { status: number; body: Problem }) => {
    expect(res.status).toBe(400);
    expect(res.body.errors?.map((e) => e.field)).toEqual(["formula"]);
    return res.body.errors?.[0]?.message ?? "";
  };

  beforeAll(async () => {
    t = await createTestApp();
    ids.won = (await define({ key: "won_revenue", name: "Won revenue" })).body.id;
    ids.pipeline = (await define({ key: "pipeline_revenue", name: "Pipeline revenue" })).body.id;
  });
  afterAll(() => t.close());

  it("defines a formula metric, audited with its formula", async () => {
    const res = await define({
      key: "win_rate",
      name: "Win rate",
      unit: "percent",
      calculation: "formula",
      formula: "won_revenue / pipeline_revenue * 100",
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      calculation: "formula",
      formula: "won_revenue / pipeline_revenue * 100",
    });
    ids.winRate = res.body.id;
    const [event] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, t.org.orgId), eq(auditEvents.entityId, res.body.id)));
    expect(event?.action).toBe("metric.created");
    expect(JSON.stringify(event?.data)).toContain("won_revenue / pipeline_revenue * 100");
    // win_rate ≥ 20 % to 40 %: a level goal on the formula metric.
    ids.goal = await insertGoal(t.database.db, t.org, {
      kind: "metric",
      metricId: ids.winRate,
      scopeType: "org",
      baselineValue: 20,
      targetValue: 40,
    });
  });

  it("rejects unknown keys, a formula reading itself, and syntax errors, naming formula and the position", async () => {
    expect(
      await formulaError(
        await define({ key: "x1", name: "x", calculation: "formula", formula: "won_revenue / lost" }),
      ),
    ).toBe("no metric with key lost in the KPI library; a formula reads metrics by their keys");
    expect(
      await formulaError(await define({ key: "x2", name: "x", calculation: "formula", formula: "x2 * 2" })),
    ).toBe("a formula cannot read its own metric (x2)");
    expect(
      await formulaError(
        await define({ key: "x3", name: "x", calculation: "formula", formula: "won_revenue +" }),
      ),
    ).toBe("syntax error: Unexpected end of expression (at character 13)");
    expect(
      await formulaError(
        await define({ key: "x4", name: "x", calculation: "formula", formula: "won_revenue + foo(1)" }),
      ),
    ).toBe("unknown function foo; a formula may call min, max, abs, round, sqrt (at character 15)");
  });

  it("rejects hostile formulas", async () => {
    for (const formula of [
      'import("fs")',
      'evaluate("1")',
      "won_revenue.constructor",
      'won_revenue.constructor.constructor("return process")()',
      "f(x) = x",
      "won_revenue = 1",
      "__proto__ + won_revenue",
      "constructor",
      "[won_revenue]",
      '"abc"',
    ]) {
      const res = await define({ key: "hostile", name: "x", calculation: "formula", formula });
      expect(res.status, formula).toBe(400);
      expect(res.body.errors?.[0]?.field, formula).toBe("formula");
    }
    expect((await series("won")).length).toBe(0);
  });

  it("rejects a cycle through another formula metric, and renaming a key a formula reads", async () => {
    const doubled = await define({
      key: "win_rate_x2",
      name: "x",
      calculation: "formula",
      formula: "win_rate * 2",
    });
    expect(doubled.status).toBe(201);
    ids.doubled = doubled.body.id;
    expect(await formulaError(await change(ids.winRate as string, { formula: "win_rate_x2 / 2" }))).toBe(
      "win_rate_x2 already reads win_rate through its formula, so this formula would read itself; remove win_rate_x2 from it",
    );
    const renamed = await change(ids.won as string, { key: "won" });
    expect(renamed.status).toBe(400);
    expect(renamed.body.errors?.[0]).toMatchObject({ field: "key" });
    expect(renamed.body.errors?.[0]?.message).toContain("win_rate read this metric as won_revenue");
    // A manual metric cannot carry a formula; a formula metric needs one.
    expect(await formulaError(await change(ids.won as string, { formula: "pipeline_revenue" }))).toContain(
      "only formula metrics take a formula",
    );
  });

  it("derives the value once all inputs are there; the goal follows; explain shows the inputs", async () => {
    const won = await record("won", { value: 120, ...june });
    expect(won.status).toBe(201);
    expect(await series("winRate")).toEqual([]); // pipeline still missing
    const pipeline = await record("pipeline", { value: 400, ...june });
    expect(pipeline.status).toBe(201);
    const [derived] = await series("winRate");
    expect(derived).toMatchObject({ ...june, value: 30, source: "formula", scopeType: "org" });
    expect(JSON.parse(derived?.note ?? "")).toEqual({
      formula: "won_revenue / pipeline_revenue * 100",
      inputs: [
        { metricKey: "won_revenue", measurementId: won.body.id, value: 120 },
        { metricKey: "pipeline_revenue", measurementId: pipeline.body.id, value: 400 },
      ],
    });
    // And the formula over the formula: win_rate_x2 = 60.
    expect((await series("doubled")).map((m) => m.value)).toEqual([60]);
    // a = (30 − 20) / (40 − 20) = 0.5
    const trace = await explain("goal");
    expect(trace.inputs.value).toBe(30);
    expect(trace.result.attainment).toBeCloseTo(0.5, 12);
    expect(trace.inputs.measurements[0]?.derivedFrom?.inputs.map((i) => [i.metricKey, i.value])).toEqual([
      ["won_revenue", 120],
      ["pipeline_revenue", 400],
    ]);
    ids.pipelineJune = pipeline.body.id;
    ids.derivedJune = derived?.id as string;
  });

  it("a corrected input supersedes the derived value (history kept) and moves the goal", async () => {
    const fix = await record("pipeline", { value: 600, ...june, supersedes: ids.pipelineJune });
    expect(fix.status).toBe(201);
    const all = await series("winRate", "?includeSuperseded=true");
    expect(all.map((m) => [m.value, m.supersedesId, m.supersededById !== null])).toEqual([
      [30, null, true],
      [20, ids.derivedJune, false],
    ]);
    expect((await series("doubled")).map((m) => m.value)).toEqual([40]);
    // a = (20 − 20) / 20 = 0
    const trace = await explain("goal");
    expect(trace.inputs.value).toBe(20);
    expect(trace.result.attainment).toBe(0);
    const events = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, t.org.orgId), eq(auditEvents.action, "measurement.derived")));
    const rows = events.flatMap((e) => (e.data as { rows: { id: string }[] }).rows);
    expect(rows.find((r) => r.id === all[1]?.id)).toMatchObject({
      value: 20,
      from: 30,
      supersedes: ids.derivedJune,
      inputs: [
        { metricKey: "won_revenue", value: 120 },
        { metricKey: "pipeline_revenue", measurementId: fix.body.id, value: 600 },
      ],
    });
  });

  it("a bulk write derives every period it completes, formula over formula included", async () => {
    const res = await t.call<{ ids: string[] }>("admin", {
      method: "POST",
      url: "/api/v1/measurements",
      payload: [
        { metricKey: "won_revenue", value: 50, ...may },
        { metricKey: "pipeline_revenue", value: 200, ...may },
      ],
    });
    expect(res.status).toBe(201);
    const byPeriod = (items: Measurement[]) => items.map((m) => [m.periodStart, m.value]).sort();
    expect(byPeriod(await series("winRate"))).toEqual([
      ["2026-05-01", 25],
      ["2026-06-01", 20],
    ]);
    expect(byPeriod(await series("doubled"))).toEqual([
      ["2026-05-01", 50],
      ["2026-06-01", 40],
    ]);
  });

  it("division by zero derives nothing and is audited with the reason", async () => {
    const day = { periodStart: "2026-06-15", periodEnd: "2026-06-15" };
    await record("won", { value: 10, ...day });
    await record("pipeline", { value: 0, ...day });
    expect(
      (await series("winRate", "?from=2026-06-15&to=2026-06-15")).map((m) => m.periodStart),
    ).not.toContain("2026-06-15");
    const events = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, t.org.orgId), eq(auditEvents.action, "measurement.not_derived")));
    const periods = events.flatMap((e) => (e.data as { periods: { reason: string }[] }).periods);
    expect(periods.map((p) => p.reason)).toEqual(["division by zero: pipeline_revenue is 0"]);
  });

  it("a check-in value on an input derives the formula metric for that day", async () => {
    const day = { periodStart: "2026-06-20", periodEnd: "2026-06-20" };
    await record("pipeline", { value: 50, ...day });
    ids.wonGoal = await insertGoal(t.database.db, t.org, {
      kind: "metric",
      metricId: ids.won,
      scopeType: "org",
      baselineValue: 0,
      targetValue: 100,
    });
    const res = await t.call("employee", {
      method: "POST",
      url: `/api/v1/goals/${ids.wonGoal}/check-ins`,
      payload: { date: "2026-06-20", confidence: 7, narrative: "two deals", value: 20 },
    });
    expect(res.status).toBe(201);
    const derived = (await series("winRate")).find((m) => m.periodStart === "2026-06-20");
    expect(derived).toMatchObject({ ...day, value: 40, source: "formula" });
  });
});
