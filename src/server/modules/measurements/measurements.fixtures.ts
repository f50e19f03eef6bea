/** Test helpers for the measurements module's tests. */
import { eq, sql } from "drizzle-orm";
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
