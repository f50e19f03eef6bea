import type { PermissionCase, PermissionTable } from "../../testing/permission-table.ts";
import type { TestPerson } from "../../testing/test-app.ts";

const MISSING = "0190f000-0000-7000-8000-000000000000";
const writers = ["admin", "hr"] as const;
const others = ["exec", "manager", "employee", "otherEmployee", "steward", "auditor"] as const;
const everyone: TestPerson[] = [...writers, ...others];

const list = "GET /api/v1/units";
const one = "GET /api/v1/units/:id";
const create = "POST /api/v1/units";
const update = "PATCH /api/v1/units/:id";
const target = (ctx: Record<string, string>) => `/api/v1/units/${ctx.unit}`;
const newUnit = (ctx: Record<string, string>) => ({
  name: "Permission team",
  kind: "team",
  parentId: ctx.unit,
});

export const unitsPermissions: PermissionTable = {
  module: "units",
  setup: async (t) => {
    const res = await t.call<{ id: string }>("admin", {
      method: "POST",
      url: "/api/v1/units",
      payload: { name: "Permission department", kind: "department", parentId: t.org.units.sales },
    });
    return { unit: res.body.id, company: t.org.units.company };
  },
  cases: [
    { route: list, as: null, url: "/api/v1/units", expect: 401 },
    ...everyone.map((as): PermissionCase => ({ route: list, as, url: "/api/v1/units", expect: 200 })),
    { route: one, as: null, url: target, expect: 401 },
    ...everyone.map((as): PermissionCase => ({ route: one, as, url: target, expect: 200 })),
    { route: one, as: "employee", url: `/api/v1/units/${MISSING}`, expect: 404 },
    { route: create, as: null, url: "/api/v1/units", body: newUnit, expect: 401 },
    ...others.map(
      (as): PermissionCase => ({ route: create, as, url: "/api/v1/units", body: newUnit, expect: 403 }),
    ),
    ...writers.map(
      (as): PermissionCase => ({ route: create, as, url: "/api/v1/units", body: newUnit, expect: 201 }),
    ),
    { route: update, as: null, url: target, body: { name: "Anon" }, expect: 401 },
    ...others.map(
      (as): PermissionCase => ({ route: update, as, url: target, body: { name: as }, expect: 403 }),
    ),
    ...writers.map(
      (as): PermissionCase => ({ route: update, as, url: target, body: { name: as }, expect: 200 }),
    ),
    { route: update, as: "admin", url: `/api/v1/units/${MISSING}`, body: { name: "X" }, expect: 404 },
    {
      route: update,
      as: "admin",
      url: (ctx) => `/api/v1/units/${ctx.company}`,
      body: (ctx: Record<string, string>) => ({ parentId: ctx.unit }),
      expect: 409,
    },
  ],
};
