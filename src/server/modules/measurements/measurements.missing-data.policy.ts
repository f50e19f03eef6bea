/**
 * Who sees and runs the missing-data check. Pure. The alerts are the data review page's second list,
 * so they reach the same people as the quarantine queue: a data steward their metrics' series; the
 * performance office, administrators and auditors (who read everything) all. Running the check on
 * demand writes alerts and audit events: the people who look after the data, not auditors.
 */
import { type Actor, hasRole, isOrgWide } from "../../actor.ts";
import { reviewQueueScope } from "./measurements.policy.ts";

export function missingDataScope(actor: Actor): "all" | "stewarded" | "none" {
  return reviewQueueScope(actor);
}

export function canRunMissingDataCheck(actor: Actor): boolean {
  return isOrgWide(actor) || hasRole(actor, "data_steward");
}
