/** Alignment links: a goal supports parent goals with weights; the links stay a DAG. */
import { wouldCreateCycle } from "../../../domain/dag.ts";
import type { Actor } from "../../actor.ts";
import { AppError, notFound } from "../../errors.ts";
import { appendAudit } from "../audit/audit.service.ts";
import { requireManageableGoal, requireVisibleGoal } from "./goals.access.ts";
import {
  deleteLink,
  edgesAbove,
  findLink,
  insertLink,
  linkedVisibleGoals,
  lockAlignmentGraph,
  updateLinkWeight,
} from "./goals.alignments.repo.ts";
import { findPathUp } from "./goals.dag-path.ts";
import type { GoalDeps } from "./goals.present.ts";
import { findVisibleGoal, findVisibleGoals } from "./goals.repo.ts";
import { type AlignInput, GoalAlignments } from "./goals.schema.ts";

/** The goals this goal supports (up) and those that support it (down), as far as the caller may see. */
export async function getAlignments(deps: GoalDeps, actor: Actor, id: string): Promise<GoalAlignments> {
  await requireVisibleGoal(deps.db, actor, id);
  const up = await linkedVisibleGoals(deps.db, actor, id, "up");
  const down = await linkedVisibleGoals(deps.db, actor, id, "down");
  return GoalAlignments.parse({ up, down });
}

/** "«A» → «B» → «A»", naming only the goals the caller may see. */
async function describePath(deps: GoalDeps, actor: Actor, path: string[]): Promise<string> {
  const visible = new Map((await findVisibleGoals(deps.db, actor, path)).map((g) => [g.id, g.title]));
  return path
    .map((id) => (visible.has(id) ? `«${visible.get(id)}» (${id})` : "a goal you cannot see"))
    .join(" → ");
}

/**
 * Makes goal `id` support `parentId` with `weight` (or changes the weight of an existing link).
 * A link to itself, or one that closes a cycle, is refused with the path it would close.
 */
export async function alignGoal(
  deps: GoalDeps,
  actor: Actor,
  id: string,
  input: AlignInput,
): Promise<{ created: boolean; alignments: GoalAlignments }> {
  const child = await requireManageableGoal(deps, actor, id);
  if (input.parentId === id) throw new AppError("conflict", "a goal cannot support itself");
  if (!(await findVisibleGoal(deps.db, actor, input.parentId)))
    throw notFound(`parent goal ${input.parentId}`);
  const at = deps.clock.now();
  // The transaction answers "created", "updated", "unchanged" or the cycle it refused; the refusal is
  // described after it ends, since PGlite runs one transaction at a time on one connection.
  const outcome = await deps.db.transaction(async (tx): Promise<boolean | null | string[]> => {
    await lockAlignmentGraph(tx, actor.orgId);
    const existing = await findLink(tx, actor.orgId, id, input.parentId);
    if (!existing) {
      const edges = await edgesAbove(tx, actor.orgId, input.parentId);
      const edge = { child: id, parent: input.parentId };
      if (wouldCreateCycle(edges, edge)) {
        return [child.id, ...(findPathUp(edges, input.parentId, id) ?? [id])];
      }
      await insertLink(tx, { orgId: actor.orgId, childId: id, ...input, createdAt: at.toISOString() });
    } else if (existing.weight !== input.weight) {
      await updateLinkWeight(tx, actor.orgId, id, input.parentId, input.weight);
    } else {
      return null;
    }
    await appendAudit(tx, { orgId: actor.orgId, actorId: actor.personId, at }, [
      {
        action: "goal.aligned",
        entityType: "goal",
        entityId: id,
        data: { parentId: input.parentId, weight: input.weight, previousWeight: existing?.weight ?? null },
      },
    ]);
    await deps.progress.recomputeForGoals(tx, actor.orgId, [id, input.parentId]);
    return !existing;
  });
  if (Array.isArray(outcome)) {
    const path = await describePath(deps, actor, outcome);
    throw new AppError("conflict", `this link would close a cycle (each goal supports the next): ${path}`);
  }
  return { created: outcome === true, alignments: await getAlignments(deps, actor, id) };
}

/** Removes the link from goal `id` to `parentId`. A link to a goal the caller cannot see is not found. */
export async function unalignGoal(deps: GoalDeps, actor: Actor, id: string, parentId: string): Promise<void> {
  await requireManageableGoal(deps, actor, id);
  const link = await findLink(deps.db, actor.orgId, id, parentId);
  if (!link || !(await findVisibleGoal(deps.db, actor, parentId))) {
    throw notFound(`alignment of goal ${id} to ${parentId}`);
  }
  const at = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await lockAlignmentGraph(tx, actor.orgId);
    if (!(await findLink(tx, actor.orgId, id, parentId)))
      throw notFound(`alignment of goal ${id} to ${parentId}`);
    await deleteLink(tx, actor.orgId, id, parentId);
    await appendAudit(tx, { orgId: actor.orgId, actorId: actor.personId, at }, [
      {
        action: "goal.unaligned",
        entityType: "goal",
        entityId: id,
        data: { parentId, weight: link.weight },
      },
    ]);
    await deps.progress.recomputeForGoals(tx, actor.orgId, [id, parentId]);
  });
}
