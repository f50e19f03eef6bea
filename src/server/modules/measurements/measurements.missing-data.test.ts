import { and, asc, eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, missingDataAlerts } from "../../db/schema.ts";
import { createTestApp, type TestApp, type TestPerson } from "../../testing/test-app.ts";
import type { MissingDataAlert, MissingDataCheck } from "./measurements.missing-data.schema.ts";

type Problem = { status: number; detail: string };
type Page = { items: MissingDataAlert[]; nextCursor: string | null };

// The test clock: 2026-07-01T09:00Z, 11:00 on 1 July in Amsterdam (the organisation's zone).
describe("missing data of stopped series (today 2026-07-01)", () => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  const list = (who: TestPerson, query = "") =>
    t.call<Page>(who, { method: "GET", url: `/api/v1/measurements/missing-data${query}` });
  const check = (who: TestPerson) =>
    t.call<MissingDataCheck>(who, { method: "POST", url: "/api/v1/measurements/missing-data/check" });
  const record = async (who: TestPerson, metric: string, payload: object) => {
    const res = await t.call<{ id: string }>(who, {
      method: "POST",
      url: `/api/v1/metrics/${ids[metric]}/measurements`,
      payload,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  };
  const month = (m: number) => {
    const mm = String(m).padStart(2, "0");
    return {
      periodStart: `2026-${mm}-01`,
      periodEnd: `2026-${mm}-${m === 2 ? 28 : [4, 6].includes(m) ? 30 : 31}`,
    };
  };
  const audited = async () =>
    (
      await t.database.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.orgId, t.org.orgId), like(auditEvents.action, "missing_data.%")))
        .orderBy(asc(auditEvents.seq))
    ).map((e) => ({ action: e.action, actorId: e.actorId, data: e.data }));

  beforeAll(async () => {
    t = await createTestApp();
    const metric = async (payload: object) => {
      const res = await t.call<{ id: string }>("admin", { method: "POST", url: "/api/v1/metrics", payload });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id;
    };
    const base = { unit: "count", direction: "increase", indicatorType: "leading", aggregation: "sum" };
    // Monthly, stewarded, any missing month is a finding.
    ids.visits = await metric({
      ...base,
      key: "visits",
      name: "Site visits",
      period: "month",
      stewardId: t.org.people.steward,
      validationRules: { frequency: { action: "flag" } },
    });
    // Weekly, values due two days after the week, one missing week tolerated.
    ids.calls = await metric({
      ...base,
      key: "calls",
      name: "Calls made",
      period: "week",
      finalityLagDays: 2,
      validationRules: { frequency: { maxMissingPeriods: 1, action: "quarantine" } },
    });
    // No frequency rule: a stopped series is nobody's concern.
    ids.quiet = await metric({ ...base, key: "quiet", name: "Quiet", period: "month" });

    // visits: the organisation stopped after March; the Sales unit reports every month to June.
    for (const m of [1, 2, 3]) await record("admin", "visits", { value: 100 + m, ...month(m) });
    for (const m of [1, 2, 3, 4, 5, 6])
      await record("admin", "visits", {
        value: 10 + m,
        ...month(m),
        scopeType: "unit",
        scopeId: t.org.units.sales,
      });
    // calls: the organisation's last week is 8–14 June; the employee's is 15–21 June.
    await record("admin", "calls", { value: 40, periodStart: "2026-06-08", periodEnd: "2026-06-14" });
    await record("admin", "calls", {
      value: 7,
      periodStart: "2026-06-15",
      periodEnd: "2026-06-21",
      scopeType: "person",
      scopeId: t.org.people.employee,
    });
    await record("admin", "quiet", { value: 1, ...month(1) });
  });
  afterAll(() => t.close());

  it("is not for employees, managers or executives: 403 naming who may", async () => {
    for (const who of ["employee", "manager", "exec"] as const) {
      const res = await list(who);
      expect(res.status).toBe(403);
      expect((res.body as unknown as Problem).detail).toContain("data stewards");
    }
    const run = await check("employee");
    expect(run.status).toBe(403);
    expect((run.body as unknown as Problem).detail).toContain("missing-data check");
    expect((await list("hr")).body.items).toEqual([]);
  });

  it("opens an alert for each stopped series with the whole periods missing, none for reporting ones", async () => {
    const run = await check("hr");
    expect(run.status).toBe(200);
    // visits (org): last March, June due on 1 July → April, May, June = 3 > 0.
    // calls (org): last week 8–14 June; with the 2-day lag the week 22–28 June is due (28 + 2 < 1 July)
    //   → weeks of 15 and 22 June = 2 > 1 tolerated. calls (employee): only 22–28 June = 1, tolerated.
    // visits (Sales) reported June; quiet has no rule.
    expect(run.body).toEqual({ today: "2026-07-01", opened: 2, resolved: 0, open: 2 });
    const page = await list("hr");
    expect(page.body.items).toEqual([
      {
        id: expect.any(String),
        metric: { id: ids.calls, key: "calls", name: "Calls made", unit: "count", period: "week" },
        scopeType: "org",
        scopeId: t.org.orgId,
        scopeName: "Test Org",
        lastPeriodEnd: "2026-06-14",
        missingSince: "2026-06-15",
        periodsMissing: 2,
        maxMissingPeriods: 1,
        openedAt: "2026-07-01T09:00:00.000Z",
      },
      {
        id: expect.any(String),
        metric: { id: ids.visits, key: "visits", name: "Site visits", unit: "count", period: "month" },
        scopeType: "org",
        scopeId: t.org.orgId,
        scopeName: "Test Org",
        lastPeriodEnd: "2026-03-31",
        missingSince: "2026-04-01",
        periodsMissing: 3,
        maxMissingPeriods: 0,
        openedAt: "2026-07-01T09:00:00.000Z",
      },
    ]);
    ids.callsAlert = page.body.items[0]?.id ?? "";
    ids.visitsAlert = page.body.items[1]?.id ?? "";
    expect(await audited()).toEqual([
      {
        action: "missing_data.opened",
        actorId: t.org.people.hr,
        data: {
          metricId: ids.calls,
          metricKey: "calls",
          scopeType: "org",
          scopeId: t.org.orgId,
          lastPeriodEnd: "2026-06-14",
          missingSince: "2026-06-15",
          periodsMissing: 2,
          maxMissingPeriods: 1,
          today: "2026-07-01",
        },
      },
      {
        action: "missing_data.opened",
        actorId: t.org.people.hr,
        data: expect.objectContaining({ metricKey: "visits", periodsMissing: 3, missingSince: "2026-04-01" }),
      },
    ]);
  });

  it("runs again without opening a second alert; a steward sees their metrics' series, paged and filtered", async () => {
    expect((await check("steward")).body).toEqual({ today: "2026-07-01", opened: 0, resolved: 0, open: 2 });
    expect((await audited()).length).toBe(2);
    expect((await list("steward")).body.items.map((i) => i.id)).toEqual([ids.visitsAlert]);
    expect((await list("auditor")).body.items.length).toBe(2);
    const first = await list("hr", "?limit=1");
    expect(first.body.items.map((i) => i.id)).toEqual([ids.callsAlert]);
    const second = await list("hr", `?limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((i) => i.id)).toEqual([ids.visitsAlert]);
    expect(second.body.nextCursor).toBeNull();
    expect((await list("hr", `?metricId=${ids.visits}`)).body.items.map((i) => i.id)).toEqual([
      ids.visitsAlert,
    ]);
  });

  it("a value that arrives resolves the alert; a gap that remains opens one from the new start", async () => {
    await record("steward", "visits", { value: 104, ...month(4) });
    expect((await check("steward")).body).toEqual({ today: "2026-07-01", opened: 1, resolved: 1, open: 2 });
    const [resolved] = await t.database.db
      .select()
      .from(missingDataAlerts)
      .where(eq(missingDataAlerts.id, ids.visitsAlert ?? ""));
    expect(resolved).toMatchObject({ resolution: "value_arrived", resolvedAt: "2026-07-01 09:00:00+00" });
    const visits = (await list("hr", `?metricId=${ids.visits}`)).body.items;
    // April arrived: May and June are still missing.
    expect(visits.map((i) => [i.lastPeriodEnd, i.missingSince, i.periodsMissing])).toEqual([
      ["2026-04-30", "2026-05-01", 2],
    ]);

    await record("steward", "visits", { value: 105, ...month(5) });
    await record("steward", "visits", { value: 106, ...month(6) });
    expect((await check("steward")).body).toEqual({ today: "2026-07-01", opened: 0, resolved: 1, open: 1 });
    expect((await list("hr", `?metricId=${ids.visits}`)).body.items).toEqual([]);
    const events = await audited();
    expect(events.map((e) => e.action)).toEqual([
      "missing_data.opened",
      "missing_data.opened",
      "missing_data.resolved",
      "missing_data.opened",
      "missing_data.resolved",
    ]);
    expect(events[4]).toEqual({
      action: "missing_data.resolved",
      actorId: t.org.people.steward,
      data: {
        metricId: ids.visits,
        metricKey: "visits",
        scopeType: "org",
        scopeId: t.org.orgId,
        resolution: "value_arrived",
        missingSince: "2026-05-01",
        lastPeriodEndAtOpen: "2026-04-30",
        lastPeriodEnd: "2026-06-30",
        today: "2026-07-01",
      },
    });
  });

  it("a quarantined value does not count as arrived; turning the rule off resolves the alert", async () => {
    // calls quarantines on its own rule: a value for 15–21 June is kept out, so the week is still missing.
    await t.call("admin", {
      method: "PATCH",
      url: `/api/v1/metrics/${ids.calls}`,
      payload: {
        validationRules: {
          frequency: { maxMissingPeriods: 1, action: "flag" },
          range: { max: 10, action: "quarantine" },
        },
      },
    });
    await record("admin", "calls", { value: 99, periodStart: "2026-06-15", periodEnd: "2026-06-21" });
    expect((await check("hr")).body).toEqual({ today: "2026-07-01", opened: 0, resolved: 0, open: 1 });

    await t.call("admin", {
      method: "PATCH",
      url: `/api/v1/metrics/${ids.calls}`,
      payload: { validationRules: {} },
    });
    expect((await check("hr")).body).toEqual({ today: "2026-07-01", opened: 0, resolved: 1, open: 0 });
    const [alert] = await t.database.db
      .select()
      .from(missingDataAlerts)
      .where(eq(missingDataAlerts.id, ids.callsAlert ?? ""));
    expect(alert?.resolution).toBe("not_missing");
    expect((await list("hr")).body.items).toEqual([]);
  });
});
