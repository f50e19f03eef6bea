/**
 * Who may read and write measurements. Pure: the service gathers the facts. Organisation and unit
 * figures are open to everyone signed in; a person's own figures to that person, their managers, the
 * metric's steward and those who read everything. Writes: administrators, the performance office and
 * the metric's steward (holding the data_steward role).
 */
import { type Actor, hasRole, isOrgWide, readsEverything } from "../../actor.ts";

export type SeriesFacts = {
  scopeType: "org" | "unit" | "person";
  scopeId: string;
  /** the caller is in the scope person's manager chain */
  managesScopePerson: boolean;
  metricStewardId: string | null;
};

const stewards = (actor: Actor, stewardId: string | null) =>
  stewardId !== null && stewardId === actor.personId && hasRole(actor, "data_steward");

export function canReadSeries(actor: Actor, facts: SeriesFacts): boolean {
  if (facts.scopeType !== "person") return true;
  return (
    readsEverything(actor) ||
    facts.scopeId === actor.personId ||
    facts.managesScopePerson ||
    stewards(actor, facts.metricStewardId)
  );
}

export function canWriteMeasurements(actor: Actor, metric: { stewardId: string | null }): boolean {
  return isOrgWide(actor) || stewards(actor, metric.stewardId);
}

/** Deciding on a quarantined value: those who may record the metric's values. */
export const canReviewMeasurement = canWriteMeasurements;

/**
 * Which quarantined values the caller's review queue holds: all (administrators, the performance
 * office, and auditors, who read but do not decide), those of the metrics they steward, or none.
 */
export function reviewQueueScope(actor: Actor): "all" | "stewarded" | "none" {
  if (readsEverything(actor)) return "all";
  if (hasRole(actor, "data_steward")) return "stewarded";
  return "none";
}
