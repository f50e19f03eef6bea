/** SQL for org units; every function takes a database or a transaction. */
import { and, asc, eq, gt, inArray, sql } from "drizzle-orm";
import type { Db } from "../../db/connection.ts";
import { orgUnits } from "../../db/schema.ts";

export type UnitRow = typeof orgUnits.$inferSelect;

const columns = {
  id: orgUnits.id,
  parentId: orgUnits.parentId,
  name: orgUnits.name,
  kind: orgUnits.kind,
  headId: orgUnits.headId,
  createdAt: orgUnits.createdAt,
};

export async function listUnits(
  db: Db,
  orgId: string,
  opts: { limit: number; afterId?: string; parentId?: string },
) {
  return db
    .select(columns)
    .from(orgUnits)
    .where(
      and(
        eq(orgUnits.orgId, orgId),
        opts.afterId !== undefined ? gt(orgUnits.id, opts.afterId) : undefined,
        opts.parentId !== undefined ? eq(orgUnits.parentId, opts.parentId) : undefined,
      ),
    )
    .orderBy(asc(orgUnits.id))
    .limit(opts.limit);
}

export async function findUnit(db: Db, orgId: string, id: string) {
  const rows = await db
    .select(columns)
    .from(orgUnits)
    .where(and(eq(orgUnits.orgId, orgId), eq(orgUnits.id, id)));
  return rows[0];
}

/** Which of these ids are units of the organisation (one query however many). */
export async function findExistingUnitIds(db: Db, orgId: string, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ id: orgUnits.id })
    .from(orgUnits)
    .where(and(eq(orgUnits.orgId, orgId), inArray(orgUnits.id, ids)));
  return rows.map((r) => r.id);
}

export async function insertUnit(db: Db, row: typeof orgUnits.$inferInsert) {
  const rows = await db.insert(orgUnits).values(row).returning(columns);
  const unit = rows[0];
  if (!unit) throw new Error("insert into org_units returned no row");
  return unit;
}

export type UnitChanges = Partial<Pick<UnitRow, "name" | "kind" | "parentId" | "headId">>;

export async function updateUnit(db: Db, orgId: string, id: string, set: UnitChanges) {
  const rows = await db
    .update(orgUnits)
    .set(set)
    .where(and(eq(orgUnits.orgId, orgId), eq(orgUnits.id, id)))
    .returning(columns);
  return rows[0];
}

/**
 * Serialises changes to the shape of the organisation's tree for the rest of the transaction, so two
 * concurrent moves cannot together close a loop that neither would alone.
 */
export async function lockTree(db: Db, orgId: string) {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`org_units:${orgId}`}))`);
}

/** True when `candidateId` is `unitId` itself or lies anywhere below it. */
export async function isInSubtree(db: Db, orgId: string, unitId: string, candidateId: string) {
  const result = await db.execute(sql`
    with recursive below(id) as (
      select ${unitId}::uuid
      union
      select u.id from org_units u join below b on u.parent_id = b.id where u.org_id = ${orgId}
    )
    select exists (select 1 from below where id = ${candidateId}::uuid) as found`);
  return (result as unknown as { rows: { found: boolean }[] }).rows[0]?.found === true;
}
