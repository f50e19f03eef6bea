/** SQL for cycles; every function takes a database or a transaction. */
import { and, asc, eq, gt } from "drizzle-orm";
import type { Db } from "../../db/connection.ts";
import { cycles } from "../../db/schema.ts";

export type CycleRow = typeof cycles.$inferSelect;
export type CycleChanges = Partial<Pick<CycleRow, "name" | "startDate" | "endDate" | "phase">>;

const columns = {
  id: cycles.id,
  name: cycles.name,
  kind: cycles.kind,
  startDate: cycles.startDate,
  endDate: cycles.endDate,
  phase: cycles.phase,
  createdAt: cycles.createdAt,
};

export async function listCycles(
  db: Db,
  orgId: string,
  opts: { limit: number; afterId?: string; phase?: string },
) {
  return db
    .select(columns)
    .from(cycles)
    .where(
      and(
        eq(cycles.orgId, orgId),
        opts.afterId !== undefined ? gt(cycles.id, opts.afterId) : undefined,
        opts.phase !== undefined ? eq(cycles.phase, opts.phase) : undefined,
      ),
    )
    .orderBy(asc(cycles.id))
    .limit(opts.limit);
}

/** One cycle; `forUpdate` locks its row so concurrent phase changes take turns. */
export async function findCycle(db: Db, orgId: string, id: string, forUpdate = false) {
  const query = db
    .select(columns)
    .from(cycles)
    .where(and(eq(cycles.orgId, orgId), eq(cycles.id, id)));
  const rows = forUpdate ? await query.for("update") : await query;
  return rows[0];
}

export async function insertCycle(db: Db, row: typeof cycles.$inferInsert) {
  const rows = await db.insert(cycles).values(row).returning(columns);
  const cycle = rows[0];
  if (!cycle) throw new Error("insert into cycles returned no row");
  return cycle;
}

export async function updateCycle(db: Db, orgId: string, id: string, set: CycleChanges) {
  const rows = await db
    .update(cycles)
    .set(set)
    .where(and(eq(cycles.orgId, orgId), eq(cycles.id, id)))
    .returning(columns);
  return rows[0];
}
