import type { PermissionTable } from "../../testing/permission-table.ts";

export const measurementsPermissions: PermissionTable = { module: "measurements", cases: [] };
