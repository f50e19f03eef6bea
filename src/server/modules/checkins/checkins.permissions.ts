import type { PermissionTable } from "../../testing/permission-table.ts";

export const checkinsPermissions: PermissionTable = { module: "checkins", cases: [] };
