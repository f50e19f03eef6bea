import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase, openPglite } from "../db/connection.ts";
import { ensureAdmin } from "../db/seed/bootstrap-admin.ts";
import { exitWithin, start } from "./spawn-helpers.ts";

// The CLI works on an embedded database folder here (PGlite in a temp dir), whatever the test backend.
const dataDir = mkdtempSync(join(tmpdir(), "yardstick-cli-"));

async function cli(...args: string[]) {
  const run = start(["bin/yardstick.mjs", ...args], { DATABASE_URL: "", YARDSTICK_DATA_DIR: dataDir });
  const code = await exitWithin(run, 60_000);
  return { code, output: run.output() };
}

async function withDatabase(work: (db: Awaited<ReturnType<typeof openPglite>>["db"]) => Promise<unknown>) {
  const database = await openPglite(dataDir);
  try {
    await migrateDatabase(database);
    await work(database.db);
  } finally {
    await database.close();
  }
}

beforeAll(async () => {
  await withDatabase((db) => ensureAdmin(db, { email: "root@example.com", password: "a long password" }));
}, 60_000);

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("yardstick CLI", () => {
  it("prints help", async () => {
    const r = await cli("--help");
    expect(r.code).toBe(0);
    expect(r.output).toContain("yardstick audit verify");
    const seedHelp = await cli("seed", "--help");
    expect(seedHelp.output).toContain("--people N");
    const unknown = await cli("frobnicate");
    expect(unknown.code).toBe(2);
    expect(unknown.output).toContain('unknown command "frobnicate"');
  }, 120_000);

  it("audit verify: exit 0 on an intact chain, 1 with the first break on a tampered one", async () => {
    const clean = await cli("audit", "verify");
    expect(clean.code).toBe(0);
    expect(clean.output).toMatch(/ok {6}My organisation \([0-9a-f-]{36}\): 2 events/);

    await withDatabase((db) =>
      db.execute(sql`update audit_events set data = '{"email":"mallory@example.com"}'::jsonb where seq = 2`),
    );
    const tampered = await cli("audit", "verify");
    expect(tampered.code).toBe(1);
    expect(tampered.output).toContain("BROKEN  My organisation");
    expect(tampered.output).toContain("first break at event 2: event content does not match its hash");

    const missing = await cli("audit", "verify", "--org", "00000000-0000-7000-8000-000000000000");
    expect(missing.code).toBe(1);
    expect(missing.output).toContain("no organisation with id");
  }, 180_000);

  it("seed refuses a database that already holds an organisation; admin sets a password", async () => {
    const seed = await cli("seed", "--people", "60");
    expect(seed.code).toBe(1);
    expect(seed.output).toContain("the database already holds an organisation");
    const short = await cli("admin", "--email", "root@example.com", "--password", "short");
    expect(short.code).toBe(1);
    expect(short.output).toContain("--password must be at least 12 characters long");
    const admin = await cli("admin", "--email", "root@example.com", "--password", "another long password");
    expect(admin.code).toBe(0);
    expect(admin.output).toContain("Set the password of root@example.com");
  }, 180_000);
});
