import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../testing/test-app.ts";
import type { Goal, GoalAlignments } from "./goals.schema.ts";
import {
  align,
  createGoal,
  insertMetric,
  milestoneBody,
  smartGoalBody,
  transition,
} from "./goals.test-helpers.ts";

describe("goals: alignments (a DAG)", () => {
  let t: TestApp;
  let company: Goal;
  let team: Goal;
  let mine: Goal;
  beforeAll(async () => {
    t = await createTestApp();
    const metricId = await insertMetric(t);
    company = await createGoal(t, "exec", smartGoalBody(t, metricId, { title: "A: company" }));
    team = await createGoal(t, "manager", milestoneBody(t, { title: "B: team", level: "team" }));
    mine = await createGoal(t, "employee", milestoneBody(t, { title: "C: mine" }));
  });
  afterAll(() => t.close());

  it("answers 401, 404, 403 and 400 before linking", async () => {
    const url = `/api/v1/goals/${mine.id}/alignments`;
    expect((await t.call(null, { method: "GET", url })).status).toBe(401);
    const missing = "01900000-0000-7000-8000-000000000000";
    expect((await align(t, "employee", missing, team.id)).status).toBe(404);
    expect((await align(t, "employee", mine.id, missing)).status).toBe(404);
    expect((await align(t, "otherEmployee", mine.id, team.id)).status).toBe(403);
    expect((await align(t, "auditor", mine.id, team.id)).status).toBe(403);
    expect((await align(t, "employee", mine.id, team.id, 0)).status).toBe(400);
    expect((await align(t, "employee", mine.id, team.id, -1)).status).toBe(400);
  });

  it("links C → B → A with weights and shows them up and down", async () => {
    const first = await align(t, "employee", mine.id, team.id, 2);
    expect(first.status).toBe(201);
    expect(first.body.up).toEqual([
      expect.objectContaining({ goalId: team.id, weight: 2, title: "B: team" }),
    ]);
    expect((await align(t, "manager", team.id, company.id, 1)).status).toBe(201);
    const b = await t.call<GoalAlignments>("employee", {
      method: "GET",
      url: `/api/v1/goals/${team.id}/alignments`,
    });
    expect(b.body.up.map((g) => [g.goalId, g.weight])).toEqual([[company.id, 1]]);
    expect(b.body.down.map((g) => [g.goalId, g.weight])).toEqual([[mine.id, 2]]);
    const c = await t.call<Goal>("employee", { method: "GET", url: `/api/v1/goals/${mine.id}` });
    expect(c.body.parents).toEqual([{ goalId: team.id, weight: 2 }]);
    expect(c.body.smart.relevant.pass).toBe(true);
  });

  it("changes a link's weight with 200 and writes nothing when it is the same", async () => {
    const res = await align(t, "employee", mine.id, team.id, 3);
    expect(res.status).toBe(200);
    expect(res.body.up[0]?.weight).toBe(3);
    expect((await align(t, "employee", mine.id, team.id, 3)).status).toBe(200);
  });

  it("refuses a self-link and a link that closes a cycle, naming the path", async () => {
    const self = await align(t, "exec", company.id, company.id);
    expect(self.status).toBe(409);
    expect(self.body.detail).toBe("a goal cannot support itself");
    const cycle = await align(t, "exec", company.id, mine.id);
    expect(cycle.status).toBe(409);
    expect(cycle.body.detail).toBe(
      "this link would close a cycle (each goal supports the next): " +
        `«A: company» (${company.id}) → «C: mine» (${mine.id}) → «B: team» (${team.id}) → «A: company» (${company.id})`,
    );
  });

  it("audits alignment and unalignment, and removes a link with 204", async () => {
    const url = `/api/v1/goals/${mine.id}/alignments/${team.id}`;
    expect((await t.call("otherEmployee", { method: "DELETE", url })).status).toBe(403);
    expect((await t.call("employee", { method: "DELETE", url })).status).toBe(204);
    expect((await t.call("employee", { method: "DELETE", url })).status).toBe(404);
    const audit = await t.call<{ items: { action: string; data: Record<string, unknown> }[] }>("auditor", {
      method: "GET",
      url: `/api/v1/audit-events?entityType=goal&entityId=${mine.id}`,
    });
    expect(audit.body.items.slice(0, 3).map((e) => [e.action, e.data])).toEqual([
      ["goal.unaligned", { parentId: team.id, weight: 3 }],
      ["goal.aligned", { parentId: team.id, weight: 3, previousWeight: 2 }],
      ["goal.aligned", { parentId: team.id, weight: 2, previousWeight: null }],
    ]);
  });

  it("lists only the links to goals the caller may see", async () => {
    const secret = await createGoal(
      t,
      "manager",
      milestoneBody(t, { title: "secret", visibility: "private" }),
    );
    expect((await align(t, "manager", secret.id, company.id)).status).toBe(201);
    const asOther = await t.call<GoalAlignments>("otherEmployee", {
      method: "GET",
      url: `/api/v1/goals/${company.id}/alignments`,
    });
    expect(asOther.body.down.map((g) => g.goalId)).not.toContain(secret.id);
    const asExec = await t.call<GoalAlignments>("exec", {
      method: "GET",
      url: `/api/v1/goals/${company.id}/alignments`,
    });
    expect(asExec.body.down.map((g) => g.goalId)).toContain(secret.id);
    expect(
      (await t.call("otherEmployee", { method: "GET", url: `/api/v1/goals/${secret.id}/alignments` })).status,
    ).toBe(404);
  });

  it("lets only one of two concurrent opposite links through", async () => {
    const x = await createGoal(t, "employee", milestoneBody(t, { title: "X" }));
    const y = await createGoal(t, "employee", milestoneBody(t, { title: "Y" }));
    const results = await Promise.all([align(t, "employee", x.id, y.id), align(t, "employee", y.id, x.id)]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
  });

  it("lets an aligned individual goal pass SMART and become active", async () => {
    expect((await align(t, "employee", mine.id, team.id)).status).toBe(201);
    const res = await transition(t, "employee", mine.id, { to: "active" });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.smartOverrideReason).toBeNull();
  });
});
