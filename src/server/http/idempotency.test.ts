import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../db/connection.ts";
import { idempotencyKeys } from "../db/schema.ts";
import { AppError } from "../errors.ts";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { hashRequest, withIdempotency } from "./idempotency.ts";

describe("withIdempotency", () => {
  let t: TestApp;
  let db: Db;
  const base = () => ({ orgId: t.org.orgId, actorId: t.org.people.admin, route: "POST /api/v1/things" });
  /** A write that counts its runs, so a test sees whether it ran again. */
  const counter = () => {
    const c = { runs: 0 };
    const run = async (_tx: Db) => {
      c.runs += 1;
      return { status: 201, body: { run: c.runs, nested: { a: [1, 2] } } };
    };
    return { c, run };
  };
  const storedKeys = async (key: string) =>
    (
      await db
        .select()
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.orgId, t.org.orgId), eq(idempotencyKeys.key, key)))
    ).length;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.database.db;
  });
  afterAll(() => t.close());

  it("hashes bodies by content, not key order", () => {
    expect(hashRequest({ a: 1, b: [1, { c: 2, d: 3 }] })).toBe(hashRequest({ b: [1, { d: 3, c: 2 }], a: 1 }));
    expect(hashRequest({ a: 1 })).not.toBe(hashRequest({ a: 2 }));
  });

  it("without a key runs every time and stores nothing", async () => {
    const { c, run } = counter();
    await withIdempotency(db, { ...base(), key: undefined, body: { x: 1 } }, run);
    const second = await withIdempotency(db, { ...base(), key: undefined, body: { x: 1 } }, run);
    expect(c.runs).toBe(2);
    expect(second).toEqual({ status: 201, body: { run: 2, nested: { a: [1, 2] } }, replayed: false });
  });

  it("a retry with the same key and body answers the first answer and does not run", async () => {
    const { c, run } = counter();
    const first = await withIdempotency(db, { ...base(), key: "k-1", body: { x: 1, y: 2 } }, run);
    const retry = await withIdempotency(db, { ...base(), key: "k-1", body: { y: 2, x: 1 } }, run);
    expect(c.runs).toBe(1);
    expect(first).toEqual({ status: 201, body: { run: 1, nested: { a: [1, 2] } }, replayed: false });
    expect(retry).toEqual({ status: 201, body: { run: 1, nested: { a: [1, 2] } }, replayed: true });
    expect(await storedKeys("k-1")).toBe(1);
  });

  it("the same key with another body or on another route is a 409", async () => {
    const { run } = counter();
    await withIdempotency(db, { ...base(), key: "k-2", body: { x: 1 } }, run);
    const otherBody = withIdempotency(db, { ...base(), key: "k-2", body: { x: 2 } }, run);
    await expect(otherBody).rejects.toMatchObject({ code: "conflict" });
    const otherRoute = withIdempotency(
      db,
      { ...base(), route: "POST /api/v1/others", key: "k-2", body: { x: 1 } },
      run,
    );
    await expect(otherRoute).rejects.toMatchObject({ code: "conflict" });
  });

  it("keys belong to one caller: another person's same key runs on its own", async () => {
    const { c, run } = counter();
    await withIdempotency(db, { ...base(), key: "k-3", body: {} }, run);
    await withIdempotency(db, { ...base(), actorId: t.org.people.hr, key: "k-3", body: {} }, run);
    expect(c.runs).toBe(2);
  });

  it("a failed run stores nothing and rolls its writes back, so the key can be used again", async () => {
    const failing = async (tx: Db) => {
      await tx.execute(sql`update organizations set name = 'changed' where id = ${t.org.orgId}`);
      throw new AppError("invalid", { field: "x", message: "bad" });
    };
    await expect(withIdempotency(db, { ...base(), key: "k-4", body: { x: 1 } }, failing)).rejects.toThrow(
      AppError,
    );
    expect(await storedKeys("k-4")).toBe(0);
    const { c, run } = counter();
    const ok = await withIdempotency(db, { ...base(), key: "k-4", body: { x: 9 } }, run);
    expect(ok.replayed).toBe(false);
    expect(c.runs).toBe(1);
    const org = await db.execute(sql`select name from organizations where id = ${t.org.orgId}`);
    expect((org as unknown as { rows: { name: string }[] }).rows[0]?.name).toBe("Test Org");
  });

  it("two concurrent requests with one key run once and answer alike", async () => {
    const { c, run } = counter();
    const req = { ...base(), key: "k-5", body: { x: 1 } };
    const [a, b] = await Promise.all([withIdempotency(db, req, run), withIdempotency(db, req, run)]);
    expect(c.runs).toBe(1);
    expect(a.body).toEqual(b.body);
    expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
  });
});
