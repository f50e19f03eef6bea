/**
 * Test fixtures for the progress engine and check-ins: metrics, goals, measurements and alignments
 * written straight into a test database (the modules that own them are tested on their own).
 */
import { uuidv7 } from "uuidv7";
import type { Db } from "../../db/connection.ts";
import { alignments, goals, measurements, metrics } from "../../db/schema.ts";
import type { TestOrg } from "../../testing/test-app.ts";

export async function insertMetric(
  db: Db,
  org: TestOrg,
  m: { key: string; aggregation: string; calculation?: string },
): Promise<string> {
  const id = uuidv7();
  await db.insert(metrics).values({
    orgId: org.orgId,
    id,
    key: m.key,
    name: m.key,
    unit: "count",
    direction: "increase",
    indicatorType: "lagging",
    aggregation: m.aggregation,
    calculation: m.calculation ?? "manual",
  });
  return id;
}

export type GoalFixture = Partial<typeof goals.$inferInsert> & { kind: string };

export async function insertGoal(db: Db, org: TestOrg, g: GoalFixture): Promise<string> {
  const id = uuidv7();
  await db.insert(goals).values({
    orgId: org.orgId,
    id,
    cycleId: org.cycleId,
    title: `goal ${g.kind}`,
    ownerId: org.people.employee,
    level: "individual",
    startDate: "2026-01-01",
    dueDate: "2026-12-31",
    state: "active",
    createdAt: "2026-01-01T00:00:00Z",
    ...g,
  });
  return id;
}

export async function insertMeasurement(
  db: Db,
  org: TestOrg,
  m: {
    metricId: string;
    periodStart: string;
    periodEnd: string;
    value: number;
    recordedAt: string;
    scopeType?: string;
    scopeId?: string;
    supersedesId?: string;
    validationState?: string;
  },
): Promise<string> {
  const id = uuidv7();
  await db.insert(measurements).values({
    orgId: org.orgId,
    id,
    scopeType: m.scopeType ?? "org",
    scopeId: m.scopeId ?? org.orgId,
    ...m,
  });
  return id;
}

export async function align(db: Db, org: TestOrg, childId: string, parentId: string, weight: number) {
  await db
    .insert(alignments)
    .values({ orgId: org.orgId, childId, parentId, weight, createdAt: "2026-01-01T00:00:00Z" });
}
