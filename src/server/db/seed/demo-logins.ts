/** The demo organisation's featured logins: fixed addresses, one per role, all with DEMO_PASSWORD. */
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../connection.ts";
import { people } from "../schema.ts";
import { DEMO_DOMAIN, type Featured, type OrgPlan } from "./org.ts";

export const DEMO_PASSWORD = "yardstick-demo";

export type DemoLogin = { email: string; role: string; name: string };

const LOGIN_ROLES: [Featured, string][] = [
  ["ceo", "executive"],
  ["perf", "performance office"],
  ["manager", "manager"],
  ["employee", "employee"],
  ["steward", "data steward"],
  ["auditor", "auditor"],
  ["admin", "administrator"],
];

export function demoLogins(org: Pick<OrgPlan, "featured">): DemoLogin[] {
  return LOGIN_ROLES.map(([who, role]) => ({
    email: org.featured[who].email,
    role,
    name: org.featured[who].name,
  }));
}

/** The featured logins present (and active) in this database, in the order above; [] without the demo. */
export async function findDemoLogins(db: Db): Promise<DemoLogin[]> {
  const emails = LOGIN_ROLES.map(([who]) => `${who}@${DEMO_DOMAIN}`);
  const rows = await db
    .select({ email: people.email, name: people.name })
    .from(people)
    .where(and(inArray(people.email, emails), eq(people.active, true)));
  const byEmail = new Map(rows.map((r) => [r.email, r.name]));
  return LOGIN_ROLES.flatMap(([who, role]) => {
    const email = `${who}@${DEMO_DOMAIN}`;
    const name = byEmail.get(email);
    return name === undefined ? [] : [{ email, role, name }];
  });
}
