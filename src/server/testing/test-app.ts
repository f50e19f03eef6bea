import type { FastifyInstance, InjectOptions } from "fastify";
import { uuidv7 } from "uuidv7";
import { buildApp } from "../app.ts";
import { type Clock, fixedClock } from "../clock.ts";
import type { Database } from "../db/connection.ts";
import { cycles, organizations, orgUnits, people } from "../db/schema.ts";
import { createSession, SESSION_COOKIE } from "../modules/auth/auth.service.ts";
import { createTestDatabase } from "./test-db.ts";

/** The people of the small test organisation, one per role, named by what they are. */
export const TEST_PEOPLE = [
  "admin",
  "hr",
  "exec",
  "manager",
  "employee",
  "otherEmployee",
  "steward",
  "auditor",
] as const;
export type TestPerson = (typeof TEST_PEOPLE)[number];

export type TestOrg = {
  orgId: string;
  units: { company: string; sales: string; salesTeam: string; ops: string };
  people: Record<TestPerson, string>;
  cycleId: string;
};

export type TestApp = {
  app: FastifyInstance;
  database: Database;
  clock: Clock;
  org: TestOrg;
  /** Cookie header of a signed-in test person. */
  as: (who: TestPerson) => { cookie: string };
  /** app.inject as a person; returns status and parsed JSON. */
  call: <T = unknown>(
    who: TestPerson | null,
    opts: InjectOptions,
  ) => Promise<{ status: number; body: T; headers: Record<string, unknown> }>;
  close: () => Promise<void>;
};

export const TEST_TODAY = "2026-07-01T09:00:00.000Z";

/**
 * Company → Sales (division) → Sales team, and Operations (division).
 * exec heads the company; manager runs the sales team; employee reports to manager;
 * otherEmployee works in Operations and reports to exec.
 */
export async function seedTestOrg(database: Database): Promise<TestOrg> {
  const db = database.db;
  const orgId = uuidv7();
  await db.insert(organizations).values({ id: orgId, name: "Test Org", timeZone: "Europe/Amsterdam" });
  const units = { company: uuidv7(), sales: uuidv7(), salesTeam: uuidv7(), ops: uuidv7() };
  await db.insert(orgUnits).values([
    { orgId, id: units.company, parentId: null, name: "Test Org", kind: "company" },
    { orgId, id: units.sales, parentId: units.company, name: "Sales", kind: "division" },
    { orgId, id: units.salesTeam, parentId: units.sales, name: "Sales team", kind: "team" },
    { orgId, id: units.ops, parentId: units.company, name: "Operations", kind: "division" },
  ]);
  const ids = Object.fromEntries(TEST_PEOPLE.map((p) => [p, uuidv7()])) as Record<TestPerson, string>;
  const row = (who: TestPerson, roles: string[], unitId: string, managerId: string | null) => ({
    orgId,
    id: ids[who],
    email: `${who.toLowerCase()}@test.example`,
    name: who,
    roles,
    unitId,
    managerId,
  });
  await db.insert(people).values(row("exec", ["executive", "employee"], units.company, null));
  await db
    .insert(people)
    .values([
      row("admin", ["admin"], units.company, ids.exec),
      row("hr", ["performance_office", "employee"], units.company, ids.exec),
      row("manager", ["manager", "employee"], units.salesTeam, ids.exec),
      row("otherEmployee", ["employee"], units.ops, ids.exec),
      row("steward", ["data_steward", "employee"], units.ops, ids.exec),
      row("auditor", ["auditor"], units.company, ids.exec),
    ]);
  await db.insert(people).values(row("employee", ["employee"], units.salesTeam, ids.manager));
  const cycleId = uuidv7();
  await db.insert(cycles).values({
    orgId,
    id: cycleId,
    name: "2026",
    kind: "year",
    startDate: "2026-01-01",
    endDate: "2026-12-31",
    phase: "active",
  });
  return { orgId, units, people: ids, cycleId };
}

export async function createTestApp(opts: { now?: string } = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const clock = fixedClock(opts.now ?? TEST_TODAY);
  const org = await seedTestOrg(database);
  const app = await buildApp({ db: database.db, clock });
  await app.ready();
  const cookies = new Map<TestPerson, string>();
  for (const who of TEST_PEOPLE) {
    // Sessions last 12 hours from the fixed clock; tests run well inside that.
    const s = await createSession(database.db, clock, org.orgId, org.people[who]);
    cookies.set(who, `${SESSION_COOKIE}=${s.cookie}`);
  }
  const as = (who: TestPerson) => ({ cookie: cookies.get(who) ?? "" });
  return {
    app,
    database,
    clock,
    org,
    as,
    call: async <T>(who: TestPerson | null, o: InjectOptions) => {
      const res = await app.inject({ ...o, headers: { ...(o.headers ?? {}), ...(who ? as(who) : {}) } });
      const text = res.body;
      return { status: res.statusCode, body: (text ? JSON.parse(text) : null) as T, headers: res.headers };
    },
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}
