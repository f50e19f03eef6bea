/** Use cases that write a goal's definition: create it, change it. */
import { uuidv7 } from "uuidv7";
import type { Actor } from "../../actor.ts";
import { AppError, type FieldError } from "../../errors.ts";
import { appendAudit } from "../audit/audit.service.ts";
import { lockUnchanged, recordVersion, requireManageableGoal } from "./goals.access.ts";
import { findCycles, findPeople } from "./goals.lookup.repo.ts";
import { canCreateGoal, changesGoals } from "./goals.policy.ts";
import { definitionOf, type GoalDeps } from "./goals.present.ts";
import { normaliseScope, referenceErrors } from "./goals.references.ts";
import {
  contributorsOf,
  type GoalRow,
  insertGoal,
  type NewGoalRow,
  ownersReportingTo,
  replaceContributors,
  updateGoal,
} from "./goals.repo.ts";
import type { CreateGoalInput, GoalDefinition, UpdateGoalInput } from "./goals.schema.ts";
import { definitionErrors } from "./goals.validate.ts";

type Field = keyof GoalDefinition;

function throwIfAny(errors: FieldError[]): void {
  if (errors.length > 0) throw new AppError("invalid", errors);
}

/** The columns of `goals` that hold a definition (contributors live in their own table). */
function columnsOf(d: GoalDefinition): Omit<NewGoalRow, "orgId" | "createdAt" | "updatedAt"> {
  const { contributors: _c, ...columns } = d;
  return columns;
}

async function assertMayOwn(deps: GoalDeps, actor: Actor, d: GoalDefinition): Promise<void> {
  const reports = await ownersReportingTo(deps.db, actor, [d.ownerId]);
  if (
    !canCreateGoal(actor, { ownerId: d.ownerId, level: d.level, ownerReportsToActor: reports.has(d.ownerId) })
  ) {
    throw new AppError(
      "forbidden",
      d.level === "company"
        ? "company-level goals are set by executives, the performance office and administrators"
        : "you may set goals for yourself and for the people who report to you",
    );
  }
}

/** Creates a draft goal and its version 1. Omitted dates are the cycle's, the unit is the owner's. */
export async function createGoal(deps: GoalDeps, actor: Actor, input: CreateGoalInput): Promise<GoalRow> {
  if (!changesGoals(actor)) throw new AppError("forbidden", "your role reads goals but does not change them");
  const ownerId = input.ownerId ?? actor.personId;
  const [owner] = await findPeople(deps.db, actor.orgId, [ownerId]);
  const cycle = (await findCycles(deps.db, actor.orgId, [input.cycleId])).get(input.cycleId);
  const definition = normaliseScope(actor.orgId, {
    id: uuidv7(),
    cycleId: input.cycleId,
    title: input.title,
    specificOutcome: input.specificOutcome ?? "",
    ownerId,
    level: input.level,
    unitId: input.unitId !== undefined ? input.unitId : (owner?.unitId ?? null),
    kind: input.kind,
    metricId: input.metricId ?? null,
    scopeType: input.scopeType ?? "org",
    scopeId: input.scopeId ?? null,
    baselineValue: input.baselineValue ?? null,
    baselinePeriod: input.baselinePeriod ?? null,
    targetValue: input.targetValue ?? null,
    stretchValue: input.stretchValue ?? null,
    thresholdValue: input.thresholdValue ?? null,
    rangeMin: input.rangeMin ?? null,
    rangeMax: input.rangeMax ?? null,
    rubricLevels: input.rubricLevels ?? null,
    startDate: input.startDate ?? cycle?.startDate ?? "",
    dueDate: input.dueDate ?? cycle?.endDate ?? "",
    checkpoints: input.checkpoints ?? [],
    reviewCadence: input.reviewCadence ?? "monthly",
    visibility: input.visibility ?? "public",
    riskAssumptions: input.riskAssumptions ?? "",
    rollupMode: input.rollupMode ?? "weighted_mean",
    state: "draft",
    version: 1,
    smartOverrideReason: null,
    contributors: input.contributors ?? [],
  });
  const refErrors = await referenceErrors(deps.db, actor.orgId, definition, allFieldsOf(definition));
  // Without a cycle there are no default dates to check; report the cycle alone.
  throwIfAny(cycle ? [...refErrors, ...definitionErrors(definition)] : refErrors);
  await assertMayOwn(deps, actor, definition);
  const at = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const row = await insertGoal(tx, {
      ...columnsOf(definition),
      orgId: actor.orgId,
      createdAt: at.toISOString(),
      updatedAt: at.toISOString(),
    });
    await replaceContributors(tx, actor.orgId, row.id, definition.contributors);
    await recordVersion(tx, actor, row, definition.contributors, at, "created");
    await appendAudit(tx, { orgId: actor.orgId, actorId: actor.personId, at }, [
      { action: "goal.created", entityType: "goal", entityId: row.id, data: { goal: definition } },
    ]);
    await deps.progress.recomputeForGoals(tx, actor.orgId, [row.id]);
    return row;
  });
}

function allFieldsOf(d: GoalDefinition): ReadonlySet<Field> {
  return new Set(Object.keys(d) as Field[]);
}

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const byPerson = (list: GoalDefinition["contributors"]) =>
  [...list].sort((x, y) => (x.personId < y.personId ? -1 : x.personId > y.personId ? 1 : 0));

/**
 * Changes a goal's definition. Each change writes a new version; changing an active goal needs a
 * `changeReason`. A request that changes nothing writes nothing.
 */
export async function updateGoalDefinition(
  deps: GoalDeps,
  actor: Actor,
  id: string,
  input: UpdateGoalInput,
): Promise<GoalRow> {
  const read = await requireManageableGoal(deps, actor, id);
  const { changeReason, ...patch } = input;
  const contributors = (await contributorsOf(deps.db, actor.orgId, [id])).get(id) ?? [];
  const before = definitionOf(read, byPerson(contributors));
  const given = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  const after = normaliseScope(actor.orgId, {
    ...before,
    ...given,
    contributors: byPerson(patch.contributors ?? before.contributors),
  });
  const changed = (Object.keys(after) as Field[]).filter((f) => !sameValue(before[f], after[f]));
  if (changed.length === 0) return read;
  throwIfAny([
    ...(await referenceErrors(deps.db, actor.orgId, after, new Set(changed))),
    ...definitionErrors(after),
  ]);
  if (changed.includes("ownerId") || changed.includes("level")) await assertMayOwn(deps, actor, after);
  if (read.state === "active" && !changeReason) {
    throw new AppError("invalid", {
      field: "changeReason",
      message: "the goal is active: say why it changes (changeReason)",
    });
  }
  const at = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    await lockUnchanged(tx, read);
    const row = await updateGoal(tx, actor.orgId, id, {
      ...columnsOf(after),
      version: read.version + 1,
      updatedAt: at.toISOString(),
    });
    if (changed.includes("contributors")) {
      await replaceContributors(tx, actor.orgId, id, after.contributors);
    }
    await recordVersion(tx, actor, row, after.contributors, at, changeReason ?? "");
    const changes = Object.fromEntries(changed.map((f) => [f, { before: before[f], after: after[f] }]));
    await appendAudit(tx, { orgId: actor.orgId, actorId: actor.personId, at }, [
      {
        action: "goal.updated",
        entityType: "goal",
        entityId: id,
        data: { version: row.version, reason: changeReason ?? null, changes },
      },
    ]);
    await deps.progress.recomputeForGoals(tx, actor.orgId, [id]);
    return row;
  });
}
