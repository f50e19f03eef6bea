import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { uuidv7 } from "uuidv7";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase, openPglite } from "../db/connection.ts";
import { metrics } from "../db/schema.ts";
import { ensureAdmin } from "../db/seed/bootstrap-admin.ts";
import { exitWithin, start } from "./spawn-helpers.ts";

// An embedded database folder in a temp dir, whatever the test backend.
const dataDir = mkdtempSync(join(tmpdir(), "yardstick-cli-import-"));
const file = join(dataDir, "calls.csv");

async function cli(...args: string[]) {
  const run = start(["bin/yardstick.mjs", ...args], { DATABASE_URL: "", YARDSTICK_DATA_DIR: dataDir });
  const code = await exitWithin(run, 60_000);
  return { code, output: run.output() };
}

async function query<T>(text: string): Promise<T[]> {
  const database = await openPglite(dataDir);
  try {
    const res = (await database.db.execute(sql.raw(text))) as unknown as { rows: T[] };
    return res.rows;
  } finally {
    await database.close();
  }
}

beforeAll(async () => {
  const database = await openPglite(dataDir);
  try {
    await migrateDatabase(database);
    const { orgId } = await ensureAdmin(database.db, {
      email: "root@example.com",
      password: "a long password",
    });
    await database.db.insert(metrics).values({
      orgId,
      id: uuidv7(),
      key: "calls_made",
      name: "Calls made",
      unit: "count",
      direction: "increase",
      indicatorType: "leading",
      aggregation: "sum",
    });
  } finally {
    await database.close();
  }
}, 60_000);

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("yardstick import measurements", () => {
  it("dry run: prints the mapping and each row's problem, writes nothing", async () => {
    writeFileSync(file, "date,value\n2026-01-01,10\n2026-01-02,eleven\n2026-01-03,12\n");
    const r = await cli(
      "import",
      "measurements",
      file,
      "--metric",
      "calls_made",
      "--source",
      "dialer",
      "--dry-run",
    );
    expect(r.output).toContain("calls.csv: CSV, 3 rows");
    expect(r.output).toContain("mapping: periodStart ← date, value ← value, metricKey ← calls_made");
    expect(r.output).toContain("2 rows ready, 1 with problems");
    expect(r.output).toContain('row 3, column value: text in a number column: "eleven" is not a number');
    expect(r.output).toContain("Dry run: nothing was written.");
    expect(r.code).toBe(1);
    expect(await query("select 1 from measurements")).toEqual([]);
  }, 120_000);

  it("refuses a file with problems unless --skip-invalid, then writes the good rows with progress", async () => {
    const refused = await cli("import", "measurements", file, "--metric", "calls_made");
    expect(refused.code).toBe(1);
    expect(refused.output).toContain("1 of 3 rows have problems");
    expect(refused.output).toContain("nothing was written");
    const r = await cli("import", "measurements", file, "--metric", "calls_made", "--skip-invalid");
    expect(r.output).toContain("3 / 3 rows (100 %)");
    expect(r.output).toMatch(/Imported in [\d.]+ s: 2 accepted, 0 flagged, 0 quarantined, 1 rejected\./);
    expect(r.code).toBe(0);
    const rows = await query<{ period_start: string; value: number; source: string }>(
      "select period_start::text, value, source from measurements order by period_start",
    );
    expect(rows).toEqual([
      { period_start: "2026-01-01", value: 10, source: "file" },
      { period_start: "2026-01-03", value: 12, source: "file" },
    ]);
  }, 120_000);

  it("says why when the data folder is in use, and when the file is missing", async () => {
    const missing = await cli("import", "measurements", join(dataDir, "nope.csv"));
    expect(missing.code).toBe(1);
    expect(missing.output).toContain("no file at");
    const database = await openPglite(dataDir);
    try {
      const r = await cli("import", "measurements", file, "--metric", "calls_made");
      expect(r.code).toBe(1);
      expect(r.output).toContain("is in use by another Yardstick process");
      expect(r.output).toContain("A server is using the data folder: stop it and run the import again");
    } finally {
      await database.close();
    }
  }, 120_000);
});
