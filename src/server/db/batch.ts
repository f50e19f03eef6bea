/**
 * Fast multi-row inserts: each statement carries thousands of rows as ONE json parameter, unpacked
 * by `json_to_recordset`. On PGlite that is ~9× faster than a VALUES list with a parameter per cell
 * (25,000 measurements: 0.9 s against 7.7 s), and it never meets PostgreSQL's limit of 65,535
 * parameters per statement. `json`, not `jsonb`: the rows are read once, so building the binary
 * form first only costs — 100 k measurements in chunks of 5,000 on PostgreSQL took 4.2 s through
 * jsonb, 2.2 s through json, 1.4 s by COPY. Column defaults apply to the columns the rows leave out.
 */
import { getTableColumns, getTableName, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Db } from "./connection.ts";

export const ROWS_PER_STATEMENT = 5_000;

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Inserts rows (objects keyed like the table's Drizzle columns) in one statement. A column no row
 * names keeps its default; a row without a column another row names writes null there.
 */
export async function insertRows<T extends PgTable>(
  db: Db,
  table: T,
  rows: T["$inferInsert"][],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = getTableColumns(table);
  const named = new Set<string>();
  for (const row of rows) for (const k of Object.keys(row)) named.add(k);
  const keys = [...named].filter((k) => k in columns);
  const target = keys.map((k) => quote(columns[k]?.name ?? k)).join(", ");
  const record = keys.map((k) => `${quote(k)} ${columns[k]?.getSQLType()}`).join(", ");
  const select = keys.map((k) => `x.${quote(k)}`).join(", ");
  await db.execute(
    sql`insert into ${sql.raw(quote(getTableName(table)))} (${sql.raw(target)}) select ${sql.raw(select)}
      from json_to_recordset(${JSON.stringify(rows)}::json) as x(${sql.raw(record)})`,
  );
}

/** Writes `rows` in statements of ROWS_PER_STATEMENT. */
export async function insertAll<T extends PgTable>(
  db: Db,
  table: T,
  rows: T["$inferInsert"][],
): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    await insertRows(db, table, rows.slice(i, i + ROWS_PER_STATEMENT));
  }
}

export type Sink<R> = {
  add: (row: R) => Promise<void>;
  flush: () => Promise<void>;
  readonly written: number;
};

/** Rows collect until a statement is full, then go in one INSERT; `flush` writes the rest. */
export function createSink<T extends PgTable>(db: Db, table: T): Sink<T["$inferInsert"]> {
  let buffer: T["$inferInsert"][] = [];
  let written = 0;
  const flush = async () => {
    if (buffer.length === 0) return;
    const rows = buffer;
    buffer = [];
    await insertRows(db, table, rows);
    written += rows.length;
  };
  return {
    add: async (row) => {
      buffer.push(row);
      if (buffer.length >= ROWS_PER_STATEMENT) await flush();
    },
    flush,
    get written() {
      return written;
    },
  };
}
