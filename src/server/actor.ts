export const ROLES = [
  "admin",
  "performance_office",
  "executive",
  "manager",
  "employee",
  "data_steward",
  "auditor",
] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: resolved once per request from the session cookie or a bearer token. */
export type Actor = {
  orgId: string;
  personId: string;
  roles: Role[];
  unitId: string | null;
};

export const hasRole = (actor: Actor, ...roles: Role[]) => roles.some((r) => actor.roles.includes(r));
/** Administrators and the performance office see and run everything in their organisation. */
export const isOrgWide = (actor: Actor) => hasRole(actor, "admin", "performance_office");
/** Who may read everything (but only the first two change anything). */
export const readsEverything = (actor: Actor) => hasRole(actor, "admin", "performance_office", "auditor");
