import type { PermissionTable } from "../../testing/permission-table.ts";

export const authPermissions: PermissionTable = {
  module: "auth",
  cases: [
    { route: "GET /api/v1/me", as: null, url: "/api/v1/me", expect: 401 },
    ...(["admin", "employee", "auditor"] as const).map((as) => ({
      route: "GET /api/v1/me",
      as,
      url: "/api/v1/me",
      expect: 200,
    })),
    { route: "POST /api/v1/auth/logout", as: "employee", url: "/api/v1/auth/logout", expect: 204 },
    {
      route: "POST /api/v1/auth/login",
      as: null,
      url: "/api/v1/auth/login",
      body: { email: "employee@test.example", password: "wrong" },
      expect: 401,
    },
    // The test organisation is not the demo: nothing to advertise.
    { route: "GET /api/v1/auth/demo-logins", as: null, url: "/api/v1/auth/demo-logins", expect: 404 },
    { route: "GET /api/v1/openapi.json", as: null, url: "/api/v1/openapi.json", expect: 200 },
  ],
};
