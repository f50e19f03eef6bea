import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMetric } from "../../testing/metrics.ts";
import { createTestApp, type TestApp } from "../../testing/test-app.ts";
import { countMeasurements, createStepChangeMetric } from "./measurements.fixtures.ts";

type Problem = { status: number; errors?: { field: string; message: string }[] };

// The bulk route checks rows one by one in the service, not as a whole body; its headers it checks.
describe("POST /measurements: what the route itself checks", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await createMetric(t, "route_checks", { name: "Route checks", indicatorType: "leading" });
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

  it("judges each request against what the requests before it wrote, and against a correction made in between by another way in", async () => {
    const created = await createStepChangeMetric(t, "route_sequence");
    type Answer = { accepted: number; flagged: number; ids: (string | null)[] };
    const post = (days: [string, number][]) =>
      t.call<Answer>("admin", {
        method: "POST",
        url: "/api/v1/measurements",
        payload: days.map(([d, value]) => ({
          metricKey: "route_sequence",
          scopeType: "org",
          periodStart: d,
          periodEnd: d,
          value,
        })),
      });
    const first = await post([
      ["2026-01-01", 10],
      ["2026-01-02", 10],
    ]);
    expect([first.status, first.body.accepted]).toEqual([201, 2]);
    // the next request follows the first one's last value: 10 → 30 is +200 %
    const second = await post([["2026-01-03", 30]]);
    expect([second.body.accepted, second.body.flagged]).toEqual([0, 1]);
    // a correction through the single-value route: day 3 becomes 100
    const corrected = await t.call("admin", {
      method: "POST",
      url: `/api/v1/metrics/${created.id}/measurements`,
      payload: {
        scopeType: "org",
        periodStart: "2026-01-03",
        periodEnd: "2026-01-03",
        value: 100,
        supersedes: second.body.ids[0],
      },
    });
    expect(corrected.status).toBe(201);
    // judged against the corrected 100 (→ 110: +10 %), not the 30 the previous request wrote
    const third = await post([["2026-01-04", 110]]);
    expect([third.body.accepted, third.body.flagged]).toEqual([1, 0]);
  });

  it("judges requests in flight together, each on top of the one before it (a replay in between writes nothing)", async () => {
    await createStepChangeMetric(t, "route_in_flight");
    type Answer = { accepted: number; flagged: number; ids: (string | null)[] } & Problem;
    const post = (days: [string, number][], key?: string) =>
      t.call<Answer>("admin", {
        method: "POST",
        url: "/api/v1/measurements",
        headers: key ? { "idempotency-key": key } : {},
        payload: days.map(([d, value]) => ({
          metricKey: "route_in_flight",
          scopeType: "org",
          periodStart: d,
          periodEnd: d,
          value,
        })),
      });
    const before = await count();
    const firstDays: [string, number][] = [
      ["2026-03-01", 10],
      ["2026-03-02", 10],
    ];
    // none awaited before the next is sent: the later ones are judged while the first writes
    const [first, replay, one, other] = await Promise.all([
      post(firstDays, "in-flight-1"),
      post(firstDays, "in-flight-1"),
      post([["2026-03-03", 30]]),
      post([["2026-03-03", 30]]),
    ]);
    expect([first.status, first.body.accepted]).toEqual([201, 2]);
    expect(replay.body.ids).toEqual(first.body.ids);
    // The two values for 2026-03-03 may reach the server in either order (each request's session is
    // read on a connection of its own). The one judged first sees the first request's 10 (+200 %:
    // flagged); the other sees that value (perhaps not yet committed) holding the period: refused.
    const [won, lost] = one.status === 201 ? [one, other] : [other, one];
    expect([won.status, won.body.accepted, won.body.flagged]).toEqual([201, 0, 1]);
    expect(lost.status).toBe(400);
    expect(lost.body.errors?.[0]?.message).toContain(`already recorded (measurement ${won.body.ids[0]})`);
    expect(await count()).toBe(before + 3);
  });
});
