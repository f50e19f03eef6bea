import { and, eq } from "drizzle-orm";
import { uuidv7 } from "uuidv7";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedTestOrg, type TestOrg } from "../testing/test-app.ts";
import { createTestDatabase } from "../testing/test-db.ts";
import { openWithMetric } from "./batch.fixtures.ts";
import { insertRows } from "./batch.ts";
import type { Database } from "./connection.ts";
import { measurementFindings, measurements, metrics } from "./schema.ts";

describe("insertRows", () => {
  let database: Database;
  let org: TestOrg;
  let metricId: string;
  beforeAll(async () => {
    ({ database, org, metricId } = await openWithMetric("batch_test"));
  });
  afterAll(async () => database.close());

  const read = () =>
    database.db
      .select()
      .from(measurements)
      .where(and(eq(measurements.orgId, org.orgId), eq(measurements.metricId, metricId)))
      .orderBy(measurements.id);

  it("writes shared and varying columns, nulls and defaults, exactly as given", async () => {
    const batchId = uuidv7();
    const base = {
      orgId: org.orgId,
      metricId,
      scopeType: "person",
      scopeId: org.people.employee,
      recordedAt: "2026-03-01T10:00:00.000Z",
      batchId,
      provisional: true,
    };
    const ids = [uuidv7(), uuidv7(), uuidv7()];
    await insertRows(database.db, measurements, [
      // shared: org, metric, scope, instant, batch, provisional; varying: id, period, value, note;
      // supersedes named by two rows (null in the third); source and state named by none (defaults)
      {
        ...base,
        id: ids[0] as string,
        periodStart: "2026-01-01",
        periodEnd: "2026-01-31",
        value: 1.5,
        note: "a 'quoted' \"note\"",
      },
      {
        ...base,
        id: ids[1] as string,
        periodStart: "2026-02-01",
        periodEnd: "2026-02-28",
        value: -2,
        note: "",
        supersedesId: null,
      },
      {
        ...base,
        id: ids[2] as string,
        periodStart: "2026-01-01",
        periodEnd: "2026-01-31",
        value: 0,
        note: "fix",
        supersedesId: ids[0] as string,
      },
    ]);
    const rows = await read();
    expect(
      rows.map((r) => [
        r.id,
        String(r.periodStart),
        r.value,
        r.note,
        r.supersedesId,
        r.provisional,
        r.batchId,
      ]),
    ).toEqual([
      [ids[0], "2026-01-01", 1.5, "a 'quoted' \"note\"", null, true, batchId],
      [ids[1], "2026-02-01", -2, "", null, true, batchId],
      [ids[2], "2026-01-01", 0, "fix", ids[0], true, batchId],
    ]);
    expect(rows.every((r) => r.source === "api" && r.validationState === "accepted")).toBe(true);
    expect(rows.map((r) => new Date(r.recordedAt).toISOString())).toEqual(
      Array(3).fill("2026-03-01T10:00:00.000Z"),
    );
  });
});

describe("insertRows with one row and with a jsonb column", () => {
  let database: Database;
  let org: TestOrg;
  beforeAll(async () => {
    database = await createTestDatabase();
    org = await seedTestOrg(database);
  });
  afterAll(async () => database.close());

  it("keeps objects (jsonb) per row even when equal, and writes a single row", async () => {
    const metricId = uuidv7();
    await database.db.insert(metrics).values({
      orgId: org.orgId,
      id: metricId,
      key: "one_row",
      name: "One row",
      unit: "count",
      direction: "increase",
      indicatorType: "leading",
      aggregation: "sum",
    });
    const ids = [uuidv7(), uuidv7()];
    for (const id of ids)
      await insertRows(database.db, measurements, [
        {
          orgId: org.orgId,
          id: id as string,
          metricId,
          scopeType: "organization",
          scopeId: org.orgId,
          periodStart: "2026-01-01",
          periodEnd: "2026-01-31",
          value: 3,
          recordedAt: "2026-03-01T10:00:00.000Z",
        },
      ]);
    const details = { median: 10, mad: 1.5, z: null };
    await insertRows(
      database.db,
      measurementFindings,
      ids.map((id, i) => ({
        orgId: org.orgId,
        measurementId: id as string,
        rule: "outlier",
        outcome: "flag",
        message: `finding ${i}`,
        details,
      })),
    );
    const found = await database.db
      .select()
      .from(measurementFindings)
      .where(eq(measurementFindings.orgId, org.orgId))
      .orderBy(measurementFindings.message);
    expect(found.map((f) => [f.measurementId, f.message, f.details])).toEqual([
      [ids[0], "finding 0", details],
      [ids[1], "finding 1", details],
    ]);
  });
});
