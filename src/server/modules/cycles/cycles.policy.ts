/** Who may do what with cycles, and how a cycle's phase moves. Pure. */
import { type Actor, isOrgWide } from "../../actor.ts";
import { CYCLE_PHASES, type CyclePhase } from "./cycles.schema.ts";

export type CycleAction = "read" | "create" | "update";

/** Everyone signed in reads cycles; administrators and the performance office run them. */
export function can(actor: Actor, action: CycleAction): boolean {
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

/** The one phase a cycle may move to next, or null once closed. */
export function nextPhase(phase: CyclePhase): CyclePhase | null {
  return CYCLE_PHASES[CYCLE_PHASES.indexOf(phase) + 1] ?? null;
}

/** Phases move forward one step at a time: planning → active → locked → evaluating → closed. */
export const canMovePhase = (from: CyclePhase, to: CyclePhase) => nextPhase(from) === to;

/** Dates frame every goal in the cycle, so they change only before it starts. */
export const canChangeDates = (phase: CyclePhase) => phase === "planning";
