import type { PermissionCase, PermissionTable } from "../../testing/permission-table.ts";
import type { TestPerson } from "../../testing/test-app.ts";

const MISSING = "0190f000-0000-7000-8000-000000000000";
const uploaders = ["admin", "hr", "steward"] as const;
const others = ["exec", "manager", "employee", "otherEmployee", "auditor"] as const;

const upload = "POST /api/v1/imports";
const list = "GET /api/v1/imports";
const one = "GET /api/v1/imports/:id";
const preview = "POST /api/v1/imports/:id/preview";
const commit = "POST /api/v1/imports/:id/commit";
const problems = "GET /api/v1/imports/:id/problems";
const csv = "GET /api/v1/imports/:id/problems.csv";
const at =
  (name: string, tail = "") =>
  (ctx: Record<string, string>) =>
    `/api/v1/imports/${ctx[name]}${tail}`;

/** The table's uploads: a file whose only row has a problem (no such metric), so a commit writes nothing. */
const FILE = "metric,date,value\nperm_no_such_metric,2026-06-01,1\n";

export const importsPermissions: PermissionTable = {
  module: "imports",
  setup: async (t) => {
    const made = async (who: TestPerson) =>
      (
        await t.app.inject({
          method: "POST",
          url: "/api/v1/imports?fileName=perm.csv",
          headers: { ...t.as(who), "content-type": "text/csv" },
          payload: FILE,
        })
      ).json<{ id: string }>().id;
    return { byHr: await made("hr"), bySteward: await made("steward"), toCommit: await made("steward") };
  },
  cases: [
    // the table sends JSON bodies: an upload of JSON is refused as an unsupported type
    { route: upload, as: null, url: "/api/v1/imports?fileName=x.csv", body: {}, expect: 401 },
    ...[...uploaders, ...others].map(
      (as): PermissionCase => ({
        route: upload,
        as,
        url: "/api/v1/imports?fileName=x.csv",
        body: {},
        expect: 415,
      }),
    ),

    { route: list, as: null, url: "/api/v1/imports", expect: 401 },
    ...[...uploaders, ...others].map(
      (as): PermissionCase => ({ route: list, as, url: "/api/v1/imports", expect: 200 }),
    ),
    { route: list, as: "hr", url: "/api/v1/imports?limit=0", expect: 400 },

    { route: one, as: null, url: at("bySteward"), expect: 401 },
    ...(["admin", "hr", "auditor", "steward"] as const).map(
      (as): PermissionCase => ({ route: one, as, url: at("bySteward"), expect: 200 }),
    ),
    ...(["exec", "manager", "employee"] as const).map(
      (as): PermissionCase => ({ route: one, as, url: at("bySteward"), expect: 404 }),
    ),
    { route: one, as: "steward", url: at("byHr"), expect: 404 },
    { route: one, as: "admin", url: `/api/v1/imports/${MISSING}`, expect: 404 },

    { route: problems, as: null, url: at("bySteward", "/problems"), expect: 401 },
    { route: problems, as: "steward", url: at("bySteward", "/problems"), expect: 200 },
    { route: problems, as: "auditor", url: at("bySteward", "/problems"), expect: 200 },
    { route: problems, as: "employee", url: at("bySteward", "/problems"), expect: 404 },
    { route: csv, as: null, url: at("bySteward", "/problems.csv"), expect: 401 },
    { route: csv, as: "manager", url: at("bySteward", "/problems.csv"), expect: 404 },

    { route: preview, as: null, url: at("bySteward", "/preview"), body: {}, expect: 401 },
    { route: preview, as: "auditor", url: at("bySteward", "/preview"), body: {}, expect: 403 },
    { route: preview, as: "employee", url: at("bySteward", "/preview"), body: {}, expect: 404 },
    { route: preview, as: "steward", url: at("byHr", "/preview"), body: {}, expect: 404 },
    { route: preview, as: "steward", url: at("bySteward", "/preview"), body: { value: 7 }, expect: 400 },
    {
      route: preview,
      as: "hr",
      url: at("bySteward", "/preview"),
      body: { metric: "metric", periodStart: "date", value: "value" },
      expect: 200,
    },

    { route: commit, as: null, url: at("toCommit", "/commit"), body: { skipInvalid: true }, expect: 401 },
    {
      route: commit,
      as: "auditor",
      url: at("toCommit", "/commit"),
      body: { skipInvalid: true },
      expect: 403,
    },
    {
      route: commit,
      as: "manager",
      url: at("toCommit", "/commit"),
      body: { skipInvalid: true },
      expect: 404,
    },
    { route: commit, as: "steward", url: at("toCommit", "/commit"), body: {}, expect: 400 },
    {
      route: commit,
      as: "steward",
      url: at("toCommit", "/commit"),
      body: { skipInvalid: true },
      expect: 202,
    },
    { route: commit, as: "hr", url: at("toCommit", "/commit"), body: { skipInvalid: true }, expect: 409 },
  ],
};
