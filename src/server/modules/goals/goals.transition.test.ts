import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../testing/test-app.ts";
import type { Goal } from "./goals.schema.ts";
import { createGoal, insertMetric, milestoneBody, smartGoalBody, transition } from "./goals.test-helpers.ts";

type Problem = { status: number; detail: string; errors?: { field: string; message: string }[] };

describe("goals: state machine and the SMART gate", () => {
  let t: TestApp;
  let metricId: string;
  beforeAll(async () => {
    t = await createTestApp();
    metricId = await insertMetric(t);
  });
  afterAll(() => t.close());

  it("refuses draft → active while SMART fails, naming each reason", async () => {
    const goal = await createGoal(t, "employee", milestoneBody(t));
    const res = await transition(t, "employee", goal.id, { to: "active" });
    expect(res.status).toBe(409);
    expect(res.body.errors).toEqual([
      { field: "smart.relevant", message: "not aligned to any goal above it" },
    ]);
  });

  it("lets only an administrator override, and only with a reason of 10+ characters", async () => {
    const goal = await createGoal(t, "employee", milestoneBody(t));
    expect((await transition(t, "manager", goal.id, { to: "active", overrideSmart: true })).status).toBe(403);
    const short = await transition(t, "admin", goal.id, { to: "active", overrideSmart: true, reason: "ok" });
    expect(short.status).toBe(400);
    expect(short.body.errors?.[0]?.field).toBe("reason");
    const reason = "Board asked for this before the cascade exists";
    const ok = await transition(t, "admin", goal.id, { to: "active", overrideSmart: true, reason });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ state: "active", smartOverrideReason: reason, version: 2 });
    const audit = await t.call<{ items: { action: string; data: Record<string, unknown> }[] }>("auditor", {
      method: "GET",
      url: `/api/v1/audit-events?action=goal.state_changed&entityId=${goal.id}`,
    });
    expect(audit.body.items[0]?.data).toMatchObject({
      from: "draft",
      to: "active",
      smartOverride: { reason, failing: { relevant: ["not aligned to any goal above it"] } },
    });
  });

  it("walks draft → proposed → draft → proposed → active → achieved, then refuses more", async () => {
    const goal = await createGoal(t, "exec", smartGoalBody(t, metricId));
    expect(goal.smart.pass).toBe(true);
    for (const to of ["proposed", "draft", "proposed", "active", "achieved"]) {
      const res = await transition(t, "exec", goal.id, { to });
      expect(res.status, `→ ${to}: ${JSON.stringify(res.body)}`).toBe(200);
      expect(res.body.state).toBe(to);
    }
    const after = await transition(t, "exec", goal.id, { to: "cancelled" });
    expect(after.status).toBe(409);
    expect(after.body.detail).toContain("final");
    const edit = await t.call("exec", {
      method: "PATCH",
      url: `/api/v1/goals/${goal.id}`,
      payload: { title: "x" },
    });
    expect(edit.status).toBe(409);
    const read = await t.call<Goal>("exec", { method: "GET", url: `/api/v1/goals/${goal.id}` });
    expect(read.body.abilities).toEqual({ edit: false, transition: false, align: false });
  });

  it("refuses moves the machine does not have and a move to the same state", async () => {
    const goal = await createGoal(t, "exec", smartGoalBody(t, metricId));
    const res = await transition(t, "exec", goal.id, { to: "achieved" });
    expect(res.status).toBe(409);
    expect(res.body.detail).toBe(
      "a draft goal cannot become achieved; it may become proposed, active, cancelled",
    );
    expect((await transition(t, "exec", goal.id, { to: "draft" })).status).toBe(409);
    expect((await transition(t, "exec", goal.id, { to: "finished" })).status).toBe(400);
    expect((await transition(t, "auditor", goal.id, { to: "active" })).status).toBe(403);
    expect(
      (await transition(t, "exec", "01900000-0000-7000-8000-000000000000", { to: "active" })).status,
    ).toBe(404);
  });

  it("needs a changeReason to change an active goal", async () => {
    const goal = await createGoal(t, "exec", smartGoalBody(t, metricId));
    await transition(t, "exec", goal.id, { to: "active" });
    const url = `/api/v1/goals/${goal.id}`;
    const missing = await t.call<Problem>("exec", { method: "PATCH", url, payload: { targetValue: 48 } });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([
      { field: "changeReason", message: "the goal is active: say why it changes (changeReason)" },
    ]);
    const ok = await t.call<Goal>("exec", {
      method: "PATCH",
      url,
      payload: { targetValue: 48, changeReason: "Q2 came in above plan" },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ targetValue: 48, version: 3 });
    const v3 = await t.call<{ reason: string; snapshot: Goal }>("exec", {
      method: "GET",
      url: `${url}/versions/3`,
    });
    expect(v3.body).toMatchObject({ reason: "Q2 came in above plan", snapshot: { targetValue: 48 } });
  });
});
