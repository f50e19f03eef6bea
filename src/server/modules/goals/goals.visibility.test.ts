import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestPerson } from "../../testing/test-app.ts";
import { createTestApp, type TestApp } from "../../testing/test-app.ts";
import type { Goal } from "./goals.schema.ts";
import { align, createGoal, insertMetric, milestoneBody, smartGoalBody } from "./goals.test-helpers.ts";

type Page = { items: Goal[]; nextCursor: string | null };

describe("goals: visibility, list filters and paging", () => {
  let t: TestApp;
  let metricId: string;
  let privateGoal: Goal;
  let unitGoal: Goal;
  let company: Goal;
  let contributed: Goal;
  const ids = async (who: TestPerson, query = "") => {
    const res = await t.call<Page>(who, { method: "GET", url: `/api/v1/goals?limit=200${query}` });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.items.map((g) => g.id);
  };
  beforeAll(async () => {
    t = await createTestApp();
    metricId = await insertMetric(t);
    company = await createGoal(t, "exec", smartGoalBody(t, metricId));
    privateGoal = await createGoal(
      t,
      "employee",
      milestoneBody(t, { title: "Private", visibility: "private" }),
    );
    // A sales-division goal visible to the division and every unit below it.
    unitGoal = await createGoal(
      t,
      "hr",
      milestoneBody(t, {
        title: "Sales unit goal",
        level: "unit",
        ownerId: t.org.people.hr,
        unitId: t.org.units.sales,
        visibility: "unit",
      }),
    );
    contributed = await createGoal(
      t,
      "otherEmployee",
      milestoneBody(t, {
        title: "Ops private with a contributor",
        visibility: "private",
        contributors: [{ personId: t.org.people.steward, share: 0.5 }],
        metricId,
      }),
    );
  });
  afterAll(() => t.close());

  it("hides an employee's private goal from another employee (404 everywhere)", async () => {
    for (const url of [
      `/api/v1/goals/${privateGoal.id}`,
      `/api/v1/goals/${privateGoal.id}/alignments`,
      `/api/v1/goals/${privateGoal.id}/versions`,
      `/api/v1/goals/${privateGoal.id}/versions/1`,
    ]) {
      expect((await t.call("otherEmployee", { method: "GET", url })).status, url).toBe(404);
    }
    for (const [method, url, payload] of [
      ["PATCH", `/api/v1/goals/${privateGoal.id}`, { title: "x" }],
      ["POST", `/api/v1/goals/${privateGoal.id}/transition`, { to: "proposed" }],
      ["POST", `/api/v1/goals/${privateGoal.id}/alignments`, { parentId: company.id, weight: 1 }],
    ] as const) {
      expect((await t.call("otherEmployee", { method, url, payload })).status, url).toBe(404);
    }
    expect((await align(t, "otherEmployee", contributed.id, privateGoal.id)).status).toBe(404);
    expect(await ids("otherEmployee")).not.toContain(privateGoal.id);
  });

  it("shows the private goal to the owner, the manager chain and org-wide readers", async () => {
    for (const who of ["employee", "manager", "exec", "admin", "hr", "auditor"] as const) {
      const res = await t.call<Goal>(who, { method: "GET", url: `/api/v1/goals/${privateGoal.id}` });
      expect(res.status, who).toBe(200);
      expect(res.body.title).toBe("Private");
      expect(await ids(who), who).toContain(privateGoal.id);
    }
    expect((await t.call("steward", { method: "GET", url: `/api/v1/goals/${privateGoal.id}` })).status).toBe(
      404,
    );
  });

  it("shows a private goal to its contributors", async () => {
    expect(await ids("steward")).toContain(contributed.id);
    expect(await ids("employee")).not.toContain(contributed.id);
    expect(await ids("manager")).not.toContain(contributed.id);
  });

  it("shows a unit goal to people in that unit and below it", async () => {
    expect(await ids("employee")).toContain(unitGoal.id); // sales team is below sales
    expect(await ids("manager")).toContain(unitGoal.id);
    expect(await ids("otherEmployee")).not.toContain(unitGoal.id); // operations
    expect(await ids("steward")).not.toContain(unitGoal.id);
  });

  it("filters by cycle, owner, unit, level, state, metric, title, parent and mine", async () => {
    const missing = "01900000-0000-7000-8000-000000000000";
    expect(await ids("admin", `&cycleId=${missing}`)).toEqual([]);
    expect(await ids("admin", `&ownerId=${t.org.people.employee}`)).toEqual([privateGoal.id]);
    expect(await ids("admin", `&unitId=${t.org.units.sales}`)).toEqual([unitGoal.id]);
    expect(await ids("admin", "&level=company")).toEqual([company.id]);
    expect((await ids("admin", "&state=draft")).length).toBe(4);
    expect(await ids("admin", "&state=active")).toEqual([]);
    expect(await ids("admin", `&metricId=${metricId}`)).toEqual([company.id, contributed.id]);
    expect(await ids("admin", "&q=sales UNIT")).toEqual([unitGoal.id]);
    expect(await ids("admin", "&q=100%25")).toEqual([]);
    expect((await align(t, "employee", privateGoal.id, company.id)).status).toBe(201);
    expect(await ids("admin", `&parentId=${company.id}`)).toEqual([privateGoal.id]);
    expect(await ids("otherEmployee", `&parentId=${company.id}`)).toEqual([]);
    expect(await ids("steward", "&mine=true")).toEqual([contributed.id]);
    expect(await ids("employee", "&mine=true")).toEqual([privateGoal.id]);
    expect(await ids("admin", "&status=on_track")).toEqual([]);
    const bad = await t.call("admin", { method: "GET", url: "/api/v1/goals?level=galaxy" });
    expect(bad.status).toBe(400);
  });

  it("pages by id with a cursor, without repeats or gaps", async () => {
    const all = await ids("admin");
    expect(all).toEqual([...all].sort());
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `&cursor=${cursor}` : "";
      const res = await t.call<Page>("admin", { method: "GET", url: `/api/v1/goals?limit=3${q}` });
      expect(res.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...res.body.items.map((g) => g.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
    expect((await t.call("admin", { method: "GET", url: "/api/v1/goals?cursor=!!" })).status).toBe(400);
    expect((await t.call("admin", { method: "GET", url: "/api/v1/goals?limit=201" })).status).toBe(400);
  });
});
