/**
 * Who may check in on a goal. Pure: the service gathers the facts. Seeing a goal is decided by the
 * goals module (a goal the caller cannot see is not found); this decides between 403 and going ahead.
 */
import { type Actor, isOrgWide } from "../../actor.ts";

export type CheckInFacts = {
  ownerId: string;
  /** the caller contributes to the goal */
  contributes: boolean;
  /** the owner reports to the caller, directly or through other managers */
  managesOwner: boolean;
};

/** The owner, contributors, the owner's manager chain, administrators and the performance office. */
export function canCheckIn(actor: Actor, facts: CheckInFacts): boolean {
  return isOrgWide(actor) || facts.ownerId === actor.personId || facts.contributes || facts.managesOwner;
}

/** Cycle phases in which check-ins are accepted: the data lock starts at `locked`. */
export const OPEN_PHASES: readonly string[] = ["planning", "active"];
