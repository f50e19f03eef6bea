/**
 * Who may do what to a goal, and how a goal's state may move. Pure: the service gathers the facts
 * (is the owner the caller's report?) and asks here. Reading is decided in SQL by `visibleGoalsWhere`.
 */
import { type Actor, hasRole, isOrgWide } from "../../actor.ts";
import type { GoalAbilities, GoalLevel, GoalState } from "./goals.schema.ts";

/** The facts about one goal (or a goal about to exist) that decide what the caller may do. */
export type GoalFacts = {
  ownerId: string;
  level: GoalLevel;
  state: GoalState;
  /** the owner reports to the caller, directly or through other managers */
  ownerReportsToActor: boolean;
};

/** Auditors (and anyone without a role that changes goals) read only. */
export const changesGoals = (actor: Actor) =>
  hasRole(actor, "admin", "performance_office", "executive", "manager", "employee");

export const FINAL_STATES: readonly GoalState[] = ["achieved", "partially_achieved", "missed", "cancelled"];
export const isFinal = (state: GoalState) => FINAL_STATES.includes(state);

/**
 * The state machine: draft → proposed → active → achieved | partially_achieved | missed | cancelled;
 * draft → active directly; proposed → draft; a draft or proposal may be cancelled (there is no delete).
 * The four outcomes are final.
 */
export const TRANSITIONS: Record<GoalState, readonly GoalState[]> = {
  draft: ["proposed", "active", "cancelled"],
  proposed: ["draft", "active", "cancelled"],
  active: ["achieved", "partially_achieved", "missed", "cancelled"],
  achieved: [],
  partially_achieved: [],
  missed: [],
  cancelled: [],
};

export const canMove = (from: GoalState, to: GoalState) => TRANSITIONS[from].includes(to);

/**
 * May the caller make (or reassign to) a goal with this owner and level? Administrators and the
 * performance office: every goal. Company-level goals: executives. Otherwise for oneself or one's reports.
 */
export function canCreateGoal(actor: Actor, facts: Omit<GoalFacts, "state">): boolean {
  if (!changesGoals(actor)) return false;
  if (isOrgWide(actor)) return true;
  if (facts.level === "company") return hasRole(actor, "executive");
  return facts.ownerId === actor.personId || facts.ownerReportsToActor;
}

/** The owner, their manager chain, administrators, the performance office; executives for company goals. */
export function canManageGoal(actor: Actor, facts: GoalFacts): boolean {
  if (!changesGoals(actor)) return false;
  if (isOrgWide(actor)) return true;
  if (facts.level === "company" && hasRole(actor, "executive")) return true;
  return facts.ownerId === actor.personId || facts.ownerReportsToActor;
}

/** Final goals are closed: nothing more to edit, move or align. */
export function abilitiesFor(actor: Actor, facts: GoalFacts): GoalAbilities {
  const manage = canManageGoal(actor, facts) && !isFinal(facts.state);
  return { edit: manage, transition: manage, align: manage };
}

/** Only administrators may activate a goal whose SMART check fails. */
export const canOverrideSmart = (actor: Actor) => hasRole(actor, "admin");

export const MIN_OVERRIDE_REASON = 10;
