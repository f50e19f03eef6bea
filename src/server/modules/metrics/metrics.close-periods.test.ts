import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../testing/test-app.ts";

type Page = { items: { value: number; periodEnd: string; provisional: boolean }[] };

/** Today is 2026-07-01. A 90-day finality lag keeps April (ends 30 April) provisional until 29 July. */
describe("POST /api/v1/metrics/{id}/close-periods", () => {
  let t: TestApp;
  let metricId: string;
  const series = async () =>
    (
      await t.call<Page>("steward", {
        method: "GET",
        url: `/api/v1/metrics/${metricId}/measurements?scopeType=org`,
      })
    ).body.items;

  beforeAll(async () => {
    t = await createTestApp();
    const created = await t.call<{ id: string }>("hr", {
      method: "POST",
      url: "/api/v1/metrics",
      payload: {
        key: "late_invoices",
        name: "Late invoices",
        unit: "count",
        direction: "decrease",
        indicatorType: "lagging",
        aggregation: "sum",
        finalityLagDays: 90,
        stewardId: t.org.people.steward,
      },
    });
    metricId = created.body.id;
    for (const [periodStart, periodEnd, value] of [
      ["2026-04-01", "2026-04-30", 12],
      ["2026-05-01", "2026-05-31", 9],
    ] as const) {
      const res = await t.call("steward", {
        method: "POST",
        url: `/api/v1/metrics/${metricId}/measurements`,
        payload: { periodStart, periodEnd, value },
      });
      expect(res.status).toBe(201);
    }
  });
  afterAll(() => t.close());

  it("values within the finality lag are provisional until the steward closes their periods", async () => {
    expect((await series()).map((m) => [m.periodEnd, m.provisional])).toEqual([
      ["2026-04-30", true],
      ["2026-05-31", true],
    ]);
    const closed = await t.call<{ closedThrough: string }>("steward", {
      method: "POST",
      url: `/api/v1/metrics/${metricId}/close-periods`,
      payload: { through: "2026-04-30" },
    });
    expect(closed.status).toBe(200);
    expect(closed.body.closedThrough).toBe("2026-04-30");
    expect((await series()).map((m) => [m.periodEnd, m.provisional])).toEqual([
      ["2026-04-30", false],
      ["2026-05-31", true],
    ]);
    const audit = await t.call<{ items: { action: string; data: unknown }[] }>("auditor", {
      method: "GET",
      url: "/api/v1/audit-events?limit=200",
    });
    expect(audit.body.items.find((e) => e.action === "metric.periods_closed")?.data).toEqual({
      from: null,
      through: "2026-04-30",
    });
  });

  it("refuses a future day and a close earlier than one already made, naming `through`", async () => {
    const future = await t.call<{ errors: { field: string; message: string }[] }>("steward", {
      method: "POST",
      url: `/api/v1/metrics/${metricId}/close-periods`,
      payload: { through: "2026-07-02" },
    });
    expect(future.status).toBe(400);
    expect(future.body.errors[0]).toEqual({
      field: "through",
      message: "must not be in the future (today is 2026-07-01): a period closes once it has ended",
    });
    const earlier = await t.call<{ errors: { field: string; message: string }[] }>("steward", {
      method: "POST",
      url: `/api/v1/metrics/${metricId}/close-periods`,
      payload: { through: "2026-03-31" },
    });
    expect(earlier.status).toBe(409);
    expect(earlier.body.errors[0]?.message).toBe(
      "periods are already closed through 2026-04-30; a close is not undone",
    );
  });
});
