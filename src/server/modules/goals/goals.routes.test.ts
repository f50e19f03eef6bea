import { eq } from "drizzle-orm";
import { uuidv7 } from "uuidv7";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cycles, goals as goalsTable } from "../../db/schema.ts";
import { createTestApp, type TestApp } from "../../testing/test-app.ts";
import type { Goal } from "./goals.schema.ts";
import { createGoal, insertMetric, milestoneBody, smartGoalBody } from "./goals.test-helpers.ts";

type Problem = { status: number; detail: string; errors?: { field: string; message: string }[] };
const MISSING = "01900000-0000-7000-8000-000000000000";

describe("goals: create, read, update", () => {
  let t: TestApp;
  let metricId: string;
  beforeAll(async () => {
    t = await createTestApp();
    metricId = await insertMetric(t);
  });
  afterAll(() => t.close());

  it("refuses anonymous callers on every route", async () => {
    for (const [method, url] of [
      ["GET", "/api/v1/goals"],
      ["POST", "/api/v1/goals"],
      ["GET", `/api/v1/goals/${MISSING}`],
      ["PATCH", `/api/v1/goals/${MISSING}`],
    ] as const) {
      expect((await t.call(null, { method, url, payload: {} })).status).toBe(401);
    }
  });

  it("answers 400 naming the fields at fault", async () => {
    const res = await t.call<Problem>("exec", {
      method: "POST",
      url: "/api/v1/goals",
      payload: smartGoalBody(t, metricId, { targetValue: 30, dueDate: "2026-02-30" }),
    });
    expect(res.status).toBe(400);
    expect(res.body.errors?.map((e) => e.field)).toContain("dueDate");
    const same = await t.call<Problem>("exec", {
      method: "POST",
      url: "/api/v1/goals",
      payload: smartGoalBody(t, metricId, {
        targetValue: 30,
        startDate: "2026-06-01",
        dueDate: "2026-05-01",
      }),
    });
    expect(same.status).toBe(400);
    expect(same.body.errors).toEqual(
      expect.arrayContaining([
        { field: "targetValue", message: "target must differ from the baseline (30)" },
        { field: "dueDate", message: "due date must be after the start date (2026-06-01)" },
      ]),
    );
  });

  it("answers 400 for references that do not exist and shares above 1", async () => {
    const res = await t.call<Problem>("admin", {
      method: "POST",
      url: "/api/v1/goals",
      payload: smartGoalBody(t, MISSING, {
        ownerId: MISSING,
        contributors: [
          { personId: t.org.people.employee, share: 0.7 },
          { personId: t.org.people.manager, share: 0.6 },
        ],
      }),
    });
    expect(res.status).toBe(400);
    expect(res.body.errors?.map((e) => e.field).sort()).toEqual(["contributors", "metricId", "ownerId"]);
    const cycle = await t.call<Problem>("admin", {
      method: "POST",
      url: "/api/v1/goals",
      payload: smartGoalBody(t, metricId, { cycleId: MISSING }),
    });
    expect(cycle.body.errors).toEqual([{ field: "cycleId", message: "no cycle with this id" }]);
    const scope = await t.call<Problem>("admin", {
      method: "POST",
      url: "/api/v1/goals",
      payload: smartGoalBody(t, metricId, { scopeType: "unit", scopeId: t.org.people.employee }),
    });
    expect(scope.body.errors).toEqual([
      { field: "scopeId", message: "scope type unit needs the id of an org unit" },
    ]);
  });

  it("answers 403 to those who may not create the goal", async () => {
    const cases = [
      ["auditor", smartGoalBody(t, metricId)],
      ["manager", smartGoalBody(t, metricId)], // company level: executives only
      ["employee", milestoneBody(t, { ownerId: t.org.people.otherEmployee })],
      ["employee", milestoneBody(t, { ownerId: t.org.people.manager })],
    ] as const;
    for (const [who, body] of cases) {
      const res = await t.call<Problem>(who, { method: "POST", url: "/api/v1/goals", payload: body });
      expect(res.status, `${who} ${JSON.stringify(body)}`).toBe(403);
    }
  });

  it("creates a draft with defaults, its SMART check, abilities and version 1", async () => {
    const goal = await createGoal(t, "manager", milestoneBody(t, { ownerId: t.org.people.employee }));
    expect(goal).toMatchObject({
      state: "draft",
      version: 1,
      ownerId: t.org.people.employee,
      unitId: t.org.units.salesTeam, // the owner's unit
      startDate: "2026-01-01", // the cycle's dates
      dueDate: "2026-12-31",
      scopeType: "org",
      scopeId: t.org.orgId,
      visibility: "public",
      contributors: [],
      parents: [],
      abilities: { edit: true, transition: true, align: true },
    });
    // An undone milestone attains 0, computed as of today (the progress module's figures).
    expect(goal.progress).toMatchObject({ attainment: 0, asOf: "2026-07-01" });
    expect(goal.smart.pass).toBe(false);
    expect(goal.smart.relevant).toEqual({ pass: false, reasons: ["not aligned to any goal above it"] });
    expect(goal.smart.measurable.pass).toBe(true);
    const asOther = await t.call<Goal>("otherEmployee", { method: "GET", url: `/api/v1/goals/${goal.id}` });
    expect(asOther.status).toBe(200);
    expect(asOther.body.abilities).toEqual({ edit: false, transition: false, align: false });
    const versions = await t.call<{ items: { version: number; reason: string }[] }>("employee", {
      method: "GET",
      url: `/api/v1/goals/${goal.id}/versions`,
    });
    expect(versions.body.items).toEqual([expect.objectContaining({ version: 1, reason: "created" })]);
  });

  it("reports every SMART reason of a thin goal", async () => {
    const goal = await createGoal(t, "exec", {
      title: "Grow",
      cycleId: t.org.cycleId,
      level: "company",
      kind: "metric",
      startDate: "2025-12-01",
    });
    expect(goal.smart.specific.reasons).toEqual([
      "specific outcome is missing or shorter than 10 characters",
    ]);
    expect(goal.smart.measurable.reasons).toEqual([
      "no metric chosen",
      "baseline is missing",
      "target is missing",
    ]);
    expect(goal.smart.timeBound.reasons).toEqual([
      "start date is outside the cycle (2026-01-01 – 2026-12-31)",
    ]);
    expect(goal.smart.relevant.pass).toBe(true);
  });

  it("answers 404 for a goal that does not exist, 400 for a malformed id", async () => {
    expect((await t.call("admin", { method: "GET", url: `/api/v1/goals/${MISSING}` })).status).toBe(404);
    expect((await t.call("admin", { method: "GET", url: "/api/v1/goals/nope" })).status).toBe(400);
  });

  it("updates a draft in place with a new version and audits the changed fields", async () => {
    const goal = await createGoal(t, "employee", milestoneBody(t));
    const denied = await t.call("otherEmployee", {
      method: "PATCH",
      url: `/api/v1/goals/${goal.id}`,
      payload: { title: "Mine now" },
    });
    expect(denied.status).toBe(403);
    const unknown = await t.call<Problem>("employee", {
      method: "PATCH",
      url: `/api/v1/goals/${goal.id}`,
      payload: { state: "active" },
    });
    expect(unknown.status).toBe(400);
    const res = await t.call<Goal>("employee", {
      method: "PATCH",
      url: `/api/v1/goals/${goal.id}`,
      payload: {
        title: "Ship the partner portal v2",
        contributors: [{ personId: t.org.people.otherEmployee, share: 0.25 }],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      title: "Ship the partner portal v2",
      version: 2,
      contributors: [{ personId: t.org.people.otherEmployee, share: 0.25 }],
    });
    const again = await t.call<Goal>("employee", {
      method: "PATCH",
      url: `/api/v1/goals/${goal.id}`,
      payload: { title: "Ship the partner portal v2" },
    });
    expect(again.body.version).toBe(2); // nothing changed, nothing written
    const audit = await t.call<{ items: { action: string; data: Record<string, unknown> }[] }>("auditor", {
      method: "GET",
      url: `/api/v1/audit-events?entityType=goal&entityId=${goal.id}`,
    });
    expect(audit.body.items.map((e) => e.action)).toEqual(["goal.updated", "goal.created"]);
    expect(audit.body.items[0]?.data).toMatchObject({
      version: 2,
      changes: {
        title: { before: "Ship the partner portal", after: "Ship the partner portal v2" },
        contributors: { before: [], after: [{ personId: t.org.people.otherEmployee, share: 0.25 }] },
      },
    });
  });

  it("refuses goals in a closed cycle: 400 to create, 423 to change", async () => {
    const goal = await createGoal(t, "employee", milestoneBody(t));
    const closed = uuidv7();
    await t.database.db.insert(cycles).values({
      orgId: t.org.orgId,
      id: closed,
      name: "2025",
      kind: "year",
      startDate: "2025-01-01",
      endDate: "2025-12-31",
      phase: "closed",
    });
    const create = await t.call<Problem>("employee", {
      method: "POST",
      url: "/api/v1/goals",
      payload: milestoneBody(t, { cycleId: closed }),
    });
    expect(create.status).toBe(400);
    expect(create.body.errors).toEqual([
      { field: "cycleId", message: "the cycle is closed; choose a cycle that is still open" },
    ]);
    await t.database.db.update(goalsTable).set({ cycleId: closed }).where(eq(goalsTable.id, goal.id));
    const edit = await t.call<Problem>("employee", {
      method: "PATCH",
      url: `/api/v1/goals/${goal.id}`,
      payload: { title: "Too late" },
    });
    expect(edit.status).toBe(423);
  });

  it("refuses reassigning a goal to someone the caller does not manage", async () => {
    const goal = await createGoal(t, "employee", milestoneBody(t));
    const res = await t.call("employee", {
      method: "PATCH",
      url: `/api/v1/goals/${goal.id}`,
      payload: { ownerId: t.org.people.otherEmployee },
    });
    expect(res.status).toBe(403);
  });
});
