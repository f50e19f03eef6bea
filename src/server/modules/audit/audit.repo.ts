import { and, asc, desc, eq, gt, lt, sql } from "drizzle-orm";
import type { Db } from "../../db/connection.ts";
import { auditEvents, organizations } from "../../db/schema.ts";

export type AuditRow = typeof auditEvents.$inferSelect;

/** Locks the organisation's chain head for the rest of the transaction: appends take turns. */
export async function lockChainHead(tx: Db, orgId: string) {
  const rows = await tx
    .select({ seq: organizations.auditSeq, head: organizations.auditHead })
    .from(organizations)
    .where(eq(organizations.id, orgId))
    .for("update");
  return rows[0];
}

export async function insertEvent(tx: Db, row: AuditRow) {
  await tx.insert(auditEvents).values(row);
  await tx
    .update(organizations)
    .set({ auditSeq: row.seq, auditHead: row.hash })
    .where(eq(organizations.id, row.orgId));
}

export async function listEvents(
  db: Db,
  orgId: string,
  opts: { beforeSeq?: number; limit: number; entityType?: string; entityId?: string; action?: string },
) {
  return db
    .select()
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.orgId, orgId),
        opts.beforeSeq !== undefined ? lt(auditEvents.seq, opts.beforeSeq) : undefined,
        opts.entityType ? eq(auditEvents.entityType, opts.entityType) : undefined,
        opts.entityId ? eq(auditEvents.entityId, opts.entityId) : undefined,
        opts.action ? eq(auditEvents.action, opts.action) : undefined,
      ),
    )
    .orderBy(desc(auditEvents.seq))
    .limit(opts.limit);
}

/** Reads the chain in order, a batch at a time, for verification. */
export async function readChainBatch(db: Db, orgId: string, afterSeq: number, limit: number) {
  return db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.orgId, orgId), gt(auditEvents.seq, afterSeq)))
    .orderBy(asc(auditEvents.seq))
    .limit(limit);
}

export async function chainHead(db: Db, orgId: string) {
  const rows = await db
    .select({ seq: organizations.auditSeq, head: organizations.auditHead })
    .from(organizations)
    .where(eq(organizations.id, orgId));
  return rows[0];
}

export async function countEvents(db: Db, orgId: string): Promise<number> {
  const rows = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(auditEvents)
    .where(eq(auditEvents.orgId, orgId));
  return rows[0]?.n ?? 0;
}
