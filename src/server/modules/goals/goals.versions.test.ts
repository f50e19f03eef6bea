import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../testing/test-app.ts";
import type { Goal } from "./goals.schema.ts";
import { createGoal, insertMetric, smartGoalBody, transition } from "./goals.test-helpers.ts";

type Page<T> = { items: T[]; nextCursor: string | null };
type VersionSummary = { version: number; effectiveFrom: string; changedBy: string; reason: string };

describe("goals: versions and as-of reads", () => {
  let t: TestApp;
  let goal: Goal;
  const at = (iso: string) => {
    t.clock.now = () => new Date(iso);
  };
  beforeAll(async () => {
    t = await createTestApp();
    const metricId = await insertMetric(t);
    // The story: created 1 March (Amsterdam), activated 2 March, target raised 1 May.
    at("2026-03-01T10:00:00.000Z");
    goal = await createGoal(t, "exec", smartGoalBody(t, metricId));
    at("2026-03-02T10:00:00.000Z");
    expect((await transition(t, "exec", goal.id, { to: "active" })).status).toBe(200);
    at("2026-05-01T10:00:00.000Z");
    const res = await t.call("exec", {
      method: "PATCH",
      url: `/api/v1/goals/${goal.id}`,
      payload: { targetValue: 48, title: "Lift NPS to 48", changeReason: "Q1 beat the plan" },
    });
    expect(res.status).toBe(200);
    at("2026-07-01T09:00:00.000Z");
  });
  afterAll(() => t.close());

  it("answers 401 and 404 first", async () => {
    const url = `/api/v1/goals/${goal.id}/versions`;
    expect((await t.call(null, { method: "GET", url })).status).toBe(401);
    expect((await t.call("exec", { method: "GET", url: `${url}/9` })).status).toBe(404);
    expect((await t.call("exec", { method: "GET", url: `${url}/0` })).status).toBe(400);
  });

  it("lists one version per change, oldest first, with a cursor", async () => {
    const url = `/api/v1/goals/${goal.id}/versions`;
    const first = await t.call<Page<VersionSummary>>("employee", { method: "GET", url: `${url}?limit=2` });
    expect(first.body.items).toEqual([
      {
        version: 1,
        effectiveFrom: "2026-03-01T10:00:00.000Z",
        changedBy: t.org.people.exec,
        reason: "created",
      },
      {
        version: 2,
        effectiveFrom: "2026-03-02T10:00:00.000Z",
        changedBy: t.org.people.exec,
        reason: "draft → active",
      },
    ]);
    const next = await t.call<Page<VersionSummary>>("employee", {
      method: "GET",
      url: `${url}?limit=2&cursor=${first.body.nextCursor}`,
    });
    expect(next.body.items.map((v) => [v.version, v.reason])).toEqual([[3, "Q1 beat the plan"]]);
    expect(next.body.nextCursor).toBeNull();
  });

  it("keeps each snapshot immutable", async () => {
    const v2 = await t.call<{ snapshot: Goal }>("employee", {
      method: "GET",
      url: `/api/v1/goals/${goal.id}/versions/2`,
    });
    expect(v2.body.snapshot).toMatchObject({ state: "active", targetValue: 45, title: "Lift customer NPS" });
  });

  it("answers as of a date with the definition then in force", async () => {
    const url = `/api/v1/goals/${goal.id}`;
    const now = await t.call<Goal>("employee", { method: "GET", url });
    expect(now.body).toMatchObject({ targetValue: 48, version: 3, state: "active" });
    const april = await t.call<Goal>("employee", { method: "GET", url: `${url}?asOf=2026-04-15` });
    expect(april.body).toMatchObject({
      targetValue: 45,
      version: 2,
      state: "active",
      title: "Lift customer NPS",
    });
    const firstDay = await t.call<Goal>("employee", { method: "GET", url: `${url}?asOf=2026-03-01` });
    expect(firstDay.body).toMatchObject({ version: 1, state: "draft" });
    expect((await t.call("employee", { method: "GET", url: `${url}?asOf=2026-02-28` })).status).toBe(404);
    expect((await t.call("employee", { method: "GET", url: `${url}?asOf=2026-02-30` })).status).toBe(400);
  });

  it("lists as of a date, filtering on the definition then in force", async () => {
    const list = (q: string) =>
      t.call<Page<Goal>>("employee", { method: "GET", url: `/api/v1/goals?${q}` }).then((r) => r.body.items);
    expect((await list("asOf=2026-04-15&q=customer")).map((g) => g.targetValue)).toEqual([45]);
    expect(await list("asOf=2026-05-02&q=customer")).toEqual([]);
    expect((await list("asOf=2026-05-02&q=NPS to 48")).map((g) => g.version)).toEqual([3]);
    expect((await list("asOf=2026-03-01&state=draft")).map((g) => g.id)).toEqual([goal.id]);
    expect(await list("asOf=2026-02-01")).toEqual([]);
    const both = await t.call("employee", {
      method: "GET",
      url: "/api/v1/goals?asOf=2026-04-15&status=on_track",
    });
    expect(both.status).toBe(400);
  });
});
