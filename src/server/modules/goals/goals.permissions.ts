import type { PermissionCase, PermissionTable } from "../../testing/permission-table.ts";
import type { TestApp, TestPerson } from "../../testing/test-app.ts";
import { TEST_PEOPLE } from "../../testing/test-app.ts";
import { insertMetric, milestoneBody, smartGoalBody } from "./goals.test-helpers.ts";

type Ctx = Record<string, string>;

/** Goal bodies need ids from the test org; setup keeps them in the context. */
const milestone = (c: Ctx, extra: Record<string, unknown> = {}) => ({
  title: "Permission table goal",
  specificOutcome: "Something specific enough",
  cycleId: c.cycleId,
  level: "individual",
  kind: "milestone",
  ...extra,
});

async function makeGoal(t: TestApp, who: TestPerson, body: Record<string, unknown>): Promise<string> {
  const res = await t.call<{ id: string }>(who, { method: "POST", url: "/api/v1/goals", payload: body });
  if (res.status !== 201) throw new Error(`goals permission setup: ${JSON.stringify(res.body)}`);
  return res.body.id;
}

const row = (
  route: string,
  as: TestPerson | null,
  url: PermissionCase["url"],
  expect: number,
  body?: PermissionCase["body"],
): PermissionCase => ({ route, as, url, expect, ...(body !== undefined ? { body } : {}) });

const G = "/api/v1/goals";
const GET_ONE = "GET /api/v1/goals/:id";
const TREND = "GET /api/v1/goals/on-track-trend";
const PATCH = "PATCH /api/v1/goals/:id";
const MOVE = "POST /api/v1/goals/:id/transition";
const LINKS = "GET /api/v1/goals/:id/alignments";
const LINK = "POST /api/v1/goals/:id/alignments";
const UNLINK = "DELETE /api/v1/goals/:id/alignments/:parentId";
const VERSIONS = "GET /api/v1/goals/:id/versions";
const VERSION = "GET /api/v1/goals/:id/versions/:version";

const one = (key: string) => (c: Ctx) => `${G}/${c[key]}`;
const sub = (key: string, path: string) => (c: Ctx) => `${G}/${c[key]}/${path}`;

export const goalsPermissions: PermissionTable = {
  module: "goals",
  async setup(t) {
    const metricId = await insertMetric(t, "goals_permissions_metric");
    return {
      cycleId: t.org.cycleId,
      otherEmployee: t.org.people.otherEmployee,
      employee: t.org.people.employee,
      company: await makeGoal(t, "exec", smartGoalBody(t, metricId)),
      private: await makeGoal(t, "employee", milestoneBody(t, { visibility: "private" })),
      shared: await makeGoal(t, "employee", milestoneBody(t)),
      moving: await makeGoal(t, "employee", milestoneBody(t)),
      child: await makeGoal(t, "employee", milestoneBody(t)),
    };
  },
  cases: [
    row(`GET ${G}`, null, G, 401),
    ...TEST_PEOPLE.map((p) => row(`GET ${G}`, p, G, 200)),
    row(`GET ${G}`, "admin", `${G}?level=galaxy`, 400),

    row(TREND, null, (c: Ctx) => `${G}/on-track-trend?cycleId=${c.cycleId}`, 401),
    ...TEST_PEOPLE.map((p) => row(TREND, p, (c: Ctx) => `${G}/on-track-trend?cycleId=${c.cycleId}`, 200)),
    row(TREND, "employee", `${G}/on-track-trend`, 400),
    row(
      TREND,
      "employee",
      `${G}/on-track-trend?cycleId=${"0".repeat(8)}-0000-4000-8000-${"0".repeat(12)}`,
      404,
    ),

    row(GET_ONE, null, one("private"), 401),
    ...(["employee", "manager", "exec", "admin", "hr", "auditor"] as const).map((p) =>
      row(GET_ONE, p, one("private"), 200),
    ),
    row(GET_ONE, "otherEmployee", one("private"), 404),
    row(GET_ONE, "steward", one("private"), 404),
    row(GET_ONE, "otherEmployee", one("shared"), 200),
    row(GET_ONE, "employee", `${G}/not-a-uuid`, 400),

    row(`POST ${G}`, null, G, 401, (c: Ctx) => milestone(c)),
    row(`POST ${G}`, "auditor", G, 403, (c: Ctx) => milestone(c)),
    row(`POST ${G}`, "employee", G, 403, (c: Ctx) => milestone(c, { ownerId: c.otherEmployee })),
    row(`POST ${G}`, "manager", G, 403, (c: Ctx) => milestone(c, { level: "company" })),
    row(`POST ${G}`, "employee", G, 400, (c: Ctx) => milestone(c, { dueDate: "someday" })),
    row(`POST ${G}`, "employee", G, 201, (c: Ctx) => milestone(c)),
    row(`POST ${G}`, "manager", G, 201, (c: Ctx) => milestone(c, { ownerId: c.employee })),
    row(`POST ${G}`, "exec", G, 201, (c: Ctx) => milestone(c, { level: "company" })),
    row(`POST ${G}`, "hr", G, 201, (c: Ctx) => milestone(c, { ownerId: c.otherEmployee })),

    row(PATCH, null, one("shared"), 401, { title: "anonymous" }),
    row(PATCH, "otherEmployee", one("private"), 404, { title: "not yours" }),
    row(PATCH, "otherEmployee", one("shared"), 403, { title: "not yours" }),
    row(PATCH, "steward", one("shared"), 403, { title: "not yours" }),
    row(PATCH, "auditor", one("shared"), 403, { title: "auditors read" }),
    row(PATCH, "employee", one("shared"), 400, { dueDate: "someday" }),
    row(PATCH, "employee", one("shared"), 200, { title: "by the owner" }),
    row(PATCH, "manager", one("shared"), 200, { title: "by the manager" }),
    row(PATCH, "exec", one("shared"), 200, { title: "by the manager's manager" }),
    row(PATCH, "hr", one("shared"), 200, { title: "by the performance office" }),
    row(PATCH, "admin", one("shared"), 200, { title: "by an administrator" }),

    row(MOVE, null, sub("moving", "transition"), 401, { to: "proposed" }),
    row(MOVE, "steward", sub("private", "transition"), 404, { to: "proposed" }),
    row(MOVE, "otherEmployee", sub("moving", "transition"), 403, { to: "proposed" }),
    row(MOVE, "auditor", sub("moving", "transition"), 403, { to: "proposed" }),
    row(MOVE, "employee", sub("moving", "transition"), 400, { to: "finished" }),
    row(MOVE, "employee", sub("moving", "transition"), 200, { to: "proposed" }),
    row(MOVE, "manager", sub("moving", "transition"), 200, { to: "draft" }),
    row(MOVE, "employee", sub("moving", "transition"), 409, { to: "achieved" }),
    row(MOVE, "employee", sub("moving", "transition"), 409, { to: "active" }), // not aligned: SMART fails
    row(MOVE, "hr", sub("moving", "transition"), 200, { to: "proposed" }),

    row(LINKS, null, sub("private", "alignments"), 401),
    row(LINKS, "otherEmployee", sub("private", "alignments"), 404),
    row(LINKS, "employee", sub("private", "alignments"), 200),
    row(LINKS, "auditor", sub("private", "alignments"), 200),

    row(LINK, null, sub("child", "alignments"), 401, (c: Ctx) => ({ parentId: c.company, weight: 1 })),
    row(LINK, "steward", sub("private", "alignments"), 404, (c: Ctx) => ({ parentId: c.company, weight: 1 })),
    row(LINK, "otherEmployee", sub("child", "alignments"), 403, (c: Ctx) => ({
      parentId: c.company,
      weight: 1,
    })),
    row(LINK, "auditor", sub("child", "alignments"), 403, (c: Ctx) => ({ parentId: c.company, weight: 1 })),
    row(LINK, "employee", sub("child", "alignments"), 400, (c: Ctx) => ({ parentId: c.company, weight: 0 })),
    row(LINK, "employee", sub("child", "alignments"), 201, (c: Ctx) => ({ parentId: c.company, weight: 1 })),
    row(LINK, "employee", sub("child", "alignments"), 200, (c: Ctx) => ({ parentId: c.company, weight: 2 })),
    row(LINK, "exec", sub("company", "alignments"), 409, (c: Ctx) => ({ parentId: c.child, weight: 1 })),

    row(UNLINK, null, (c: Ctx) => `${G}/${c.child}/alignments/${c.company}`, 401),
    row(UNLINK, "otherEmployee", (c: Ctx) => `${G}/${c.child}/alignments/${c.company}`, 403),
    row(UNLINK, "auditor", (c: Ctx) => `${G}/${c.child}/alignments/${c.company}`, 403),
    row(UNLINK, "employee", (c: Ctx) => `${G}/${c.child}/alignments/${c.company}`, 204),
    row(UNLINK, "employee", (c: Ctx) => `${G}/${c.child}/alignments/${c.company}`, 404),

    row(VERSIONS, null, sub("private", "versions"), 401),
    row(VERSIONS, "otherEmployee", sub("private", "versions"), 404),
    row(VERSIONS, "employee", sub("private", "versions"), 200),
    row(VERSIONS, "auditor", sub("private", "versions"), 200),

    row(VERSION, null, sub("private", "versions/1"), 401),
    row(VERSION, "otherEmployee", sub("private", "versions/1"), 404),
    row(VERSION, "employee", sub("private", "versions/99"), 404),
    row(VERSION, "employee", sub("private", "versions/1"), 200),
    row(VERSION, "manager", sub("private", "versions/1"), 200),
  ],
};
