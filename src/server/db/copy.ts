/**
 * Bulk inserts by `COPY … FROM STDIN` on PostgreSQL: the rows go as tab-separated text, which the
 * server reads with no JSON to parse and no record to build per row. 100 k measurements: 1.9 s of
 * server CPU through `json_to_recordset`, 1.4 s by COPY (bench/import.ts).
 *
 * COPY needs the one connection the transaction runs on. Drizzle's node-postgres transaction keeps
 * it as `session.client`, which is not public API: `copyClientOf` reads it defensively and answers
 * undefined for anything that is not a pg client in a transaction (the pool, PGlite), and the caller
 * then inserts by statement. A test asserts it is found on PostgreSQL, so a Drizzle upgrade that
 * moves it fails loudly instead of silently losing the speed.
 */
import { pipeline } from "node:stream/promises";
import { Column } from "drizzle-orm";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { Db } from "./connection.ts";

const sessionClientOf = (db: Db): unknown =>
  (db as unknown as { session?: { client?: unknown } }).session?.client;

/** The pg client a Drizzle transaction runs on, when `db` is one on PostgreSQL. */
export function copyClientOf(db: Db): pg.ClientBase | undefined {
  const client = sessionClientOf(db);
  return client instanceof pg.Client ? client : undefined;
}

/** Whether a transaction on `db` (the pool, or a transaction itself) inserts by COPY. */
export function copyPossible(db: Db): boolean {
  const client = sessionClientOf(db);
  return client instanceof pg.Pool || client instanceof pg.Client;
}

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/** A string in COPY's text format: backslash escapes for the separators. */
const escaped = (s: string): string =>
  NEEDS_ESCAPE.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c] ?? c) : s;

/** One value in COPY's text format: `\N` for null, backslash escapes for the separators. */
function text(value: unknown): string {
  if (value === null || value === undefined) return "\\N";
  if (typeof value === "string") return escaped(value);
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  if (typeof value === "boolean") return value ? "t" : "f";
  if (value instanceof Date) return value.toISOString();
  return escaped(JSON.stringify(value));
}

/**
 * How a column's value becomes COPY text. Most columns send what they are given (Drizzle's base
 * `mapToDriverValue` is the identity); only the others (jsonb, a Date-mode timestamp…) go through
 * their own mapping. Chosen once a column, not once a cell: a 5,000-row write encodes 80,000 cells.
 */
function encoderOf(column: Column): (v: unknown) => string {
  if (column.mapToDriverValue === Column.prototype.mapToDriverValue) return text;
  return (v) => text(column.mapToDriverValue(v));
}

/** Whether COPY's text encoding above covers the column (arrays are left to the statement path). */
export const copyable = (column: Column): boolean => !column.getSQLType().endsWith("]");

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Rows as COPY text for their columns, ready to send (made ahead of the transaction, say). */
export type CopyPayload = { tableName: string; columnList: string; text: string };

/**
 * Encodes `rows` for `tableName` in COPY's text format. `keys` are the rows' Drizzle keys, `columns`
 * their Drizzle columns; a row without a key writes null there, a column not in `keys` keeps its
 * default. Values go through each column's own driver mapping first (jsonb is stringified there), as
 * a Drizzle insert would send them.
 */
export function encodeCopy(
  tableName: string,
  keys: string[],
  columns: Column[],
  rows: readonly Record<string, unknown>[],
): CopyPayload {
  const encoders = columns.map(encoderOf);
  const cellOf = (row: Record<string, unknown>, i: number): string => {
    const v = row[keys[i] as string];
    return v === null || v === undefined ? "\\N" : (encoders[i] as (v: unknown) => string)(v);
  };
  // A column every row gives the same scalar (organisation, metric, batch, instant…) is encoded once.
  const first = rows[0] ?? {};
  const shared = keys.map((k, i) => {
    const v = first[k] ?? null;
    if (v !== null && typeof v === "object") return null;
    for (const row of rows) if ((row[k] ?? null) !== v) return null;
    return cellOf(first, i);
  });
  let text = "";
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as Record<string, unknown>;
    let line = "";
    for (let i = 0; i < keys.length; i++) {
      const cell = shared[i] ?? cellOf(row, i);
      line += i === 0 ? cell : `\t${cell}`;
    }
    text += `${line}\n`;
  }
  return { tableName, columnList: columns.map((c) => quote(c.name)).join(", "), text };
}

/**
 * Sends an encoded payload through `client`, in the caller's transaction. `onSent` hears when the
 * payload is with the connection's socket (the server answered the COPY and the text was written),
 * before the server has read it all.
 */
export async function sendCopy(
  client: pg.ClientBase,
  payload: CopyPayload,
  onSent?: () => void,
): Promise<void> {
  const stream = client.query(
    copyFrom(`copy ${quote(payload.tableName)} (${payload.columnList}) from stdin`),
  );
  await pipeline(async function* () {
    yield payload.text;
    // the stream took the text: it waited for the server's go-ahead and wrote it to the socket
    onSent?.();
  }, stream);
}
