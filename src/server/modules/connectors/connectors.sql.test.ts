/**
 * The SQL kind against the local PostgreSQL server: a throwaway database and table made here and
 * dropped after. Skipped (with a note) when no server answers.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMetric } from "../../testing/metrics.ts";
import { createTestApp, type TestApp } from "../../testing/test-app.ts";
import type { DataSource, DataSourceRun } from "./connectors.schema.ts";
import { runAndWait } from "./connectors.test-server.ts";

// a key for the sealed connection URLs
process.env.YARDSTICK_SECRET_KEY ??= "22".repeat(32);

const SERVER = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const NAME = `yardstick_conn_${process.pid}_${Date.now().toString(36)}`;
const withDb = (url: string, name: string) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

async function reachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: SERVER, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => {});
  }
}

const up = await reachable();
if (!up) console.warn(`connectors.sql.test: no PostgreSQL at ${SERVER}; the SQL kind is not tested`);

describe.skipIf(!up)("a SQL source against another PostgreSQL database", () => {
  let t: TestApp;
  let metricId: string;
  const url = withDb(SERVER, NAME);

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: SERVER });
    await admin.connect();
    await admin.query(`create database ${NAME}`);
    await admin.end();
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`create table sales (region text, day date, amount numeric, kpi text);
      create sequence ticket;
      insert into sales values ('north', '2026-06-01', 100.5, 'won_revenue'), ('south', '2026-06-01', 50, 'won_revenue'),
        ('north', '2026-06-02', 80, 'won_revenue'), ('north', '2026-06-03', 12, 'other_kpi');`);
    await c.end();
    t = await createTestApp();
    metricId = await createMetric(t, "won_revenue", { name: "Won revenue" });
  });
  afterAll(async () => {
    await t?.close();
    const admin = new pg.Client({ connectionString: SERVER });
    await admin.connect();
    await admin.query(`drop database if exists ${NAME} with (force)`);
    await admin.end();
  });

  const source = async (name: string, query: string, extra: Record<string, unknown> = {}) => {
    const res = await t.call<DataSource>("hr", {
      method: "POST",
      url: "/api/v1/data-sources",
      payload: {
        name,
        kind: "sql",
        metricIds: [metricId],
        secret: url,
        config: { query, timeoutMs: 1000, ...extra },
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.secret).toBe("***");
    return res.body.id;
  };
  const run = async (id: string) => (await runAndWait<DataSourceRun>(t, "hr", id)).body;

  it("reads the query's rows (columns guessed from their names) and writes them", async () => {
    const id = await source(
      "warehouse",
      "select kpi as metric, day as period_start, sum(amount) as value from sales group by kpi, day order by day",
    );
    const r = await run(id);
    expect(r).toMatchObject({ status: "succeeded", rowsRead: 3 });
    expect(r.counts).toMatchObject({ accepted: 2, rejected: 1 });
    expect(r.problems).toEqual([
      {
        row: 3,
        field: "metricKey",
        message: 'metric "other_kpi" is not one this source feeds (won_revenue)',
      },
    ]);
    const values = await t.call<{ items: { periodStart: string; value: number }[] }>("hr", {
      method: "GET",
      url: `/api/v1/metrics/${metricId}/measurements`,
    });
    expect(values.body.items.map((m) => [m.periodStart, m.value]).sort()).toEqual([
      ["2026-06-01", 150.5],
      ["2026-06-02", 80],
    ]);
  });

  it("runs read only: a query with a side effect fails with the reason", async () => {
    const id = await source("writer", "select nextval('ticket') as value, date '2026-06-01' as period_start");
    const r = await run(id);
    expect(r.status).toBe("failed");
    expect(r.error).toMatch(/^the query tried to write; sources are read only/);
  });

  it("a query past its statement timeout fails, and the source is unhealthy", async () => {
    const id = await source("slow", "select pg_sleep(5) as value, date '2026-06-01' as period_start", {
      timeoutMs: 200,
    });
    const started = Date.now();
    const r = await run(id);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(r.error).toBe("the query ran past its timeout of 200 ms");
    const s = await t.call<DataSource>("hr", { method: "GET", url: `/api/v1/data-sources/${id}` });
    expect(s.body.health).toEqual({ state: "unhealthy", reason: "the query ran past its timeout of 200 ms" });
  });

  it("more rows than maxRows fail the pull (nothing half-read); a second statement is refused", async () => {
    const many = await source("many", "select * from sales", { maxRows: 2 });
    expect((await run(many)).error).toBe("the query answers more than 2 rows: narrow it or raise maxRows");
    const two = await source("two", "select 1 as value; drop table sales");
    const r = await run(two);
    expect(r.status).toBe("failed");
    expect(r.error).toMatch(/^the query failed: /);
    expect(r.error).not.toContain(url);
  });
});
