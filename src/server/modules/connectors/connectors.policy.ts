/**
 * Who may see and run data sources. Pure: the service gathers the facts (the stewards of the
 * metrics a source feeds). Administrators and the performance office manage every source; auditors
 * read them all; a data steward sees the sources that feed any metric they steward and manages those
 * whose every metric is theirs (a pull writes all of its metrics). Nobody else sees any.
 */
import { type Actor, hasRole, isOrgWide, readsEverything } from "../../actor.ts";

export type SourceFacts = {
  /** the steward of each metric the source feeds (null: none) */
  metricStewardIds: (string | null)[];
};

const stewardsIt = (actor: Actor, stewardId: string | null) =>
  stewardId !== null && stewardId === actor.personId && hasRole(actor, "data_steward");

/** May the caller list data sources at all (the list then holds only those they may see)? */
export const canListSources = (actor: Actor): boolean =>
  readsEverything(actor) || hasRole(actor, "data_steward");

/** May the caller create a source for these metrics? */
export const canCreateSource = (actor: Actor, facts: SourceFacts): boolean =>
  isOrgWide(actor) ||
  (facts.metricStewardIds.length > 0 && facts.metricStewardIds.every((s) => stewardsIt(actor, s)));

export const canSeeSource = (actor: Actor, facts: SourceFacts): boolean =>
  readsEverything(actor) || facts.metricStewardIds.some((s) => stewardsIt(actor, s));

/** Change, deactivate, run now: the same people who may create it. */
export const canManageSource = canCreateSource;

/**
 * Whether a person may be a source's steward (scheduled pulls write as them): an administrator, the
 * performance office, or the steward of every metric it feeds.
 */
export const canStewardSource = canCreateSource;
