/**
 * Secrets at rest through the API: the column holds the sealed envelope, never the secret; a plain
 * row from before encryption still pulls and is sealed at its next save; a server without a key
 * (PostgreSQL without YARDSTICK_SECRET_KEY) refuses new secrets naming the field.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMetric } from "../../testing/metrics.ts";
import { createTestApp, type TestApp } from "../../testing/test-app.ts";
import type { DataSource, DataSourceRun } from "./connectors.schema.ts";
import { keyId } from "./connectors.secrets.ts";
import { runAndWait, startTestServer, type TestServer } from "./connectors.test-server.ts";

const KEY_HEX = "5a".repeat(32);
process.env.YARDSTICK_SECRET_KEY = KEY_HEX;
process.env.YARDSTICK_CONNECTORS_ALLOW_PRIVATE = "true";

type Problem = { errors?: { field: string; message: string }[] };

let t: TestApp;
let srv: TestServer;
let metricId: string;

beforeAll(async () => {
  t = await createTestApp();
  srv = await startTestServer();
  metricId = await createMetric(t, "deals", { name: "Deals" });
  srv.set("/deals.json", {
    body: JSON.stringify([{ d: "2026-06-01", n: 5 }]),
    requireHeader: ["Authorization", "Bearer top-secret-42"],
  });
});
afterAll(async () => {
  await srv?.close();
  await t?.close();
});

const payload = (name: string, secret?: string) => ({
  name,
  kind: "http_json",
  metricIds: [metricId],
  config: {
    url: srv.url("/deals.json"),
    headerName: "Authorization",
    fields: { periodStart: "$.d", value: "$.n" },
    timeoutMs: 500,
  },
  ...(secret === undefined ? {} : { secret }),
});
const column = async (id: string) => {
  const res = (await t.database.db.execute(
    sql`select secret from data_sources where id = ${id}`,
  )) as unknown as {
    rows: { secret: string | null }[];
  };
  return res.rows[0]?.secret ?? null;
};
const run = async (id: string) => (await runAndWait<DataSourceRun>(t, "hr", id)).body;

describe("a source's secret at rest", () => {
  let id: string;
  it("is stored sealed: the column does not contain the secret, and the pull still sends it", async () => {
    const res = await t.call<DataSource>("hr", {
      method: "POST",
      url: "/api/v1/data-sources",
      payload: payload("deals-crm", "Bearer top-secret-42"),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    id = res.body.id;
    const stored = await column(id);
    expect(stored).not.toBeNull();
    expect(stored).not.toContain("top-secret-42");
    expect(stored?.startsWith(`ys-enc:v1:${keyId(Buffer.from(KEY_HEX, "hex"))}:`)).toBe(true);
    const r = await run(id);
    expect(r).toMatchObject({ status: "succeeded", rowsRead: 1 });
    expect(r.counts.accepted).toBe(1);
  });

  it("an update that keeps the secret (***) keeps the same envelope; a new one re-seals", async () => {
    const before = await column(id);
    const kept = await t.call<DataSource>("hr", {
      method: "PUT",
      url: `/api/v1/data-sources/${id}`,
      payload: payload("deals-crm", "***"),
    });
    expect(kept.status).toBe(200);
    expect(await column(id)).toBe(before);
    await t.call("hr", {
      method: "PUT",
      url: `/api/v1/data-sources/${id}`,
      payload: payload("deals-crm", "Bearer rotated-7"),
    });
    const after = await column(id);
    expect(after).not.toBe(before);
    expect(after).not.toContain("rotated-7");
    const audits = await t.call<{ items: { action: string; data: { secretChanged?: boolean } }[] }>("admin", {
      method: "GET",
      url: `/api/v1/audit-events?entityId=${id}&limit=10`,
    });
    expect(
      audits.body.items.filter((e) => e.action === "data_source.updated").map((e) => e.data.secretChanged),
    ).toEqual([true, false]); // newest first
    expect(JSON.stringify(audits.body)).not.toContain("rotated-7");
  });

  it("a plain-text row from before encryption still pulls, and is sealed at its next save", async () => {
    await t.database.db.execute(
      sql`update data_sources set secret = ${"Bearer top-secret-42"} where id = ${id}`,
    );
    expect((await run(id)).status).toBe("succeeded");
    await t.call("hr", { method: "PUT", url: `/api/v1/data-sources/${id}`, payload: payload("deals-crm") });
    const sealed = await column(id);
    expect(sealed?.startsWith("ys-enc:v1:")).toBe(true);
    expect(sealed).not.toContain("top-secret-42");
    expect((await run(id)).status).toBe("succeeded");
  });

  it("a tampered envelope fails the pull with the reason, revealing nothing", async () => {
    const stored = (await column(id)) ?? "";
    const parts = stored.split(":");
    const body = parts[4] ?? "";
    parts[4] = (body[0] === "A" ? "B" : "A") + body.slice(1); // the ciphertext's first byte changes
    await t.database.db.execute(sql`update data_sources set secret = ${parts.join(":")} where id = ${id}`);
    const r = await run(id);
    expect(r.status).toBe("failed");
    expect(r.error).toBe(
      "the stored secret fails its integrity check (changed or corrupt since it was saved): save the secret again",
    );
  });

  it("without a key (PostgreSQL, no YARDSTICK_SECRET_KEY) a new secret is refused naming secret", async () => {
    const saved = { key: process.env.YARDSTICK_SECRET_KEY, url: process.env.DATABASE_URL };
    delete process.env.YARDSTICK_SECRET_KEY;
    process.env.DATABASE_URL = "postgres://nobody@127.0.0.1:1/none";
    try {
      const res = await t.call<Problem>("hr", {
        method: "POST",
        url: "/api/v1/data-sources",
        payload: payload("deals-nokey", "Bearer x"),
      });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        {
          field: "secret",
          message: expect.stringMatching(
            /^this server keeps no secrets: on PostgreSQL set YARDSTICK_SECRET_KEY/,
          ),
        },
      ]);
      // a source without a secret is still fine
      const plain = await t.call<DataSource>("hr", {
        method: "POST",
        url: "/api/v1/data-sources",
        payload: payload("deals-open"),
      });
      expect(plain.status).toBe(201);
    } finally {
      process.env.YARDSTICK_SECRET_KEY = saved.key;
      if (saved.url === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved.url;
    }
  });
});
