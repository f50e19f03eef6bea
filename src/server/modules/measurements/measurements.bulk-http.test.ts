import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../testing/test-app.ts";
import { countMeasurements } from "./measurements.fixtures.ts";

type Problem = { status: number; errors?: { field: string; message: string }[] };

// The bulk route checks rows one by one in the service, not as a whole body; its headers it checks.
describe("POST /measurements: what the route itself checks", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    const res = await t.call("admin", {
      method: "POST",
      url: "/api/v1/metrics",
      payload: {
        key: "route_checks",
        name: "Route checks",
        unit: "count",
        direction: "increase",
        indicatorType: "leading",
        aggregation: "sum",
      },
    });
    expect(res.status).toBe(201);
  });
  afterAll(async () => t.close());

  const count = () => countMeasurements(t);
  const row = (value: unknown) => ({
    metricKey: "route_checks",
    scopeType: "org",
    periodStart: "2026-01-01",
    periodEnd: "2026-01-31",
    value,
  });

  it("refuses an Idempotency-Key longer than 255 characters, naming the header, and writes nothing", async () => {
    const before = await count();
    const res = await t.call<Problem>("admin", {
      method: "POST",
      url: "/api/v1/measurements",
      payload: [row(5)],
      headers: { "idempotency-key": "k".repeat(256) },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors?.map((e) => e.field)).toEqual(["headers.idempotency-key"]);
    expect(await count()).toBe(before);
  });

  it("takes a body whose rows do not all fit the schema: the bad row is rejected by name, the good one written", async () => {
    const before = await count();
    const res = await t.call<{ accepted: number; rejected: { index: number; field: string }[] }>("admin", {
      method: "POST",
      url: "/api/v1/measurements",
      payload: [row("ten"), { ...row(7), periodStart: "2026-02-01", periodEnd: "2026-02-28" }],
    });
    expect(res.status).toBe(201);
    expect(res.body.accepted).toBe(1);
    expect(res.body.rejected.map((r) => [r.index, r.field])).toEqual([[0, "value"]]);
    expect(await count()).toBe(before + 1);
  });
});
