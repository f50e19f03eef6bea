import type { PermissionTable } from "../../testing/permission-table.ts";
import { insertGoal } from "../progress/progress.fixtures.ts";

const list = "GET /api/v1/goals/:id/check-ins";
const record = "POST /api/v1/goals/:id/check-ins";
const at = (key: string) => (ctx: Record<string, string>) => `/api/v1/goals/${ctx[key]}/check-ins`;
const body = { date: "2026-06-30", confidence: 6, narrative: "steady" };

export const checkinsPermissions: PermissionTable = {
  module: "checkins",
  setup: async (t) => ({
    // the employee's public milestone goal and private milestone goal
    publicGoal: await insertGoal(t.database.db, t.org, { kind: "milestone" }),
    privateGoal: await insertGoal(t.database.db, t.org, { kind: "milestone", visibility: "private" }),
  }),
  cases: [
    { route: list, as: null, url: at("publicGoal"), expect: 401 },
    ...(["admin", "hr", "exec", "manager", "employee", "otherEmployee", "steward", "auditor"] as const).map(
      (as) => ({ route: list, as, url: at("publicGoal"), expect: 200 }),
    ),
    { route: list, as: "otherEmployee", url: at("privateGoal"), expect: 404 },
    { route: list, as: "manager", url: at("privateGoal"), expect: 200 },
    { route: record, as: null, url: at("publicGoal"), body, expect: 401 },
    // the owner, the owner's manager chain (manager, exec), admin and HR check in
    ...(["employee", "manager", "exec", "admin", "hr"] as const).map((as) => ({
      route: record,
      as,
      url: at("publicGoal"),
      body,
      expect: 201,
    })),
    ...(["otherEmployee", "steward", "auditor"] as const).map((as) => ({
      route: record,
      as,
      url: at("publicGoal"),
      body,
      expect: 403,
    })),
    { route: record, as: "otherEmployee", url: at("privateGoal"), body, expect: 404 },
    { route: record, as: "employee", url: at("privateGoal"), body: { ...body, confidence: 12 }, expect: 400 },
  ],
};
