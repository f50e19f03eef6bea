/** Who may do what with people. Pure: the service asks, the tests read like a table. */
import { type Actor, hasRole, isOrgWide } from "../../actor.ts";

/**
 * - `read`: see people (name, email, title, unit, manager, roles, active);
 * - `create`, `update`: add people, change their details, roles, manager, unit, active state;
 * - `manage_admin`: grant or remove the `admin` role, or (de)activate an administrator.
 */
export type PersonAction = "read" | "create" | "update" | "manage_admin";

export function can(actor: Actor, action: PersonAction): boolean {
  switch (action) {
    case "read":
      return true;
    case "create":
    case "update":
      return isOrgWide(actor);
    case "manage_admin":
      // Otherwise the performance office could make itself administrator.
      return hasRole(actor, "admin");
    default: {
      const never: never = action;
      return never;
    }
  }
}
