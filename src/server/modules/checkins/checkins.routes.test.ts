import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { goalContributors } from "../../db/schema.ts";
import { createTestApp, type TestApp, type TestPerson } from "../../testing/test-app.ts";
import { align, insertGoal, insertMeasurement, insertMetric } from "../progress/progress.fixtures.ts";

type Recorded = {
  checkIn: {
    id: string;
    date: string;
    confidence: number;
    milestoneDone: boolean | null;
    measurementId: string | null;
    createdAt: string;
  };
  progress: { attainment: number | null; status: string } | null;
};
type Page = { items: { id: string; date: string; narrative: string }[]; nextCursor: string | null };

describe("check-ins", () => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  const url = (key: string) => `/api/v1/goals/${ids[key]}/check-ins`;
  const post = (who: TestPerson | null, key: string, payload: object) =>
    t.call<Recorded>(who, { method: "POST", url: url(key), payload });
  const ok = { date: "2026-06-30", confidence: 7, narrative: "on it" };

  beforeAll(async () => {
    t = await createTestApp();
    const db = t.database.db;
    const org = t.org;
    const eng = await insertMetric(db, org, { key: "engagement", aggregation: "last" });
    const imported = await insertMetric(db, org, {
      key: "nps",
      aggregation: "last",
      calculation: "imported",
    });
    ids.level = await insertGoal(db, org, {
      kind: "metric",
      metricId: eng,
      baselineValue: 67,
      targetValue: 75,
    });
    await insertMeasurement(db, org, {
      metricId: eng,
      periodStart: "2026-05-01",
      periodEnd: "2026-05-31",
      value: 71,
      recordedAt: "2026-06-02T10:00:00Z",
    });
    ids.imported = await insertGoal(db, org, {
      kind: "metric",
      metricId: imported,
      baselineValue: 10,
      targetValue: 40,
    });
    ids.milestone = await insertGoal(db, org, { kind: "milestone" });
    ids.rubric = await insertGoal(db, org, { kind: "rubric", rubricLevels: 5 });
    ids.parent = await insertGoal(db, org, { kind: "rollup", level: "team", ownerId: org.people.manager });
    await align(db, org, ids.milestone, ids.parent, 1);
    await align(db, org, ids.level, ids.parent, 1);
    ids.private = await insertGoal(db, org, { kind: "milestone", visibility: "private" });
    ids.cancelled = await insertGoal(db, org, { kind: "milestone", state: "cancelled" });
    ids.shared = await insertGoal(db, org, { kind: "milestone", ownerId: org.people.manager });
    await db
      .insert(goalContributors)
      .values({ orgId: org.orgId, goalId: ids.shared, personId: org.people.otherEmployee, share: 0.5 });
  });
  afterAll(() => t.close());

  it("401 signed out; 404 for a goal the caller cannot see; 403 for one they see but do not work on", async () => {
    expect((await post(null, "milestone", ok)).status).toBe(401);
    expect((await t.call(null, { method: "GET", url: url("milestone") })).status).toBe(401);
    expect((await post("otherEmployee", "private", ok)).status).toBe(404);
    expect((await t.call("otherEmployee", { method: "GET", url: url("private") })).status).toBe(404);
    const forbidden = await post("otherEmployee", "milestone", ok);
    expect(forbidden.status).toBe(403);
    expect((await post("auditor", "milestone", ok)).status).toBe(403);
    expect((await post("steward", "milestone", ok)).status).toBe(403);
  });

  it("400 names each field that does not fit the goal", async () => {
    const fields = async (key: string, payload: object) => {
      const res = await t.call<{ errors: { field: string; message: string }[] }>("employee", {
        method: "POST",
        url: url(key),
        payload,
      });
      expect(res.status).toBe(400);
      return res.body.errors.map((e) => e.field);
    };
    expect(await fields("milestone", { ...ok, date: "2026-07-02" })).toEqual(["date"]);
    expect(await fields("milestone", { ...ok, date: "2025-12-31" })).toEqual(["date"]);
    expect(await fields("milestone", { ...ok, date: "2026-02-30" })).toEqual(["date"]);
    expect(await fields("milestone", { ...ok, confidence: 11 })).toEqual(["confidence"]);
    expect(await fields("milestone", { ...ok, value: 3, rubricLevel: 2 })).toEqual(["value", "rubricLevel"]);
    expect(await fields("rubric", { ...ok, rubricLevel: 6 })).toEqual(["rubricLevel"]);
    expect(await fields("rubric", { ...ok, milestoneDone: true })).toEqual(["milestoneDone"]);
    expect(await fields("imported", { ...ok, value: 30 })).toEqual(["value"]);
  });

  it("409 on a goal that is no longer active", async () => {
    expect((await post("employee", "cancelled", ok)).status).toBe(409);
  });

  it("a milestone check-in changes the goal's figures and its parent's", async () => {
    const res = await post("employee", "milestone", { ...ok, milestoneDone: true });
    expect(res.status).toBe(201);
    expect(res.body.checkIn).toMatchObject({ date: "2026-06-30", confidence: 7, milestoneDone: true });
    expect(res.body.checkIn.createdAt).toBe("2026-07-01T09:00:00.000Z");
    expect(res.body.progress).toMatchObject({ attainment: 1, status: "achieved" });
    const parent = await t.call<{ result: { attainment: number } }>("manager", {
      method: "GET",
      url: `/api/v1/goals/${ids.parent}/explain`,
    });
    // (1 + 0.5) / 2 with the level goal 67 → 75 at 71
    expect(parent.body.result.attainment).toBeCloseTo(0.75, 12);
  });

  it("a rubric check-in at level 3 of 5 attains 0.5; managers up the chain and HR may check in", async () => {
    const res = await post("manager", "rubric", { ...ok, rubricLevel: 3 });
    expect(res.status).toBe(201);
    expect(res.body.progress?.attainment).toBeCloseTo(0.5, 12);
    expect((await post("exec", "rubric", { ...ok, rubricLevel: 4 })).body.progress?.attainment).toBeCloseTo(
      0.75,
      12,
    );
    expect((await post("hr", "rubric", ok)).status).toBe(201);
    expect((await post("otherEmployee", "shared", ok)).status).toBe(201);
  });

  it("a value on a hand-entered metric becomes that day's measurement; a second one supersedes it", async () => {
    // baseline 67, target 75; May's reading 71 gives 0.5. A check-in of 73 gives (73 - 67) / 8.
    const first = await post("employee", "level", { ...ok, value: 73 });
    expect(first.status).toBe(201);
    expect(first.body.progress?.attainment).toBeCloseTo(0.75, 12);
    const second = await post("employee", "level", { ...ok, narrative: "recounted", value: 74 });
    expect(second.body.progress?.attainment).toBeCloseTo(0.875, 12);
    const goal = await t.call<{ metricId: string }>("employee", {
      method: "GET",
      url: `/api/v1/goals/${ids.level}`,
    });
    type Series = { items: { id: string; value: number; source: string; supersededById: string | null }[] };
    const series = await t.call<Series>("hr", {
      method: "GET",
      url: `/api/v1/metrics/${goal.body.metricId}/measurements?scopeType=org&from=2026-06-30&includeSuperseded=true`,
    });
    const byId = new Map(series.body.items.map((m) => [m.id, m]));
    const a = byId.get(first.body.checkIn.measurementId ?? "");
    const b = byId.get(second.body.checkIn.measurementId ?? "");
    expect(a).toMatchObject({ value: 73, source: "check-in", supersededById: b?.id });
    expect(b).toMatchObject({ value: 74, source: "check-in", supersededById: null });
  });

  it("a retry with the same Idempotency-Key answers the first answer and writes nothing", async () => {
    const send = (payload: object) =>
      t.call<Recorded>("employee", {
        method: "POST",
        url: url("rubric"),
        payload,
        headers: { "idempotency-key": "retry-1" },
      });
    const first = await send({ ...ok, rubricLevel: 2 });
    expect(first.status).toBe(201);
    const again = await send({ ...ok, rubricLevel: 2 });
    expect(again.status).toBe(201);
    expect(again.body.checkIn.id).toBe(first.body.checkIn.id);
    expect((await send({ ...ok, rubricLevel: 3 })).status).toBe(409);
  });

  it("lists check-ins newest first, a page at a time, and audits each one", async () => {
    const first = await t.call<Page>("auditor", { method: "GET", url: `${url("rubric")}?limit=2` });
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    const second = await t.call<Page>("auditor", {
      method: "GET",
      url: `${url("rubric")}?limit=2&cursor=${first.body.nextCursor}`,
    });
    expect(second.body.items).toHaveLength(2);
    expect(second.body.nextCursor).toBeNull();
    const all = [...first.body.items, ...second.body.items].map((c) => c.id);
    expect(all).toEqual([...all].sort().reverse());
    const audit = await t.call<{ items: { entityId: string }[] }>("auditor", {
      method: "GET",
      url: "/api/v1/audit-events?action=checkin.recorded",
    });
    expect(audit.body.items.filter((e) => e.entityId === ids.rubric)).toHaveLength(4);
  });
});
