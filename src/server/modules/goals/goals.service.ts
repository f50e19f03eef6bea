/**
 * The goals service: every use case on goals, their alignments and their versions. Other modules
 * (check-ins, progress, …) call these functions, never the goals repos.
 */
import type { Actor } from "../../actor.ts";
import type { Clock } from "../../clock.ts";
import type { Db } from "../../db/connection.ts";
import { AppError, notFound } from "../../errors.ts";
import { decodeCursor, toPage } from "../../http/pagination.ts";
import { createProgressService } from "../progress/progress.service.ts";
import { requireVisibleGoal } from "./goals.access.ts";
import { alignGoal, getAlignments, unalignGoal } from "./goals.align.ts";
import { type GoalFilters, listCurrentGoals, listGoalsAsOf } from "./goals.list.repo.ts";
import { abilitiesFor } from "./goals.policy.ts";
import { type GoalDeps, type GoalView, presentGoals, toIso, viewsOf } from "./goals.present.ts";
import {
  endOfDay,
  findVersion,
  type GoalRow,
  listVersions,
  ownersReportingTo,
  type VersionRow,
  versionsInForce,
} from "./goals.repo.ts";
import {
  type AlignInput,
  type CreateGoalInput,
  type Goal,
  type GoalAbilities,
  GoalAbilityFacts,
  GoalDefinition,
  type TransitionInput,
  type UpdateGoalInput,
} from "./goals.schema.ts";
import { transitionGoal } from "./goals.transition.ts";
import { onTrackTrend } from "./goals.trend.ts";
import { createGoal, updateGoalDefinition } from "./goals.write.ts";

function viewOfVersion(goal: GoalRow, version: VersionRow): GoalView {
  return {
    ...GoalDefinition.parse(version.snapshot),
    createdAt: toIso(goal.createdAt),
    updatedAt: toIso(version.effectiveFrom),
  };
}

export function createGoalService(base: { db: Db; clock: Clock }) {
  const deps: GoalDeps = { ...base, progress: createProgressService(base) };

  const present = async (actor: Actor, rows: GoalRow[]): Promise<Goal[]> =>
    presentGoals(deps, actor, await viewsOf(deps.db, rows), new Map(rows.map((r) => [r.id, r])));

  const presentOne = async (actor: Actor, row: GoalRow): Promise<Goal> => {
    const [goal] = await present(actor, [row]);
    if (!goal) throw new Error("presenting a goal returned nothing");
    return goal;
  };

  return {
    /**
     * The goal row when the caller may see it; otherwise AppError not_found (the same answer as for a
     * goal that does not exist). For other modules that act on a goal (check-ins, progress, explain).
     */
    getVisibleGoal: (actor: Actor, id: string): Promise<GoalRow> => requireVisibleGoal(deps.db, actor, id),

    /** What the caller may do to a goal they can see (throws not_found otherwise). */
    async getAbilities(actor: Actor, id: string): Promise<GoalAbilities> {
      const row = await requireVisibleGoal(deps.db, actor, id);
      const reports = await ownersReportingTo(deps.db, actor, [row.ownerId]);
      const { ownerId, level, state } = GoalAbilityFacts.parse(row);
      return abilitiesFor(actor, { ownerId, level, state, ownerReportsToActor: reports.has(ownerId) });
    },

    /** Visible goals, filtered, by id after the cursor; as of a date, the definitions then in force. */
    async listGoals(actor: Actor, q: GoalFilters & { limit: number; cursor?: string; asOf?: string }) {
      const { limit, cursor, asOf, ...filters } = q;
      const after = decodeCursor(cursor);
      const page = { limit: limit + 1, ...(after !== undefined ? { after } : {}) };
      if (!asOf) {
        const rows = await listCurrentGoals(deps.db, actor, filters, page);
        const { items, nextCursor } = toPage(rows, limit, (r) => r.id);
        return { items: await present(actor, items), nextCursor };
      }
      if (filters.status) {
        throw new AppError("invalid", {
          field: "status",
          message: "the status filter reads today's progress; leave out either status or asOf",
        });
      }
      const cutoff = await endOfDay(deps.db, actor.orgId, asOf);
      const rows = await listGoalsAsOf(deps.db, actor, filters, page, cutoff);
      const { items, nextCursor } = toPage(rows, limit, (r) => r.goal.id);
      const views = items.map((r) => viewOfVersion(r.goal, r.version));
      const current = new Map(items.map((r) => [r.goal.id, r.goal]));
      return { items: await presentGoals(deps, actor, views, current, { day: asOf, cutoff }), nextCursor };
    },

    /** One goal; as of a date, the version in force at the end of that day (not found if none yet). */
    async getGoal(actor: Actor, id: string, asOf?: string): Promise<Goal> {
      const row = await requireVisibleGoal(deps.db, actor, id);
      if (!asOf) return presentOne(actor, row);
      const cutoff = await endOfDay(deps.db, actor.orgId, asOf);
      const version = (await versionsInForce(deps.db, actor.orgId, [id], cutoff)).get(id);
      if (!version) throw notFound(`goal ${id} as of ${asOf}`);
      const view = viewOfVersion(row, version);
      const [goal] = await presentGoals(deps, actor, [view], new Map([[id, row]]), { day: asOf, cutoff });
      if (!goal) throw new Error("presenting a goal returned nothing");
      return goal;
    },

    async createGoal(actor: Actor, input: CreateGoalInput): Promise<Goal> {
      return presentOne(actor, await createGoal(deps, actor, input));
    },

    async updateGoal(actor: Actor, id: string, input: UpdateGoalInput): Promise<Goal> {
      return presentOne(actor, await updateGoalDefinition(deps, actor, id, input));
    },

    async transitionGoal(actor: Actor, id: string, input: TransitionInput): Promise<Goal> {
      return presentOne(actor, await transitionGoal(deps, actor, id, input));
    },

    getAlignments: (actor: Actor, id: string) => getAlignments(deps, actor, id),
    onTrackTrend: async (actor: Actor, q: { cycleId: string; unitId?: string | undefined }) => ({
      items: await onTrackTrend(deps, actor, q),
    }),
    alignGoal: (actor: Actor, id: string, input: AlignInput) => alignGoal(deps, actor, id, input),
    unalignGoal: (actor: Actor, id: string, parentId: string) => unalignGoal(deps, actor, id, parentId),

    /** The goal's versions, oldest first, paged by version number. */
    async listVersions(actor: Actor, id: string, q: { limit: number; cursor?: string }) {
      await requireVisibleGoal(deps.db, actor, id);
      const after = decodeCursor(q.cursor);
      const afterVersion = after === undefined ? undefined : Number(after);
      if (afterVersion !== undefined && !Number.isInteger(afterVersion)) {
        throw new AppError("invalid", {
          field: "cursor",
          message: "not a cursor of this list; start without it",
        });
      }
      const rows = await listVersions(deps.db, actor.orgId, id, {
        limit: q.limit + 1,
        ...(afterVersion !== undefined ? { afterVersion } : {}),
      });
      const { items, nextCursor } = toPage(rows, q.limit, (r) => r.version);
      return { items: items.map((r) => ({ ...r, effectiveFrom: toIso(r.effectiveFrom) })), nextCursor };
    },

    /** One version's immutable snapshot. */
    async getVersion(actor: Actor, id: string, version: number) {
      await requireVisibleGoal(deps.db, actor, id);
      const row = await findVersion(deps.db, actor.orgId, id, version);
      if (!row) throw notFound(`version ${version} of goal ${id}`);
      return {
        version: row.version,
        effectiveFrom: toIso(row.effectiveFrom),
        changedBy: row.changedBy,
        reason: row.reason,
        snapshot: GoalDefinition.parse(row.snapshot),
      };
    },
  };
}

export type GoalService = ReturnType<typeof createGoalService>;
