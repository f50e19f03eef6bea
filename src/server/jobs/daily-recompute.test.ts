import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { goalProgress } from "../db/schema.ts";
import { insertGoal, insertMeasurement, insertMetric } from "../modules/progress/progress.fixtures.ts";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { createDailyRecompute } from "./daily-recompute.ts";

describe("daily recompute", () => {
  let t: TestApp;
  let goalId: string;
  let now = new Date("2026-06-30T21:00:00Z"); // 23:00 on 30 June in Amsterdam, the org's zone
  const clock = { now: () => now };
  const logged: string[] = [];
  const log = { info: (_: object, msg: string) => logged.push(msg), error: () => {} };

  beforeAll(async () => {
    t = await createTestApp();
    const metricId = await insertMetric(t.database.db, t.org, { key: "engagement", aggregation: "last" });
    goalId = await insertGoal(t.database.db, t.org, {
      kind: "metric",
      metricId,
      baselineValue: 67,
      targetValue: 75,
    });
    await insertMeasurement(t.database.db, t.org, {
      metricId,
      periodStart: "2026-05-01",
      periodEnd: "2026-05-31",
      value: 71,
      recordedAt: "2026-06-02T10:00:00Z",
    });
  });
  afterAll(() => t.close());

  const stored = async () =>
    (await t.database.db.select().from(goalProgress).where(eq(goalProgress.goalId, goalId)))[0];

  it("recomputes an organisation without figures, then not again the same day", async () => {
    const job = createDailyRecompute({ db: t.database.db, clock, log });
    expect(await job.runDue()).toEqual([t.org.orgId]);
    const first = await stored();
    expect(first?.asOf).toBe("2026-06-30");
    expect(first?.attainment).toBeCloseTo(0.5, 12);
    now = new Date("2026-06-30T21:50:00Z");
    expect(await job.runDue()).toEqual([]);
  });

  it("recomputes after midnight in the organisation's zone (not UTC), and the expected pace moves", async () => {
    const job = createDailyRecompute({ db: t.database.db, clock, log });
    const before = await stored();
    now = new Date("2026-06-30T22:30:00Z"); // 00:30 on 1 July in Amsterdam, still 30 June in UTC
    expect(await job.runDue()).toEqual([t.org.orgId]);
    const after = await stored();
    expect(after?.asOf).toBe("2026-07-01");
    expect(after?.expected).toBeGreaterThan(before?.expected ?? Number.POSITIVE_INFINITY);
    expect(logged).toContain("daily recompute");
  });
});
