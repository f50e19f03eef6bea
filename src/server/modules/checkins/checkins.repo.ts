/** SQL for check-ins. Every function takes a db or a transaction. */
import { and, desc, eq, lt, sql } from "drizzle-orm";
import type { Db } from "../../db/connection.ts";
import { checkIns } from "../../db/schema.ts";

export type CheckInRow = typeof checkIns.$inferSelect;

export async function insertCheckIn(tx: Db, row: typeof checkIns.$inferInsert): Promise<CheckInRow> {
  const [inserted] = await tx.insert(checkIns).values(row).returning();
  if (!inserted) throw new Error("insert into check_ins returned nothing");
  return inserted;
}

/** A goal's check-ins, newest first (ids are time-ordered), before the cursor's id. */
export async function listCheckIns(
  db: Db,
  orgId: string,
  goalId: string,
  opts: { before?: string; limit: number },
) {
  return db
    .select()
    .from(checkIns)
    .where(
      and(
        eq(checkIns.orgId, orgId),
        eq(checkIns.goalId, goalId),
        opts.before !== undefined ? lt(checkIns.id, opts.before) : undefined,
      ),
    )
    .orderBy(desc(checkIns.id))
    .limit(opts.limit);
}

export type CheckInContext = {
  contributes: boolean;
  managesOwner: boolean;
  cyclePhase: string | null;
  orgTimeZone: string;
  /** the goal's metric's calculation (manual, imported, formula), null without a metric */
  metricCalculation: string | null;
};

/**
 * What deciding on a check-in needs beyond the goal row: does the caller contribute to the goal or
 * stand in its owner's manager chain, the cycle's phase, the organisation's zone, the metric's kind.
 */
export async function loadCheckInContext(
  db: Db,
  orgId: string,
  goal: { id: string; ownerId: string; cycleId: string; metricId: string | null },
  personId: string,
): Promise<CheckInContext> {
  const res = (await db.execute(sql`select
      exists (select 1 from goal_contributors c
        where c.org_id = ${orgId} and c.goal_id = ${goal.id} and c.person_id = ${personId}) as contributes,
      exists (
        with recursive chain(id) as (
          select p.manager_id from people p where p.org_id = ${orgId} and p.id = ${goal.ownerId}
          union
          select p.manager_id from people p join chain on p.id = chain.id where p.org_id = ${orgId}
        )
        select 1 from chain where chain.id = ${personId}) as "managesOwner",
      (select phase from cycles where org_id = ${orgId} and id = ${goal.cycleId}) as "cyclePhase",
      (select time_zone from organizations where id = ${orgId}) as "orgTimeZone",
      (select calculation from metrics where org_id = ${orgId} and id = ${goal.metricId}) as "metricCalculation"
  `)) as unknown as { rows: CheckInContext[] };
  const row = res.rows[0];
  if (!row) throw new Error("check-in context query returned nothing");
  return row;
}
