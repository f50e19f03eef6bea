import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../testing/test-app.ts";
import { appendAudit } from "./audit.service.ts";

type Verification = { ok: boolean; checked: number; firstBreak?: { seq: number; reason: string } };

describe("audit log", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    for (let i = 0; i < 3; i++) {
      await t.database.db.transaction((tx) =>
        appendAudit(tx, { orgId: t.org.orgId, actorId: t.org.people.admin, at: t.clock.now() }, [
          {
            action: "test.event",
            entityType: "test",
            entityId: String(i),
            data: { i, nested: { b: 1, a: [1, 2] } },
          },
        ]),
      );
    }
  });
  afterAll(() => t.close());

  it("refuses callers who are not signed in, and people outside audit roles", async () => {
    expect((await t.call(null, { method: "GET", url: "/api/v1/audit-events" })).status).toBe(401);
    const res = await t.call<{ detail: string }>("employee", { method: "GET", url: "/api/v1/audit-events" });
    expect(res.status).toBe(403);
    expect(res.body.detail).toContain("audit");
  });

  it("lists events newest first with a cursor", async () => {
    const first = await t.call<{ items: { seq: number }[]; nextCursor: string }>("auditor", {
      method: "GET",
      url: "/api/v1/audit-events?limit=2",
    });
    expect(first.body.items.map((e) => e.seq)).toEqual([3, 2]);
    const second = await t.call<{ items: { seq: number }[]; nextCursor: string | null }>("auditor", {
      method: "GET",
      url: `/api/v1/audit-events?limit=2&cursor=${first.body.nextCursor}`,
    });
    expect(second.body.items.map((e) => e.seq)).toEqual([1]);
    expect(second.body.nextCursor).toBeNull();
  });

  it("verifies an intact chain, then finds the event that was tampered with", async () => {
    const ok = await t.call<Verification>("auditor", { method: "GET", url: "/api/v1/audit-events/verify" });
    expect(ok.body).toMatchObject({ ok: true, checked: 3 });
    await t.database.db.execute(
      sql`update audit_events set data = '{"i": 99}'::jsonb where org_id = ${t.org.orgId} and seq = 2`,
    );
    const broken = await t.call<Verification>("auditor", {
      method: "GET",
      url: "/api/v1/audit-events/verify",
    });
    expect(broken.body.ok).toBe(false);
    expect(broken.body.firstBreak).toEqual({ seq: 2, reason: "event content does not match its hash" });
  });
});
