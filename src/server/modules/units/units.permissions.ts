import type { PermissionTable } from "../../testing/permission-table.ts";

export const unitsPermissions: PermissionTable = { module: "units", cases: [] };
