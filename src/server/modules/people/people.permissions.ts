import type { PermissionTable } from "../../testing/permission-table.ts";

export const peoplePermissions: PermissionTable = { module: "people", cases: [] };
