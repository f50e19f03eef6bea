/** A test database with an organisation and one metric to write measurements for (batch and COPY tests). */
import { uuidv7 } from "uuidv7";
import { seedTestOrg, type TestOrg } from "../testing/test-app.ts";
import { createTestDatabase } from "../testing/test-db.ts";
import type { Database } from "./connection.ts";
import { metrics } from "./schema.ts";

export async function openWithMetric(
  key: string,
): Promise<{ database: Database; org: TestOrg; metricId: string }> {
  const database = await createTestDatabase();
  const org = await seedTestOrg(database);
  const metricId = uuidv7();
  await database.db.insert(metrics).values({
    orgId: org.orgId,
    id: metricId,
    key,
    name: key,
    unit: "count",
    direction: "increase",
    indicatorType: "leading",
    aggregation: "sum",
  });
  return { database, org, metricId };
}
