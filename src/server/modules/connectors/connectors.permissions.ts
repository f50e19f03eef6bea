import { createMetric } from "../../testing/metrics.ts";
import type { PermissionCase, PermissionTable } from "../../testing/permission-table.ts";
import type { TestPerson } from "../../testing/test-app.ts";
import { manualRunsIdle } from "./connectors.run-now.ts";

const MISSING = "0190f000-0000-7000-8000-000000000000";
const seers = ["admin", "hr", "auditor", "steward"] as const;
const others = ["exec", "manager", "employee", "otherEmployee"] as const;

const list = "GET /api/v1/data-sources";
const create = "POST /api/v1/data-sources";
const one = "GET /api/v1/data-sources/:id";
const update = "PUT /api/v1/data-sources/:id";
const remove = "DELETE /api/v1/data-sources/:id";
const run = "POST /api/v1/data-sources/:id/run";
const runs = "GET /api/v1/data-sources/:id/runs";
const oneRun = "GET /api/v1/data-sources/:id/runs/:runId";
const discrepancies = "GET /api/v1/data-sources/:id/discrepancies";
const at =
  (name: string, tail = "") =>
  (ctx: Record<string, string>) =>
    `/api/v1/data-sources/${ctx[name]}${tail}`;

/** A source on a name that never resolves (.invalid, RFC 2606): its runs fail at once, nothing is written. */
const source = (name: string, metricId: string) => ({
  name,
  kind: "http_json",
  metricIds: [metricId],
  config: {
    url: "http://yardstick-none.invalid/none.json",
    fields: { periodStart: "$.d", value: "$.v" },
    timeoutMs: 500,
  },
});

export const connectorsPermissions: PermissionTable = {
  module: "connectors",
  setup: async (t) => {
    const metric = (key: string, stewardId: string | null) => createMetric(t, key, { stewardId });
    const stewarded = await metric("perm_ds_stewarded", t.org.people.steward);
    const other = await metric("perm_ds_other", null);
    const made = async (who: TestPerson, name: string, metricId: string) =>
      (
        await t.call<{ id: string }>(who, {
          method: "POST",
          url: "/api/v1/data-sources",
          payload: source(name, metricId),
        })
      ).body.id;
    const mine = await made("steward", "perm-mine", stewarded);
    const started = await t.call<{ id: string }>("steward", {
      method: "POST",
      url: `/api/v1/data-sources/${mine}/run`,
    });
    await manualRunsIdle();
    return {
      stewarded,
      other,
      mine,
      mineRun: `${mine}/runs/${started.body.id}`,
      hrs: await made("hr", "perm-hr", other),
      toDelete: await made("hr", "perm-delete", other),
    };
  },
  cases: [
    { route: list, as: null, url: "/api/v1/data-sources", expect: 401 },
    ...seers.map((as): PermissionCase => ({ route: list, as, url: "/api/v1/data-sources", expect: 200 })),
    ...others.map((as): PermissionCase => ({ route: list, as, url: "/api/v1/data-sources", expect: 403 })),
    { route: list, as: "hr", url: "/api/v1/data-sources?limit=0", expect: 400 },

    { route: create, as: null, url: "/api/v1/data-sources", body: {}, expect: 401 },
    { route: create, as: "hr", url: "/api/v1/data-sources", body: { name: "x" }, expect: 400 },
    ...(["employee", "manager", "exec", "auditor"] as const).map(
      (as): PermissionCase => ({
        route: create,
        as,
        url: "/api/v1/data-sources",
        body: (c: Record<string, string>) => source(`perm-${as}`, c.stewarded ?? ""),
        expect: 403,
      }),
    ),
    {
      route: create,
      as: "steward",
      url: "/api/v1/data-sources",
      body: (c: Record<string, string>) => source("perm-steward-other", c.other ?? ""),
      expect: 403,
    },
    {
      route: create,
      as: "steward",
      url: "/api/v1/data-sources",
      body: (c: Record<string, string>) => source("perm-steward-own", c.stewarded ?? ""),
      expect: 201,
    },
    {
      route: create,
      as: "admin",
      url: "/api/v1/data-sources",
      body: (c: Record<string, string>) => source("perm-admin", c.other ?? ""),
      expect: 201,
    },

    { route: one, as: null, url: at("mine"), expect: 401 },
    ...seers.map((as): PermissionCase => ({ route: one, as, url: at("mine"), expect: 200 })),
    ...others.map((as): PermissionCase => ({ route: one, as, url: at("mine"), expect: 404 })),
    { route: one, as: "steward", url: at("hrs"), expect: 404 },
    { route: one, as: "admin", url: `/api/v1/data-sources/${MISSING}`, expect: 404 },

    { route: update, as: null, url: at("mine"), body: {}, expect: 401 },
    {
      route: update,
      as: "auditor",
      url: at("mine"),
      body: (c: Record<string, string>) => source("perm-mine", c.stewarded ?? ""),
      expect: 403,
    },
    {
      route: update,
      as: "employee",
      url: at("mine"),
      body: (c: Record<string, string>) => source("perm-mine", c.stewarded ?? ""),
      expect: 404,
    },
    {
      route: update,
      as: "steward",
      url: at("hrs"),
      body: (c: Record<string, string>) => source("perm-hr", c.other ?? ""),
      expect: 404,
    },
    { route: update, as: "steward", url: at("mine"), body: { name: "" }, expect: 400 },
    {
      route: update,
      as: "steward",
      url: at("mine"),
      body: (c: Record<string, string>) => ({
        ...source("perm-mine", c.stewarded ?? ""),
        schedule: { every: 30 },
      }),
      expect: 200,
    },

    { route: run, as: null, url: at("mine", "/run"), expect: 401 },
    { route: run, as: "auditor", url: at("mine", "/run"), expect: 403 },
    { route: run, as: "manager", url: at("mine", "/run"), expect: 404 },
    { route: run, as: "steward", url: at("hrs", "/run"), expect: 404 },
    { route: run, as: "steward", url: at("mine", "/run"), expect: 202 },
    { route: run, as: "hr", url: at("hrs", "/run"), expect: 202 },

    { route: runs, as: null, url: at("mine", "/runs"), expect: 401 },
    ...seers.map((as): PermissionCase => ({ route: runs, as, url: at("mine", "/runs"), expect: 200 })),
    { route: runs, as: "employee", url: at("mine", "/runs"), expect: 404 },
    { route: runs, as: "hr", url: at("mine", "/runs?limit=999"), expect: 400 },

    { route: oneRun, as: null, url: at("mineRun"), expect: 401 },
    ...seers.map((as): PermissionCase => ({ route: oneRun, as, url: at("mineRun"), expect: 200 })),
    { route: oneRun, as: "manager", url: at("mineRun"), expect: 404 },
    { route: oneRun, as: "hr", url: `/api/v1/data-sources/${MISSING}/runs/${MISSING}`, expect: 404 },

    { route: discrepancies, as: null, url: at("mine", "/discrepancies"), expect: 401 },
    ...seers.map(
      (as): PermissionCase => ({ route: discrepancies, as, url: at("mine", "/discrepancies"), expect: 200 }),
    ),
    { route: discrepancies, as: "exec", url: at("mine", "/discrepancies"), expect: 404 },

    { route: remove, as: null, url: at("toDelete"), expect: 401 },
    { route: remove, as: "auditor", url: at("toDelete"), expect: 403 },
    { route: remove, as: "steward", url: at("toDelete"), expect: 404 },
    { route: remove, as: "otherEmployee", url: at("toDelete"), expect: 404 },
    { route: remove, as: "hr", url: at("toDelete"), expect: 200 },
  ],
};
