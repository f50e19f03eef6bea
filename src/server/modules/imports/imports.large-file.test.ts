/**
 * A 200 MB file (issue 4, "Faults and bad input"): uploaded as a stream, every row read, the one bad
 * row named by row and column, and every other row committed. Rows carry a ~10 KB text column
 * (not mapped to any field), as exports with free text do, so the file is large without taking the
 * suite minutes to check.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "../../../domain/dates.ts";
import { measurements } from "../../db/schema.ts";
import { createTestApp, type TestApp } from "../../testing/test-app.ts";
import type { Import, ImportProblem } from "./imports.schema.ts";

process.env.YARDSTICK_IMPORT_DIR = mkdtempSync(join(tmpdir(), "yardstick-imports-large-"));

const ROWS = 20_000;
const BAD_ROW = 15_001; // the file's row number (the header is row 1)
const comment = "x".repeat(10_000);

/** The CSV, produced row by row as it is read: never held whole in memory. */
function bigCsv(): { stream: Readable; bytes: () => number } {
  let bytes = 0;
  function* lines() {
    yield "metric,date,value,ticket_text\n";
    for (let i = 0; i < ROWS; i++) {
      const value = i + 2 === BAD_ROW ? "n/a" : String(i % 500);
      yield `calls_made,${addDays("2026-06-01", -i)},${value},"${comment}"\n`;
    }
  }
  const stream = Readable.from(
    (function* () {
      for (const line of lines()) {
        bytes += Buffer.byteLength(line);
        yield line;
      }
    })(),
  );
  return { stream, bytes: () => bytes };
}

let t: TestApp;
let metricId: string;
beforeAll(async () => {
  t = await createTestApp();
  const made = await t.call<{ id: string }>("admin", {
    method: "POST",
    url: "/api/v1/metrics",
    payload: {
      key: "calls_made",
      name: "Calls made",
      unit: "count",
      direction: "increase",
      indicatorType: "leading",
      aggregation: "sum",
      period: "day",
    },
  });
  metricId = made.body.id;
});
afterAll(() => t.close());

describe("a 200 MB file", () => {
  let imp: Import;
  let sent = 0;

  it("is streamed in and read whole: the bad row is named by row and column", async () => {
    const file = bigCsv();
    const res = await t.call<Import>("admin", {
      method: "POST",
      url: `/api/v1/imports?${new URLSearchParams({ fileName: "big.csv" })}`,
      headers: { "content-type": "text/csv" },
      payload: file.stream,
    });
    sent = file.bytes();
    expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(201);
    imp = res.body;
    expect(sent).toBeGreaterThan(200_000_000);
    expect(imp.byteSize).toBe(sent);
    expect(imp).toMatchObject({ totalRows: ROWS, validRows: ROWS - 1, problemRows: 1, status: "previewed" });
    const problems = await t.call<{ items: ImportProblem[] }>("admin", {
      method: "GET",
      url: `/api/v1/imports/${imp.id}/problems`,
    });
    expect(problems.body.items).toEqual([
      { rowNumber: BAD_ROW, column: "value", message: expect.stringContaining("n/a") },
    ]);
  }, 240_000);

  it("commits every other row, once", async () => {
    const res = await t.call<Import>("admin", {
      method: "POST",
      url: `/api/v1/imports/${imp.id}/commit`,
      payload: { skipInvalid: true },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    let done: Import | undefined;
    for (let i = 0; i < 2400 && !done; i++) {
      const got = await t.call<Import>("admin", { method: "GET", url: `/api/v1/imports/${imp.id}` });
      if (got.body.status !== "running") done = got.body;
      else await new Promise((r) => setTimeout(r, 100));
    }
    expect(done).toMatchObject({
      status: "done",
      outcome: { accepted: ROWS - 1, flagged: 0, quarantined: 0, rejected: 1 },
    });
    const [stored] = await t.database.db
      .select({ n: sql<number>`count(*)::int`, total: sql<number>`sum(${measurements.value})::float8` })
      .from(measurements)
      .where(and(eq(measurements.orgId, t.org.orgId), eq(measurements.metricId, metricId)));
    // every row's value is its index mod 500, but the bad row's (index BAD_ROW - 2)
    let expected = 0;
    for (let i = 0; i < ROWS; i++) if (i + 2 !== BAD_ROW) expected += i % 500;
    expect(stored).toEqual({ n: ROWS - 1, total: expected });
  }, 240_000);
});
