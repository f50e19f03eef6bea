/**
 * `visibleGoalsWhere(actor)`: the one SQL condition that decides which goals a caller may read. Every
 * read of goals (lists, single goals, alignment neighbours) goes through it, so nothing can leak.
 */
import { and, eq, or, type SQL, sql } from "drizzle-orm";
import { type Actor, hasRole, readsEverything } from "../../actor.ts";
import { goalContributors, goals } from "../../db/schema.ts";

/** Administrators, the performance office, auditors and executives read every goal of the organisation. */
export const seesAllGoals = (actor: Actor) => readsEverything(actor) || hasRole(actor, "executive");

/**
 * The people who report to the caller, directly or indirectly. Uncorrelated, so PostgreSQL evaluates
 * it once per query (a hashed sub-plan), not once per goal.
 */
export function reportsOf(actor: Actor): SQL {
  return sql`(
    with recursive reports(id) as (
      select p.id from people p where p.org_id = ${actor.orgId} and p.manager_id = ${actor.personId}
      union
      select p.id from people p join reports r on p.manager_id = r.id where p.org_id = ${actor.orgId}
    )
    select id from reports
  )`;
}

/** The caller's unit and every unit above it: a goal of any of these units is "in the caller's unit". */
function unitsAboveActor(actor: Actor): SQL {
  return sql`(
    with recursive up(id, parent_id) as (
      select u.id, u.parent_id from org_units u where u.org_id = ${actor.orgId} and u.id = ${actor.unitId}
      union
      select u.id, u.parent_id from org_units u join up on u.id = up.parent_id where u.org_id = ${actor.orgId}
    )
    select id from up
  )`;
}

/**
 * The goals (rows of `goals`, unaliased) the caller may read, within their organisation:
 * - admin, performance office, auditor, executive: all;
 * - everyone: public goals, their own, those they contribute to, and their reports' (any visibility);
 * - `unit` goals: people in the goal's unit or a unit below it.
 * `private` goals therefore reach only the owner, contributors, the owner's manager chain and the
 * org-wide readers.
 */
export function visibleGoalsWhere(actor: Actor): SQL {
  const inOrg = eq(goals.orgId, actor.orgId);
  if (seesAllGoals(actor)) return inOrg;
  const contributes = sql`exists (
    select 1 from ${goalContributors} c
    where c.org_id = ${goals.orgId} and c.goal_id = ${goals.id} and c.person_id = ${actor.personId}
  )`;
  return and(
    inOrg,
    or(
      eq(goals.visibility, "public"),
      eq(goals.ownerId, actor.personId),
      contributes,
      sql`${goals.ownerId} in ${reportsOf(actor)}`,
      actor.unitId
        ? and(eq(goals.visibility, "unit"), sql`${goals.unitId} in ${unitsAboveActor(actor)}`)
        : undefined,
    ),
  ) as SQL;
}
