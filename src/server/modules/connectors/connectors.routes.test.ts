import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMetric } from "../../testing/metrics.ts";
import { createTestApp, type TestApp, type TestPerson } from "../../testing/test-app.ts";
import { createSourceRunner } from "./connectors.run.ts";
import { manualRunsIdle } from "./connectors.run-now.ts";
import type { DataSource, DataSourceRun, DiscrepancyReport } from "./connectors.schema.ts";
import { runAndWait, startTestServer, type TestServer } from "./connectors.test-server.ts";

// a key for the sealed secrets; the test server listens on 127.0.0.1
process.env.YARDSTICK_SECRET_KEY ??= "11".repeat(32);
process.env.YARDSTICK_CONNECTORS_ALLOW_PRIVATE = "true";

type Page<T> = { items: T[]; nextCursor: string | null };
type Problem = { detail: string; errors?: { field: string; message: string }[] };

let t: TestApp;
let srv: TestServer;
let revenueId: string;
let callsId: string;

const json = (items: unknown) => ({ body: JSON.stringify(items) });
const revenueDoc = (values: Record<string, number>) =>
  json({ data: Object.entries(values).map(([month, amount]) => ({ month, figures: { amount } })) });

const httpSource = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  kind: "http_json",
  metricIds: [revenueId],
  config: {
    url: srv.url(`/${name}.json`),
    itemsPath: "$.data[*]",
    fields: { periodStart: "$.month", value: "$.figures.amount" },
    timeoutMs: 300,
  },
  schedule: { every: 60 },
  ...extra,
});

const create = (who: TestPerson, payload: object) =>
  t.call<DataSource & Problem>(who, { method: "POST", url: "/api/v1/data-sources", payload });
const run = (who: TestPerson, id: string) => runAndWait<DataSourceRun & Problem>(t, who, id);
const get = (id: string) => t.call<DataSource>("hr", { method: "GET", url: `/api/v1/data-sources/${id}` });
const runs = async (id: string) =>
  (await t.call<Page<DataSourceRun>>("hr", { method: "GET", url: `/api/v1/data-sources/${id}/runs` })).body
    .items;
const values = async (metricId: string) =>
  (
    await t.call<Page<{ periodStart: string; value: number; source: string }>>("hr", {
      method: "GET",
      url: `/api/v1/metrics/${metricId}/measurements?limit=200`,
    })
  ).body.items
    .map((m) => [m.periodStart, m.value, m.source] as const)
    .sort((a, b) => a[0].localeCompare(b[0]));

beforeAll(async () => {
  t = await createTestApp();
  srv = await startTestServer();
  revenueId = await createMetric(t, "won_revenue", { stewardId: t.org.people.steward });
  callsId = await createMetric(t, "calls_made", { stewardId: null });
});
afterAll(async () => {
  await srv.close();
  await t.close();
});

describe("creating a source: who and what", () => {
  it("401 anonymous; 403 for an employee and for a steward on a metric not theirs", async () => {
    expect((await t.call(null, { method: "POST", url: "/api/v1/data-sources", payload: {} })).status).toBe(
      401,
    );
    expect((await create("employee", httpSource("x"))).status).toBe(403);
    const res = await create("steward", { ...httpSource("x"), metricIds: [callsId] });
    expect(res.status).toBe(403);
    expect(res.body.detail).toContain("steward of every metric");
  });

  it("400 naming each field at fault", async () => {
    const res = await create("hr", {
      ...httpSource("bad"),
      config: { url: "ftp://x", fields: { value: "$.v" } },
      schedule: { cron: "0 6 * *" },
    });
    expect(res.status).toBe(400);
    const fields = res.body.errors?.map((e) => e.field) ?? [];
    expect(fields).toEqual(
      expect.arrayContaining(["config.url", "config.fields.periodStart", "schedule.cron"]),
    );
    const unknown = await create("hr", {
      ...httpSource("bad"),
      metricIds: ["0190f000-0000-7000-8000-000000000000"],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([
      { field: "metricIds.0", message: "no metric with this id in the KPI library" },
    ]);
    const sql = await create("hr", {
      name: "q",
      kind: "sql",
      metricIds: [revenueId],
      config: { query: "select 1" },
    });
    expect(sql.status).toBe(400);
    expect(sql.body.errors?.[0]?.field).toBe("secret");
  });
});

describe("an HTTP JSON source with header auth", () => {
  let id: string;
  it("is created with its secret hidden and its next run scheduled", async () => {
    srv.set("/crm.json", {
      ...revenueDoc({ "2026-04-01": 100, "2026-05-01": 120, "2026-06-01": 130 }),
      requireHeader: ["X-Api-Key", "s3cret"],
    });
    const res = await create(
      "steward",
      httpSource("crm", {
        config: { ...httpSource("crm").config, headerName: "X-Api-Key" },
        secret: "s3cret",
      }),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    id = res.body.id;
    expect(res.body.secret).toBe("***");
    expect(JSON.stringify(res.body)).not.toContain("s3cret");
    expect(res.body.steward.name).toBe("steward");
    expect(res.body.staleAfterMinutes).toBe(180);
    expect(res.body.nextRunAt).toBe("2026-07-01T10:00:00.000Z");
    expect(res.body.health).toEqual({ state: "pending", reason: null });
    expect(res.body.abilities).toEqual({ update: true, run: true });
  });

  it("runs now: 202 while running; then three rows written, counted, health healthy", async () => {
    const res = await run("steward", id);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.started).toMatchObject({ id: res.body.id, status: "running", finishedAt: null, rowsRead: 0 });
    expect(res.body).toMatchObject({ status: "succeeded", fed: true, rowsRead: 3, error: null });
    expect(res.body.counts).toEqual({ accepted: 3, flagged: 0, quarantined: 0, rejected: 0, unchanged: 0 });
    expect(await values(revenueId)).toEqual([
      ["2026-04-01", 100, `connector:${id}`],
      ["2026-05-01", 120, `connector:${id}`],
      ["2026-06-01", 130, `connector:${id}`],
    ]);
    const s = (await get(id)).body;
    expect(s.health).toEqual({ state: "healthy", reason: null });
    expect(s.lastRows).toBe(3);
    expect(s.lastRun?.counts.accepted).toBe(3);
  });

  it("a second pull writes nothing twice; a changed value supersedes the old one", async () => {
    expect((await run("steward", id)).body.counts).toMatchObject({ accepted: 0, unchanged: 3 });
    srv.set("/crm.json", {
      ...revenueDoc({ "2026-04-01": 100, "2026-05-01": 125, "2026-06-01": 130 }),
      requireHeader: ["X-Api-Key", "s3cret"],
    });
    expect((await run("steward", id)).body.counts).toMatchObject({ accepted: 1, unchanged: 2 });
    expect((await values(revenueId)).map((v) => v[1])).toEqual([100, 125, 130]);
  });

  it("items that do not map are rejected one by one, with item and field", async () => {
    srv.set("/crm.json", {
      ...json({
        data: [
          { month: "2026-06-31", figures: { amount: 1 } },
          { month: "2026-06-01", figures: { amount: "n/a" } },
        ],
      }),
      requireHeader: ["X-Api-Key", "s3cret"],
    });
    const res = await run("steward", id);
    expect(res.body.status).toBe("succeeded");
    expect(res.body.counts.rejected).toBe(2);
    expect(res.body.problems).toEqual([
      { row: 1, field: "periodStart", message: '"2026-06-31" is not a date as YYYY-MM-DD' },
      { row: 2, field: "value", message: '"n/a" is not a number' },
    ]);
  });

  it("an update keeps the secret when sent as ***, and the run history pages", async () => {
    const res = await t.call<DataSource>("steward", {
      method: "PUT",
      url: `/api/v1/data-sources/${id}`,
      payload: httpSource("crm", {
        config: { ...httpSource("crm").config, headerName: "X-Api-Key" },
        secret: "***",
        schedule: { cron: "0 6 * * *" },
      }),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.nextRunAt).toBe("2026-07-02T04:00:00.000Z"); // 06:00 in Amsterdam
    srv.set("/crm.json", { ...revenueDoc({ "2026-06-01": 130 }), requireHeader: ["X-Api-Key", "s3cret"] });
    expect((await run("steward", id)).body.status).toBe("succeeded");
    const page = await t.call<Page<DataSourceRun>>("steward", {
      method: "GET",
      url: `/api/v1/data-sources/${id}/runs?limit=2`,
    });
    expect(page.body.items).toHaveLength(2);
    expect(page.body.nextCursor).not.toBeNull();
    const rest = await t.call<Page<DataSourceRun>>("steward", {
      method: "GET",
      url: `/api/v1/data-sources/${id}/runs?limit=50&cursor=${page.body.nextCursor}`,
    });
    expect(rest.body.items).toHaveLength(3); // five pulls in all
  });

  it("one run is read at its own address; under another source or hidden it is not found", async () => {
    const res = await t.call<DataSourceRun>("steward", {
      method: "POST",
      url: `/api/v1/data-sources/${id}/run`,
    });
    expect(res.status).toBe(202);
    expect(res.headers.location).toBe(`/api/v1/data-sources/${id}/runs/${res.body.id}`);
    await manualRunsIdle();
    const one = await t.call<DataSourceRun>("steward", { method: "GET", url: String(res.headers.location) });
    expect(one.body).toMatchObject({ id: res.body.id, sourceId: id, status: "succeeded", trigger: "manual" });
    expect((await t.call("manager", { method: "GET", url: String(res.headers.location) })).status).toBe(404);
    const other = await create("hr", { ...httpSource("other-crm"), schedule: null });
    expect(
      (
        await t.call("hr", {
          method: "GET",
          url: `/api/v1/data-sources/${other.body.id}/runs/${res.body.id}`,
        })
      ).status,
    ).toBe(404);
  });

  it("is hidden from others: 404 for a manager, the list 403", async () => {
    expect((await t.call("manager", { method: "GET", url: `/api/v1/data-sources/${id}` })).status).toBe(404);
    expect((await t.call("manager", { method: "GET", url: "/api/v1/data-sources" })).status).toBe(403);
    const list = await t.call<Page<DataSource>>("steward", { method: "GET", url: "/api/v1/data-sources" });
    expect(list.body.items.map((s) => s.name)).toContain("crm");
  });
});

describe("a primary that fails hands its metric to the backup", () => {
  let primary: string;
  let backup: string;
  beforeAll(async () => {
    srv.set("/sheet.csv", {
      type: "text/csv",
      body: "date,value\n2026-04-01,104\n2026-05-01,118\n2026-06-01,130\n2026-06-15,7\n",
    });
    srv.set("/erp.json", revenueDoc({ "2026-04-01": 100, "2026-05-01": 120 }));
    const b = await create("hr", {
      name: "sheet",
      kind: "csv_url",
      metricIds: [revenueId],
      config: { url: srv.url("/sheet.csv"), timeoutMs: 300 },
    });
    expect(b.status, JSON.stringify(b.body)).toBe(201);
    backup = b.body.id;
    const p = await create("hr", httpSource("erp", { backupSourceId: backup }));
    expect(p.status, JSON.stringify(p.body)).toBe(201);
    primary = p.body.id;
  });

  it("the backup reads but does not feed while the primary is healthy", async () => {
    expect((await run("hr", primary)).body.counts.accepted).toBe(0); // crm wrote these periods already: not its family
    const r = await run("hr", backup);
    expect(r.body).toMatchObject({ status: "succeeded", fed: false, rowsRead: 4 });
    expect(r.body.counts.accepted).toBe(0);
  });

  it("the discrepancy report compares where both read the same period", async () => {
    const res = await t.call<DiscrepancyReport>("steward", {
      method: "GET",
      url: `/api/v1/data-sources/${primary}/discrepancies`,
    });
    expect(res.status).toBe(200);
    expect(res.body.backup?.name).toBe("sheet");
    expect(
      res.body.items.map((d) => [d.periodStart, d.primaryValue, d.backupValue, d.absolute, d.relative]),
    ).toEqual([
      ["2026-04-01", 100, 104, 4, 0.04],
      ["2026-05-01", 120, 118, -2, -2 / 120],
    ]);
    const fromBackup = await t.call<DiscrepancyReport>("hr", {
      method: "GET",
      url: `/api/v1/data-sources/${backup}/discrepancies`,
    });
    expect(fromBackup.body.primary.id).toBe(primary);
    expect(fromBackup.body.items).toHaveLength(2);
  });

  it.each([
    [
      "HTTP 500",
      { status: 500, body: "boom" },
      /^HTTP 500 Internal Server Error from http:\/\/127\.0\.0\.1:\d+\/erp\.json$/,
    ],
    [
      "a hang past the timeout",
      { hang: true },
      /^no answer from http:\/\/127\.0\.0\.1:\d+\/erp\.json within 300 ms$/,
    ],
    ["malformed JSON", { body: '{"data": [' }, /is not valid JSON/],
  ])(
    "%s: unhealthy with the reason, the switch recorded, the backup feeds",
    async (_what, answer, reason) => {
      srv.set("/erp.json", answer);
      const started = Date.now();
      const res = await run("hr", primary);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(res.status).toBe(202);
      expect(res.body.status).toBe("failed");
      expect(res.body.error).toMatch(reason);
      const p = (await get(primary)).body;
      expect(p.health.state).toBe("unhealthy");
      expect(p.health.reason).toMatch(reason);
      expect(p.usingBackup).toBe(true);
      const [switched, pulled] = [...(await runs(backup))]
        .filter((r) => r.trigger === "failover")
        .slice(-2)
        .reverse();
      expect(switched?.kind ?? pulled?.kind).toBeDefined();
      const history = await runs(backup);
      expect(history.some((r) => r.kind === "switch_to_backup")).toBe(true);
      const lastPull = history.find((r) => r.kind === "pull");
      expect(lastPull).toMatchObject({ trigger: "failover", fed: true, status: "succeeded" });
      // the backup fills the period nobody else had; the periods crm recorded stay crm's
      const v = await values(revenueId);
      expect(v.find((x) => x[0] === "2026-06-15")).toEqual(["2026-06-15", 7, `connector:${backup}`]);
      expect(v.find((x) => x[0] === "2026-06-01")?.[1]).toBe(130);
      // recover for the next case
      srv.set("/erp.json", revenueDoc({ "2026-04-01": 100, "2026-05-01": 120 }));
      const back = await run("hr", primary);
      expect(back.body.status).toBe("succeeded");
      expect((await get(primary)).body).toMatchObject({ usingBackup: false, health: { state: "healthy" } });
      expect((await runs(primary))[0]).toMatchObject({ kind: "switch_to_primary", status: "recorded" });
    },
  );

  it("audits the pulls, the failure and both switches", async () => {
    const events = await t.call<Page<{ action: string }>>("admin", {
      method: "GET",
      url: `/api/v1/audit-events?entityId=${primary}&limit=100`,
    });
    const actions = new Set(events.body.items.map((e) => e.action));
    for (const a of [
      "data_source.created",
      "data_source.pulled",
      "data_source.failed",
      "data_source.switched_to_backup",
      "data_source.switched_to_primary",
    ])
      expect(actions).toContain(a);
  });

  it("a primary stale past its window switches too (fixed clock, no waiting)", async () => {
    const runner = createSourceRunner({ db: t.database.db, clock: t.clock });
    expect(await runner.switchStale(new Date("2026-07-01T11:00:00Z"))).toEqual([]);
    const later = new Date("2026-07-01T12:01:00Z"); // 181 minutes after the last success, window 180
    expect(await runner.switchStale(later)).toEqual([{ orgId: t.org.orgId, sourceId: backup }]);
    expect((await get(primary)).body.usingBackup).toBe(true);
    const sw = (await runs(primary))[0];
    expect(sw?.kind).toBe("switch_to_backup");
    expect(sw?.error).toContain("erp is stale: last successful run 181 minutes ago");
  });

  it("deactivating keeps the history; a deactivated source does not run", async () => {
    const res = await t.call<DataSource>("hr", { method: "DELETE", url: `/api/v1/data-sources/${backup}` });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ active: false, nextRunAt: null });
    expect((await run("hr", backup)).status).toBe(409);
    expect((await runs(backup)).length).toBeGreaterThan(3);
  });
});

describe("the scheduler's claim", () => {
  it("claims a due source once, and moves its next run on by the schedule", async () => {
    const made = await create("hr", { ...httpSource("tick"), schedule: { every: 15 } });
    const runner = createSourceRunner({ db: t.database.db, clock: t.clock });
    const zone = async () => "Europe/Amsterdam";
    expect(await runner.claimDue(new Date("2026-07-01T09:14:00Z"), zone)).toEqual([]);
    const due = await runner.claimDue(new Date("2026-07-01T09:16:00Z"), zone);
    expect(due.map((d) => d.sourceId)).toContain(made.body.id);
    const again = await runner.claimDue(new Date("2026-07-01T09:16:00Z"), zone);
    expect(again.map((d) => d.sourceId)).not.toContain(made.body.id);
    expect((await get(made.body.id)).body.nextRunAt).toBe("2026-07-01T09:31:00.000Z");
  });

  it("one run at a time per source: a second run while one is under way is a 409", async () => {
    srv.set("/slow.json", { hang: true });
    const made = await create("hr", {
      ...httpSource("slow"),
      config: { ...httpSource("slow").config, url: srv.url("/slow.json") },
    });
    const [a, b] = await Promise.all([run("hr", made.body.id), run("hr", made.body.id)]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([202, 409]);
    const conflict = a.status === 409 ? a : b;
    expect(conflict.body.detail).toMatch(/^a run of this source is under way since /);
    expect((await runs(made.body.id)).filter((r) => r.kind === "pull")).toHaveLength(1);
  });
});
