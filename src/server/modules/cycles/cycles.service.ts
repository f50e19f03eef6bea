/** Cycle use cases: permission check, transaction, audit. */
import { uuidv7 } from "uuidv7";
import type { Actor } from "../../actor.ts";
import type { Clock } from "../../clock.ts";
import type { Db } from "../../db/connection.ts";
import { AppError, invalid, notFound } from "../../errors.ts";
import { decodeCursor, toPage } from "../../http/pagination.ts";
import { type AuditEventInput, appendAudit } from "../audit/audit.service.ts";
import { type CycleAction, can, canChangeDates, canMovePhase, nextPhase } from "./cycles.policy.ts";
import * as repo from "./cycles.repo.ts";
import type {
  CreateCycleInput,
  Cycle,
  CycleKind,
  CyclePhase,
  CycleQuery,
  UpdateCycleInput,
} from "./cycles.schema.ts";

const toCycle = (row: Omit<repo.CycleRow, "orgId">): Cycle => ({
  ...row,
  kind: row.kind as CycleKind,
  phase: row.phase as CyclePhase,
});

/** One cycle of the organisation (for other modules checking a cycle's dates or phase), or undefined. */
export async function findCycleSummary(db: Db, orgId: string, cycleId: string): Promise<Cycle | undefined> {
  const row = await repo.findCycle(db, orgId, cycleId);
  return row ? toCycle(row) : undefined;
}

function authorize(actor: Actor, action: CycleAction) {
  if (!can(actor, action)) {
    throw new AppError("forbidden", "only administrators and the performance office run cycles");
  }
}

function assertPhaseMove(from: CyclePhase, to: CyclePhase) {
  if (canMovePhase(from, to)) return;
  const next = nextPhase(from);
  throw new AppError("conflict", {
    field: "phase",
    message: next
      ? `a ${from} cycle can only move to ${next} (phases go planning → active → locked → evaluating → closed, one step at a time)`
      : "the cycle is closed; it has no next phase",
  });
}

export function createCyclesService(deps: { db: Db; clock: Clock }) {
  const audit = (tx: Db, actor: Actor, events: AuditEventInput[]) =>
    appendAudit(tx, { orgId: actor.orgId, actorId: actor.personId, at: deps.clock.now() }, events);

  return {
    async listCycles(actor: Actor, q: CycleQuery) {
      authorize(actor, "read");
      const afterId = decodeCursor(q.cursor);
      const rows = await repo.listCycles(deps.db, actor.orgId, {
        limit: q.limit + 1,
        ...(afterId !== undefined ? { afterId } : {}),
        ...(q.phase !== undefined ? { phase: q.phase } : {}),
      });
      const page = toPage(rows, q.limit, (r) => r.id);
      return { items: page.items.map(toCycle), nextCursor: page.nextCursor };
    },

    async getCycle(actor: Actor, id: string) {
      authorize(actor, "read");
      const row = await repo.findCycle(deps.db, actor.orgId, id);
      if (!row) throw notFound("cycle");
      return toCycle(row);
    },

    async createCycle(actor: Actor, input: CreateCycleInput) {
      authorize(actor, "create");
      return deps.db.transaction(async (tx) => {
        const cycle = toCycle(await repo.insertCycle(tx, { orgId: actor.orgId, id: uuidv7(), ...input }));
        const { id, createdAt: _createdAt, ...data } = cycle;
        await audit(tx, actor, [{ action: "cycle.created", entityType: "cycle", entityId: id, data }]);
        return cycle;
      });
    },

    async updateCycle(actor: Actor, id: string, input: UpdateCycleInput) {
      authorize(actor, "update");
      return deps.db.transaction(async (tx) => {
        const row = await repo.findCycle(tx, actor.orgId, id, true);
        if (!row) throw notFound("cycle");
        const current = toCycle(row);
        const set: repo.CycleChanges = {};
        const before: Record<string, string> = {};
        const after: Record<string, string> = {};
        for (const key of ["name", "startDate", "endDate"] as const) {
          const next = input[key];
          if (next === undefined || next === current[key]) continue;
          if (key !== "name" && !canChangeDates(current.phase)) {
            throw new AppError("conflict", {
              field: key,
              message: `dates change only while the cycle is in planning; this cycle is ${current.phase}`,
            });
          }
          set[key] = next;
          before[key] = current[key];
          after[key] = next;
        }
        const startDate = set.startDate ?? current.startDate;
        const endDate = set.endDate ?? current.endDate;
        if (startDate >= endDate) {
          throw invalid(set.endDate ? "endDate" : "startDate", "endDate must be after startDate");
        }
        const events: AuditEventInput[] = [];
        if (Object.keys(after).length > 0) {
          events.push({
            action: "cycle.updated",
            entityType: "cycle",
            entityId: id,
            data: { before, after },
          });
        }
        if (input.phase !== undefined && input.phase !== current.phase) {
          assertPhaseMove(current.phase, input.phase);
          set.phase = input.phase;
          events.push({
            action: "cycle.phase_changed",
            entityType: "cycle",
            entityId: id,
            data: { from: current.phase, to: input.phase },
          });
        }
        if (events.length === 0) return current;
        const updated = await repo.updateCycle(tx, actor.orgId, id, set);
        if (!updated) throw notFound("cycle");
        await audit(tx, actor, events);
        return toCycle(updated);
      });
    },
  };
}
