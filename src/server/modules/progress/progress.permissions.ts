import type { PermissionTable } from "../../testing/permission-table.ts";

export const progressPermissions: PermissionTable = { module: "progress", cases: [] };
