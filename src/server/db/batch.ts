/**
 * Fast multi-row inserts: each statement carries thousands of rows as ONE json parameter, unpacked
 * by `json_to_recordset`. On PGlite that is ~9× faster than a VALUES list with a parameter per cell
 * (25,000 measurements: 0.9 s against 7.7 s), and it never meets PostgreSQL's limit of 65,535
 * parameters per statement. `json`, not `jsonb`: the rows are read once, so building the binary
 * form first only costs — 100 k measurements in chunks of 5,000 on PostgreSQL took 4.2 s through
 * jsonb, 2.2 s through json, 1.4 s by COPY. Column defaults apply to the columns the rows leave out.
 * Inside a transaction on PostgreSQL the rows go by `COPY … FROM STDIN` instead (./copy.ts).
 */
import { getTableColumns, getTableName, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Db } from "./connection.ts";
import { type CopyPayload, copyable, copyClientOf, copyPossible, encodeCopy, sendCopy } from "./copy.ts";

export const ROWS_PER_STATEMENT = 5_000;

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

type Scalar = string | number | boolean | null;
const isScalar = (v: unknown): v is Scalar | undefined =>
  v === null || v === undefined || ["string", "number", "boolean"].includes(typeof v);

/** The table's column keys that some row names, in first-named order. */
function namedKeys(columns: Record<string, unknown>, rows: readonly object[]): string[] {
  const named = new Set<string>();
  for (const row of rows) for (const k of Object.keys(row)) named.add(k);
  return [...named].filter((k) => k in columns);
}

/**
 * Inserts rows (objects keyed like the table's Drizzle columns) in one statement. A column no row
 * names keeps its default; a row without a column another row names writes null there. A column
 * every row gives the same scalar (the organisation, the batch, the recording instant…) goes once,
 * as a parameter, instead of once a row in the JSON: 100 k measurements on PostgreSQL went in in
 * 1.8 s that way against 3.2 s with every column in the JSON (COPY of the same rows: 1.7 s).
 */
export async function insertRows<T extends PgTable>(
  db: Db,
  table: T,
  rows: T["$inferInsert"][],
): Promise<void> {
  if (rows.length === 0) return;
  const client = copyClientOf(db);
  const payload = client ? copyPayloadOf(table, rows) : null;
  if (client && payload) {
    await sendCopy(client, payload);
    return;
  }
  const columns = getTableColumns(table);
  const keys = namedKeys(columns, rows);
  const cell = (row: T["$inferInsert"], k: string): unknown => (row as Record<string, unknown>)[k];
  const first = rows[0] as T["$inferInsert"];
  const typeOf = (k: string) => columns[k]?.getSQLType() ?? "text";
  // json columns stay in the JSON: a string parameter cast to jsonb would be parsed as JSON text.
  const same = new Set(
    rows.length < 2
      ? []
      : keys.filter((k) => {
          const v = cell(first, k) ?? null;
          return (
            !typeOf(k).startsWith("json") && isScalar(v) && rows.every((r) => (cell(r, k) ?? null) === v)
          );
        }),
  );
  const varying = keys.filter((k) => !same.has(k));
  const target = keys.map((k) => quote(columns[k]?.name ?? k)).join(", ");
  const select = sql.join(
    keys.map((k) =>
      same.has(k) ? sql`${cell(first, k) ?? null}::${sql.raw(typeOf(k))}` : sql.raw(`x.${quote(k)}`),
    ),
    sql`, `,
  );
  const record = varying.map((k) => `${quote(k)} ${typeOf(k)}`).join(", ");
  const json = JSON.stringify(
    varying.length === 0
      ? rows.map(() => ({}))
      : rows.map((r) => Object.fromEntries(varying.map((k) => [k, cell(r, k) ?? null]))),
  );
  const from =
    varying.length === 0
      ? sql`json_array_elements(${json}::json) as x`
      : sql`json_to_recordset(${json}::json) as x(${sql.raw(record)})`;
  await db.execute(
    sql`insert into ${sql.raw(quote(getTableName(table)))} (${sql.raw(target)}) select ${select} from ${from}`,
  );
}

/** `rows` encoded for COPY into `table`; null when a column is one COPY's encoding does not cover. */
function copyPayloadOf<T extends PgTable>(table: T, rows: T["$inferInsert"][]): CopyPayload | null {
  const columns = getTableColumns(table);
  const keys = namedKeys(columns, rows);
  const targets = keys.map((k) => columns[k] as (typeof columns)[string]);
  if (!targets.every(copyable)) return null;
  return encodeCopy(getTableName(table), keys, targets, rows as Record<string, unknown>[]);
}

/**
 * Rows made ready to insert ahead of the transaction that writes them: on PostgreSQL (`db` is the
 * pool, or a transaction on it) already encoded for COPY, so the transaction only sends them.
 */
export type ReadyInsert<T extends PgTable> = {
  table: T;
  rows: T["$inferInsert"][];
  copy: CopyPayload | null;
};

export function readyInsert<T extends PgTable>(db: Db, table: T, rows: T["$inferInsert"][]): ReadyInsert<T> {
  return { table, rows, copy: rows.length > 0 && copyPossible(db) ? copyPayloadOf(table, rows) : null };
}

/**
 * Inserts rows made ready by `readyInsert`: by COPY when they were encoded and `tx` can, else by
 * statement. `onSent` hears when the rows are handed to the database (a COPY's data is with the
 * connection's socket; statements: at once), before the database has inserted them.
 */
export async function insertReady<T extends PgTable>(
  tx: Db,
  ready: ReadyInsert<T>,
  onSent?: () => void,
): Promise<void> {
  const client = ready.copy ? copyClientOf(tx) : undefined;
  if (client && ready.copy) return sendCopy(client, ready.copy, onSent);
  onSent?.();
  await insertAll(tx, ready.table, ready.rows);
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
