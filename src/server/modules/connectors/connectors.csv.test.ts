/**
 * CSV at a URL: the source's delimiter (comma, semicolon, tab), and columns named for some fields
 * with the rest guessed from the headers.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMetric } from "../../testing/metrics.ts";
import { createTestApp, type TestApp } from "../../testing/test-app.ts";
import type { DataSource, DataSourceRun } from "./connectors.schema.ts";
import { runAndWait, startTestServer, type TestServer } from "./connectors.test-server.ts";

// the test server listens on 127.0.0.1
process.env.YARDSTICK_CONNECTORS_ALLOW_PRIVATE = "true";

type Problem = { errors?: { field: string; message: string }[] };

let t: TestApp;
let srv: TestServer;
let metricId: string;

beforeAll(async () => {
  t = await createTestApp();
  srv = await startTestServer();
  metricId = await createMetric(t, "orders", { name: "Orders" });
});
afterAll(async () => {
  await srv?.close();
  await t?.close();
});

const create = (name: string, config: Record<string, unknown>) =>
  t.call<DataSource & Problem>("hr", {
    method: "POST",
    url: "/api/v1/data-sources",
    payload: { name, kind: "csv_url", metricIds: [metricId], config: { timeoutMs: 1000, ...config } },
  });
const run = async (id: string) => (await runAndWait<DataSourceRun>(t, "hr", id)).body;
const values = async () =>
  (
    await t.call<{ items: { periodStart: string; value: number }[] }>("hr", {
      method: "GET",
      url: `/api/v1/metrics/${metricId}/measurements?limit=100`,
    })
  ).body.items
    .map((m) => [m.periodStart, m.value] as const)
    .sort((a, b) => a[0].localeCompare(b[0]));

describe("a CSV source's delimiter and columns", () => {
  it("semicolon: cells split on ';', the value column named, the date column guessed", async () => {
    srv.set("/orders-eu.csv", {
      type: "text/csv",
      body: "date;Anzahl;note\n2026-05-01;12;a, b\n2026-05-02;15;c\n",
    });
    const made = await create("orders eu", {
      url: srv.url("/orders-eu.csv"),
      delimiter: "semicolon",
      columns: { value: "Anzahl", periodStart: "" },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body.config).toMatchObject({ delimiter: "semicolon", columns: { value: "Anzahl" } });
    const r = await run(made.body.id);
    expect(r).toMatchObject({ status: "succeeded", rowsRead: 2, problems: [] });
    expect(r.counts.accepted).toBe(2);
    expect(await values()).toEqual([
      ["2026-05-01", 12],
      ["2026-05-02", 15],
    ]);
  });

  it("tab: cells split on tabs", async () => {
    srv.set("/orders.tsv", {
      type: "text/tab-separated-values",
      body: "period_start\tvalue\n2026-05-03\t7\n",
    });
    const made = await create("orders tsv", { url: srv.url("/orders.tsv"), delimiter: "tab" });
    expect((await run(made.body.id)).counts.accepted).toBe(1);
    expect((await values()).at(-1)).toEqual(["2026-05-03", 7]);
  });

  it("comma by default; the wrong delimiter reads one column, and the pull says which is missing", async () => {
    srv.set("/orders.csv", { type: "text/csv", body: "period_start;value\n2026-05-04;3\n" });
    const made = await create("orders default", { url: srv.url("/orders.csv") });
    expect(made.body.config).toMatchObject({ delimiter: "comma" });
    const r = await run(made.body.id);
    expect(r.status).toBe("failed");
    expect(r.error).toContain("no column is mapped to periodStart");
  });

  it("an unknown delimiter, or a column name too long, is a 400 at its field", async () => {
    const res = await create("bad", {
      url: srv.url("/x.csv"),
      delimiter: "pipe",
      columns: { value: "x".repeat(201) },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { field: "config.delimiter", message: "must be comma, semicolon or tab" },
      { field: "config.columns.value", message: "a column name has at most 200 characters" },
    ]);
    const twice = await create("twice", {
      url: srv.url("/x.csv"),
      columns: { periodStart: "day", value: "day" },
    });
    expect(twice.body.errors).toEqual([
      {
        field: "config.columns.value",
        message: 'column "day" feeds periodStart already; name another column',
      },
    ]);
  });
});
