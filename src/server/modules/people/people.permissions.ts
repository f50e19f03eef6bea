import type { PermissionCase, PermissionTable } from "../../testing/permission-table.ts";
import type { TestPerson } from "../../testing/test-app.ts";

const MISSING = "0190f000-0000-7000-8000-000000000000";
const writers = ["admin", "hr"] as const;
const others = ["exec", "manager", "employee", "otherEmployee", "steward", "auditor"] as const;
const everyone: TestPerson[] = [...writers, ...others];

const list = "GET /api/v1/people";
const one = "GET /api/v1/people/:id";
const create = "POST /api/v1/people";
const update = "PATCH /api/v1/people/:id";
const target = (ctx: Record<string, string>) => `/api/v1/people/${ctx.person}`;
const newPerson = (as: TestPerson) => ({
  email: `perm-${as.toLowerCase()}@test.example`,
  name: `Made by ${as}`,
});

export const peoplePermissions: PermissionTable = {
  module: "people",
  setup: async (t) => {
    const res = await t.call<{ id: string }>("admin", {
      method: "POST",
      url: "/api/v1/people",
      payload: {
        email: "perm-target@test.example",
        name: "Permission target",
        managerId: t.org.people.manager,
      },
    });
    return { person: res.body.id };
  },
  cases: [
    { route: list, as: null, url: "/api/v1/people", expect: 401 },
    ...everyone.map((as): PermissionCase => ({ route: list, as, url: "/api/v1/people", expect: 200 })),
    { route: one, as: null, url: target, expect: 401 },
    ...everyone.map((as): PermissionCase => ({ route: one, as, url: target, expect: 200 })),
    { route: one, as: "employee", url: `/api/v1/people/${MISSING}`, expect: 404 },
    { route: create, as: null, url: "/api/v1/people", body: newPerson("admin"), expect: 401 },
    ...others.map(
      (as): PermissionCase => ({
        route: create,
        as,
        url: "/api/v1/people",
        body: newPerson(as),
        expect: 403,
      }),
    ),
    ...writers.map(
      (as): PermissionCase => ({
        route: create,
        as,
        url: "/api/v1/people",
        body: newPerson(as),
        expect: 201,
      }),
    ),
    { route: create, as: "admin", url: "/api/v1/people", body: newPerson("admin"), expect: 409 },
    {
      route: create,
      as: "hr",
      url: "/api/v1/people",
      body: { ...newPerson("hr"), email: "perm-admin-by-hr@test.example", roles: ["admin"] },
      expect: 403,
    },
    { route: update, as: null, url: target, body: { title: "Anon" }, expect: 401 },
    ...others.map(
      (as): PermissionCase => ({ route: update, as, url: target, body: { title: as }, expect: 403 }),
    ),
    ...writers.map(
      (as): PermissionCase => ({ route: update, as, url: target, body: { title: as }, expect: 200 }),
    ),
    { route: update, as: "admin", url: `/api/v1/people/${MISSING}`, body: { title: "X" }, expect: 404 },
    { route: update, as: "hr", url: target, body: { roles: ["employee", "admin"] }, expect: 403 },
    { route: update, as: "admin", url: target, body: { roles: ["employee", "admin"] }, expect: 200 },
  ],
};
