import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import { acquireDataDirLock } from "./data-dir-lock.ts";
import * as schema from "./schema.ts";

/** A database or a transaction: repos take either, so a service decides where the transaction is. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export type Database = {
  db: Db;
  kind: "pglite" | "postgres";
  close: () => Promise<void>;
  /** The raw PGlite instance (embedded only), for cloning in tests. */
  pglite?: PGlite;
  /** The pg pool (server only). */
  pool?: pg.Pool;
};

export const migrationsFolder = fileURLToPath(new URL("../../../drizzle", import.meta.url));

// node-postgres returns bigint and numeric as strings by default; our bigints (audit seq) fit in a double.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

export async function openPostgres(url: string, poolSize = 10): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle pooled connection that the server drops (a restart, a terminated backend) must not take
  // the process down: the pool replaces it on the next checkout. Termination by an administrator
  // (57P01, also what dropping a test database sends) is expected; anything else is worth a line.
  pool.on("error", (err: Error & { code?: string }) => {
    if (err.code !== "57P01") console.error(`yardstick: idle database connection failed: ${err.message}`);
  });
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  return { db, kind: "postgres", pool, close: () => pool.end() };
}

/** Opens the embedded database in `dataDir`, taking an exclusive lock on the folder first. */
export async function openPglite(dataDir: string): Promise<Database> {
  mkdirSync(dataDir, { recursive: true });
  const release = acquireDataDirLock(dataDir);
  try {
    const client = await PGlite.create(dataDir);
    return fromPglite(client, release);
  } catch (err) {
    release();
    throw err;
  }
}

export function fromPglite(client: PGlite, onClose: () => void = () => {}): Database {
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    kind: "pglite",
    pglite: client,
    close: async () => {
      await client.close();
      onClose();
    },
  };
}

/**
 * Applies the generated SQL migrations. On a server, several processes may start together: an
 * advisory lock on one dedicated connection makes them take turns.
 */
export async function migrateDatabase(database: Database): Promise<void> {
  if (database.kind === "pglite") {
    await migratePglite(database.db as never, { migrationsFolder });
    return;
  }
  const pool = database.pool;
  if (!pool) throw new Error("postgres database without a pool");
  const client = await pool.connect();
  try {
    await client.query("select pg_advisory_lock(727274)");
    await migratePg(drizzlePg(client, { schema }), { migrationsFolder });
  } finally {
    await client.query("select pg_advisory_unlock(727274)").catch(() => {});
    client.release();
  }
}

export async function openDatabase(opts: { databaseUrl?: string; dataDir: string }): Promise<Database> {
  const database = opts.databaseUrl ? await openPostgres(opts.databaseUrl) : await openPglite(opts.dataDir);
  await migrateDatabase(database);
  return database;
}
