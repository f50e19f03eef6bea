import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import {
  type Database,
  fromPglite,
  migrateDatabase,
  migrationsFolder,
  openPostgres,
} from "../db/connection.ts";

/**
 * A fresh, migrated database per test file: a PGlite clone of a migrated template by default, or a
 * PostgreSQL database made from a template when TEST_BACKEND=postgres (DATABASE_URL names the server).
 */
export const testBackend = (): "pglite" | "postgres" =>
  process.env.TEST_BACKEND === "postgres" ? "postgres" : "pglite";

let pgliteTemplate: Promise<File | Blob> | undefined;

async function makePgliteTemplate(): Promise<File | Blob> {
  const client = await PGlite.create();
  const database = fromPglite(client);
  await migrateDatabase(database);
  const dump = await client.dumpDataDir("none");
  await client.close();
  return dump;
}

function migrationsHash(): string {
  const h = createHash("sha256");
  for (const f of readdirSync(migrationsFolder).sort()) {
    if (f.endsWith(".sql")) h.update(readFileSync(join(migrationsFolder, f)));
  }
  return h.digest("hex").slice(0, 12);
}

async function ensurePostgresTemplate(admin: pg.Client, url: string): Promise<string> {
  const name = `yardstick_tpl_${migrationsHash()}`;
  await admin.query("select pg_advisory_lock(727275)");
  try {
    const exists = await admin.query("select 1 from pg_database where datname = $1", [name]);
    if (exists.rowCount === 0) {
      await admin.query(`create database ${name}`);
      const database = await openPostgres(withDatabase(url, name), 1);
      try {
        await migrateDatabase(database);
      } finally {
        await database.close();
      }
    }
  } finally {
    await admin.query("select pg_advisory_unlock(727275)");
  }
  return name;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function createTestDatabase(): Promise<Database> {
  if (testBackend() === "pglite") {
    pgliteTemplate ??= makePgliteTemplate();
    const client = await PGlite.create({ loadDataDir: await pgliteTemplate });
    return fromPglite(client);
  }
  const url = process.env.DATABASE_URL;
  if (!url)
    throw new Error("TEST_BACKEND=postgres needs DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/test");
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const name = `yardstick_t_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
  try {
    const template = await ensurePostgresTemplate(admin, url);
    await admin.query(`create database ${name} template ${template}`);
  } finally {
    await admin.end();
  }
  const database = await openPostgres(withDatabase(url, name), 4);
  return {
    ...database,
    close: async () => {
      await database.close();
      const drop = new pg.Client({ connectionString: url });
      await drop.connect();
      await drop.query(`drop database if exists ${name} with (force)`);
      await drop.end();
    },
  };
}
