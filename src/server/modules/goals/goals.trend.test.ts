import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../testing/test-app.ts";
import { insertGoal, insertMeasurement, insertMetric } from "../progress/progress.fixtures.ts";

type Trend = { items: { date: string; counted: number; onTrack: number; share: number | null }[] };

/**
 * Today is 2026-07-01 (Amsterdam); the cycle is 2026. Two level goals from 0 to 100 over the year:
 * "steady" reads 10 in January … 50 in May (on pace), "stalled" reads 10 in January and nothing since.
 */
describe("GET /api/v1/goals/on-track-trend", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    const db = t.database.db;
    const steady = await insertMetric(db, t.org, { key: "steady", aggregation: "last" });
    const stalled = await insertMetric(db, t.org, { key: "stalled", aggregation: "last" });
    for (const metricId of [steady, stalled]) {
      await insertGoal(db, t.org, {
        kind: "metric",
        metricId,
        baselineValue: 0,
        targetValue: 100,
        unitId: t.org.units.salesTeam,
      });
    }
    await insertGoal(db, t.org, {
      kind: "metric",
      metricId: steady,
      baselineValue: 0,
      targetValue: 100,
      visibility: "private",
      ownerId: t.org.people.otherEmployee,
      unitId: t.org.units.ops,
    });
    const month = (m: number) => `2026-${String(m).padStart(2, "0")}`;
    const ends = ["31", "28", "31", "30", "31"];
    for (let m = 1; m <= 5; m++) {
      await insertMeasurement(db, t.org, {
        metricId: steady,
        periodStart: `${month(m)}-01`,
        periodEnd: `${month(m)}-${ends[m - 1]}`,
        value: 10 * m,
        recordedAt: `${month(m)}-${ends[m - 1]}T12:00:00Z`,
      });
    }
    await insertMeasurement(db, t.org, {
      metricId: stalled,
      periodStart: "2026-01-01",
      periodEnd: "2026-01-31",
      value: 10,
      recordedAt: "2026-02-01T12:00:00Z",
    });
  });
  afterAll(() => t.close());

  const trend = (who: "employee" | "admin", extra = "") =>
    t.call<Trend>(who, {
      method: "GET",
      url: `/api/v1/goals/on-track-trend?cycleId=${t.org.cycleId}${extra}`,
    });

  it("has a point per month end and today, and tells the stalled goal from the steady one", async () => {
    const res = await trend("admin");
    expect(res.status).toBe(200);
    expect(res.body.items.map((p) => p.date)).toEqual([
      "2026-01-31",
      "2026-02-28",
      "2026-03-31",
      "2026-04-30",
      "2026-05-31",
      "2026-06-30",
      "2026-07-01",
    ]);
    // 31 January: expected 30/364 ≈ 0.082; both read 10 (0.1): all three on track.
    expect(res.body.items[0]).toMatchObject({ counted: 3, onTrack: 3, share: 1 });
    // 31 May: expected ≈ 0.41; steady reads 50 (on track), stalled still 10 (pace ≈ 0.24, off track).
    expect(res.body.items[4]).toMatchObject({ counted: 3, onTrack: 2 });
    expect(res.body.items[4]?.share).toBeCloseTo(2 / 3, 12);
  });

  it("counts only the goals the caller may see, and narrows to a unit's subtree", async () => {
    const employee = await trend("employee");
    expect(employee.body.items[4]).toMatchObject({ counted: 2, onTrack: 1, share: 0.5 });
    const ops = await trend("admin", `&unitId=${t.org.units.ops}`);
    expect(ops.body.items[4]).toMatchObject({ counted: 1, onTrack: 1, share: 1 });
    const sales = await trend("admin", `&unitId=${t.org.units.sales}`);
    expect(sales.body.items[4]).toMatchObject({ counted: 2, onTrack: 1 });
    const company = await trend("admin", `&unitId=${t.org.units.company}`);
    expect(company.body.items[4]?.counted).toBe(3);
  });

  it("answers 404 for a unit that does not exist", async () => {
    const res = await trend("admin", `&unitId=${t.org.cycleId}`);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ detail: "unit was not found" });
  });
});
