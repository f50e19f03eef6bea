/**
 * Who may import measurement files. Pure. Administrators, the performance office and data stewards
 * upload (a steward's rows for metrics they do not steward are refused row by row, as in the bulk
 * write); an import is seen by the person who started it and by those who read everything.
 */
import { type Actor, hasRole, isOrgWide, readsEverything } from "../../actor.ts";

export const canImport = (actor: Actor): boolean => isOrgWide(actor) || hasRole(actor, "data_steward");

export const canSeeImport = (actor: Actor, imp: { createdBy: string }): boolean =>
  readsEverything(actor) || imp.createdBy === actor.personId;

export const canRunImport = (actor: Actor, imp: { createdBy: string }): boolean =>
  canImport(actor) && (isOrgWide(actor) || imp.createdBy === actor.personId);
