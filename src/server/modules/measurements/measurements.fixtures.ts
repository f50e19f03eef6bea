/** Test helpers for the measurements module's tests. */
import { eq, sql } from "drizzle-orm";
import { expect } from "vitest";
import { measurements } from "../../db/schema.ts";
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
  const res = await t.call<{ id: string; key: string }>("admin", {
    method: "POST",
    url: "/api/v1/metrics",
    payload: {
      key,
      name: key,
      unit: "count",
      direction: "increase",
      indicatorType: "leading",
      aggregation: "sum",
      period: "day",
      validationRules: { stepChange: { maxPercent: 50, action: "flag" } },
    },
  });
  expect(res.status).toBe(201);
  return res.body;
}
