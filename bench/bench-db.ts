/**
 * The database a benchmark runs on: PGlite in memory without DATABASE_URL; otherwise a fresh
 * database created next to DATABASE_URL's and dropped afterwards (`keep` keeps it, `reuse` measures
 * one kept earlier).
 */
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { type Database, fromPglite, migrateDatabase, openPostgres } from "../src/server/db/connection.ts";

export async function openBenchDatabase(opts: {
  url: string | undefined;
  reuse: string | undefined;
  keep: boolean;
  pool: number;
  log: (msg: string) => void;
}): Promise<{ database: Database; drop: () => Promise<void> }> {
  const { url, reuse, keep, log } = opts;
  if (!url) {
    const database = fromPglite(await PGlite.create());
    await migrateDatabase(database);
    return { database, drop: () => database.close() };
  }
  const name = reuse ?? `yardstick_bench_${Date.now().toString(36)}`;
  if (!reuse) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
  }
  const u = new URL(url);
  u.pathname = `/${name}`;
  const database = await openPostgres(u.toString(), opts.pool);
  await migrateDatabase(database);
  log(`database ${name}`);
  return {
    database,
    drop: async () => {
      await database.close();
      if (keep || reuse) return log(`kept database ${name}`);
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
