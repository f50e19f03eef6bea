import type { PermissionCase, PermissionTable } from "../../testing/permission-table.ts";
import type { TestPerson } from "../../testing/test-app.ts";

const MISSING = "0190f000-0000-7000-8000-000000000000";
const writers = ["admin", "hr"] as const;
const others = ["exec", "manager", "employee", "otherEmployee", "steward", "auditor"] as const;
const everyone: TestPerson[] = [...writers, ...others];

const list = "GET /api/v1/metrics";
const one = "GET /api/v1/metrics/:id";
const create = "POST /api/v1/metrics";
const close = "POST /api/v1/metrics/:id/close-periods";
const closeAt = (key: string) => (c: Record<string, string>) => `/api/v1/metrics/${c[key]}/close-periods`;
const update = "PATCH /api/v1/metrics/:id";
const at = (key: string) => (ctx: Record<string, string>) => `/api/v1/metrics/${ctx[key]}`;
const newMetric = (as: TestPerson) => ({
  key: `perm_${as.toLowerCase()}`,
  name: `Made by ${as}`,
  unit: "count",
  direction: "increase",
  indicatorType: "leading",
  aggregation: "sum",
});

export const metricsPermissions: PermissionTable = {
  module: "metrics",
  setup: async (t) => {
    const made = async (key: string, stewardId: string | null) =>
      (
        await t.call<{ id: string }>("admin", {
          method: "POST",
          url: "/api/v1/metrics",
          payload: { ...newMetric("admin"), key, stewardId },
        })
      ).body.id;
    return {
      stewarded: await made("perm_stewarded", t.org.people.steward),
      unowned: await made("perm_unowned", null),
    };
  },
  cases: [
    { route: list, as: null, url: "/api/v1/metrics", expect: 401 },
    ...everyone.map((as): PermissionCase => ({ route: list, as, url: "/api/v1/metrics", expect: 200 })),
    { route: one, as: null, url: at("unowned"), expect: 401 },
    ...everyone.map((as): PermissionCase => ({ route: one, as, url: at("unowned"), expect: 200 })),
    { route: one, as: "employee", url: `/api/v1/metrics/${MISSING}`, expect: 404 },
    { route: create, as: null, url: "/api/v1/metrics", body: newMetric("admin"), expect: 401 },
    ...others.map(
      (as): PermissionCase => ({
        route: create,
        as,
        url: "/api/v1/metrics",
        body: newMetric(as),
        expect: 403,
      }),
    ),
    ...writers.map(
      (as): PermissionCase => ({
        route: create,
        as,
        url: "/api/v1/metrics",
        body: newMetric(as),
        expect: 201,
      }),
    ),
    { route: create, as: "hr", url: "/api/v1/metrics", body: { ...newMetric("hr"), unit: "x" }, expect: 400 },
    { route: create, as: "hr", url: "/api/v1/metrics", body: newMetric("hr"), expect: 409 },
    { route: update, as: null, url: at("stewarded"), body: { name: "x" }, expect: 401 },
    ...(["exec", "manager", "employee", "otherEmployee", "auditor"] as const).map(
      (as): PermissionCase => ({ route: update, as, url: at("stewarded"), body: { name: as }, expect: 403 }),
    ),
    // the steward changes their own metric, not another one
    { route: update, as: "steward", url: at("stewarded"), body: { name: "by steward" }, expect: 200 },
    { route: update, as: "steward", url: at("unowned"), body: { name: "by steward" }, expect: 403 },
    ...writers.map(
      (as): PermissionCase => ({ route: update, as, url: at("unowned"), body: { name: as }, expect: 200 }),
    ),
    { route: update, as: "hr", url: `/api/v1/metrics/${MISSING}`, body: { name: "x" }, expect: 404 },
    { route: update, as: "hr", url: at("unowned"), body: { finalityLagDays: -1 }, expect: 400 },

    { route: close, as: null, url: closeAt("stewarded"), body: { through: "2026-05-31" }, expect: 401 },
    ...(["exec", "manager", "employee", "auditor"] as const).map(
      (as): PermissionCase => ({
        route: close,
        as,
        url: closeAt("stewarded"),
        body: { through: "2026-05-31" },
        expect: 403,
      }),
    ),
    { route: close, as: "steward", url: closeAt("unowned"), body: { through: "2026-05-31" }, expect: 403 },
    { route: close, as: "steward", url: closeAt("stewarded"), body: { through: "2026-05-31" }, expect: 200 },
    { route: close, as: "hr", url: closeAt("stewarded"), body: { through: "2026-04-30" }, expect: 409 },
    { route: close, as: "admin", url: closeAt("unowned"), body: { through: "2099-01-01" }, expect: 400 },
    { route: close, as: "admin", url: closeAt("unowned"), body: { through: "someday" }, expect: 400 },
    {
      route: close,
      as: "admin",
      url: `/api/v1/metrics/${MISSING}/close-periods`,
      body: { through: "2026-05-31" },
      expect: 404,
    },
  ],
};
