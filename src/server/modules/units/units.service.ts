/** Org unit use cases: permission check, transaction, audit. */
import { uuidv7 } from "uuidv7";
import type { Actor } from "../../actor.ts";
import type { Clock } from "../../clock.ts";
import type { Db } from "../../db/connection.ts";
import { AppError, invalid, notFound } from "../../errors.ts";
import { decodeCursor, toPage } from "../../http/pagination.ts";
import { appendAudit } from "../audit/audit.service.ts";
import { findPersonSummary } from "../people/people.service.ts";
import { can, type UnitAction } from "./units.policy.ts";
import * as repo from "./units.repo.ts";
import type { CreateUnitInput, Unit, UnitKind, UnitQuery, UpdateUnitInput } from "./units.schema.ts";

/** True when the unit exists in the organisation (for other modules validating a unit id). */
export async function unitExists(db: Db, orgId: string, unitId: string): Promise<boolean> {
  return (await repo.findUnit(db, orgId, unitId)) !== undefined;
}

/** Which of these ids are units of the organisation. */
export const existingUnitIds = (db: Db, orgId: string, ids: string[]) =>
  repo.findExistingUnitIds(db, orgId, ids);

const toUnit = (row: Omit<repo.UnitRow, "orgId">): Unit => ({
  ...row,
  kind: row.kind as UnitKind,
});

function authorize(actor: Actor, action: UnitAction) {
  if (!can(actor, action)) {
    throw new AppError("forbidden", "only administrators and the performance office change org units");
  }
}

async function assertHead(db: Db, orgId: string, headId: string | null) {
  if (headId === null) return;
  const head = await findPersonSummary(db, orgId, headId);
  if (!head) throw invalid("headId", "no person with this id; give an existing person's id or null");
  if (!head.active) throw invalid("headId", "this person is inactive; a unit's head must be active");
}

async function assertParent(db: Db, orgId: string, parentId: string | null) {
  if (parentId !== null && !(await repo.findUnit(db, orgId, parentId))) {
    throw invalid("parentId", "no unit with this id; give an existing unit's id or null for the top");
  }
}

export function createUnitsService(deps: { db: Db; clock: Clock }) {
  return {
    async listUnits(actor: Actor, q: UnitQuery) {
      authorize(actor, "read");
      const afterId = decodeCursor(q.cursor);
      const rows = await repo.listUnits(deps.db, actor.orgId, {
        limit: q.limit + 1,
        ...(afterId !== undefined ? { afterId } : {}),
        ...(q.parentId !== undefined ? { parentId: q.parentId } : {}),
      });
      const page = toPage(rows, q.limit, (r) => r.id);
      return { items: page.items.map(toUnit), nextCursor: page.nextCursor };
    },

    async getUnit(actor: Actor, id: string) {
      authorize(actor, "read");
      const row = await repo.findUnit(deps.db, actor.orgId, id);
      if (!row) throw notFound("unit");
      return toUnit(row);
    },

    async createUnit(actor: Actor, input: CreateUnitInput) {
      authorize(actor, "create");
      return deps.db.transaction(async (tx) => {
        await assertParent(tx, actor.orgId, input.parentId);
        await assertHead(tx, actor.orgId, input.headId);
        const row = await repo.insertUnit(tx, { orgId: actor.orgId, id: uuidv7(), ...input });
        const unit = toUnit(row);
        await appendAudit(tx, { orgId: actor.orgId, actorId: actor.personId, at: deps.clock.now() }, [
          {
            action: "unit.created",
            entityType: "unit",
            entityId: unit.id,
            data: { name: unit.name, kind: unit.kind, parentId: unit.parentId, headId: unit.headId },
          },
        ]);
        return unit;
      });
    },

    async updateUnit(actor: Actor, id: string, input: UpdateUnitInput) {
      authorize(actor, "update");
      return deps.db.transaction(async (tx) => {
        if (input.parentId !== undefined) await repo.lockTree(tx, actor.orgId);
        const current = await repo.findUnit(tx, actor.orgId, id);
        if (!current) throw notFound("unit");
        if (input.parentId !== undefined && input.parentId !== current.parentId) {
          await assertParent(tx, actor.orgId, input.parentId);
          if (input.parentId !== null && (await repo.isInSubtree(tx, actor.orgId, id, input.parentId))) {
            throw new AppError("conflict", {
              field: "parentId",
              message:
                "a unit cannot move under itself or a unit below it; choose a unit outside its subtree",
            });
          }
        }
        if (input.headId !== undefined && input.headId !== current.headId) {
          await assertHead(tx, actor.orgId, input.headId);
        }
        const set: repo.UnitChanges = {};
        const before: Record<string, unknown> = {};
        for (const key of ["name", "kind", "parentId", "headId"] as const) {
          const next = input[key];
          if (next !== undefined && next !== current[key]) {
            before[key] = current[key];
            Object.assign(set, { [key]: next });
          }
        }
        if (Object.keys(set).length === 0) return toUnit(current);
        const row = await repo.updateUnit(tx, actor.orgId, id, set);
        if (!row) throw notFound("unit");
        await appendAudit(tx, { orgId: actor.orgId, actorId: actor.personId, at: deps.clock.now() }, [
          { action: "unit.updated", entityType: "unit", entityId: id, data: { before, after: set } },
        ]);
        return toUnit(row);
      });
    },
  };
}
