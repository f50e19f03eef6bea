/** Opens the database a command works on: --database-url, else DATABASE_URL, else the data folder. */
import { resolve } from "node:path";
import { type Database, openDatabase } from "../db/connection.ts";
import { DataDirLockedError } from "../db/data-dir-lock.ts";

export class CliError extends Error {}

export type DbFlags = { "database-url"?: string | undefined; "data-dir"?: string | undefined };

export const DB_OPTIONS = {
  "database-url": { type: "string" },
  "data-dir": { type: "string" },
} as const;

export const DB_HELP = `  --database-url URL  a PostgreSQL server (default: DATABASE_URL)
  --data-dir DIR      the embedded database's folder (default: YARDSTICK_DATA_DIR or ./data)`;

export async function openFor(flags: DbFlags): Promise<Database> {
  const databaseUrl = flags["database-url"] ?? (process.env.DATABASE_URL || undefined);
  const dataDir = resolve(flags["data-dir"] ?? (process.env.YARDSTICK_DATA_DIR || "./data"));
  try {
    return await openDatabase({ databaseUrl, dataDir });
  } catch (err) {
    if (err instanceof DataDirLockedError) throw new CliError(err.message);
    throw err;
  }
}
