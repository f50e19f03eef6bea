import type { PermissionTable } from "../../testing/permission-table.ts";

export const cyclesPermissions: PermissionTable = { module: "cycles", cases: [] };
