import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../testing/test-app.ts";
import type { Person } from "./people.schema.ts";

type Page<T> = { items: T[]; nextCursor: string | null };
type ProblemBody = { detail: string; errors?: { field: string; message: string }[] };
type AuditItem = { action: string; actorId: string; data: Record<string, unknown> };
const MISSING = "0190f000-0000-7000-8000-000000000000";

describe("people", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const auditOf = async (entityId: string) =>
    (
      await t.call<Page<AuditItem>>("admin", {
        method: "GET",
        url: `/api/v1/audit-events?entityType=person&entityId=${entityId}`,
      })
    ).body.items;
  const newPerson = (over: Record<string, unknown> = {}) => ({
    email: `p${Math.random().toString(36).slice(2)}@test.example`,
    name: "New Person",
    unitId: t.org.units.salesTeam,
    managerId: t.org.people.manager,
    ...over,
  });

  it("answers 401 to callers who are not signed in", async () => {
    expect((await t.call(null, { method: "GET", url: "/api/v1/people" })).status).toBe(401);
    expect((await t.call(null, { method: "POST", url: "/api/v1/people", payload: newPerson() })).status).toBe(
      401,
    );
  });

  it("forbids writes to everyone but administrators and the performance office", async () => {
    for (const who of ["exec", "manager", "employee", "steward", "auditor"] as const) {
      expect(
        (await t.call(who, { method: "POST", url: "/api/v1/people", payload: newPerson() })).status,
        who,
      ).toBe(403);
      const patch = await t.call(who, {
        method: "PATCH",
        url: `/api/v1/people/${t.org.people.employee}`,
        payload: { title: "Boss" },
      });
      expect(patch.status, who).toBe(403);
    }
  });

  it("lets only administrators grant or remove the admin role, or deactivate an administrator", async () => {
    const grant = await t.call<ProblemBody>("hr", {
      method: "PATCH",
      url: `/api/v1/people/${t.org.people.hr}`,
      payload: { roles: ["performance_office", "employee", "admin"] },
    });
    expect(grant.status).toBe(403);
    expect(grant.body.detail).toContain("admin role");
    const create = await t.call("hr", {
      method: "POST",
      url: "/api/v1/people",
      payload: newPerson({ roles: ["admin"] }),
    });
    expect(create.status).toBe(403);
    const remove = await t.call("hr", {
      method: "PATCH",
      url: `/api/v1/people/${t.org.people.admin}`,
      payload: { roles: ["employee"] },
    });
    expect(remove.status).toBe(403);
    const deactivate = await t.call("hr", {
      method: "PATCH",
      url: `/api/v1/people/${t.org.people.admin}`,
      payload: { active: false },
    });
    expect(deactivate.status).toBe(403);
    // The performance office still edits an administrator's other details.
    const title = await t.call<Person>("hr", {
      method: "PATCH",
      url: `/api/v1/people/${t.org.people.admin}`,
      payload: { title: "Administrator" },
    });
    expect(title.status).toBe(200);
    expect(title.body.roles).toEqual(["admin"]);
  });

  it("answers 404 for a person who does not exist", async () => {
    expect((await t.call("employee", { method: "GET", url: `/api/v1/people/${MISSING}` })).status).toBe(404);
    const patch = await t.call("admin", {
      method: "PATCH",
      url: `/api/v1/people/${MISSING}`,
      payload: { name: "X" },
    });
    expect(patch.status).toBe(404);
  });

  it("rejects invalid input naming each field", async () => {
    const bad = await t.call<ProblemBody>("admin", {
      method: "POST",
      url: "/api/v1/people",
      payload: { email: "nope", name: "", roles: ["wizard"], password: "short" },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.map((e) => e.field).sort()).toEqual(["email", "name", "password", "roles.0"]);
    const unit = await t.call<ProblemBody>("admin", {
      method: "POST",
      url: "/api/v1/people",
      payload: newPerson({ unitId: MISSING }),
    });
    expect(unit.status).toBe(400);
    expect(unit.body.errors).toEqual([{ field: "unitId", message: expect.stringContaining("no unit") }]);
    const manager = await t.call<ProblemBody>("admin", {
      method: "POST",
      url: "/api/v1/people",
      payload: newPerson({ managerId: MISSING }),
    });
    expect(manager.status).toBe(400);
    expect(manager.body.errors?.[0]?.field).toBe("managerId");
    const query = await t.call<ProblemBody>("employee", { method: "GET", url: "/api/v1/people?role=wizard" });
    expect(query.status).toBe(400);
    expect(query.body.errors?.[0]?.field).toBe("querystring.role");
  });

  it("answers 409 naming the email when it is already taken (in any case)", async () => {
    const res = await t.call<ProblemBody>("admin", {
      method: "POST",
      url: "/api/v1/people",
      payload: newPerson({ email: "Employee@Test.Example" }),
    });
    expect(res.status).toBe(409);
    expect(res.body.errors).toEqual([{ field: "email", message: expect.stringContaining("email") }]);
  });

  it("lets exactly one of two simultaneous creations with the same email through", async () => {
    const payload = newPerson({ email: "twin@test.example" });
    const results = await Promise.all(
      [0, 1].map(() => t.call<ProblemBody>("admin", { method: "POST", url: "/api/v1/people", payload })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.status === 409)?.body.errors?.[0]?.field).toBe("email");
  });

  it("creates a person with a hashed password, never returned nor audited, who can then sign in", async () => {
    const res = await t.call<Person & { passwordHash?: string }>("hr", {
      method: "POST",
      url: "/api/v1/people",
      payload: newPerson({
        email: "Dana@Test.Example",
        name: "Dana",
        title: "Analyst",
        password: "correct horse battery",
      }),
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      email: "dana@test.example",
      name: "Dana",
      title: "Analyst",
      unitId: t.org.units.salesTeam,
      managerId: t.org.people.manager,
      roles: ["employee"],
      active: true,
    });
    expect(res.body).not.toHaveProperty("passwordHash");
    const stored = await t.database.db.execute(
      sql`select password_hash from people where id = ${res.body.id}`,
    );
    const hash = (stored as unknown as { rows: { password_hash: string }[] }).rows[0]?.password_hash ?? "";
    expect(hash).toMatch(/^\$argon2id\$/);
    const events = await auditOf(res.body.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: "person.created",
      actorId: t.org.people.hr,
      data: { email: "dana@test.example", managerId: t.org.people.manager, passwordSet: true },
    });
    expect(JSON.stringify(events[0])).not.toContain(hash);
    expect(JSON.stringify(events[0])).not.toContain("correct horse");
    const login = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "dana@test.example", password: "correct horse battery" },
    });
    expect(login.statusCode).toBe(200);
  });

  it("lists people to everyone, filtered by unit, manager, active, role and search", async () => {
    const all = await t.call<Page<Person>>("employee", { method: "GET", url: "/api/v1/people?limit=200" });
    expect(all.status).toBe(200);
    expect(all.body.items.map((p) => p.name)).toEqual(expect.arrayContaining(["admin", "exec", "employee"]));
    expect(all.body.items.every((p) => !("passwordHash" in p))).toBe(true);
    const team = await t.call<Page<Person>>("auditor", {
      method: "GET",
      url: `/api/v1/people?unitId=${t.org.units.ops}`,
    });
    expect(team.body.items.map((p) => p.name).sort()).toEqual(["otherEmployee", "steward"]);
    const reports = await t.call<Page<Person>>("employee", {
      method: "GET",
      url: `/api/v1/people?managerId=${t.org.people.manager}&q=EMPLOY`,
    });
    expect(reports.body.items.map((p) => p.name)).toEqual(["employee"]);
    const stewards = await t.call<Page<Person>>("employee", {
      method: "GET",
      url: "/api/v1/people?role=data_steward",
    });
    expect(stewards.body.items.map((p) => p.id)).toEqual([t.org.people.steward]);
    const byEmail = await t.call<Page<Person>>("employee", {
      method: "GET",
      url: "/api/v1/people?q=auditor%40test",
    });
    expect(byEmail.body.items.map((p) => p.name)).toEqual(["auditor"]);
    const wildcard = await t.call<Page<Person>>("employee", { method: "GET", url: "/api/v1/people?q=%25" });
    expect(wildcard.body.items).toEqual([]);
    const inactive = await t.call<Page<Person>>("employee", {
      method: "GET",
      url: "/api/v1/people?active=false",
    });
    expect(inactive.body.items).toEqual([]);

    const first = await t.call<Page<Person>>("employee", { method: "GET", url: "/api/v1/people?limit=5" });
    const rest = await t.call<Page<Person>>("employee", {
      method: "GET",
      url: `/api/v1/people?limit=200&cursor=${first.body.nextCursor}`,
    });
    expect([...first.body.items, ...rest.body.items].map((p) => p.id)).toEqual(
      all.body.items.map((p) => p.id),
    );
  });

  it("updates a person, auditing only the changed fields before and after", async () => {
    const res = await t.call<Person>("hr", {
      method: "PATCH",
      url: `/api/v1/people/${t.org.people.otherEmployee}`,
      payload: {
        title: "Planner",
        unitId: t.org.units.sales,
        managerId: t.org.people.manager,
        roles: ["employee"],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      title: "Planner",
      unitId: t.org.units.sales,
      managerId: t.org.people.manager,
    });
    const events = await auditOf(t.org.people.otherEmployee);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: "person.updated",
      data: {
        before: { title: "", unitId: t.org.units.ops, managerId: t.org.people.exec },
        after: { title: "Planner", unitId: t.org.units.sales, managerId: t.org.people.manager },
      },
    });
    expect(events[0]?.data.before).not.toHaveProperty("roles");
  });

  it("rejects a manager who reports to the person (409), directly or further down", async () => {
    // employee → manager → exec; exec may not report to employee, manager may not report to itself.
    const loop = await t.call<ProblemBody>("admin", {
      method: "PATCH",
      url: `/api/v1/people/${t.org.people.exec}`,
      payload: { managerId: t.org.people.employee },
    });
    expect(loop.status).toBe(409);
    expect(loop.body.errors?.[0]?.field).toBe("managerId");
    const self = await t.call("admin", {
      method: "PATCH",
      url: `/api/v1/people/${t.org.people.manager}`,
      payload: { managerId: t.org.people.manager },
    });
    expect(self.status).toBe(409);
    const exec = await t.call<Person>("admin", { method: "GET", url: `/api/v1/people/${t.org.people.exec}` });
    expect(exec.body.managerId).toBeNull();
  });

  it("deactivates instead of deleting: the person stays readable and can no longer sign in", async () => {
    expect(
      (
        await t.call("admin", {
          method: "PATCH",
          url: `/api/v1/people/${t.org.people.admin}`,
          payload: { active: false },
        })
      ).status,
    ).toBe(409);
    const res = await t.call<Person>("admin", {
      method: "PATCH",
      url: `/api/v1/people/${t.org.people.steward}`,
      payload: { active: false },
    });
    expect(res.status).toBe(200);
    expect(res.body.active).toBe(false);
    expect((await t.call("steward", { method: "GET", url: "/api/v1/me" })).status).toBe(401);
    const inactive = await t.call<Page<Person>>("employee", {
      method: "GET",
      url: "/api/v1/people?active=false",
    });
    expect(inactive.body.items.map((p) => p.id)).toEqual([t.org.people.steward]);
    const asManager = await t.call<ProblemBody>("admin", {
      method: "POST",
      url: "/api/v1/people",
      payload: newPerson({ managerId: t.org.people.steward }),
    });
    expect(asManager.status).toBe(400);
    expect(asManager.body.errors?.[0]?.message).toContain("inactive");
    const events = await auditOf(t.org.people.steward);
    expect(events[0]?.data).toEqual({ before: { active: true }, after: { active: false } });
  });
});
