import { eq } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../app.ts";
import { fixedClock } from "../../clock.ts";
import type { Database } from "../../db/connection.ts";
import { people } from "../../db/schema.ts";
import { DEMO_PASSWORD } from "../../db/seed/demo-logins.ts";
import { seedDemo } from "../../db/seed/seed-demo.ts";
import { createTestDatabase } from "../../testing/test-db.ts";
import { hashPassword } from "./password.ts";

describe("GET /api/v1/auth/demo-logins", () => {
  let database: Database;
  let app: FastifyInstance;
  beforeAll(async () => {
    database = await createTestDatabase();
    await seedDemo(database.db, { people: 60, today: "2026-07-01", now: new Date("2026-07-01T08:00:00Z") });
    app = await buildApp({ db: database.db, clock: fixedClock("2026-07-01T09:00:00.000Z") });
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it("lists one login per role with the demo password, and each of them signs in", async () => {
    const res = await app.inject({ method: "GET", url: "/api/v1/auth/demo-logins" });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { password: string; logins: { email: string; role: string }[] };
    expect(body.password).toBe(DEMO_PASSWORD);
    expect(body.logins.map((l) => l.role)).toEqual([
      "executive",
      "performance office",
      "manager",
      "employee",
      "data steward",
      "auditor",
      "administrator",
    ]);
    const admin = body.logins.find((l) => l.role === "administrator");
    const login = await app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: admin?.email, password: body.password },
    });
    expect(login.statusCode).toBe(200);
    expect((login.json() as { roles: string[] }).roles).toContain("admin");
  });

  it("stops advertising the logins once the demo password has been changed", async () => {
    const before = (await app.inject({ method: "GET", url: "/api/v1/auth/demo-logins" })).json() as {
      logins: { email: string }[];
    };
    const first = before.logins[0]?.email ?? "";
    await database.db
      .update(people)
      .set({ passwordHash: await hashPassword("a-real-secret-now") })
      .where(eq(people.email, first));
    const res = await app.inject({ method: "GET", url: "/api/v1/auth/demo-logins" });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ detail: "this installation has no demo logins" });
  });
});
