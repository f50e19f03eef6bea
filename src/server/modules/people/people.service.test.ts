import { sql } from "drizzle-orm";
import { uuidv7 } from "uuidv7";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { people } from "../../db/schema.ts";
import { createTestApp, type TestApp } from "../../testing/test-app.ts";
import { findPersonSummary, listManagerChain, listReportIds } from "./people.service.ts";

describe("reporting lines", () => {
  let t: TestApp;
  let intern: string;
  beforeAll(async () => {
    t = await createTestApp();
    // exec ← manager ← employee ← intern
    intern = uuidv7();
    await t.database.db.insert(people).values({
      orgId: t.org.orgId,
      id: intern,
      email: "intern@test.example",
      name: "intern",
      managerId: t.org.people.employee,
    });
  });
  afterAll(() => t.close());

  it("lists every direct and indirect report, sorted by id", async () => {
    const { db } = t.database;
    const p = t.org.people;
    expect(await listReportIds(db, t.org.orgId, p.manager)).toEqual([p.employee, intern].sort());
    const everyoneButExec = [
      p.admin,
      p.hr,
      p.manager,
      p.otherEmployee,
      p.steward,
      p.auditor,
      p.employee,
      intern,
    ];
    expect(await listReportIds(db, t.org.orgId, p.exec)).toEqual(everyoneButExec.sort());
    expect(await listReportIds(db, t.org.orgId, intern)).toEqual([]);
  });

  it("lists the manager chain upwards, nearest first", async () => {
    const { db } = t.database;
    const p = t.org.people;
    expect(await listManagerChain(db, t.org.orgId, intern)).toEqual([p.employee, p.manager, p.exec]);
    expect(await listManagerChain(db, t.org.orgId, p.exec)).toEqual([]);
  });

  it("stops at a loop should bad data ever hold one", async () => {
    const { db } = t.database;
    const p = t.org.people;
    await db.execute(sql`update people set manager_id = ${intern} where id = ${p.exec}`);
    try {
      expect(await listManagerChain(db, t.org.orgId, p.manager)).toEqual([p.exec, intern, p.employee]);
      expect(await listReportIds(db, t.org.orgId, p.manager)).toContain(p.manager);
    } finally {
      await db.execute(sql`update people set manager_id = null where id = ${p.exec}`);
    }
  });

  it("keeps other organisations out", async () => {
    const other = uuidv7();
    expect(await listReportIds(t.database.db, other, t.org.people.manager)).toEqual([]);
    expect(await findPersonSummary(t.database.db, other, t.org.people.manager)).toBeUndefined();
    expect(await findPersonSummary(t.database.db, t.org.orgId, t.org.people.manager)).toEqual({
      id: t.org.people.manager,
      name: "manager",
      active: true,
      unitId: t.org.units.salesTeam,
      managerId: t.org.people.exec,
      roles: ["manager", "employee"],
    });
  });
});
