/** SQL for alignment links (child supports parent, with a weight). */
import { and, asc, eq, inArray, lt, sql } from "drizzle-orm";
import type { Edge } from "../../../domain/dag.ts";
import type { Actor } from "../../actor.ts";
import type { Db } from "../../db/connection.ts";
import { alignments, goals } from "../../db/schema.ts";
import { visibleGoalsWhere } from "./goals.visibility.ts";

export type ParentLink = { childId: string; parentId: string; weight: number; visible: boolean };

/**
 * The parents of these goals, each flagged visible or not for the caller (the SMART check counts
 * every parent; responses list only the visible ones). `before` limits to links made before an instant.
 */
export async function parentLinksOf(
  db: Db,
  actor: Actor,
  childIds: string[],
  before?: string,
): Promise<ParentLink[]> {
  if (childIds.length === 0) return [];
  // `goals` here is the parent, so the visibility condition speaks about the parent.
  return db
    .select({
      childId: alignments.childId,
      parentId: alignments.parentId,
      weight: alignments.weight,
      visible: sql<boolean>`coalesce(${visibleGoalsWhere(actor)}, false)`.mapWith(Boolean),
    })
    .from(alignments)
    .innerJoin(goals, and(eq(goals.orgId, alignments.orgId), eq(goals.id, alignments.parentId)))
    .where(
      and(
        eq(alignments.orgId, actor.orgId),
        inArray(alignments.childId, childIds),
        before ? lt(alignments.createdAt, before) : undefined,
      ),
    )
    .orderBy(asc(alignments.childId), asc(alignments.parentId));
}

/** The visible goals linked to `goalId`: its parents (`up`) or its children (`down`). */
export async function linkedVisibleGoals(db: Db, actor: Actor, goalId: string, direction: "up" | "down") {
  const [self, other] =
    direction === "up"
      ? [alignments.childId, alignments.parentId]
      : [alignments.parentId, alignments.childId];
  return db
    .select({
      goalId: goals.id,
      title: goals.title,
      level: goals.level,
      state: goals.state,
      ownerId: goals.ownerId,
      weight: alignments.weight,
    })
    .from(alignments)
    .innerJoin(goals, and(eq(goals.orgId, alignments.orgId), eq(goals.id, other)))
    .where(and(eq(alignments.orgId, actor.orgId), eq(self, goalId), visibleGoalsWhere(actor)))
    .orderBy(asc(goals.id));
}

/** Every link above `goalId` (the links among its ancestors): enough to tell whether a new link closes a cycle. */
export async function edgesAbove(db: Db, orgId: string, goalId: string): Promise<Edge[]> {
  const rows = await db.select({ child: sql<string>`up.child_id`, parent: sql<string>`up.parent_id` }).from(
    sql`(with recursive up(child_id, parent_id) as (
        select a.child_id, a.parent_id from alignments a where a.org_id = ${orgId} and a.child_id = ${goalId}
        union
        select a.child_id, a.parent_id from alignments a join up on a.child_id = up.parent_id
        where a.org_id = ${orgId}
      ) select child_id, parent_id from up) as up`,
  );
  return rows;
}

/** Alignment writes in one organisation take turns, so two concurrent links cannot close a cycle together. */
export async function lockAlignmentGraph(tx: Db, orgId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`alignments:${orgId}`}, 0))`);
}

export async function findLink(db: Db, orgId: string, childId: string, parentId: string) {
  const rows = await db
    .select()
    .from(alignments)
    .where(
      and(eq(alignments.orgId, orgId), eq(alignments.childId, childId), eq(alignments.parentId, parentId)),
    );
  return rows[0];
}

export async function insertLink(
  tx: Db,
  row: { orgId: string; childId: string; parentId: string; weight: number; createdAt: string },
): Promise<void> {
  await tx.insert(alignments).values(row);
}

export async function updateLinkWeight(
  tx: Db,
  orgId: string,
  childId: string,
  parentId: string,
  weight: number,
): Promise<void> {
  await tx
    .update(alignments)
    .set({ weight })
    .where(
      and(eq(alignments.orgId, orgId), eq(alignments.childId, childId), eq(alignments.parentId, parentId)),
    );
}

export async function deleteLink(tx: Db, orgId: string, childId: string, parentId: string): Promise<void> {
  await tx
    .delete(alignments)
    .where(
      and(eq(alignments.orgId, orgId), eq(alignments.childId, childId), eq(alignments.parentId, parentId)),
    );
}
