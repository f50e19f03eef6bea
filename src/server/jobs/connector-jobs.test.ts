/**
 * pg-boss on the test database (PGlite in-process, or PostgreSQL with TEST_BACKEND=postgres): a due
 * source is claimed by the tick, pulled by the worker, once; a clock the test moves, no waiting for
 * the cron.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DataSource, DataSourceRun } from "../modules/connectors/connectors.schema.ts";
import { startTestServer, type TestServer } from "../modules/connectors/connectors.test-server.ts";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { type ConnectorJobs, startConnectorJobs } from "./connector-jobs.ts";

// the test server listens on 127.0.0.1
process.env.YARDSTICK_CONNECTORS_ALLOW_PRIVATE = "true";

let t: TestApp;
let srv: TestServer;
let jobs: ConnectorJobs;
let now = new Date("2026-07-01T09:00:00Z");
const silent = { info: () => {}, error: () => {} };

beforeAll(async () => {
  t = await createTestApp();
  srv = await startTestServer();
  jobs = await startConnectorJobs({
    database: t.database,
    clock: { now: () => now },
    log: silent,
    pollingIntervalSeconds: 0.5,
    schedule: false,
  });
});
afterAll(async () => {
  await jobs?.stop();
  await srv.close();
  await t.close();
});

async function waitForRuns(id: string, n: number): Promise<DataSourceRun[]> {
  for (let i = 0; i < 100; i++) {
    const res = await t.call<{ items: DataSourceRun[] }>("hr", {
      method: "GET",
      url: `/api/v1/data-sources/${id}/runs`,
    });
    const done = res.body.items.filter((r) => r.status !== "running");
    if (done.length >= n) return done;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`fewer than ${n} runs of ${id}`);
}

describe("scheduled pulls through pg-boss", () => {
  it("a due source is queued once by the tick and pulled by the worker", async () => {
    const metric = await t.call<{ id: string }>("admin", {
      method: "POST",
      url: "/api/v1/metrics",
      payload: {
        key: "tickets",
        name: "Tickets",
        unit: "count",
        direction: "increase",
        indicatorType: "leading",
        aggregation: "sum",
      },
    });
    srv.set("/tickets.json", { body: JSON.stringify([{ d: "2026-06-30", n: 42 }]) });
    const made = await t.call<DataSource>("hr", {
      method: "POST",
      url: "/api/v1/data-sources",
      payload: {
        name: "helpdesk",
        kind: "http_json",
        metricIds: [metric.body.id],
        config: { url: srv.url("/tickets.json"), fields: { periodStart: "$.d", value: "$.n" } },
        schedule: { every: 5 },
      },
    });
    expect(made.body.nextRunAt).toBe("2026-07-01T09:05:00.000Z");
    expect(await jobs.tick()).toEqual([]); // not due yet
    now = new Date("2026-07-01T09:06:00Z");
    const queued = await jobs.tick();
    expect(queued).toEqual([{ orgId: t.org.orgId, sourceId: made.body.id, trigger: "schedule" }]);
    expect(await jobs.tick()).toEqual([]); // claimed: the next run is 09:11
    const [run] = await waitForRuns(made.body.id, 1);
    expect(run).toMatchObject({ trigger: "schedule", status: "succeeded", rowsRead: 1 });
    expect(run?.counts.accepted).toBe(1);
    expect(srv.hits.get("/tickets.json")).toBe(1);
  });

  it("two sends for one source while one waits: pg-boss keeps one (stately queue, singleton key)", async () => {
    const list = await t.call<{ items: DataSource[] }>("hr", { method: "GET", url: "/api/v1/data-sources" });
    const id = list.body.items[0]?.id ?? "";
    const first = await jobs.enqueue({ orgId: t.org.orgId, sourceId: id, trigger: "manual" });
    const second = await jobs.enqueue({ orgId: t.org.orgId, sourceId: id, trigger: "manual" });
    expect(first).not.toBeNull();
    expect(second).toBeNull();
    const runs = await waitForRuns(id, 2);
    expect(runs[0]?.counts.unchanged).toBe(1);
  });
});
