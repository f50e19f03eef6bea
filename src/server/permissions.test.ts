import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditPermissions } from "./modules/audit/audit.permissions.ts";
import { authPermissions } from "./modules/auth/auth.permissions.ts";
import { checkinsPermissions } from "./modules/checkins/checkins.permissions.ts";
import { connectorsPermissions } from "./modules/connectors/connectors.permissions.ts";
import { cyclesPermissions } from "./modules/cycles/cycles.permissions.ts";
import { goalsPermissions } from "./modules/goals/goals.permissions.ts";
import { importsPermissions } from "./modules/imports/imports.permissions.ts";
import { measurementsPermissions } from "./modules/measurements/measurements.permissions.ts";
import { metricsPermissions } from "./modules/metrics/metrics.permissions.ts";
import { peoplePermissions } from "./modules/people/people.permissions.ts";
import { progressPermissions } from "./modules/progress/progress.permissions.ts";
import { unitsPermissions } from "./modules/units/units.permissions.ts";
import type { PermissionTable } from "./testing/permission-table.ts";
import { createTestApp, type TestApp } from "./testing/test-app.ts";

// auth comes last: its logout row ends a session the other tables use.
const TABLES: PermissionTable[] = [
  auditPermissions,
  peoplePermissions,
  unitsPermissions,
  cyclesPermissions,
  metricsPermissions,
  measurementsPermissions,
  importsPermissions,
  connectorsPermissions,
  goalsPermissions,
  checkinsPermissions,
  progressPermissions,
  authPermissions,
];

describe("permission table: role × route × outcome", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it("has a row for every API route", () => {
    const covered = new Set(TABLES.flatMap((table) => table.cases.map((c) => c.route)));
    const missing = t.app.routeList.filter((r) => !covered.has(r));
    expect(missing, "routes with no row in any *.permissions.ts table").toEqual([]);
    const unknown = [...covered].filter((r) => !t.app.routeList.includes(r));
    expect(unknown, "rows naming a route that does not exist").toEqual([]);
  });

  for (const table of TABLES.filter((x) => x.cases.length > 0)) {
    describe(table.module, () => {
      let ctx: Record<string, string> = {};
      beforeAll(async () => {
        ctx = table.setup ? await table.setup(t) : {};
      });
      // Sequential on purpose: a row may change what a later row sees (a logout, a delete).
      for (const c of table.cases) {
        it(`${c.route} as ${c.as ?? "anonymous"} → ${c.expect}`, async () => {
          const [method] = c.route.split(" ");
          const url = typeof c.url === "function" ? c.url(ctx) : c.url;
          const body =
            typeof c.body === "function" ? (c.body as (x: Record<string, string>) => unknown)(ctx) : c.body;
          const res = await t.call(c.as, {
            method: method as "GET",
            url,
            ...(body !== undefined ? { payload: body as object } : {}),
          });
          expect(res.status, JSON.stringify(res.body)).toBe(c.expect);
        });
      }
    });
  }
});
