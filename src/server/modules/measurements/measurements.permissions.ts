import { createMetric } from "../../testing/metrics.ts";
import type { PermissionCase, PermissionTable } from "../../testing/permission-table.ts";
import type { TestPerson } from "../../testing/test-app.ts";

const MISSING = "0190f000-0000-7000-8000-000000000000";
const nonWriters = ["exec", "manager", "employee", "otherEmployee", "auditor"] as const;
const everyone: TestPerson[] = ["admin", "hr", "steward", ...nonWriters];

const list = "GET /api/v1/metrics/:id/measurements";
const record = "POST /api/v1/metrics/:id/measurements";
const bulk = "POST /api/v1/measurements";
const queue = "GET /api/v1/measurements/quarantine";
const review = "POST /api/v1/measurements/:id/review";
const missingData = "GET /api/v1/measurements/missing-data";
const missingCheck = "POST /api/v1/measurements/missing-data/check";
const reviewAt = (m: string) => (ctx: Record<string, string>) => `/api/v1/measurements/${ctx[m]}/review`;
const because = (decision: "accept" | "reject") => ({ decision, reason: "checked with the source" });
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
    const made = (key: string, stewardId: string | null) =>
      createMetric(t, key, { indicatorType: "leading", stewardId });
    const stewarded = await made("perm_meas_stewarded", t.org.people.steward);
    const unowned = await made("perm_meas_unowned", null);
    // Values above 100 are quarantined on both metrics.
    for (const id of [stewarded, unowned])
      await t.call("admin", {
        method: "PATCH",
        url: `/api/v1/metrics/${id}`,
        payload: { validationRules: { range: { max: 100, action: "quarantine" } } },
      });
    const recorded = async (metricId: string, value: number, day: string) =>
      (
        await t.call<{ id: string }>("admin", {
          method: "POST",
          url: `/api/v1/metrics/${metricId}/measurements`,
          payload: { value, periodStart: `2026-05-${day}` },
        })
      ).body.id;
    return {
      stewarded,
      unowned,
      employee: t.org.people.employee,
      quarantined: await recorded(stewarded, 500, "01"),
      quarantined2: await recorded(stewarded, 600, "02"),
      quarantinedUnowned: await recorded(unowned, 700, "01"),
      accepted: await recorded(stewarded, 50, "03"),
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

    { route: queue, as: null, url: "/api/v1/measurements/quarantine", expect: 401 },
    ...(["employee", "otherEmployee", "manager", "exec"] as const).map(
      (as): PermissionCase => ({ route: queue, as, url: "/api/v1/measurements/quarantine", expect: 403 }),
    ),
    ...(["steward", "hr", "admin", "auditor"] as const).map(
      (as): PermissionCase => ({ route: queue, as, url: "/api/v1/measurements/quarantine", expect: 200 }),
    ),
    { route: queue, as: "hr", url: "/api/v1/measurements/quarantine?limit=0", expect: 400 },

    { route: review, as: null, url: reviewAt("quarantined"), body: because("accept"), expect: 401 },
    ...(["employee", "manager", "exec", "auditor"] as const).map(
      (as): PermissionCase => ({
        route: review,
        as,
        url: reviewAt("quarantined"),
        body: because("accept"),
        expect: 403,
      }),
    ),
    {
      route: review,
      as: "steward",
      url: reviewAt("quarantinedUnowned"),
      body: because("accept"),
      expect: 403,
    },
    {
      route: review,
      as: "hr",
      url: `/api/v1/measurements/${MISSING}/review`,
      body: because("accept"),
      expect: 404,
    },
    { route: review, as: "steward", url: reviewAt("quarantined"), body: { decision: "accept" }, expect: 400 },
    { route: review, as: "steward", url: reviewAt("quarantined"), body: because("accept"), expect: 200 },
    { route: review, as: "steward", url: reviewAt("quarantined"), body: because("reject"), expect: 409 },
    { route: review, as: "hr", url: reviewAt("accepted"), body: because("accept"), expect: 409 },
    { route: review, as: "admin", url: reviewAt("quarantined2"), body: because("reject"), expect: 200 },
    { route: review, as: "hr", url: reviewAt("quarantinedUnowned"), body: because("accept"), expect: 200 },

    { route: missingData, as: null, url: "/api/v1/measurements/missing-data", expect: 401 },
    ...(["employee", "otherEmployee", "manager", "exec"] as const).map(
      (as): PermissionCase => ({
        route: missingData,
        as,
        url: "/api/v1/measurements/missing-data",
        expect: 403,
      }),
    ),
    ...(["steward", "hr", "admin", "auditor"] as const).map(
      (as): PermissionCase => ({
        route: missingData,
        as,
        url: "/api/v1/measurements/missing-data",
        expect: 200,
      }),
    ),
    { route: missingData, as: "hr", url: "/api/v1/measurements/missing-data?limit=0", expect: 400 },

    { route: missingCheck, as: null, url: "/api/v1/measurements/missing-data/check", expect: 401 },
    ...(["employee", "manager", "exec", "auditor"] as const).map(
      (as): PermissionCase => ({
        route: missingCheck,
        as,
        url: "/api/v1/measurements/missing-data/check",
        expect: 403,
      }),
    ),
    ...(["steward", "hr", "admin"] as const).map(
      (as): PermissionCase => ({
        route: missingCheck,
        as,
        url: "/api/v1/measurements/missing-data/check",
        expect: 200,
      }),
    ),
  ],
};
