import { and, eq, inArray } from "drizzle-orm";
import { uuidv7 } from "uuidv7";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestOrg } from "../testing/test-app.ts";
import { testBackend } from "../testing/test-db.ts";
import { openWithMetric } from "./batch.fixtures.ts";
import { insertReady, insertRows, readyInsert } from "./batch.ts";
import type { Database } from "./connection.ts";
import { copyClientOf, copyPossible } from "./copy.ts";
import { measurementFindings, measurements } from "./schema.ts";

// Inside a transaction on PostgreSQL, insertRows goes by COPY … FROM STDIN; on PGlite by statement.
// The same rows must come back exactly as given either way.
describe("insertRows in a transaction (COPY on PostgreSQL)", () => {
  let database: Database;
  let org: TestOrg;
  let metricId: string;
  beforeAll(async () => {
    ({ database, org, metricId } = await openWithMetric("copy_test"));
  });
  afterAll(async () => database.close());

  const base = () => ({
    orgId: org.orgId,
    metricId,
    scopeType: "organization",
    scopeId: org.orgId,
    recordedAt: "2026-03-01T10:00:00.000Z",
  });

  it("finds the transaction's connection on PostgreSQL only", async () => {
    await database.db.transaction(async (tx) => {
      expect(copyClientOf(tx) !== undefined).toBe(testBackend() === "postgres");
    });
    // outside a transaction there is no single connection to copy on, but rows can be encoded ahead
    expect(copyClientOf(database.db)).toBeUndefined();
    expect(copyPossible(database.db)).toBe(testBackend() === "postgres");
  });

  it("keeps text with tabs, line breaks, backslashes and \\N, nulls, defaults and jsonb exactly", async () => {
    const notes = ["tab\there", "line\nbreak", "cr\r\nlf", "back\\slash \\N", "\\N", "", "ünï ☃ 'q' \"d\""];
    const ids = notes.map(() => uuidv7());
    await database.db.transaction(async (tx) => {
      await insertRows(
        tx,
        measurements,
        notes.map((note, i) => ({
          ...base(),
          id: ids[i] as string,
          periodStart: `2026-01-0${i + 1}`,
          periodEnd: `2026-01-0${i + 1}`,
          value: i === 0 ? -1.25e-7 : i * 1000.5,
          note,
          provisional: i % 2 === 0,
          supersedesId: i === 1 ? (ids[0] as string) : null,
        })),
      );
      await insertRows(tx, measurementFindings, [
        {
          orgId: org.orgId,
          measurementId: ids[0] as string,
          rule: "outlier",
          outcome: "flag",
          message: "a\tb\\c",
          details: { text: 'tab\t"quote"\nline \\', n: 1.5, none: null, list: [1, "x"] },
        },
        {
          orgId: org.orgId,
          measurementId: ids[1] as string,
          rule: "range",
          outcome: "flag",
          message: "m",
          details: {},
        },
      ]);
    });
    const rows = await database.db
      .select()
      .from(measurements)
      .where(and(eq(measurements.orgId, org.orgId), eq(measurements.metricId, metricId)))
      .orderBy(measurements.id);
    expect(rows.map((r) => [r.id, r.note, r.value, r.provisional, r.supersedesId])).toEqual(
      notes.map((note, i) => [
        ids[i],
        note,
        i === 0 ? -1.25e-7 : i * 1000.5,
        i % 2 === 0,
        i === 1 ? ids[0] : null,
      ]),
    );
    // columns no row named keep their defaults
    expect(rows.every((r) => r.source === "api" && r.validationState === "accepted")).toBe(true);
    const findings = await database.db
      .select()
      .from(measurementFindings)
      .where(eq(measurementFindings.orgId, org.orgId))
      .orderBy(measurementFindings.rule);
    expect(findings.map((f) => [f.rule, f.message, f.details])).toEqual([
      ["outlier", "a\tb\\c", { text: 'tab\t"quote"\nline \\', n: 1.5, none: null, list: [1, "x"] }],
      ["range", "m", {}],
    ]);
  });

  it("inserts rows made ready outside the transaction (encoded for COPY on PostgreSQL), exactly as given; says once when they are sent, before the insert ends", async () => {
    const rows = ["a\tb", "c\\N"].map((note, i) => ({
      ...base(),
      id: uuidv7(),
      periodStart: `2026-04-0${i + 1}`,
      periodEnd: `2026-04-0${i + 1}`,
      value: i + 0.5,
      note,
    }));
    const ready = readyInsert(database.db, measurements, rows);
    expect(ready.copy !== null).toBe(testBackend() === "postgres");
    const heard: string[] = [];
    await database.db.transaction(async (tx) => {
      await insertReady(tx, ready, () => heard.push("sent"));
      heard.push("inserted");
    });
    // the import goes on judging its next chunk from "sent", while the database inserts
    expect(heard).toEqual(["sent", "inserted"]);
    const back = await database.db
      .select()
      .from(measurements)
      .where(
        inArray(
          measurements.id,
          rows.map((r) => r.id),
        ),
      )
      .orderBy(measurements.id);
    expect(back.map((r) => [r.id, r.note, r.value])).toEqual(rows.map((r) => [r.id, r.note, r.value]));
  });

  it("fails the transaction on a duplicate key, with PostgreSQL's code, and writes nothing", async () => {
    const id = uuidv7();
    const row = { ...base(), id, periodStart: "2026-02-01", periodEnd: "2026-02-28", value: 1 };
    const failed = await database.db
      .transaction(async (tx) => {
        await insertRows(tx, measurements, [row, { ...row, value: 2 }]);
      })
      .then(
        () => null,
        (err: unknown) => err,
      );
    const codes: unknown[] = [];
    for (let e: unknown = failed; e instanceof Object; e = (e as { cause?: unknown }).cause)
      codes.push((e as { code?: unknown }).code);
    expect(codes).toContain("23505");
    const left = await database.db.select().from(measurements).where(eq(measurements.id, id));
    expect(left).toEqual([]);
  });
});
