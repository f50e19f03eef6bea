import { asc, count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { topologicalOrder } from "../../../domain/dag.ts";
import { createTestDatabase } from "../../testing/test-db.ts";
import type { Database } from "../connection.ts";
import {
  alignments,
  auditEvents,
  checkIns,
  goalProgress,
  goals,
  goalVersions,
  measurements,
  metrics,
  orgUnits,
  people,
} from "../schema.ts";
import { seedDemo } from "./seed-demo.ts";

const TODAY = "2026-07-01";
const NOW = new Date("2026-07-01T08:00:00.000Z");
const open: Database[] = [];

async function seeded(size: number, recompute = false) {
  const database = await createTestDatabase();
  open.push(database);
  const result = await seedDemo(database.db, { people: size, today: TODAY, now: NOW, recompute });
  return { database, db: database.db, result };
}

afterAll(async () => {
  for (const d of open) await d.close();
});

// Seeding is a few seconds per organisation on PGlite, more on a busy machine.
const SLOW = 180_000;

describe("seedDemo", () => {
  let a: Awaited<ReturnType<typeof seeded>>;
  let b: Awaited<ReturnType<typeof seeded>>;
  beforeAll(async () => {
    a = await seeded(60);
    b = await seeded(60);
  }, SLOW);

  it(
    "is deterministic: the same size and day give the same rows",
    async () => {
      expect(a.result.counts).toEqual(b.result.counts);
      expect(a.result.orgId).toBe(b.result.orgId);
      for (const table of [people, orgUnits, metrics, measurements, goals, goalVersions, checkIns]) {
        // Password hashes differ by their random salt, as they must; everything else is equal.
        const first = async (db: typeof a.db) =>
          (await db.select().from(table).orderBy(asc(sql`2`)).limit(3)).map((r) => ({
            ...r,
            passwordHash: "passwordHash" in r ? "(salted)" : undefined,
          }));
        expect(await first(a.db)).toEqual(await first(b.db));
      }
      expect(a.result.logins).toEqual(b.result.logins);
    },
    SLOW,
  );

  it(
    "scales with the number of people and keeps every invariant",
    async () => {
      const small = a;
      const { db, result } = await seeded(150, true);
      expect(result.counts.people).toBe(150);
      expect(small.result.counts.people).toBe(60);
      for (const key of ["units", "measurements", "goals", "checkIns"]) {
        expect(result.counts[key], key).toBeGreaterThan(small.result.counts[key] as number);
      }
      expect(result.counts.metrics).toBeGreaterThanOrEqual(30);
      expect(result.counts.metrics).toBeLessThanOrEqual(50);

      // every goal has its version-1 snapshot, equal to the stored row
      const [withoutVersion] = await db
        .select({ n: count() })
        .from(goals)
        .where(
          sql`not exists (select 1 from goal_versions v where v.org_id = ${goals.orgId} and v.goal_id = ${goals.id} and v.version = 1)`,
        );
      expect(withoutVersion?.n).toBe(0);
      const [g] = await db.select().from(goals).limit(1);
      const [v] = await db
        .select()
        .from(goalVersions)
        .where(eq(goalVersions.goalId, g?.id ?? ""));
      expect(v?.snapshot).toMatchObject({ ...g, contributors: expect.any(Array) });

      // the alignment links form a DAG, and some goals support two parents
      const ids = (await db.select({ id: goals.id }).from(goals)).map((r) => r.id);
      const edges = (await db.select().from(alignments)).map((e) => ({
        child: e.childId,
        parent: e.parentId,
      }));
      expect(topologicalOrder(ids, edges)).toHaveLength(ids.length);
      const parentsPerChild = new Map<string, number>();
      for (const e of edges) parentsPerChild.set(e.child, (parentsPerChild.get(e.child) ?? 0) + 1);
      expect([...parentsPerChild.values()].some((n) => n >= 2)).toBe(true);

      // roles: the featured people, heads as managers, everyone an employee
      const everyone = await db.select().from(people);
      expect(everyone.every((p) => p.roles.includes("employee"))).toBe(true);
      const byEmail = new Map(everyone.map((p) => [p.email, p]));
      expect(byEmail.get("ceo@northwind.example")?.roles).toContain("executive");
      expect(byEmail.get("perf@northwind.example")?.roles).toContain("performance_office");
      expect(byEmail.get("steward@northwind.example")?.roles).toContain("data_steward");
      expect(byEmail.get("auditor@northwind.example")?.roles).toContain("auditor");
      expect(byEmail.get("admin@northwind.example")?.roles).toContain("admin");
      expect(byEmail.get("manager@northwind.example")?.roles).toContain("manager");
      expect(byEmail.get("employee@northwind.example")?.managerId).toBe(
        byEmail.get("manager@northwind.example")?.id,
      );

      // one audit event, and a realistic mix of statuses in the current cycle
      const events = await db.select().from(auditEvents);
      expect(events.map((e) => e.action)).toEqual(["org.seeded"]);
      const mix = await db
        .select({ status: goalProgress.status, n: count() })
        .from(goalProgress)
        .groupBy(goalProgress.status);
      const n = Object.fromEntries(mix.map((m) => [m.status, m.n]));
      const total = Object.values(n).reduce((s, x) => s + x, 0);
      expect(result.recomputed).toBe(true);
      expect(n.on_track ?? 0).toBeGreaterThan(total * 0.3);
      for (const status of ["at_risk", "off_track", "achieved"])
        expect(n[status] ?? 0, status).toBeGreaterThan(0);
      expect(n.on_track ?? 0).toBeGreaterThan(n.off_track ?? 0);
    },
    SLOW,
  );

  it(
    "refuses a size below the minimum with a clear message",
    async () => {
      const database = await createTestDatabase();
      open.push(database);
      await expect(seedDemo(database.db, { people: 10, today: TODAY })).rejects.toThrow(/at least 40 people/);
    },
    SLOW,
  );
});
