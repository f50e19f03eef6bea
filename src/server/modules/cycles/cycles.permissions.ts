import type { PermissionCase, PermissionTable } from "../../testing/permission-table.ts";
import type { TestPerson } from "../../testing/test-app.ts";

const MISSING = "0190f000-0000-7000-8000-000000000000";
const writers = ["admin", "hr"] as const;
const others = ["exec", "manager", "employee", "otherEmployee", "steward", "auditor"] as const;
const everyone: TestPerson[] = [...writers, ...others];

const list = "GET /api/v1/cycles";
const one = "GET /api/v1/cycles/:id";
const create = "POST /api/v1/cycles";
const update = "PATCH /api/v1/cycles/:id";
// A cycle of its own: later tables rely on the test org's active 2026 cycle staying as it is.
const target = (ctx: Record<string, string>) => `/api/v1/cycles/${ctx.cycle}`;
const newCycle = {
  name: "Permission sprint",
  kind: "sprint",
  startDate: "2026-08-03",
  endDate: "2026-08-14",
};

export const cyclesPermissions: PermissionTable = {
  module: "cycles",
  setup: async (t) => {
    const res = await t.call<{ id: string }>("admin", {
      method: "POST",
      url: "/api/v1/cycles",
      payload: newCycle,
    });
    return { cycle: res.body.id };
  },
  cases: [
    { route: list, as: null, url: "/api/v1/cycles", expect: 401 },
    ...everyone.map((as): PermissionCase => ({ route: list, as, url: "/api/v1/cycles", expect: 200 })),
    { route: one, as: null, url: target, expect: 401 },
    ...everyone.map((as): PermissionCase => ({ route: one, as, url: target, expect: 200 })),
    { route: one, as: "employee", url: `/api/v1/cycles/${MISSING}`, expect: 404 },
    { route: create, as: null, url: "/api/v1/cycles", body: newCycle, expect: 401 },
    ...others.map(
      (as): PermissionCase => ({ route: create, as, url: "/api/v1/cycles", body: newCycle, expect: 403 }),
    ),
    ...writers.map(
      (as): PermissionCase => ({ route: create, as, url: "/api/v1/cycles", body: newCycle, expect: 201 }),
    ),
    { route: update, as: null, url: target, body: { name: "Anon" }, expect: 401 },
    ...others.map(
      (as): PermissionCase => ({ route: update, as, url: target, body: { name: as }, expect: 403 }),
    ),
    ...writers.map(
      (as): PermissionCase => ({ route: update, as, url: target, body: { name: as }, expect: 200 }),
    ),
    { route: update, as: "admin", url: `/api/v1/cycles/${MISSING}`, body: { name: "X" }, expect: 404 },
    { route: update, as: "hr", url: target, body: { phase: "locked" }, expect: 409 },
    { route: update, as: "hr", url: target, body: { phase: "active" }, expect: 200 },
    { route: update, as: "admin", url: target, body: { endDate: "2026-08-21" }, expect: 409 },
  ],
};
