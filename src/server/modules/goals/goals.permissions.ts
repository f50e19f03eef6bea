import type { PermissionTable } from "../../testing/permission-table.ts";

export const goalsPermissions: PermissionTable = { module: "goals", cases: [] };
