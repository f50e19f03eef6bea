/** Who may do what with org units. Pure: the service asks, the tests read like a table. */
import { type Actor, isOrgWide } from "../../actor.ts";

export type UnitAction = "read" | "create" | "update";

/** Everyone signed in reads the org tree; administrators and the performance office shape it. */
export function can(actor: Actor, action: UnitAction): boolean {
  switch (action) {
    case "read":
      return true;
    case "create":
    case "update":
      return isOrgWide(actor);
    default: {
      const never: never = action;
      return never;
    }
  }
}
