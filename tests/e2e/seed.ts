/**
 * The data the browser tests run against: the demo organisation when its seed exists
 * (src/server/db/seed/seed-demo.ts), otherwise the small test organisation with passwords.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { eq } from "drizzle-orm";
import type { Database } from "../../src/server/db/connection.ts";
import { people } from "../../src/server/db/schema.ts";
import { hashPassword } from "../../src/server/modules/auth/password.ts";
import { seedTestOrg } from "../../src/server/testing/test-app.ts";

export const E2E_PASSWORD = "yardstick-e2e";
export type SeededPeople = Record<string, { email: string; password: string }>;

const demoSeedPath = fileURLToPath(new URL("../../src/server/db/seed/seed-demo.ts", import.meta.url));

export async function seedForBrowserTests(
  database: Database,
): Promise<{ kind: "demo" | "small"; people: SeededPeople }> {
  if (existsSync(demoSeedPath) && process.env.E2E_SEED !== "small") {
    const mod = (await import(demoSeedPath)) as {
      seedDemo: (
        db: Database["db"],
        opts?: { people?: number },
      ) => Promise<{ logins: { email: string; role: string }[] }>;
      DEMO_PASSWORD?: string;
    };
    // The password constant has lived in seed-demo.ts and in demo-logins.ts; take it from either.
    const loginsPath = fileURLToPath(new URL("../../src/server/db/seed/demo-logins.ts", import.meta.url));
    const password =
      mod.DEMO_PASSWORD ??
      (existsSync(loginsPath)
        ? ((await import(loginsPath)) as { DEMO_PASSWORD?: string }).DEMO_PASSWORD
        : undefined) ??
      "yardstick-demo";
    const result = await mod.seedDemo(database.db, { people: Number(process.env.E2E_PEOPLE ?? 250) });
    const key: Record<string, string> = {
      executive: "exec",
      "performance office": "hr",
      manager: "manager",
      employee: "employee",
      "data steward": "steward",
      auditor: "auditor",
      administrator: "admin",
    };
    const out: SeededPeople = {};
    for (const l of result.logins) out[key[l.role] ?? l.role] = { email: l.email, password };
    return { kind: "demo", people: out };
  }
  const org = await seedTestOrg(database);
  const hash = await hashPassword(E2E_PASSWORD);
  const out: SeededPeople = {};
  for (const [who, id] of Object.entries(org.people)) {
    const rows = await database.db
      .update(people)
      .set({ passwordHash: hash })
      .where(eq(people.id, id))
      .returning();
    const email = rows[0]?.email;
    if (email) out[who] = { email, password: E2E_PASSWORD };
  }
  return { kind: "small", people: out };
}
