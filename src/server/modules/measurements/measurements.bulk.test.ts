import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, goalProgress, measurementFindings, measurements } from "../../db/schema.ts";
import { createTestApp, type TestApp, type TestPerson } from "../../testing/test-app.ts";
import { insertGoal } from "../progress/progress.fixtures.ts";
import { writeMeasurementRows } from "./measurements.bulk.ts";
import { digestRows } from "./measurements.digest.ts";
import { countMeasurements } from "./measurements.fixtures.ts";
import type { BulkMeasurementResult, BulkMeasurementRow, Measurement } from "./measurements.schema.ts";

type Problem = { status: number; detail: string; errors?: { field: string; message: string }[] };

describe("bulk measurements", () => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  const post = <T = BulkMeasurementResult>(who: TestPerson | null, payload: unknown, key?: string) =>
    t.call<T>(who, {
      method: "POST",
      url: "/api/v1/measurements",
      payload: payload as object,
      ...(key ? { headers: { "idempotency-key": key } } : {}),
    });
  const count = () => countMeasurements(t);
  const attainment = async () =>
    (
      await t.database.db
        .select()
        .from(goalProgress)
        .where(eq(goalProgress.goalId, ids.goal ?? ""))
    )[0]?.attainment;
  const series = async (metric: string) =>
    (
      await t.call<{ items: Measurement[] }>("admin", {
        method: "GET",
        url: `/api/v1/metrics/${ids[metric]}/measurements?scopeType=unit&scopeId=${t.org.units.salesTeam}`,
      })
    ).body.items;
  const month = (m: number) => {
    const mm = String(m).padStart(2, "0");
    return { periodStart: `2026-${mm}-01`, periodEnd: `2026-${mm}-28` };
  };
  const team = () => ({ scopeType: "unit", scopeId: t.org.units.salesTeam });
  /** Good rows: calls per month for the organisation and for the sales team, by key and by id. */
  const good = () => [
    { metricKey: "calls", value: 10, ...month(1) },
    { metricKey: "calls", value: 12, ...month(2) },
    { metricId: ids.calls, value: 4, ...month(1), ...team() },
    { metricId: ids.calls, metricKey: "calls", value: 6, ...month(2), ...team() },
    { metricKey: "csat", value: 71.5, ...month(1), note: "survey" },
  ];

  beforeAll(async () => {
    t = await createTestApp();
    const metric = async (payload: object) =>
      (await t.call<{ id: string }>("admin", { method: "POST", url: "/api/v1/metrics", payload })).body.id;
    const base = { unit: "count", direction: "increase", indicatorType: "leading" };
    ids.calls = await metric({
      ...base,
      key: "calls",
      name: "Calls",
      aggregation: "sum",
      stewardId: t.org.people.steward,
    });
    ids.daily = await metric({ ...base, key: "daily", name: "Daily", aggregation: "sum", period: "day" });
    ids.csat = await metric({ ...base, key: "csat", name: "CSAT", unit: "score", aggregation: "last" });
    ids.share = await metric({
      ...base,
      key: "share",
      name: "Share",
      unit: "percent",
      aggregation: "last",
      validationRules: {
        range: { min: 10, max: 90, action: "quarantine" },
        stepChange: { maxAbsolute: 20, action: "flag" },
        duplicate: { action: "quarantine" },
      },
    });
    ids.goal = await insertGoal(t.database.db, t.org, {
      kind: "metric",
      metricId: ids.calls,
      scopeType: "unit",
      scopeId: t.org.units.salesTeam,
      baselineValue: 0,
      targetValue: 100,
    });
  });
  afterAll(() => t.close());

  it("401 signed out; 403 naming the metrics the caller may not record, nothing written", async () => {
    expect((await post(null, good())).status).toBe(401);
    expect((await post("employee", good())).status).toBe(403);
    const steward = await post<Problem>("steward", good());
    expect(steward.status).toBe(403);
    expect(steward.body.detail).toContain("you may not record csat");
    expect(await count()).toBe(0);
  });

  it("400 for a body that is not 1..5,000 rows, and when no row can be written", async () => {
    expect((await post<Problem>("admin", [])).body.errors?.map((e) => e.field)).toEqual(["rows"]);
    const tooMany = Array.from({ length: 5001 }, () => good()[0]);
    expect((await post<Problem>("admin", tooMany)).body.errors?.[0]?.field).toBe("rows");
    expect((await post<Problem>("admin", { rows: good() })).status).toBe(400);
    const res = await post<Problem>("admin", [
      { metricKey: "nope", value: 1, ...month(1) },
      { value: 1, ...month(1) },
      { ...good()[2], scopeId: t.org.people.employee },
      { ...good()[3], metricKey: "csat" },
      { metricKey: "csat", value: 1, periodStart: "2026-08-01" },
      { metricKey: "csat", value: "seventy", ...month(1) },
      { metricKey: "csat", value: 1, ...month(1), colour: "red" },
    ]);
    expect(res.status).toBe(400);
    expect(res.body.errors?.map((e) => e.field)).toEqual([
      "rows[0].metricKey",
      "rows[1].metricId",
      "rows[2].scopeId",
      "rows[3].metricKey",
      "rows[4].periodStart",
      "rows[5].value",
      "rows[6]",
    ]);
    expect(res.body.errors?.[6]?.message).toContain("colour");
    expect(await count()).toBe(0);
  });

  it("partial acceptance: malformed rows are rejected by index, field and reason; the rest written once, audited, recomputed", async () => {
    const rows: unknown[] = good();
    rows[3] = { ...good()[3], value: "six" };
    rows.push({ metricKey: "calls", value: 1, periodStart: "2026-13-01" });
    const res = await post("steward", rows.slice(0, 4).concat(rows.slice(5)), "batch-1");
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      accepted: 3,
      flagged: 0,
      quarantined: 0,
      counts: { accepted: 3, flagged: 0, quarantined: 0, rejected: 2 },
      rejected: [
        { index: 3, field: "value", message: expect.stringContaining("number") },
        { index: 4, field: "periodStart", message: "2026-13-01 is not a date that exists" },
      ],
    });
    expect(res.body.ids.map((id) => id !== null)).toEqual([true, true, true, false, false]);
    const rowsNow = await t.database.db
      .select()
      .from(measurements)
      .where(eq(measurements.orgId, t.org.orgId))
      .orderBy(measurements.id);
    expect(rowsNow.map((r) => [r.id, r.value, r.validationState, r.batchId])).toEqual([
      [res.body.ids[0], 10, "accepted", res.body.batchId],
      [res.body.ids[1], 12, "accepted", res.body.batchId],
      [res.body.ids[2], 4, "accepted", res.body.batchId],
    ]);
    const events = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, t.org.orgId), eq(auditEvents.action, "measurement.bulk_recorded")));
    expect(events).toHaveLength(1);
    expect(events[0]?.data).toMatchObject({ accepted: 3, flagged: 0, quarantined: 0 });
    // the event's digest is the digest of the rows as stored: a changed row would no longer match
    const stored = rowsNow.map((r) => ({
      ...r,
      periodStart: String(r.periodStart),
      periodEnd: String(r.periodEnd),
    }));
    expect(events[0]?.data.digest).toEqual(digestRows(stored));
    expect(events[0]?.data).toMatchObject({ rows: [{ value: 10 }, { value: 12 }, { value: 4 }] });
    // the sales team's calls: 4 of the target 100
    expect(await attainment()).toBeCloseTo(0.04);
  });

  it("a retry with the same key writes nothing and answers the same; another body with it is a 409", async () => {
    const before = await count();
    const rows: unknown[] = good().slice(0, 4);
    rows[3] = { ...good()[3], value: "six" };
    const retry = await post(
      "steward",
      [...rows, { metricKey: "calls", value: 1, periodStart: "2026-13-01" }],
      "batch-1",
    );
    expect(retry.status).toBe(201);
    expect(retry.headers["idempotent-replayed"]).toBe("true");
    expect(retry.body.counts).toEqual({ accepted: 3, flagged: 0, quarantined: 0, rejected: 2 });
    expect(await count()).toBe(before);
    expect((await post<Problem>("steward", good().slice(0, 3), "batch-1")).status).toBe(409);
  });

  it("a recorded period without `supersedes`, or twice in one request, is rejected; a correction replaces the value", async () => {
    const dup = await post("admin", [good()[4], good()[0], { metricKey: "csat", value: 70, ...month(1) }]);
    expect(dup.status).toBe(201);
    expect(dup.body.counts).toEqual({ accepted: 1, flagged: 0, quarantined: 0, rejected: 2 });
    expect(dup.body.rejected).toEqual([
      { index: 1, field: "supersedes", message: expect.stringContaining('to correct it, send "supersedes"') },
      { index: 2, field: "periodStart", message: "row 0 of this request already writes this period" },
    ]);
    const janId = (await series("calls")).find((m) => m.periodStart === "2026-01-01")?.id;
    const fix = await post("admin", [
      { metricKey: "calls", value: 5, ...month(1), ...team(), supersedes: janId },
    ]);
    expect(fix.body.counts.accepted).toBe(1);
    expect((await series("calls")).map((m) => [m.periodStart, m.value])).toEqual([["2026-01-01", 5]]);
    expect(await attainment()).toBeCloseTo(0.05);
  });

  it("NDJSON: one row per line; a line that is not JSON is rejected by itself", async () => {
    const lines = [
      JSON.stringify({ metricKey: "calls", value: 7, ...month(3), ...team() }),
      "{ not json",
      "",
      JSON.stringify({ metricKey: "calls", value: 8, ...month(4), ...team() }),
    ].join("\n");
    const res = await t.call<BulkMeasurementResult>("admin", {
      method: "POST",
      url: "/api/v1/measurements",
      headers: { "content-type": "application/x-ndjson" },
      payload: lines,
    });
    expect(res.status).toBe(201);
    expect(res.body.counts).toEqual({ accepted: 2, flagged: 0, quarantined: 0, rejected: 1 });
    expect(res.body.rejected).toEqual([
      { index: 1, field: "", message: "line 2 is not JSON; send one JSON object per line" },
    ]);
    // 5 + 7 + 8 = 20 of 100
    expect(await attainment()).toBeCloseTo(0.2);
  });

  it("the metric's rules: each row accepted, flagged or quarantined with its findings; quarantined rows do not count", async () => {
    const share = (m: number, value: number, source = "api") => ({
      metricKey: "share",
      value,
      ...month(m),
      ...team(),
      source,
    });
    const res = await post("admin", [
      share(1, 50),
      share(2, 75), // +25 against 50: a step beyond 20 → flagged
      share(3, 95), // above 90 → quarantined (and +20 is within the step)
      share(4, 80), // the previous counted value is 75 (March is quarantined): +5, accepted
      share(4, 81), // same period, same source: a duplicate, kept as a quarantined correction of row 3
      share(4, 82, "crm"), // same period, another source: rejected
    ]);
    expect(res.status).toBe(201);
    expect(res.body.counts).toEqual({ accepted: 2, flagged: 1, quarantined: 2, rejected: 1 });
    expect(res.body.findings).toEqual([
      { index: 1, rule: "step_change", outcome: "flag", message: expect.stringContaining("changes by 25") },
      { index: 2, rule: "range", outcome: "quarantine", message: "95 is above the allowed maximum 90" },
      {
        index: 4,
        rule: "duplicate",
        outcome: "quarantine",
        message:
          "duplicate: row 3 of this request already gives this metric, scope and period from the same source",
      },
    ]);
    const written = await t.database.db
      .select()
      .from(measurements)
      .where(and(eq(measurements.orgId, t.org.orgId), eq(measurements.metricId, ids.share ?? "")))
      .orderBy(measurements.id);
    expect(written.map((m) => [m.value, m.validationState, m.supersedesId])).toEqual([
      [50, "accepted", null],
      [75, "flagged", null],
      [95, "quarantined", null],
      [80, "accepted", null],
      [81, "quarantined", res.body.ids[3]],
    ]);
    const findings = await t.database.db
      .select()
      .from(measurementFindings)
      .where(eq(measurementFindings.orgId, t.org.orgId));
    expect(findings.map((f) => [f.measurementId, f.rule, f.outcome])).toEqual(
      expect.arrayContaining([
        [res.body.ids[1], "step_change", "flag"],
        [res.body.ids[2], "range", "quarantine"],
        [res.body.ids[4], "duplicate", "quarantine"],
      ]),
    );
    // the series as figures read it: the flagged value counts, the quarantined ones do not
    expect((await series("share")).map((m) => [m.periodStart, m.value, m.validationState])).toEqual([
      ["2026-01-01", 50, "accepted"],
      ["2026-02-01", 75, "flagged"],
      ["2026-03-01", 95, "quarantined"],
      ["2026-04-01", 80, "accepted"],
      ["2026-04-01", 81, "quarantined"],
    ]);
  });

  it("writeMeasurementRows: parsed rows in, each row's outcome out, inside the caller's transaction", async () => {
    const rows: BulkMeasurementRow[] = [
      {
        metricKey: "share",
        value: 60,
        ...month(5),
        scopeType: "unit",
        scopeId: t.org.units.salesTeam,
        note: "",
        source: "file",
      },
      {
        metricKey: "share",
        value: 5,
        ...month(6),
        scopeType: "unit",
        scopeId: t.org.units.salesTeam,
        note: "",
        source: "file",
      },
      { metricKey: "nope", value: 5, ...month(6), scopeType: "org", note: "", source: "file" },
    ];
    const actor = {
      orgId: t.org.orgId,
      personId: t.org.people.hr,
      roles: ["performance_office" as const],
      unitId: null,
    };
    const res = await t.database.db.transaction((tx) =>
      writeMeasurementRows(tx, t.clock, actor, rows, { batchId: "01900000-0000-7000-8000-0000000000aa" }),
    );
    expect(res.batchId).toBe("01900000-0000-7000-8000-0000000000aa");
    expect(res.counts).toEqual({ accepted: 1, flagged: 0, quarantined: 1, rejected: 1 });
    expect(res.outcomes.map((o) => [o.index, o.status])).toEqual([
      [0, "accepted"], // 80 → 60: a step of 20, the most allowed
      [1, "quarantined"], // 5 is below 10 (and −55 a step beyond 20)
      [2, "rejected"],
    ]);
    expect(res.outcomes[2]).toEqual({
      index: 2,
      status: "rejected",
      errors: [{ field: "metricKey", message: "no metric with this id or key in the KPI library" }],
    });
  });
});
