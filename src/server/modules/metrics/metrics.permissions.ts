import type { PermissionTable } from "../../testing/permission-table.ts";

export const metricsPermissions: PermissionTable = { module: "metrics", cases: [] };
