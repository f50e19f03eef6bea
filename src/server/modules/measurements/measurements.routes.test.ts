import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, goalProgress } from "../../db/schema.ts";
import { createTestApp, TEST_TODAY, type TestApp, type TestPerson } from "../../testing/test-app.ts";
import { insertGoal } from "../progress/progress.fixtures.ts";
import { countMeasurements } from "./measurements.fixtures.ts";
import type { Measurement } from "./measurements.schema.ts";

type Problem = { status: number; detail: string; errors?: { field: string; message: string }[] };
type Page = { items: Measurement[]; nextCursor: string | null };
const MISSING = "0190f000-0000-7000-8000-000000000000";
const jan = { periodStart: "2026-01-01", periodEnd: "2026-01-31" };
const feb = { periodStart: "2026-02-01", periodEnd: "2026-02-28" };
const mar = { periodStart: "2026-03-01", periodEnd: "2026-03-31" };

describe("measurements of one metric", () => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  const url = (metric: string) => `/api/v1/metrics/${ids[metric] ?? metric}/measurements`;
  const post = <T = Measurement>(who: TestPerson | null, metric: string, payload: object, key?: string) =>
    t.call<T>(who, {
      method: "POST",
      url: url(metric),
      payload,
      ...(key ? { headers: { "idempotency-key": key } } : {}),
    });
  const get = <T = Page>(who: TestPerson, metric: string, query = "") =>
    t.call<T>(who, { method: "GET", url: `${url(metric)}${query}` });
  const values = (page: Page) => page.items.map((m) => [m.periodStart, m.value]);
  const count = () => countMeasurements(t);
  const setNow = (iso: string) => {
    t.clock.now = () => new Date(iso);
  };

  beforeAll(async () => {
    t = await createTestApp();
    const metric = async (payload: object) =>
      (await t.call<{ id: string }>("admin", { method: "POST", url: "/api/v1/metrics", payload })).body.id;
    const base = { unit: "count", direction: "increase", indicatorType: "lagging" };
    ids.revenue = await metric({
      ...base,
      key: "revenue",
      name: "Revenue",
      unit: "currency",
      currencyCode: "EUR",
      aggregation: "sum",
      stewardId: t.org.people.steward,
    });
    ids.nps = await metric({ ...base, key: "nps", name: "NPS", aggregation: "last", finalityLagDays: 10 });
    ids.goal = await insertGoal(t.database.db, t.org, {
      kind: "metric",
      metricId: ids.revenue,
      scopeType: "org",
      baselineValue: 0,
      targetValue: 1000,
    });
  });
  afterAll(() => t.close());

  it("401 signed out; 404 for a metric that does not exist", async () => {
    expect((await t.call(null, { method: "GET", url: url("revenue") })).status).toBe(401);
    expect((await post(null, "revenue", { value: 1, ...jan })).status).toBe(401);
    expect((await get("admin", MISSING)).status).toBe(404);
    expect((await post("admin", MISSING, { value: 1, ...jan })).status).toBe(404);
  });

  it("403 for people who do not record this metric's data", async () => {
    for (const who of ["employee", "manager", "exec", "auditor"] as const) {
      const res = await post<Problem>(who, "revenue", { value: 1, ...jan });
      expect(res.status, who).toBe(403);
      expect(res.body.detail).toContain("steward of metric revenue");
    }
    expect((await post("steward", "nps", { value: 1, ...jan })).status).toBe(403);
  });

  it("400 names the field and what would be valid", async () => {
    const fields = async (payload: object) =>
      (await post<Problem>("admin", "revenue", payload)).body.errors?.map((e) => e.field);
    expect(await fields({ value: 1, periodStart: "2026-02-01", periodEnd: "2026-01-31" })).toEqual([
      "periodEnd",
    ]);
    expect(await fields({ value: 1, periodStart: "2026-07-02" })).toEqual(["periodStart"]);
    expect(await fields({ value: 1, periodStart: "2026-02-30" })).toEqual(["periodStart"]);
    expect(await fields({ value: "12", ...jan })).toEqual(["value"]);
    expect(await fields({ value: 1, ...jan, scopeType: "unit" })).toEqual(["scopeId"]);
    expect(await fields({ value: 1, ...jan, scopeType: "unit", scopeId: MISSING })).toEqual(["scopeId"]);
    expect(await fields({ value: 1, ...jan, scopeId: t.org.units.sales })).toEqual(["scopeId"]);
    expect(await fields({ value: 1, ...jan, recordedAt: "2020-01-01" })).toEqual([""]);
    expect(await count()).toBe(0);
  });

  it("the steward records a value: the row, the audit event and the goal's new progress", async () => {
    const res = await post("steward", "revenue", { value: 300, ...jan, note: "from the ledger" });
    expect(res.status).toBe(201);
    expect(res.headers["idempotent-replayed"]).toBe("false");
    expect(res.body).toMatchObject({
      metricId: ids.revenue,
      scopeType: "org",
      scopeId: t.org.orgId,
      ...jan,
      value: 300,
      recordedAt: TEST_TODAY,
      recordedBy: t.org.people.steward,
      supersedesId: null,
      supersededById: null,
      source: "api",
      provisional: false,
      validationState: "accepted",
      note: "from the ledger",
    });
    ids.jan = res.body.id;
    const [event] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, t.org.orgId), eq(auditEvents.entityId, res.body.id)));
    expect(event).toMatchObject({ action: "measurement.recorded", actorId: t.org.people.steward });
    const [progress] = await t.database.db
      .select()
      .from(goalProgress)
      .where(eq(goalProgress.goalId, ids.goal ?? ""));
    expect(progress?.attainment).toBeCloseTo(0.3);
  });

  it("a value of a recent period is provisional until the metric's finality lag has passed", async () => {
    const recent = await post("admin", "nps", {
      value: 42,
      periodStart: "2026-06-01",
      periodEnd: "2026-06-30",
    });
    expect(recent.body.provisional).toBe(true);
    const final = await post("admin", "nps", {
      value: 40,
      periodStart: "2026-05-01",
      periodEnd: "2026-05-31",
    });
    expect(final.body.provisional).toBe(false);
  });

  it("409 for a second value of a period, naming the recorded row and `supersedes`", async () => {
    const res = await post<Problem>("admin", "revenue", { value: 301, ...jan });
    expect(res.status).toBe(409);
    expect(res.body.errors?.[0]?.field).toBe("supersedes");
    expect(res.body.detail).toContain(`"supersedes": "${ids.jan}"`);
    expect(await count()).toBe(3);
  });

  it("a correction answers the new value now and the old one as of before it was recorded", async () => {
    setNow("2026-03-03T08:00:00.000Z");
    const original = await post("admin", "revenue", { value: 200, ...feb });
    setNow(TEST_TODAY);
    ids.feb = original.body.id;
    const fix = await post("steward", "revenue", {
      value: 250,
      ...feb,
      supersedes: ids.feb,
      note: "late invoice",
    });
    expect(fix.status).toBe(201);
    expect(fix.body).toMatchObject({ value: 250, supersedesId: ids.feb, supersededById: null });
    ids.febFix = fix.body.id;
    expect(values((await get("employee", "revenue")).body)).toEqual([
      ["2026-01-01", 300],
      ["2026-02-01", 250],
    ]);
    expect(values((await get("employee", "revenue", "?asOf=2026-06-30")).body)).toEqual([
      ["2026-02-01", 200],
    ]);
    expect(values((await get("employee", "revenue", "?asOf=2026-03-02")).body)).toEqual([]);
    const history = (await get("employee", "revenue", "?includeSuperseded=true")).body.items;
    expect(history.map((m) => [m.value, m.supersededById])).toEqual([
      [300, null],
      [200, ids.febFix],
      [250, null],
    ]);
    const thenHistory = (await get("employee", "revenue", "?includeSuperseded=true&asOf=2026-06-30")).body
      .items;
    expect(thenHistory.map((m) => [m.value, m.supersededById])).toEqual([[200, null]]);
    const [event] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, t.org.orgId), eq(auditEvents.action, "measurement.corrected")));
    expect(event?.data).toMatchObject({ supersedes: ids.feb, from: 200, to: 250 });
    const [progress] = await t.database.db
      .select()
      .from(goalProgress)
      .where(eq(goalProgress.goalId, ids.goal ?? ""));
    expect(progress?.attainment).toBeCloseTo(0.55);
  });

  it("409 for correcting a row already corrected (naming the correction); 400 for a wrong target", async () => {
    const again = await post<Problem>("admin", "revenue", { value: 260, ...feb, supersedes: ids.feb });
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain(`already corrected by measurement ${ids.febFix}`);
    const none = await post<Problem>("admin", "revenue", { value: 260, ...feb, supersedes: MISSING });
    expect(none.status).toBe(400);
    expect(none.body.errors?.[0]?.field).toBe("supersedes");
    const otherPeriod = await post<Problem>("admin", "revenue", {
      value: 260,
      ...mar,
      supersedes: ids.febFix,
    });
    expect(otherPeriod.status).toBe(400);
    expect(otherPeriod.body.detail).toContain("a correction keeps the metric, scope and period");
  });

  it("an idempotent retry answers the first answer and writes once; the key with another body is 409", async () => {
    const before = await count();
    const first = await post("admin", "revenue", { value: 100, ...mar }, "mar-1");
    const retry = await post("admin", "revenue", { ...mar, value: 100 }, "mar-1");
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers["idempotent-replayed"]).toBe("true");
    expect(await count()).toBe(before + 1);
    const reused = await post<Problem>("admin", "revenue", { value: 101, ...mar }, "mar-1");
    expect(reused.status).toBe(409);
    expect(reused.body.errors?.[0]?.field).toBe("Idempotency-Key");
  });

  it("lists by id with a cursor and a period filter", async () => {
    const first = await get("auditor", "revenue", "?limit=2");
    expect(values(first.body)).toEqual([
      ["2026-01-01", 300],
      ["2026-02-01", 250],
    ]);
    const second = await get("auditor", "revenue", `?limit=2&cursor=${first.body.nextCursor}`);
    expect(values(second.body)).toEqual([["2026-03-01", 100]]);
    expect(second.body.nextCursor).toBeNull();
    expect(values((await get("auditor", "revenue", "?from=2026-02-15&to=2026-03-01")).body)).toEqual([
      ["2026-02-01", 250],
      ["2026-03-01", 100],
    ]);
    expect((await get("auditor", "revenue", "?asOf=yesterday")).status).toBe(400);
  });

  it("a person's series: the person, their managers, the steward and readers of everything; others 404", async () => {
    const scope = `?scopeType=person&scopeId=${t.org.people.employee}`;
    const rec = await post("hr", "revenue", {
      value: 12,
      ...jan,
      scopeType: "person",
      scopeId: t.org.people.employee,
    });
    expect(rec.status).toBe(201);
    for (const who of ["employee", "manager", "exec", "steward", "auditor", "hr"] as const) {
      const res = await get(who, "revenue", scope);
      expect(res.status, who).toBe(200);
      expect(values(res.body)).toEqual([["2026-01-01", 12]]);
    }
    expect((await get("otherEmployee", "revenue", scope)).status).toBe(404);
    expect((await get("steward", "nps", scope)).status).toBe(404);
    expect((await get("admin", "revenue", `?scopeType=unit&scopeId=${MISSING}`)).status).toBe(404);
    expect((await get("admin", "revenue", "?scopeType=unit")).status).toBe(400);
    expect(
      values((await get("admin", "revenue", `?scopeType=unit&scopeId=${t.org.units.sales}`)).body),
    ).toEqual([]);
  });

  it("two concurrent recordings of one period: one is written, the other answered 409", async () => {
    const apr = { value: 5, periodStart: "2026-04-01", periodEnd: "2026-04-30" };
    const answers = await Promise.all([post("admin", "revenue", apr), post("hr", "revenue", apr)]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    const may = { value: 6, periodStart: "2026-05-01", periodEnd: "2026-05-31" };
    const keyed = await Promise.all([
      post("admin", "revenue", may, "may"),
      post("admin", "revenue", may, "may"),
    ]);
    expect(keyed.map((a) => a.status)).toEqual([201, 201]);
    expect(keyed[0]?.body.id).toBe(keyed[1]?.body.id);
    const current = await get("admin", "revenue", "?from=2026-04-01&to=2026-05-31");
    expect(values(current.body)).toEqual([
      ["2026-04-01", 5],
      ["2026-05-01", 6],
    ]);
  });
});
