import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "../../../domain/dates.ts";
import { auditEvents, measurements } from "../../db/schema.ts";
import { createMetric } from "../../testing/metrics.ts";
import { createTestApp, type TestApp, type TestPerson } from "../../testing/test-app.ts";
import { digestRows, LISTED_ROWS } from "./measurements.digest.ts";
import { countMeasurements } from "./measurements.fixtures.ts";
import type { BulkMeasurementResult } from "./measurements.schema.ts";

// Bulk writes of the largest size, and what their audit events hold (a digest, not the rows).
describe("bulk measurements: full-size requests and their audit", () => {
  let t: TestApp;
  const post = <T = BulkMeasurementResult>(who: TestPerson | null, payload: unknown) =>
    t.call<T>(who, { method: "POST", url: "/api/v1/measurements", payload: payload as object });
  const count = () => countMeasurements(t);

  beforeAll(async () => {
    t = await createTestApp();
    await createMetric(t, "daily", { name: "Daily", indicatorType: "leading", period: "day" });
  });
  afterAll(() => t.close());

  it("takes 5,000 rows in one request", async () => {
    const before = await count();
    const rows = Array.from({ length: 5000 }, (_, i) => ({
      metricKey: "daily",
      value: i,
      periodStart: addDays("2026-06-30", -i),
    }));
    const res = await post("admin", rows);
    expect(res.status).toBe(201);
    expect(res.body.accepted).toBe(5000);
    expect(await count()).toBe((before ?? 0) + 5000);
    // a batch this large is audited by its digest, not row by row
    const stored = await t.database.db
      .select()
      .from(measurements)
      .where(and(eq(measurements.orgId, t.org.orgId), eq(measurements.batchId, res.body.batchId)));
    const [event] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, t.org.orgId), eq(auditEvents.entityId, res.body.batchId)));
    expect(stored.length).toBeGreaterThan(LISTED_ROWS);
    expect(event?.data).toMatchObject({ accepted: 5000, corrections: [] });
    expect(event?.data).not.toHaveProperty("rows");
    expect(event?.data.digest).toEqual(
      digestRows(
        stored.map((r) => ({ ...r, periodStart: String(r.periodStart), periodEnd: String(r.periodEnd) })),
      ),
    );
    expect(event?.data).toMatchObject({ digest: { count: 5000 } });
  });

  // Speed is the benchmark's business (bench/); this checks the outcome of a large re-send.
  it("5,000 rows under every rule, then the same rows again: all quarantined as duplicates", async () => {
    await t.call("admin", {
      method: "POST",
      url: "/api/v1/metrics",
      payload: {
        key: "ruled_daily",
        name: "Ruled daily",
        unit: "count",
        direction: "increase",
        indicatorType: "leading",
        aggregation: "sum",
        period: "day",
        validationRules: {
          range: { min: 0, action: "quarantine" },
          stepChange: { maxPercent: 50, action: "flag" },
          frequency: { action: "flag" },
          duplicate: { action: "quarantine" },
          outlier: { action: "quarantine" },
        },
      },
    });
    const rows = Array.from({ length: 5000 }, (_, i) => ({
      metricKey: "ruled_daily",
      value: 100 + (i % 7),
      periodStart: addDays("2012-06-01", i),
    }));
    const first = await post("admin", rows);
    expect(first.body.counts).toEqual({ accepted: 5000, flagged: 0, quarantined: 0, rejected: 0 });
    const again = await post("admin", rows);
    expect(again.body.counts).toEqual({ accepted: 0, flagged: 0, quarantined: 5000, rejected: 0 });
  });
  // Runs last: it changes a stored row behind the API's back.
  it("the audit verification finds a stored row of a bulk write that was changed afterwards", async () => {
    type Verification = { ok: boolean; checked: number; firstBreak?: { seq: number; reason: string } };
    const verify = async () =>
      (await t.call<Verification>("auditor", { method: "GET", url: "/api/v1/audit-events/verify" })).body;
    expect(await verify()).toMatchObject({ ok: true });
    const written = await post("admin", [
      { metricKey: "daily", value: 40, periodStart: "2010-01-01" },
      { metricKey: "daily", value: 41, periodStart: "2010-01-02" },
    ]);
    const [event] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, t.org.orgId), eq(auditEvents.entityId, written.body.batchId)));
    await t.database.db.execute(
      sql`update measurements set value = 14 where org_id = ${t.org.orgId} and id = ${written.body.ids[1]}`,
    );
    expect(await verify()).toMatchObject({
      ok: false,
      firstBreak: {
        seq: event?.seq,
        reason: `the measurements of batch ${written.body.batchId} no longer match the digest its event recorded`,
      },
    });
    await t.database.db.execute(
      sql`delete from measurements where org_id = ${t.org.orgId} and id = ${written.body.ids[1]}`,
    );
    expect((await verify()).firstBreak?.reason).toBe(
      `batch ${written.body.batchId} recorded 2 measurements; the database holds 1`,
    );
  });
});
