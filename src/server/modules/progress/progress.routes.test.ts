import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../testing/test-app.ts";
import { align, insertGoal, insertMeasurement, insertMetric } from "./progress.fixtures.ts";
import { selectRows } from "./progress.repo.ts";
import { createProgressService } from "./progress.service.ts";

type Explain = {
  goalId: string;
  asOf: string;
  version: number;
  formula: string;
  inputs: {
    baseline: number | null;
    target: number | null;
    value: number | null;
    measurements: { id: string; value: number }[];
    children: { goalId: string; weight: number; attainment: number | null }[];
  };
  result: { attainment: number | null; expected: number; status: string; score: number | null };
};

// Start 2026-01-01, due 2026-12-31: on 2026-07-01 the plan expects 181 of 364 days.
const EXPECTED_TODAY = 181 / 364;

describe("progress: explain, recompute, as-of", () => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  const explain = (goalId: string, asOf?: string) =>
    t.call<Explain>("manager", {
      method: "GET",
      url: `/api/v1/goals/${goalId}/explain${asOf ? `?asOf=${asOf}` : ""}`,
    });

  beforeAll(async () => {
    t = await createTestApp();
    const db = t.database.db;
    const org = t.org;
    const eng = await insertMetric(db, org, { key: "engagement", aggregation: "last" });
    const rev = await insertMetric(db, org, { key: "revenue", aggregation: "sum" });
    ids.eng = eng;
    // Engagement 67 % → 75 %: May first recorded as 69, corrected on 10 June to 71.
    ids.level = await insertGoal(db, org, {
      kind: "metric",
      metricId: eng,
      baselineValue: 67,
      targetValue: 75,
      thresholdValue: 71,
      stretchValue: 79,
    });
    ids.first = await insertMeasurement(db, org, {
      metricId: eng,
      periodStart: "2026-05-01",
      periodEnd: "2026-05-31",
      value: 69,
      recordedAt: "2026-06-02T10:00:00Z",
    });
    ids.correction = await insertMeasurement(db, org, {
      metricId: eng,
      periodStart: "2026-05-01",
      periodEnd: "2026-05-31",
      value: 71,
      recordedAt: "2026-06-10T10:00:00Z",
      supersedesId: ids.first,
    });
    // Revenue target 1000: 300 + 200 + 300 so far; a quarantined 1000 does not count.
    ids.flow = await insertGoal(db, org, { kind: "metric", metricId: rev, targetValue: 1000 });
    for (const [month, value] of [
      ["01", 300],
      ["02", 200],
      ["03", 300],
    ] as const) {
      await insertMeasurement(db, org, {
        metricId: rev,
        periodStart: `2026-${month}-01`,
        periodEnd: `2026-${month}-28`,
        value,
        recordedAt: "2026-04-05T10:00:00Z",
      });
    }
    await insertMeasurement(db, org, {
      metricId: rev,
      periodStart: "2026-04-01",
      periodEnd: "2026-04-30",
      value: 1000,
      recordedAt: "2026-05-05T10:00:00Z",
      validationState: "quarantined",
    });
    ids.parent = await insertGoal(db, org, { kind: "rollup", level: "team", ownerId: org.people.manager });
    await align(db, org, ids.level, ids.parent, 60);
    await align(db, org, ids.flow, ids.parent, 40);
    ids.private = await insertGoal(db, org, { kind: "milestone", visibility: "private" });
  });
  afterAll(() => t.close());

  it("explain: 401 signed out, 404 unknown or not visible, 400 for a bad date", async () => {
    const url = `/api/v1/goals/${ids.level}/explain`;
    expect((await t.call(null, { method: "GET", url })).status).toBe(401);
    const hidden = await t.call("otherEmployee", {
      method: "GET",
      url: `/api/v1/goals/${ids.private}/explain`,
    });
    expect(hidden.status).toBe(404);
    const unknown = await t.call("admin", {
      method: "GET",
      url: "/api/v1/goals/01900000-0000-7000-8000-000000000000/explain",
    });
    expect(unknown.status).toBe(404);
    const bad = await t.call<{ errors: { field: string }[] }>("admin", {
      method: "GET",
      url: `${url}?asOf=2026-02-30`,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]?.field).toContain("asOf");
  });

  it("explain: a level goal 67 → 75 at 71 attains 0.5, from the corrected measurement", async () => {
    const res = await explain(ids.level as string);
    expect(res.status).toBe(200);
    expect(res.body.formula).toBe("a = (v − b) / (t − b)");
    expect(res.body.inputs).toMatchObject({ baseline: 67, target: 75, value: 71, children: [] });
    expect(res.body.inputs.measurements.map((m) => m.id)).toEqual([ids.correction]);
    expect(res.body.result.attainment).toBeCloseTo(0.5, 12);
    expect(res.body.result.expected).toBeCloseTo(EXPECTED_TODAY, 12);
    expect(res.body.result.status).toBe("on_track");
    // The value sits exactly on the threshold (71): 50 points.
    expect(res.body.result.score).toBeCloseTo(50, 9);
  });

  it("as of a date before the correction answers the old attainment, after it the new one", async () => {
    const before = await explain(ids.level as string, "2026-06-05");
    expect(before.body.inputs.value).toBe(69);
    expect(before.body.inputs.measurements.map((m) => m.id)).toEqual([ids.first]);
    expect(before.body.result.attainment).toBeCloseTo(0.25, 12);
    const after = await explain(ids.level as string, "2026-06-15");
    expect(after.body.inputs.measurements.map((m) => m.id)).toEqual([ids.correction]);
    expect(after.body.result.attainment).toBeCloseTo(0.5, 12);
  });

  it("explain: a parent rolls its two children up by weight", async () => {
    const res = await explain(ids.parent as string);
    expect(res.body.formula).toContain("Σ wᵢ");
    const children = Object.fromEntries(res.body.inputs.children.map((c) => [c.goalId, c]));
    expect(children[ids.level as string]).toMatchObject({ weight: 60 });
    expect(children[ids.flow as string]?.attainment).toBeCloseTo(0.8, 12);
    // 0.6 · 0.5 + 0.4 · 0.8 = 0.62
    expect(res.body.result.attainment).toBeCloseTo(0.62, 12);
    const past = await explain(ids.parent as string, "2026-06-05");
    // 0.6 · 0.25 + 0.4 · 0.8 = 0.47
    expect(past.body.result.attainment).toBeCloseTo(0.47, 12);
  });

  it("recompute: 401 signed out, 403 for people outside admin and the performance office", async () => {
    const url = "/api/v1/progress/recompute";
    expect((await t.call(null, { method: "POST", url })).status).toBe(401);
    expect((await t.call("manager", { method: "POST", url })).status).toBe(403);
    expect((await t.call("auditor", { method: "POST", url })).status).toBe(403);
  });

  it("recompute: writes every goal's figures and records an audit event", async () => {
    const res = await t.call<{ goals: number; asOf: string; ms: number }>("hr", {
      method: "POST",
      url: "/api/v1/progress/recompute",
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ goals: 4, asOf: "2026-07-01" });
    const rows = await selectRows<{ goalId: string; attainment: number | null; status: string }>(
      t.database.db,
      sql`select goal_id as "goalId", attainment, status from goal_progress where org_id = ${t.org.orgId}`,
    );
    const byId = new Map(rows.map((r) => [r.goalId, r]));
    expect(byId.get(ids.level as string)?.attainment).toBeCloseTo(0.5, 12);
    expect(byId.get(ids.flow as string)?.attainment).toBeCloseTo(0.8, 12);
    expect(byId.get(ids.parent as string)?.attainment).toBeCloseTo(0.62, 12);
    expect(byId.get(ids.private as string)).toMatchObject({ attainment: 0, status: "off_track" });
    const audit = await t.call<{ items: { action: string; data: { goals: number } }[] }>("auditor", {
      method: "GET",
      url: "/api/v1/audit-events?action=progress.recomputed",
    });
    expect(audit.body.items[0]?.data.goals).toBe(4);
  });

  it("one new measurement updates its goal and the parent; full recompute agrees", async () => {
    const progress = createProgressService({ db: t.database.db, clock: t.clock });
    await insertMeasurement(t.database.db, t.org, {
      metricId: ids.eng as string,
      periodStart: "2026-06-01",
      periodEnd: "2026-06-30",
      value: 75,
      recordedAt: "2026-07-01T08:00:00Z",
    });
    const written = await t.database.db.transaction((tx) =>
      progress.recomputeForSeries(tx, t.org.orgId, [
        { metricId: ids.eng as string, scopeType: "org", scopeId: t.org.orgId },
      ]),
    );
    expect([...written.keys()].sort()).toEqual([ids.level, ids.parent].sort());
    expect(written.get(ids.level as string)).toMatchObject({ attainment: 1, status: "achieved" });
    // 0.6 · 1 + 0.4 · 0.8 = 0.92
    expect(written.get(ids.parent as string)?.attainment).toBeCloseTo(0.92, 12);
    const stored = await progress.getProgress(t.org.orgId, [ids.level as string, ids.parent as string]);
    await progress.recomputeAll(t.org.orgId);
    const again = await progress.getProgress(t.org.orgId, [ids.level as string, ids.parent as string]);
    expect(again).toEqual(stored);
    // The past is unchanged by what was recorded later.
    const past = await progress.getProgress(t.org.orgId, [ids.parent as string], "2026-06-15");
    expect(past.get(ids.parent as string)?.attainment).toBeCloseTo(0.62, 12);
  });

  it("getProgress computes goals without a stored row on the fly", async () => {
    const progress = createProgressService({ db: t.database.db, clock: t.clock });
    await t.database.db.execute(sql`delete from goal_progress where org_id = ${t.org.orgId}`);
    const fresh = await progress.getProgress(t.org.orgId, [ids.parent as string]);
    expect(fresh.get(ids.parent as string)?.attainment).toBeCloseTo(0.92, 12);
  });
});
