import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../testing/test-db.ts";
import type { Database } from "./connection.ts";
import { readTogether } from "./together.ts";

describe("readTogether", () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => database.close());

  /** A read that notes when it starts and ends, and answers `value` from the database. */
  const traced = (db: Database["db"], events: string[], name: string, value: number) => async () => {
    events.push(`${name} starts`);
    const res = (await db.execute(sql`select ${value}::int as v`)) as unknown as { rows: { v: number }[] };
    events.push(`${name} ends`);
    return res.rows[0]?.v;
  };

  it("on the pool: every read starts before the first ends; answers in the order asked", async () => {
    const events: string[] = [];
    const db = database.db;
    const answers = await readTogether(db, [traced(db, events, "a", 1), traced(db, events, "b", 2)]);
    expect(answers).toEqual([1, 2]);
    expect(events.slice(0, 2)).toEqual(["a starts", "b starts"]);
  });

  it("in a transaction: one after another, on its one connection", async () => {
    const events: string[] = [];
    const answers = await database.db.transaction((tx) =>
      readTogether(tx, [traced(tx, events, "a", 1), traced(tx, events, "b", 2)]),
    );
    expect(answers).toEqual([1, 2]);
    expect(events).toEqual(["a starts", "a ends", "b starts", "b ends"]);
  });
});
