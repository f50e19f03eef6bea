/** Test helpers for the measurements module's tests. */
import { eq, sql } from "drizzle-orm";
import { measurements } from "../../db/schema.ts";
import { createMetric } from "../../testing/metrics.ts";
import type { TestApp } from "../../testing/test-app.ts";

/** How many measurements the test organisation holds (every row, superseded and quarantined too). */
export async function countMeasurements(t: TestApp): Promise<number> {
  const [row] = await t.database.db
    .select({ n: sql<number>`count(*)::int` })
    .from(measurements)
    .where(eq(measurements.orgId, t.org.orgId));
  return row?.n ?? 0;
}

/** A daily metric whose step-change rule flags a move of more than 50 % from the previous day. */
export async function createStepChangeMetric(t: TestApp, key: string): Promise<{ id: string; key: string }> {
  const id = await createMetric(t, key, {
    indicatorType: "leading",
    period: "day",
    validationRules: { stepChange: { maxPercent: 50, action: "flag" } },
  });
  return { id, key };
}
