import { and, asc, eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, missingDataAlerts, missingDataChecks } from "../db/schema.ts";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { createDailyRecompute } from "./daily-recompute.ts";

describe("the missing-data check in the daily job", () => {
  let t: TestApp;
  let metricId = "";
  let now = new Date("2026-06-30T21:00:00Z"); // 23:00 on 30 June in Amsterdam, the org's zone
  const clock = { now: () => now };
  const logged: { msg: string; obj: object }[] = [];
  const log = { info: (obj: object, msg: string) => logged.push({ msg, obj }), error: () => {} };
  const alerts = () =>
    t.database.db
      .select()
      .from(missingDataAlerts)
      .where(eq(missingDataAlerts.orgId, t.org.orgId))
      .orderBy(asc(missingDataAlerts.id));
  const checkedOn = async () =>
    (await t.database.db.select().from(missingDataChecks).where(eq(missingDataChecks.orgId, t.org.orgId)))[0]
      ?.checkedOn;
  const record = async (m: number) => {
    const mm = String(m).padStart(2, "0");
    const res = await t.call("admin", {
      method: "POST",
      url: `/api/v1/metrics/${metricId}/measurements`,
      payload: { value: m, periodStart: `2026-${mm}-01`, periodEnd: `2026-${mm}-${m === 4 ? 30 : 31}` },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  };

  beforeAll(async () => {
    t = await createTestApp();
    const res = await t.call<{ id: string }>("admin", {
      method: "POST",
      url: "/api/v1/metrics",
      payload: {
        key: "visits",
        name: "Site visits",
        unit: "count",
        direction: "increase",
        indicatorType: "leading",
        aggregation: "sum",
        period: "month",
        validationRules: { frequency: { action: "flag" } },
      },
    });
    metricId = res.body.id;
    for (const m of [1, 3, 4]) await record(m);
  });
  afterAll(() => t.close());

  it("runs the full check once a day in the organisation's zone: May is due on 30 June, 1 missing", async () => {
    const job = createDailyRecompute({ db: t.database.db, clock, log });
    await job.runDue();
    expect(await checkedOn()).toBe("2026-06-30");
    expect(
      (await alerts()).map((a) => [a.lastPeriodEnd, a.missingSince, a.periodsMissing, a.resolvedAt]),
    ).toEqual([["2026-04-30", "2026-05-01", 1, null]]);
    expect(logged.find((l) => l.msg === "missing-data check")?.obj).toEqual({
      orgId: t.org.orgId,
      full: true,
      opened: 1,
      resolved: 0,
      open: 1,
      today: "2026-06-30",
    });
    const events = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, t.org.orgId), like(auditEvents.action, "missing_data.%")));
    expect(events.map((e) => [e.action, e.actorId])).toEqual([["missing_data.opened", null]]);
  });

  it("on later ticks the same day only re-reads open alerts, and resolves one when its value arrives", async () => {
    const job = createDailyRecompute({ db: t.database.db, clock, log });
    now = new Date("2026-06-30T21:50:00Z");
    await job.runDue();
    expect((await alerts()).length).toBe(1);
    await record(5);
    now = new Date("2026-06-30T21:55:00Z");
    await job.runDue();
    expect(await checkedOn()).toBe("2026-06-30");
    expect((await alerts()).map((a) => [a.resolution, a.resolvedAt])).toEqual([
      ["value_arrived", "2026-06-30 21:55:00+00"],
    ]);
  });

  it("after midnight in Amsterdam (still 30 June in UTC) the next full check finds June missing", async () => {
    const job = createDailyRecompute({ db: t.database.db, clock, log });
    now = new Date("2026-06-30T22:30:00Z");
    await job.runDue();
    expect(await checkedOn()).toBe("2026-07-01");
    const open = (await alerts()).filter((a) => a.resolvedAt === null);
    expect(open.map((a) => [a.lastPeriodEnd, a.missingSince, a.periodsMissing])).toEqual([
      ["2026-05-31", "2026-06-01", 1],
    ]);
  });
});
