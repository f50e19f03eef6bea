import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "../../../domain/dates.ts";
import { auditEvents, goalProgress, measurements } from "../../db/schema.ts";
import { createTestApp, type TestApp, type TestPerson } from "../../testing/test-app.ts";
import { insertGoal } from "../progress/progress.fixtures.ts";
import type { BulkMeasurementResult, Measurement } from "./measurements.schema.ts";

type Problem = { status: number; detail: string; errors?: { field: string; message: string }[] };

describe("bulk measurements", () => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  const post = <T = BulkMeasurementResult>(who: TestPerson | null, payload: unknown, key?: string) =>
    t.call<T>(who, {
      method: "POST",
      url: "/api/v1/measurements",
      payload: payload as object,
      ...(key ? { headers: { "idempotency-key": key } } : {}),
    });
  const count = async () =>
    (
      await t.database.db
        .select({ n: sql<number>`count(*)::int` })
        .from(measurements)
        .where(eq(measurements.orgId, t.org.orgId))
    )[0]?.n;
  const month = (m: number) => {
    const mm = String(m).padStart(2, "0");
    return { periodStart: `2026-${mm}-01`, periodEnd: `2026-${mm}-28` };
  };
  /** Good rows: calls per month for the organisation and for the sales team, by key and by id. */
  const good = () => [
    { metricKey: "calls", value: 10, ...month(1) },
    { metricKey: "calls", value: 12, ...month(2) },
    { metricId: ids.calls, value: 4, ...month(1), scopeType: "unit", scopeId: t.org.units.salesTeam },
    {
      metricId: ids.calls,
      metricKey: "calls",
      value: 6,
      ...month(2),
      scopeType: "unit",
      scopeId: t.org.units.salesTeam,
    },
    { metricKey: "csat", value: 71.5, ...month(1), note: "survey" },
  ];

  beforeAll(async () => {
    t = await createTestApp();
    const metric = async (payload: object) =>
      (await t.call<{ id: string }>("admin", { method: "POST", url: "/api/v1/metrics", payload })).body.id;
    const base = { unit: "count", direction: "increase", indicatorType: "leading" };
    ids.calls = await metric({
      ...base,
      key: "calls",
      name: "Calls",
      aggregation: "sum",
      stewardId: t.org.people.steward,
    });
    ids.daily = await metric({ ...base, key: "daily", name: "Daily", aggregation: "sum", period: "day" });
    ids.csat = await metric({ ...base, key: "csat", name: "CSAT", unit: "score", aggregation: "last" });
    ids.goal = await insertGoal(t.database.db, t.org, {
      kind: "metric",
      metricId: ids.calls,
      scopeType: "unit",
      scopeId: t.org.units.salesTeam,
      baselineValue: 0,
      targetValue: 100,
    });
  });
  afterAll(() => t.close());

  it("401 signed out; 403 naming the metrics the caller may not record", async () => {
    expect((await post(null, good())).status).toBe(401);
    expect((await post("employee", good())).status).toBe(403);
    const steward = await post<Problem>("steward", good());
    expect(steward.status).toBe(403);
    expect(steward.body.detail).toContain("you may not record csat");
    expect(await count()).toBe(0);
  });

  it("one badly shaped row: 400 naming rows[3].value, nothing written", async () => {
    const rows: unknown[] = good();
    rows[3] = { ...good()[3], value: "six" };
    const res = await post<Problem>("admin", rows);
    expect(res.status).toBe(400);
    expect(res.body.errors?.map((e) => e.field)).toEqual(["rows[3].value"]);
    expect((await post<Problem>("admin", [])).body.errors?.map((e) => e.field)).toEqual(["rows"]);
    const tooMany = Array.from({ length: 5001 }, () => good()[0]);
    expect((await post<Problem>("admin", tooMany)).body.errors?.[0]?.field).toBe("rows");
    expect(await count()).toBe(0);
  });

  it("rows that do not fit: every fault named by row and field, nothing written", async () => {
    const rows: object[] = good();
    rows[0] = { metricKey: "nope", value: 1, ...month(1) };
    rows[1] = { value: 1, ...month(1) };
    rows[2] = { ...good()[2], scopeId: t.org.people.employee };
    rows[3] = { ...good()[3], metricKey: "csat" };
    rows.push({ metricKey: "csat", value: 1, periodStart: "2026-08-01" });
    rows.push({ metricKey: "csat", value: 70, ...month(1) });
    const res = await post<Problem>("admin", rows);
    expect(res.status).toBe(400);
    expect(res.body.errors?.map((e) => e.field)).toEqual([
      "rows[0].metricKey",
      "rows[1].metricId",
      "rows[2].scopeId",
      "rows[3].metricKey",
      "rows[5].periodStart",
    ]);
    // the period checks run once the rows themselves are sound: rows[5] repeats rows[4]'s period
    const dup = await post<Problem>("admin", [...good(), { metricKey: "csat", value: 70, ...month(1) }]);
    expect(dup.status).toBe(400);
    expect(dup.body.errors).toEqual([
      { field: "rows[5].periodStart", message: expect.stringContaining("row 4") },
    ]);
    expect(await count()).toBe(0);
  });

  it("writes every row, with one batch id, one audit event and the goals recomputed", async () => {
    const res = await post("steward", good().slice(0, 4), "batch-1");
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ accepted: 4, rejected: [] });
    expect(res.body.ids).toHaveLength(4);
    const rows = await t.database.db
      .select()
      .from(measurements)
      .where(eq(measurements.orgId, t.org.orgId))
      .orderBy(measurements.id);
    expect(rows.map((r) => [r.id, r.value, r.scopeType, r.batchId])).toEqual(
      res.body.ids.map((id, i) => [id, good()[i]?.value, i < 2 ? "org" : "unit", res.body.batchId]),
    );
    const events = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, t.org.orgId), eq(auditEvents.action, "measurement.bulk_recorded")));
    expect(events).toHaveLength(1);
    expect(events[0]?.data).toMatchObject({ accepted: 4 });
    const [progress] = await t.database.db
      .select()
      .from(goalProgress)
      .where(eq(goalProgress.goalId, ids.goal ?? ""));
    expect(progress?.attainment).toBeCloseTo(0.1);
  });

  it("a retry with the same key writes nothing and answers the same", async () => {
    const before = await count();
    const retry = await post("steward", good().slice(0, 4), "batch-1");
    expect(retry.status).toBe(201);
    expect(retry.headers["idempotent-replayed"]).toBe("true");
    expect(retry.body.accepted).toBe(4);
    expect(await count()).toBe(before);
    expect((await post<Problem>("steward", good().slice(0, 3), "batch-1")).status).toBe(409);
  });

  it("a recorded period needs `supersedes`; a correction in bulk replaces the current value", async () => {
    const again = await post<Problem>("admin", [good()[4], good()[0]]);
    expect(again.status).toBe(400);
    expect(again.body.errors?.map((e) => e.field)).toEqual(["rows[1].supersedes"]);
    const current = await t.call<{ items: Measurement[] }>("admin", {
      method: "GET",
      url: `/api/v1/metrics/${ids.calls}/measurements`,
    });
    const janId = current.body.items.find((m) => m.periodStart === "2026-01-01")?.id;
    const fix = await post("admin", [{ metricKey: "calls", value: 11, ...month(1), supersedes: janId }]);
    expect(fix.status).toBe(201);
    const after = await t.call<{ items: Measurement[] }>("admin", {
      method: "GET",
      url: `/api/v1/metrics/${ids.calls}/measurements`,
    });
    expect(after.body.items.map((m) => [m.periodStart, m.value])).toEqual([
      ["2026-02-01", 12],
      ["2026-01-01", 11],
    ]);
  });

  it("takes 5,000 rows in one request", async () => {
    const before = await count();
    const rows = Array.from({ length: 5000 }, (_, i) => ({
      metricKey: "daily",
      value: i,
      periodStart: addDays("2026-06-30", -i),
    }));
    const started = Date.now();
    const res = await post("admin", rows);
    expect(res.status).toBe(201);
    expect(res.body.accepted).toBe(5000);
    expect(await count()).toBe((before ?? 0) + 5000);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
