import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, people } from "../../db/schema.ts";
import { createTestApp, type TestApp, type TestPerson } from "../../testing/test-app.ts";
import { insertGoal } from "../progress/progress.fixtures.ts";
import type { Metric } from "./metrics.schema.ts";

type Problem = { status: number; detail: string; errors?: { field: string; message: string }[] };
type Page = { items: Metric[]; nextCursor: string | null };
const MISSING = "0190f000-0000-7000-8000-000000000000";

describe("metrics (KPI library)", () => {
  let t: TestApp;
  const post = <T = Metric>(who: TestPerson | null, payload: object) =>
    t.call<T>(who, { method: "POST", url: "/api/v1/metrics", payload });
  const patch = <T = Metric>(who: TestPerson | null, id: string, payload: object) =>
    t.call<T>(who, { method: "PATCH", url: `/api/v1/metrics/${id}`, payload });
  const list = (who: TestPerson, query: string) =>
    t.call<Page>(who, { method: "GET", url: `/api/v1/metrics${query}` });
  const revenue = {
    key: "net_new_arr",
    name: "Net new ARR",
    unit: "currency",
    currencyCode: "EUR",
    direction: "increase",
    indicatorType: "lagging",
    aggregation: "sum",
  };
  const engagement = {
    key: "engagement",
    name: "Engagement score",
    unit: "percent",
    direction: "increase",
    indicatorType: "leading",
    aggregation: "last",
    period: "quarter",
    dataSource: "Culture Amp pulse survey",
    finalityLagDays: 10,
    validationRules: { range: { min: 0, max: 100, action: "quarantine" } },
  };
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it("401 signed out; 403 for people who do not define metrics", async () => {
    expect((await t.call(null, { method: "GET", url: "/api/v1/metrics" })).status).toBe(401);
    expect((await post(null, revenue)).status).toBe(401);
    for (const who of ["employee", "manager", "exec", "steward", "auditor"] as const) {
      const res = await post<Problem>(who, revenue);
      expect(res.status, who).toBe(403);
      expect(res.body.detail).toContain("performance office");
    }
  });

  it("400 names each field at fault and what would be valid", async () => {
    const fields = async (payload: object) =>
      (await post<Problem>("hr", payload)).body.errors?.map((e) => e.field).sort();
    expect(await fields({ ...revenue, key: "Net New ARR" })).toEqual(["key"]);
    expect(await fields({ ...revenue, unit: "apples" })).toEqual(["unit"]);
    expect(await fields({ ...revenue, currencyCode: null })).toEqual(["currencyCode"]);
    expect(await fields({ ...revenue, currencyCode: "eur" })).toEqual(["currencyCode"]);
    expect(await fields({ ...engagement, currencyCode: "EUR" })).toEqual(["currencyCode"]);
    expect(await fields({ ...engagement, calculation: "formula" })).toEqual(["formula"]);
    expect(await fields({ ...engagement, formula: "a / b" })).toEqual(["formula"]);
    expect(await fields({ ...engagement, finalityLagDays: 366 })).toEqual(["finalityLagDays"]);
    expect(await fields({ ...engagement, stewardId: MISSING })).toEqual(["stewardId"]);
    expect(await fields({ ...engagement, surprise: 1 })).toEqual([""]);
    const res = await post<Problem>("hr", { ...revenue, currencyCode: null });
    expect(res.body.errors?.[0]?.message).toContain("ISO 4217");
  });

  it("400 for validation rules that do not fit, naming the rule and field", async () => {
    const fields = async (validationRules: object) =>
      (await post<Problem>("hr", { ...engagement, key: "rules_check", validationRules })).body.errors?.map(
        (e) => `${e.field}: ${e.message}`,
      );
    expect(await fields({ range: { min: 10, max: 5, action: "flag" } })).toEqual([
      "validationRules.range.min: min must not exceed max",
    ]);
    expect(await fields({ stepChange: { action: "flag" } })).toEqual([
      expect.stringMatching(/^validationRules.stepChange.maxAbsolute: give maxAbsolute/),
    ]);
    expect((await fields({ outlier: { action: "sometimes" } }))?.[0]).toMatch(
      /^validationRules.outlier.action/,
    );
    expect((await fields({ maxJump: 15 }))?.[0]).toMatch(/^validationRules/);
  });

  it("rejects an inactive steward", async () => {
    const [inactive] = await t.database.db
      .insert(people)
      .values({ orgId: t.org.orgId, id: MISSING, email: "gone@test.example", name: "Gone", active: false })
      .returning();
    const res = await post<Problem>("hr", { ...engagement, stewardId: inactive?.id });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: "stewardId", message: expect.stringContaining("inactive") }]);
  });

  it("defines metrics with defaults and the derived kind; audits metric.created", async () => {
    const made = await post("hr", revenue);
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      key: "net_new_arr",
      unit: "currency",
      currencyCode: "EUR",
      aggregation: "sum",
      kind: "flow",
      period: "month",
      calculation: "manual",
      formula: null,
      stewardId: null,
      finalityLagDays: 0,
      validationRules: {},
      createdAt: "2026-07-01T09:00:00.000Z",
    });
    ids.revenue = made.body.id;
    const eng = await post("admin", { ...engagement, stewardId: t.org.people.steward });
    expect(eng.body).toMatchObject({
      kind: "level",
      period: "quarter",
      validationRules: { range: { min: 0, max: 100, action: "quarantine" } },
    });
    ids.engagement = eng.body.id;
    const formula = await post("admin", {
      ...engagement,
      key: "win_ratio",
      name: "Win ratio",
      calculation: "formula",
      formula: "net_new_arr * 2",
    });
    expect(formula.body).toMatchObject({ calculation: "formula", formula: "net_new_arr * 2" });
    ids.formula = formula.body.id;
    const events = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, t.org.orgId), eq(auditEvents.entityId, ids.revenue)));
    expect(events.map((e) => e.action)).toEqual(["metric.created"]);
    expect(events[0]?.actorId).toBe(t.org.people.hr);
  });

  it("409 names the key when another metric has it", async () => {
    const res = await post<Problem>("hr", { ...revenue, name: "Again" });
    expect(res.status).toBe(409);
    expect(res.body.errors).toEqual([{ field: "key", message: expect.stringContaining("key") }]);
    const rename = await patch<Problem>("hr", ids.engagement ?? "", { key: "net_new_arr" });
    expect(rename.status).toBe(409);
    expect(rename.body.errors?.[0]?.field).toBe("key");
  });

  it("reads one metric and lists with filters and a cursor, to everyone signed in", async () => {
    const one = await t.call<Metric>("employee", { method: "GET", url: `/api/v1/metrics/${ids.revenue}` });
    expect(one.body.name).toBe("Net new ARR");
    expect((await t.call("employee", { method: "GET", url: `/api/v1/metrics/${MISSING}` })).status).toBe(404);
    expect((await list("auditor", "")).body.items.map((m) => m.key)).toEqual([
      "net_new_arr",
      "engagement",
      "win_ratio",
    ]);
    expect((await list("employee", "?unit=currency")).body.items.map((m) => m.key)).toEqual(["net_new_arr"]);
    expect((await list("employee", "?q=ENGAGE")).body.items.map((m) => m.key)).toEqual(["engagement"]);
    expect((await list("employee", "?indicatorType=leading&direction=increase")).body.items).toHaveLength(2);
    expect(
      (await list("employee", `?stewardId=${t.org.people.steward}`)).body.items.map((m) => m.key),
    ).toEqual(["engagement"]);
    const first = await list("employee", "?limit=2");
    expect(first.body.items).toHaveLength(2);
    const second = await list("employee", `?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((m) => m.key)).toEqual(["win_ratio"]);
    expect(second.body.nextCursor).toBeNull();
    expect((await list("employee", "?direction=sideways")).status).toBe(400);
  });

  it("updates: the steward edits their metric but does not hand it on; others 403; 404 for none", async () => {
    expect((await patch(null, ids.engagement ?? "", { name: "x" })).status).toBe(401);
    expect((await patch("steward", MISSING, { name: "x" })).status).toBe(404);
    expect((await patch("steward", ids.revenue ?? "", { name: "x" })).status).toBe(403);
    expect((await patch("employee", ids.engagement ?? "", { name: "x" })).status).toBe(403);
    const handOn = await patch<Problem>("steward", ids.engagement ?? "", {
      stewardId: t.org.people.employee,
    });
    expect(handOn.status).toBe(403);
    const edit = await patch("steward", ids.engagement ?? "", {
      dataSource: "Culture Amp, quarterly census",
      validationRules: {
        range: { min: 0, max: 100, action: "quarantine" },
        stepChange: { maxAbsolute: 15, action: "flag" },
      },
    });
    expect(edit.status).toBe(200);
    expect(edit.body).toMatchObject({
      dataSource: "Culture Amp, quarterly census",
      validationRules: {
        range: { min: 0, max: 100, action: "quarantine" },
        stepChange: { maxAbsolute: 15, action: "flag" },
      },
      name: "Engagement score",
    });
    const [event] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, t.org.orgId), eq(auditEvents.action, "metric.updated")));
    expect(event?.data).toEqual({
      changes: {
        dataSource: { from: "Culture Amp pulse survey", to: "Culture Amp, quarterly census" },
        validationRules: {
          from: { range: { min: 0, max: 100, action: "quarantine" } },
          to: {
            range: { min: 0, max: 100, action: "quarantine" },
            stepChange: { maxAbsolute: 15, action: "flag" },
          },
        },
      },
    });
  });

  it("checks the merged definition: leaving currency needs the code cleared", async () => {
    const res = await patch<Problem>("hr", ids.revenue ?? "", { unit: "count" });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.field).toBe("currencyCode");
    const ok = await patch("hr", ids.revenue ?? "", { unit: "count", currencyCode: null });
    expect(ok.body).toMatchObject({ unit: "count", currencyCode: null });
  });

  it("409 for a new aggregation or direction once goals use the metric; other fields still change", async () => {
    const free = await patch("hr", ids.formula ?? "", { aggregation: "average" });
    expect(free.body).toMatchObject({ aggregation: "average", kind: "level" });
    await insertGoal(t.database.db, t.org, {
      kind: "metric",
      metricId: ids.revenue,
      baselineValue: 0,
      targetValue: 10,
    });
    const agg = await patch<Problem>("hr", ids.revenue ?? "", { aggregation: "last" });
    expect(agg.status).toBe(409);
    expect(agg.body.errors?.[0]).toEqual({
      field: "aggregation",
      message: expect.stringContaining("1 goal(s) use this metric"),
    });
    const dir = await patch<Problem>("hr", ids.revenue ?? "", { direction: "decrease" });
    expect(dir.status).toBe(409);
    expect(dir.body.errors?.[0]?.field).toBe("direction");
    const same = await patch("hr", ids.revenue ?? "", { aggregation: "sum", name: "Net new ARR (EUR)" });
    expect(same.status).toBe(200);
    expect(same.body).toMatchObject({ aggregation: "sum", name: "Net new ARR (EUR)" });
  });
});
