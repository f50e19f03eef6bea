import type { PermissionCase, PermissionTable } from "../../testing/permission-table.ts";
import type { TestPerson } from "../../testing/test-app.ts";

const MISSING = "0190f000-0000-7000-8000-000000000000";
const nonWriters = ["exec", "manager", "employee", "otherEmployee", "auditor"] as const;
const everyone: TestPerson[] = ["admin", "hr", "steward", ...nonWriters];

const list = "GET /api/v1/metrics/:id/measurements";
const record = "POST /api/v1/metrics/:id/measurements";
const bulk = "POST /api/v1/measurements";
const at =
  (metric: string, query = "") =>
  (ctx: Record<string, string>) =>
    `/api/v1/metrics/${ctx[metric]}/measurements${query}`;
/** A value for day `d` of June 2026: each successful row writes its own period. */
const value = (d: number) => ({ value: d, periodStart: `2026-06-${String(d).padStart(2, "0")}` });
const rows = (d: number) => (ctx: Record<string, string>) => [
  { metricId: ctx.stewarded, ...value(d) },
  { metricKey: "perm_meas_stewarded", ...value(d + 1) },
];

export const measurementsPermissions: PermissionTable = {
  module: "measurements",
  setup: async (t) => {
    const made = async (key: string, stewardId: string | null) =>
      (
        await t.call<{ id: string }>("admin", {
          method: "POST",
          url: "/api/v1/metrics",
          payload: {
            key,
            name: key,
            unit: "count",
            direction: "increase",
            indicatorType: "leading",
            aggregation: "sum",
            stewardId,
          },
        })
      ).body.id;
    return {
      stewarded: await made("perm_meas_stewarded", t.org.people.steward),
      unowned: await made("perm_meas_unowned", null),
      employee: t.org.people.employee,
    };
  },
  cases: [
    { route: list, as: null, url: at("unowned"), expect: 401 },
    ...everyone.map((as): PermissionCase => ({ route: list, as, url: at("unowned"), expect: 200 })),
    { route: list, as: "employee", url: `/api/v1/metrics/${MISSING}/measurements`, expect: 404 },
    // a person's own series: the person and their manager chain, not a colleague
    ...(["employee", "manager", "exec", "auditor"] as const).map(
      (as): PermissionCase => ({
        route: list,
        as,
        url: (ctx) => at("unowned", `?scopeType=person&scopeId=${ctx.employee}`)(ctx),
        expect: 200,
      }),
    ),
    {
      route: list,
      as: "otherEmployee",
      url: (ctx) => at("unowned", `?scopeType=person&scopeId=${ctx.employee}`)(ctx),
      expect: 404,
    },
    { route: list, as: "employee", url: at("unowned", "?includeSuperseded=maybe"), expect: 400 },

    { route: record, as: null, url: at("stewarded"), body: value(1), expect: 401 },
    ...nonWriters.map(
      (as): PermissionCase => ({ route: record, as, url: at("stewarded"), body: value(1), expect: 403 }),
    ),
    { route: record, as: "steward", url: at("unowned"), body: value(1), expect: 403 },
    { route: record, as: "steward", url: at("stewarded"), body: value(1), expect: 201 },
    { route: record, as: "admin", url: at("stewarded"), body: value(2), expect: 201 },
    { route: record, as: "hr", url: at("unowned"), body: value(3), expect: 201 },
    { route: record, as: "hr", url: at("stewarded"), body: value(1), expect: 409 },
    { route: record, as: "hr", url: at("stewarded"), body: { value: 1 }, expect: 400 },
    { route: record, as: "hr", url: `/api/v1/metrics/${MISSING}/measurements`, body: value(1), expect: 404 },

    { route: bulk, as: null, url: "/api/v1/measurements", body: rows(10), expect: 401 },
    ...nonWriters.map(
      (as): PermissionCase => ({ route: bulk, as, url: "/api/v1/measurements", body: rows(10), expect: 403 }),
    ),
    {
      route: bulk,
      as: "steward",
      url: "/api/v1/measurements",
      body: (ctx: Record<string, string>) => [{ metricId: ctx.unowned, ...value(10) }],
      expect: 403,
    },
    { route: bulk, as: "steward", url: "/api/v1/measurements", body: rows(10), expect: 201 },
    { route: bulk, as: "admin", url: "/api/v1/measurements", body: rows(12), expect: 201 },
    { route: bulk, as: "hr", url: "/api/v1/measurements", body: rows(14), expect: 201 },
    { route: bulk, as: "hr", url: "/api/v1/measurements", body: rows(10), expect: 400 },
    { route: bulk, as: "hr", url: "/api/v1/measurements", body: [{ value: 1 }], expect: 400 },
  ],
};
