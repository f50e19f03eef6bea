import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../testing/test-app.ts";
import type { Unit } from "./units.schema.ts";

type Page<T> = { items: T[]; nextCursor: string | null };
type ProblemBody = { detail: string; errors?: { field: string; message: string }[] };
const MISSING = "0190f000-0000-7000-8000-000000000000";

describe("units", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const auditOf = async (entityId: string) =>
    (
      await t.call<Page<{ action: string; actorId: string; data: Record<string, unknown> }>>("admin", {
        method: "GET",
        url: `/api/v1/audit-events?entityType=unit&entityId=${entityId}`,
      })
    ).body.items;

  it("answers 401 to callers who are not signed in", async () => {
    expect((await t.call(null, { method: "GET", url: "/api/v1/units" })).status).toBe(401);
    const post = await t.call(null, {
      method: "POST",
      url: "/api/v1/units",
      payload: { name: "X", kind: "team" },
    });
    expect(post.status).toBe(401);
  });

  it("forbids writes to everyone but administrators and the performance office", async () => {
    for (const who of ["exec", "manager", "employee", "auditor"] as const) {
      const post = await t.call<ProblemBody>(who, {
        method: "POST",
        url: "/api/v1/units",
        payload: { name: "X", kind: "team", parentId: t.org.units.sales },
      });
      expect(post.status, who).toBe(403);
      const patch = await t.call(who, {
        method: "PATCH",
        url: `/api/v1/units/${t.org.units.sales}`,
        payload: { name: "Y" },
      });
      expect(patch.status, who).toBe(403);
    }
  });

  it("answers 404 for a unit that does not exist and 400 for a malformed id", async () => {
    expect((await t.call("employee", { method: "GET", url: `/api/v1/units/${MISSING}` })).status).toBe(404);
    const patch = await t.call("admin", {
      method: "PATCH",
      url: `/api/v1/units/${MISSING}`,
      payload: { name: "Z" },
    });
    expect(patch.status).toBe(404);
    const bad = await t.call<ProblemBody>("employee", { method: "GET", url: "/api/v1/units/not-a-uuid" });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]?.field).toBe("params.id");
  });

  it("rejects invalid input naming the field", async () => {
    const kind = await t.call<ProblemBody>("admin", {
      method: "POST",
      url: "/api/v1/units",
      payload: { name: "X", kind: "tribe" },
    });
    expect(kind.status).toBe(400);
    expect(kind.body.errors?.map((e) => e.field)).toEqual(["kind"]);
    const parent = await t.call<ProblemBody>("admin", {
      method: "POST",
      url: "/api/v1/units",
      payload: { name: "X", kind: "team", parentId: MISSING },
    });
    expect(parent.status).toBe(400);
    expect(parent.body.errors?.[0]?.field).toBe("parentId");
    const head = await t.call<ProblemBody>("admin", {
      method: "POST",
      url: "/api/v1/units",
      payload: { name: "X", kind: "team", parentId: t.org.units.sales, headId: MISSING },
    });
    expect(head.status).toBe(400);
    expect(head.body.errors?.[0]?.field).toBe("headId");
  });

  it("lists the tree to everyone signed in, by parent, a page at a time", async () => {
    const all = await t.call<Page<Unit>>("employee", { method: "GET", url: "/api/v1/units" });
    expect(all.status).toBe(200);
    expect(all.body.items.map((u) => u.name).sort()).toEqual([
      "Operations",
      "Sales",
      "Sales team",
      "Test Org",
    ]);
    const sales = all.body.items.find((u) => u.id === t.org.units.sales);
    expect(sales).toMatchObject({ parentId: t.org.units.company, kind: "division", headId: null });

    const children = await t.call<Page<Unit>>("auditor", {
      method: "GET",
      url: `/api/v1/units?parentId=${t.org.units.company}`,
    });
    expect(children.body.items.map((u) => u.name).sort()).toEqual(["Operations", "Sales"]);

    const first = await t.call<Page<Unit>>("employee", { method: "GET", url: "/api/v1/units?limit=3" });
    expect(first.body.items).toHaveLength(3);
    const second = await t.call<Page<Unit>>("employee", {
      method: "GET",
      url: `/api/v1/units?limit=3&cursor=${first.body.nextCursor}`,
    });
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
  });

  it("creates a unit and records it in the audit log", async () => {
    const res = await t.call<Unit>("hr", {
      method: "POST",
      url: "/api/v1/units",
      payload: {
        name: "  Field sales ",
        kind: "department",
        parentId: t.org.units.sales,
        headId: t.org.people.manager,
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: "Field sales",
      kind: "department",
      parentId: t.org.units.sales,
      headId: t.org.people.manager,
    });
    const read = await t.call<Unit>("employee", { method: "GET", url: `/api/v1/units/${res.body.id}` });
    expect(read.body).toEqual(res.body);
    const events = await auditOf(res.body.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: "unit.created",
      actorId: t.org.people.hr,
      data: { name: "Field sales", parentId: t.org.units.sales, headId: t.org.people.manager },
    });
  });

  it("renames, moves and sets the head, auditing before and after", async () => {
    const res = await t.call<Unit>("admin", {
      method: "PATCH",
      url: `/api/v1/units/${t.org.units.salesTeam}`,
      payload: { name: "Inside sales", parentId: t.org.units.ops, headId: t.org.people.manager },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: "Inside sales",
      parentId: t.org.units.ops,
      headId: t.org.people.manager,
    });
    const events = await auditOf(t.org.units.salesTeam);
    expect(events[0]).toMatchObject({
      action: "unit.updated",
      data: {
        before: { name: "Sales team", parentId: t.org.units.sales, headId: null },
        after: { name: "Inside sales", parentId: t.org.units.ops, headId: t.org.people.manager },
      },
    });
    // Nothing changes: no new event.
    await t.call("admin", {
      method: "PATCH",
      url: `/api/v1/units/${t.org.units.salesTeam}`,
      payload: { name: "Inside sales" },
    });
    expect(await auditOf(t.org.units.salesTeam)).toHaveLength(1);
  });

  it("rejects a move that would put a unit under itself or below itself (409), leaving the tree as it was", async () => {
    const self = await t.call<ProblemBody>("admin", {
      method: "PATCH",
      url: `/api/v1/units/${t.org.units.ops}`,
      payload: { parentId: t.org.units.ops },
    });
    expect(self.status).toBe(409);
    expect(self.body.errors?.[0]?.field).toBe("parentId");
    // company → ops → salesTeam (moved above): company under salesTeam would close a loop.
    const loop = await t.call<ProblemBody>("admin", {
      method: "PATCH",
      url: `/api/v1/units/${t.org.units.company}`,
      payload: { parentId: t.org.units.salesTeam, name: "Renamed" },
    });
    expect(loop.status).toBe(409);
    expect(loop.body.detail).toContain("subtree");
    const company = await t.call<Unit>("admin", {
      method: "GET",
      url: `/api/v1/units/${t.org.units.company}`,
    });
    expect(company.body).toMatchObject({ parentId: null, name: "Test Org" });
  });
});
