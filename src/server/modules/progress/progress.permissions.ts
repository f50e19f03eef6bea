import type { PermissionTable } from "../../testing/permission-table.ts";
import { insertGoal, insertMetric } from "./progress.fixtures.ts";

const explain = "GET /api/v1/goals/:id/explain";
const recompute = "POST /api/v1/progress/recompute";
const explainUrl = (key: string) => (ctx: Record<string, string>) => `/api/v1/goals/${ctx[key]}/explain`;

export const progressPermissions: PermissionTable = {
  module: "progress",
  setup: async (t) => {
    const db = t.database.db;
    const metricId = await insertMetric(db, t.org, { key: "perm-progress", aggregation: "last" });
    const publicGoal = await insertGoal(db, t.org, {
      kind: "metric",
      metricId,
      baselineValue: 67,
      targetValue: 75,
    });
    const privateGoal = await insertGoal(db, t.org, { kind: "milestone", visibility: "private" });
    return { publicGoal, privateGoal };
  },
  cases: [
    { route: explain, as: null, url: explainUrl("publicGoal"), expect: 401 },
    ...(["admin", "hr", "exec", "manager", "employee", "otherEmployee", "steward", "auditor"] as const).map(
      (as) => ({ route: explain, as, url: explainUrl("publicGoal"), expect: 200 }),
    ),
    // private: the owner (employee), their manager chain and the org-wide readers only
    { route: explain, as: "employee", url: explainUrl("privateGoal"), expect: 200 },
    { route: explain, as: "manager", url: explainUrl("privateGoal"), expect: 200 },
    { route: explain, as: "auditor", url: explainUrl("privateGoal"), expect: 200 },
    { route: explain, as: "otherEmployee", url: explainUrl("privateGoal"), expect: 404 },
    { route: explain, as: "steward", url: explainUrl("privateGoal"), expect: 404 },
    { route: recompute, as: null, url: "/api/v1/progress/recompute", expect: 401 },
    ...(["exec", "manager", "employee", "steward", "auditor"] as const).map((as) => ({
      route: recompute,
      as,
      url: "/api/v1/progress/recompute",
      expect: 403,
    })),
    { route: recompute, as: "admin", url: "/api/v1/progress/recompute", expect: 200 },
    { route: recompute, as: "hr", url: "/api/v1/progress/recompute", expect: 200 },
  ],
};
