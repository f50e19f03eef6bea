import type { PermissionTable } from "../../testing/permission-table.ts";

const readers = ["admin", "hr", "auditor"] as const;
const others = ["exec", "manager", "employee", "steward"] as const;

export const auditPermissions: PermissionTable = {
  module: "audit",
  cases: ["/api/v1/audit-events", "/api/v1/audit-events/verify"].flatMap((url) => [
    { route: `GET ${url}`, as: null, url, expect: 401 },
    ...readers.map((as) => ({ route: `GET ${url}`, as, url, expect: 200 })),
    ...others.map((as) => ({ route: `GET ${url}`, as, url, expect: 403 })),
  ]),
};
