import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { organizations } from "../../db/schema.ts";
import { createTestApp, type TestApp } from "../../testing/test-app.ts";
import type { BulkMeasurementResult, Measurement } from "./measurements.schema.ts";

type Problem = { status: number; detail: string; errors?: { field: string; message: string }[] };

/** Times in rows: dates, local date-times and instants, normalised to the organisation's zone and the metric's period. */
describe("measurement times and periods (organisation in Europe/Amsterdam)", () => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  const record = <T = Measurement>(metric: string, payload: object) =>
    t.call<T>("admin", { method: "POST", url: `/api/v1/metrics/${ids[metric]}/measurements`, payload });
  const bulk = <T = BulkMeasurementResult>(payload: object[]) =>
    t.call<T>("admin", { method: "POST", url: "/api/v1/measurements", payload });
  const fiscalYearFrom = (month: number) =>
    t.database.db
      .update(organizations)
      .set({ fiscalYearStartMonth: month })
      .where(eq(organizations.id, t.org.orgId));
  const periodsOf = async (metric: string) =>
    (
      await t.call<{ items: Measurement[] }>("admin", {
        method: "GET",
        url: `/api/v1/metrics/${ids[metric]}/measurements`,
      })
    ).body.items.map((m) => [m.periodStart, m.periodEnd, m.value]);

  beforeAll(async () => {
    t = await createTestApp({ now: "2026-11-23T12:00:00Z" });
    await t.database.db
      .update(organizations)
      .set({ timeZone: "Europe/Amsterdam", fiscalYearStartMonth: 4 })
      .where(eq(organizations.id, t.org.orgId));
    const base = { unit: "count", direction: "increase", indicatorType: "leading", aggregation: "sum" };
    for (const period of ["day", "week", "month", "quarter"])
      ids[period] = (
        await t.call<{ id: string }>("admin", {
          method: "POST",
          url: "/api/v1/metrics",
          payload: { ...base, key: `per_${period}`, name: `Per ${period}`, period },
        })
      ).body.id;
  });
  afterAll(() => t.close());

  it("400 for a time that does not exist or is not a time, naming the field and the reason; nothing written", async () => {
    const gap = await record<Problem>("day", { value: 1, at: "2026-03-29T02:30" });
    expect(gap.status).toBe(400);
    expect(gap.body.errors).toEqual([
      {
        field: "at",
        message: expect.stringContaining(
          "2026-03-29T02:30 does not exist in Europe/Amsterdam: the clocks skip it",
        ),
      },
    ]);
    const bad = await record<Problem>("day", { value: 1, periodStart: "2026-02-29T10:00:00Z" });
    expect(bad.body.errors).toEqual([
      { field: "periodStart", message: "2026-02-29 is not a date that exists" },
    ]);
    const shape = await record<Problem>("day", { value: 1, periodStart: "31/03/2026" });
    expect(shape.body.errors?.[0]).toMatchObject({
      field: "periodStart",
      message: expect.stringContaining('"31/03/2026" is not a time; write a date (2026-03-31)'),
    });
    const both = await record<Problem>("month", { value: 1, at: "2026-04-02", periodStart: "2026-04-01" });
    expect(both.body.errors).toEqual([
      {
        field: "at",
        message: "give either at (a moment in the metric's period) or periodStart/periodEnd, not both",
      },
    ]);
    const none = await record<Problem>("month", { value: 1 });
    expect(none.body.errors?.[0]?.field).toBe("periodStart");
    const future = await record<Problem>("month", { value: 1, at: "2026-11-23T23:30:00Z" });
    expect(future.body.errors).toEqual([
      {
        field: "at",
        message: "2026-11-24 is in the future (today is 2026-11-23); record values once they happen",
      },
    ]);
    expect(await periodsOf("day")).toEqual([]);
    expect(await periodsOf("month")).toEqual([]);
  });

  it("one value: at gives the metric's period; an instant crossing midnight lands in the next month", async () => {
    const res = await record("month", { value: 7, at: "2026-03-31T23:30:00Z" });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ periodStart: "2026-04-01", periodEnd: "2026-04-30", value: 7 });
    // periodStart in each form is taken as the organisation's date
    const local = await record("day", { value: 1, periodStart: "2026-05-10T08:15" });
    expect(local.body).toMatchObject({ periodStart: "2026-05-10", periodEnd: "2026-05-10" });
    const instant = await record("day", { value: 2, periodStart: "2026-05-31T22:30:00Z" });
    expect(instant.body).toMatchObject({ periodStart: "2026-06-01", periodEnd: "2026-06-01" });
    const offset = await record("day", {
      value: 3,
      periodStart: "2026-06-02T00:30:00+02:00",
      periodEnd: "2026-06-03T23:59:59+02:00",
    });
    expect(offset.body).toMatchObject({ periodStart: "2026-06-02", periodEnd: "2026-06-03" });
    expect(await periodsOf("day")).toEqual([
      ["2026-05-10", "2026-05-10", 1],
      ["2026-06-01", "2026-06-01", 2],
      ["2026-06-02", "2026-06-03", 3],
    ]);
  });

  it("bulk: the three forms and at, a spring-forward gap rejected as rows[3].at, fiscal quarters", async () => {
    await fiscalYearFrom(4);
    const res = await bulk([
      { metricKey: "per_day", value: 10, periodStart: "2026-01-05" },
      { metricKey: "per_day", value: 11, periodStart: "2026-01-06T09:00" },
      { metricKey: "per_day", value: 12, periodStart: "2026-01-06T23:30:00Z" }, // 00:30 on the 7th in Amsterdam
      { metricKey: "per_day", value: 13, at: "2026-03-29T02:15:00" }, // the clocks skip 02:00–03:00
      { metricKey: "per_day", value: 14, at: "2026-10-25T02:30" }, // happens twice; one date
      { metricKey: "per_week", value: 20, at: "2026-03-29T23:30:00+02:00" }, // Sunday of the DST change
      { metricKey: "per_week", value: 21, at: "2020-12-31T23:30:00Z" }, // 2021-01-01: ISO week 53 of 2020
      { metricKey: "per_quarter", value: 30, at: "2026-02-15" }, // fiscal Q4 (January–March)
      { metricKey: "per_quarter", value: 31, at: "2026-03-31T22:30:00Z" }, // 00:30 on April 1: fiscal Q1
    ]);
    expect(res.status).toBe(201);
    expect(res.body.counts).toEqual({ accepted: 8, flagged: 0, quarantined: 0, rejected: 1 });
    expect(res.body.rejected).toEqual([
      {
        index: 3,
        field: "at",
        message: expect.stringContaining("2026-03-29T02:15 does not exist in Europe/Amsterdam"),
      },
    ]);
    expect(await periodsOf("day")).toEqual(
      expect.arrayContaining([
        ["2026-01-05", "2026-01-05", 10],
        ["2026-01-06", "2026-01-06", 11],
        ["2026-01-07", "2026-01-07", 12],
        ["2026-10-25", "2026-10-25", 14],
      ]),
    );
    expect(await periodsOf("week")).toEqual([
      ["2026-03-23", "2026-03-29", 20],
      ["2020-12-28", "2021-01-03", 21],
    ]);
    expect(await periodsOf("quarter")).toEqual([
      ["2026-01-01", "2026-03-31", 30],
      ["2026-04-01", "2026-06-30", 31],
    ]);

    // A fiscal year from November: quarters Nov–Jan, Feb–Apr, … cross the calendar's.
    await fiscalYearFrom(11);
    const nov = await bulk([{ metricKey: "per_quarter", value: 32, at: "2026-01-31T23:30:00Z" }]);
    expect(nov.status).toBe(201);
    expect(await periodsOf("quarter")).toContainEqual(["2026-02-01", "2026-04-30", 32]);
    await fiscalYearFrom(4);
  });

  it("bulk: 400 naming each row's time field when no row can be written", async () => {
    const res = await bulk<Problem>([
      { metricKey: "per_month", value: 1, at: "2026-03-08T25:00" },
      { metricKey: "per_month", value: 1, periodStart: "2026-04-01", periodEnd: "2026-04-31" },
    ]);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { field: "rows[0].at", message: expect.stringContaining("25:00 is not a time of day") },
      { field: "rows[1].periodEnd", message: "2026-04-31 is not a date that exists" },
    ]);
  });
});
