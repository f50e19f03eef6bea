/**
 * Who may do what with the KPI library. Pure: the service gathers the facts. Everyone signed in reads
 * metrics; the performance office and administrators define them; a metric's steward (who must hold
 * the data_steward role) keeps its definition up to date but does not hand stewardship on.
 */
import { type Actor, hasRole, isOrgWide } from "../../actor.ts";

export type MetricAction = "read" | "create" | "update" | "reassign_steward";

/** Whether the caller is this metric's steward, in the data_steward role. */
export const isStewardOf = (actor: Actor, metric: { stewardId: string | null }) =>
  metric.stewardId !== null && metric.stewardId === actor.personId && hasRole(actor, "data_steward");

export function canMetric(
  actor: Actor,
  action: MetricAction,
  metric?: { stewardId: string | null },
): boolean {
  switch (action) {
    case "read":
      return true;
    case "create":
    case "reassign_steward":
      return isOrgWide(actor);
    case "update":
      return isOrgWide(actor) || (metric !== undefined && isStewardOf(actor, metric));
    default: {
      const never: never = action;
      throw new TypeError(`unknown metric action ${String(never)}`);
    }
  }
}
