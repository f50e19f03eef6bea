import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../testing/test-app.ts";
import { createTestDatabase } from "../../testing/test-db.ts";
import { auditEvents, organizations, people } from "../schema.ts";
import { ensureAdmin, NEW_ORG_NAME } from "./bootstrap-admin.ts";

const login = (t: TestApp, email: string, password: string) =>
  t.call(null, { method: "POST", url: "/api/v1/auth/login", payload: { email, password } });

describe("ensureAdmin", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it("refuses a short password", async () => {
    await expect(ensureAdmin(t.database.db, { email: "x@test.example", password: "short" })).rejects.toThrow(
      /at least 12 characters/,
    );
  });

  it("creates the administrator in the first organisation, then resets its password", async () => {
    const email = "Root@Test.example";
    expect((await login(t, email, "first password 123")).status).toBe(401);

    const created = await ensureAdmin(t.database.db, { email, password: "first password 123" });
    expect(created).toMatchObject({ orgId: t.org.orgId, created: true, orgCreated: false });
    const first = await login(t, "root@test.example", "first password 123");
    expect(first.status).toBe(200);
    const cookie = String(first.headers["set-cookie"]).split(";")[0] ?? "";
    const me = await t.app.inject({ method: "GET", url: "/api/v1/me", headers: { cookie } });
    expect(me.json()).toMatchObject({ email, roles: ["admin"], org: { id: t.org.orgId } });

    const reset = await ensureAdmin(t.database.db, {
      email: "root@test.example",
      password: "second password 456",
    });
    expect(reset).toMatchObject({ personId: created.personId, created: false });
    expect((await login(t, email, "first password 123")).status).toBe(401);
    expect((await login(t, email, "second password 456")).status).toBe(200);

    const events = await t.database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.entityId, created.personId));
    expect(events.map((e) => [e.action, e.data.created])).toEqual([
      ["person.bootstrap_admin", true],
      ["person.bootstrap_admin", false],
    ]);
  });

  it("adds the admin role to an existing person and reactivates them", async () => {
    await t.database.db.update(people).set({ active: false }).where(eq(people.id, t.org.people.employee));
    await ensureAdmin(t.database.db, { email: "employee@test.example", password: "employee password 1" });
    const [p] = await t.database.db.select().from(people).where(eq(people.id, t.org.people.employee));
    expect(p).toMatchObject({ active: true, roles: ["employee", "admin"] });
    expect((await login(t, "employee@test.example", "employee password 1")).status).toBe(200);
  });

  it('creates "My organisation" in an empty database', async () => {
    const database = await createTestDatabase();
    try {
      const r = await ensureAdmin(database.db, { email: "first@example.com", password: "a long password" });
      expect(r).toMatchObject({ created: true, orgCreated: true });
      const orgs = await database.db.select().from(organizations);
      expect(orgs.map((o) => o.name)).toEqual([NEW_ORG_NAME]);
      const events = await database.db.select().from(auditEvents);
      expect(events.map((e) => e.action)).toEqual(["org.created", "person.bootstrap_admin"]);
    } finally {
      await database.close();
    }
  });
});
