import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, measurementReviews, measurements } from "../../db/schema.ts";
import { createTestApp, type TestApp, type TestPerson } from "../../testing/test-app.ts";
import { insertGoal } from "../progress/progress.fixtures.ts";
import type { Measurement, MeasurementReview, QuarantinedMeasurement } from "./measurements.schema.ts";

type Problem = { status: number; detail: string; errors?: { field: string; message: string }[] };
type Page = { items: QuarantinedMeasurement[]; nextCursor: string | null };
const MISSING = "0190f000-0000-7000-8000-000000000000";
const month = (m: number) => {
  const mm = String(m).padStart(2, "0");
  return { periodStart: `2026-${mm}-01`, periodEnd: `2026-${mm}-28` };
};

describe("quarantine review", () => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  const record = (who: TestPerson, metric: string, payload: object) =>
    t.call<Measurement>(who, {
      method: "POST",
      url: `/api/v1/metrics/${ids[metric]}/measurements`,
      payload,
    });
  const queue = (who: TestPerson, query = "") =>
    t.call<Page>(who, { method: "GET", url: `/api/v1/measurements/quarantine${query}` });
  const review = <T = MeasurementReview>(who: TestPerson, id: string, payload: object) =>
    t.call<T>(who, { method: "POST", url: `/api/v1/measurements/${id}/review`, payload });
  const attainment = async () =>
    (
      await t.call<{ progress: { attainment: number | null } }>("admin", {
        method: "GET",
        url: `/api/v1/goals/${ids.goal}`,
      })
    ).body.progress.attainment;

  beforeAll(async () => {
    t = await createTestApp();
    const metric = async (payload: object) =>
      (await t.call<{ id: string }>("admin", { method: "POST", url: "/api/v1/metrics", payload })).body.id;
    const base = { unit: "count", direction: "increase", indicatorType: "leading", aggregation: "sum" };
    ids.visits = await metric({
      ...base,
      key: "visits",
      name: "Site visits",
      stewardId: t.org.people.steward,
      validationRules: {
        range: { min: 0, max: 500, action: "quarantine" },
        duplicate: { action: "quarantine" },
      },
    });
    ids.other = await metric({
      ...base,
      key: "other",
      name: "Other",
      validationRules: { range: { max: 10, action: "quarantine" } },
    });
    ids.goal = await insertGoal(t.database.db, t.org, {
      kind: "metric",
      metricId: ids.visits,
      scopeType: "org",
      baselineValue: 0,
      targetValue: 1000,
    });
  });
  afterAll(() => t.close());

  it("a quarantined value is written but not counted, and queued with its findings", async () => {
    expect((await record("steward", "visits", { value: 200, ...month(1) })).body.validationState).toBe(
      "accepted",
    );
    const feb = await record("steward", "visits", { value: 600, ...month(2) });
    expect(feb.status).toBe(201);
    expect(feb.body).toMatchObject({
      value: 600,
      validationState: "quarantined",
      findings: [{ rule: "range", outcome: "quarantine", message: "600 is above the allowed maximum 500" }],
    });
    ids.feb = feb.body.id;
    ids.otherQ = (await record("admin", "other", { value: 99, ...month(1) })).body.id;
    // visits so far: 200 of 1000 (the quarantined 600 does not count)
    expect(await attainment()).toBeCloseTo(0.2);

    const mine = await queue("steward");
    expect(mine.status).toBe(200);
    expect(mine.body.items).toEqual([
      {
        id: ids.feb,
        metric: { id: ids.visits, key: "visits", name: "Site visits", unit: "count" },
        scopeType: "org",
        scopeId: t.org.orgId,
        scopeName: "Test Org",
        ...month(2),
        value: 600,
        source: "api",
        recordedAt: expect.any(String),
        recordedBy: t.org.people.steward,
        supersedesId: null,
        supersedesValue: null,
        note: "",
        findings: [{ rule: "range", outcome: "quarantine", message: "600 is above the allowed maximum 500" }],
      },
    ]);
    expect(mine.body.nextCursor).toBeNull();
  });

  it("the performance office sees every metric's queue, filtered and paged; others 403", async () => {
    const all = await queue("hr");
    expect(all.body.items.map((i) => i.metric.key)).toEqual(["visits", "other"]);
    const first = await queue("hr", "?limit=1");
    expect(first.body.items.map((i) => i.id)).toEqual([ids.feb]);
    const second = await queue("hr", `?limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((i) => i.id)).toEqual([ids.otherQ]);
    expect(second.body.nextCursor).toBeNull();
    expect((await queue("hr", `?metricId=${ids.other}`)).body.items.map((i) => i.id)).toEqual([ids.otherQ]);
    const employee = await queue("employee");
    expect(employee.status).toBe(403);
    expect((employee.body as unknown as Problem).detail).toContain("data stewards");
  });

  it("a decision needs a reason and the right person: 400, 403, 404", async () => {
    const blank = await review<Problem>("steward", ids.feb ?? "", { decision: "accept", reason: "  " });
    expect(blank.status).toBe(400);
    expect(blank.body.errors).toEqual([{ field: "reason", message: "give the reason for the decision" }]);
    const other = await review<Problem>("steward", ids.otherQ ?? "", { decision: "accept", reason: "ok" });
    expect(other.status).toBe(403);
    expect(other.body.detail).toContain("steward of metric other");
    expect((await review("employee", ids.feb ?? "", { decision: "accept", reason: "ok" })).status).toBe(403);
    expect((await review("hr", MISSING, { decision: "accept", reason: "ok" })).status).toBe(404);
    expect(await attainment()).toBeCloseTo(0.2);
  });

  it("the steward accepts: the value counts from then on, the goal moves, the queue empties, audited", async () => {
    const res = await review("steward", ids.feb ?? "", {
      decision: "accept",
      reason: "confirmed with web analytics: a campaign week",
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      measurementId: ids.feb,
      decision: "accept",
      reason: "confirmed with web analytics: a campaign week",
      reviewedBy: t.org.people.steward,
      validationState: "accepted",
    });
    // 200 + 600 of 1000
    expect(await attainment()).toBeCloseTo(0.8);
    expect((await queue("steward")).body.items).toEqual([]);
    const [row] = await t.database.db
      .select()
      .from(measurements)
      .where(and(eq(measurements.orgId, t.org.orgId), eq(measurements.id, ids.feb ?? "")));
    expect([row?.value, row?.validationState]).toEqual([600, "accepted"]);
    const [event] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, t.org.orgId), eq(auditEvents.action, "measurement.review_accepted")));
    expect(event?.entityId).toBe(ids.feb);
    expect(event?.actorId).toBe(t.org.people.steward);
    expect(event?.data).toMatchObject({
      value: 600,
      reason: "confirmed with web analytics: a campaign week",
      findings: ["range"],
    });
  });

  it("409 for a second decision and for a value that is not quarantined", async () => {
    const again = await review<Problem>("hr", ids.feb ?? "", { decision: "reject", reason: "no" });
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain("already reviewed: accepted");
    const plain = await record("steward", "visits", { value: 100, ...month(3) });
    const notQ = await review<Problem>("steward", plain.body.id, { decision: "accept", reason: "fine" });
    expect(notQ.status).toBe(409);
    expect(notQ.body.detail).toContain("is accepted, not quarantined");
  });

  it("a rejected value stays out of every figure and leaves the queue; audited with the reason", async () => {
    const res = await review("hr", ids.otherQ ?? "", {
      decision: "reject",
      reason: "test data from staging",
    });
    expect(res.body.validationState).toBe("quarantined");
    expect((await queue("hr")).body.items).toEqual([]);
    const reviews = await t.database.db
      .select()
      .from(measurementReviews)
      .where(eq(measurementReviews.orgId, t.org.orgId));
    expect(reviews.map((r) => [r.measurementId, r.decision])).toEqual([
      [ids.feb, "accept"],
      [ids.otherQ, "reject"],
    ]);
    const [event] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, t.org.orgId), eq(auditEvents.action, "measurement.review_rejected")));
    expect(event?.data).toMatchObject({ value: 99, reason: "test data from staging" });
  });

  it("a quarantined duplicate is a correction in waiting: accepting it replaces the value, unless the period moved on", async () => {
    const apr = await record("steward", "visits", { value: 100, ...month(4) });
    const dup = await record("steward", "visits", { value: 150, ...month(4) });
    expect(dup.body).toMatchObject({ validationState: "quarantined", supersedesId: apr.body.id });
    expect(dup.body.findings?.[0]?.message).toBe(
      `duplicate: measurement ${apr.body.id} already gives this metric, scope and period from the same source`,
    );
    // correcting the quarantined row itself is refused: it does not count
    const fixQ = await record("steward", "visits", { value: 160, ...month(4), supersedes: dup.body.id });
    expect(fixQ.status).toBe(409);
    // 200 + 600 + 100 (March) + 100 (April) = 1000
    expect(await attainment()).toBeCloseTo(1.0);
    expect(
      (await review("steward", dup.body.id, { decision: "accept", reason: "the later export is right" }))
        .status,
    ).toBe(200);
    expect(await attainment()).toBeCloseTo(1.05);

    // A duplicate waits while someone corrects the value it duplicates: accepting it now is a conflict.
    const may = await record("steward", "visits", { value: 10, ...month(5) });
    const mayDup = await record("steward", "visits", { value: 20, ...month(5) });
    const fix = await record("steward", "visits", { value: 30, ...month(5), supersedes: may.body.id });
    expect(fix.status).toBe(201);
    const late = await review<Problem>("steward", mayDup.body.id, { decision: "accept", reason: "late" });
    expect(late.status).toBe(409);
    expect(late.body.detail).toContain(`this period now counts measurement ${fix.body.id} (value 30)`);
  });
});
