/**
 * Independent reads side by side. On the pool each read takes a connection of its own, so they
 * overlap (one wait, not several, while the database is busy). In a transaction there is one
 * connection: the reads run one after another, as they would there anyway. node-postgres queues a
 * query sent while another runs on the same client, and warns that pg 9 will refuse it.
 */
import { PgTransaction } from "drizzle-orm/pg-core";
import type { Db } from "./connection.ts";

export async function readTogether<T extends readonly unknown[]>(
  db: Db,
  reads: { readonly [K in keyof T]: () => Promise<T[K]> },
): Promise<T> {
  const all = reads as unknown as readonly (() => Promise<unknown>)[];
  if (!(db instanceof PgTransaction)) return (await Promise.all(all.map((read) => read()))) as unknown as T;
  const out: unknown[] = [];
  for (const read of all) out.push(await read());
  return out as unknown as T;
}
