import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../testing/test-app.ts";
import type { Cycle } from "./cycles.schema.ts";

type Page<T> = { items: T[]; nextCursor: string | null };
type ProblemBody = { detail: string; errors?: { field: string; message: string }[] };
type AuditItem = { action: string; actorId: string; data: Record<string, unknown> };
const MISSING = "0190f000-0000-7000-8000-000000000000";
const Q3 = { name: "Q3 2026", kind: "quarter", startDate: "2026-07-01", endDate: "2026-09-30" };

describe("cycles", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const auditOf = async (entityId: string) =>
    (
      await t.call<Page<AuditItem>>("admin", {
        method: "GET",
        url: `/api/v1/audit-events?entityType=cycle&entityId=${entityId}`,
      })
    ).body.items;
  const create = async (over: Record<string, unknown> = {}) =>
    t.call<Cycle>("hr", { method: "POST", url: "/api/v1/cycles", payload: { ...Q3, ...over } });
  const patch = (id: string, payload: Record<string, unknown>) =>
    t.call<Cycle & ProblemBody>("admin", { method: "PATCH", url: `/api/v1/cycles/${id}`, payload });

  it("answers 401 to callers who are not signed in", async () => {
    expect((await t.call(null, { method: "GET", url: "/api/v1/cycles" })).status).toBe(401);
    expect((await t.call(null, { method: "POST", url: "/api/v1/cycles", payload: Q3 })).status).toBe(401);
  });

  it("forbids writes to everyone but administrators and the performance office", async () => {
    for (const who of ["exec", "manager", "employee", "auditor"] as const) {
      expect((await t.call(who, { method: "POST", url: "/api/v1/cycles", payload: Q3 })).status, who).toBe(
        403,
      );
      const res = await t.call(who, {
        method: "PATCH",
        url: `/api/v1/cycles/${t.org.cycleId}`,
        payload: { phase: "locked" },
      });
      expect(res.status, who).toBe(403);
    }
  });

  it("answers 404 for a cycle that does not exist", async () => {
    expect((await t.call("employee", { method: "GET", url: `/api/v1/cycles/${MISSING}` })).status).toBe(404);
    expect((await patch(MISSING, { name: "X" })).status).toBe(404);
  });

  it("rejects invalid input naming the field", async () => {
    const kind = await create({ kind: "decade" });
    expect(kind.status).toBe(400);
    const unreal = await t.call<ProblemBody>("hr", {
      method: "POST",
      url: "/api/v1/cycles",
      payload: { ...Q3, startDate: "2026-02-30", endDate: "2026/09/30" },
    });
    expect(unreal.status).toBe(400);
    expect(unreal.body.errors?.map((e) => e.field).sort()).toEqual(["endDate", "startDate"]);
    const backwards = await t.call<ProblemBody>("hr", {
      method: "POST",
      url: "/api/v1/cycles",
      payload: { ...Q3, startDate: "2026-09-30", endDate: "2026-09-30" },
    });
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors).toEqual([{ field: "endDate", message: "endDate must be after startDate" }]);
    const phase = await t.call<ProblemBody>("employee", { method: "GET", url: "/api/v1/cycles?phase=done" });
    expect(phase.status).toBe(400);
  });

  it("creates a cycle in planning by default and audits it", async () => {
    const res = await create();
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ ...Q3, phase: "planning" });
    const read = await t.call<Cycle>("employee", { method: "GET", url: `/api/v1/cycles/${res.body.id}` });
    expect(read.body).toEqual(res.body);
    const events = await auditOf(res.body.id);
    expect(events).toEqual([
      expect.objectContaining({
        action: "cycle.created",
        actorId: t.org.people.hr,
        data: { ...Q3, phase: "planning" },
      }),
    ]);
  });

  it("lists cycles to everyone, filtered by phase", async () => {
    const planned = await create({
      name: "Sprint 14",
      kind: "sprint",
      startDate: "2026-07-06",
      endDate: "2026-07-17",
    });
    const all = await t.call<Page<Cycle>>("auditor", { method: "GET", url: "/api/v1/cycles" });
    expect(all.body.items.map((c) => c.name)).toEqual(expect.arrayContaining(["2026", "Sprint 14"]));
    const active = await t.call<Page<Cycle>>("employee", {
      method: "GET",
      url: "/api/v1/cycles?phase=active",
    });
    expect(active.body.items.map((c) => c.id)).toEqual([t.org.cycleId]);
    const planning = await t.call<Page<Cycle>>("employee", {
      method: "GET",
      url: "/api/v1/cycles?phase=planning",
    });
    expect(planning.body.items.map((c) => c.id)).toContain(planned.body.id);
    const first = await t.call<Page<Cycle>>("employee", { method: "GET", url: "/api/v1/cycles?limit=1" });
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).not.toBeNull();
  });

  it("renames and moves dates while in planning, auditing before and after", async () => {
    const { body: cycle } = await create({ name: "H2" });
    const res = await patch(cycle.id, { name: "H2 2026", endDate: "2026-12-31", kind: "ignored" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: "H2 2026", startDate: "2026-07-01", endDate: "2026-12-31" });
    const [updated] = await auditOf(cycle.id);
    expect(updated).toMatchObject({
      action: "cycle.updated",
      data: {
        before: { name: "H2", endDate: "2026-09-30" },
        after: { name: "H2 2026", endDate: "2026-12-31" },
      },
    });
    const backwards = await patch(cycle.id, { startDate: "2027-01-01" });
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors?.[0]?.field).toBe("startDate");
  });

  it("refuses date changes once the cycle has left planning (409), but still renames", async () => {
    const dates = await patch(t.org.cycleId, { endDate: "2027-01-31" });
    expect(dates.status).toBe(409);
    expect(dates.body.errors?.[0]).toEqual({
      field: "endDate",
      message: expect.stringContaining("planning"),
    });
    const renamed = await patch(t.org.cycleId, { name: "FY 2026" });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: "FY 2026", endDate: "2026-12-31", phase: "active" });
  });

  it("moves phases forward one step at a time and answers 409 naming the allowed next phase otherwise", async () => {
    const { body: cycle } = await create({ name: "Phases" });
    const skip = await patch(cycle.id, { phase: "locked" });
    expect(skip.status).toBe(409);
    expect(skip.body.errors?.[0]).toEqual({
      field: "phase",
      message: expect.stringContaining("only move to active"),
    });
    for (const phase of ["active", "locked", "evaluating", "closed"]) {
      const res = await patch(cycle.id, { phase });
      expect(res.status, phase).toBe(200);
      expect(res.body.phase).toBe(phase);
    }
    const back = await patch(cycle.id, { phase: "evaluating" });
    expect(back.status).toBe(409);
    expect(back.body.detail).toContain("closed");
    const events = await auditOf(cycle.id);
    expect(events.map((e) => e.action)).toEqual([
      "cycle.phase_changed",
      "cycle.phase_changed",
      "cycle.phase_changed",
      "cycle.phase_changed",
      "cycle.created",
    ]);
    expect(events[0]?.data).toEqual({ from: "evaluating", to: "closed" });
  });

  it("changes dates and starts the cycle in one request, checking dates against planning", async () => {
    const { body: cycle } = await create({ name: "Both" });
    const res = await patch(cycle.id, { startDate: "2026-07-02", phase: "active" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ startDate: "2026-07-02", phase: "active" });
    expect((await auditOf(cycle.id)).map((e) => e.action)).toEqual([
      "cycle.phase_changed",
      "cycle.updated",
      "cycle.created",
    ]);
    // A refused phase move writes nothing, not even the rename in the same request.
    const refused = await patch(cycle.id, { name: "Renamed", phase: "closed" });
    expect(refused.status).toBe(409);
    const read = await t.call<Cycle>("admin", { method: "GET", url: `/api/v1/cycles/${cycle.id}` });
    expect(read.body.name).toBe("Both");
  });
});
