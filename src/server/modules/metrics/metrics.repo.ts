/** SQL for metrics (the KPI library). Every function takes a database or a transaction. */
import { and, asc, eq, gt, ilike, inArray, or, sql } from "drizzle-orm";
import type { Db } from "../../db/connection.ts";
import { goals, metrics, organizations } from "../../db/schema.ts";

export type MetricRow = typeof metrics.$inferSelect;
export type MetricChanges = Partial<Omit<MetricRow, "orgId" | "id" | "createdAt">>;

/** `%` and `_` in a search are the characters themselves, not wildcards. */
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function listMetrics(
  db: Db,
  orgId: string,
  opts: {
    limit: number;
    afterId?: string;
    q?: string;
    unit?: string;
    direction?: string;
    indicatorType?: string;
    stewardId?: string;
  },
) {
  const pattern = opts.q !== undefined ? `%${escapeLike(opts.q)}%` : undefined;
  return db
    .select()
    .from(metrics)
    .where(
      and(
        eq(metrics.orgId, orgId),
        opts.afterId !== undefined ? gt(metrics.id, opts.afterId) : undefined,
        pattern !== undefined ? or(ilike(metrics.key, pattern), ilike(metrics.name, pattern)) : undefined,
        opts.unit !== undefined ? eq(metrics.unit, opts.unit) : undefined,
        opts.direction !== undefined ? eq(metrics.direction, opts.direction) : undefined,
        opts.indicatorType !== undefined ? eq(metrics.indicatorType, opts.indicatorType) : undefined,
        opts.stewardId !== undefined ? eq(metrics.stewardId, opts.stewardId) : undefined,
      ),
    )
    .orderBy(asc(metrics.id))
    .limit(opts.limit);
}

export async function findMetric(db: Db, orgId: string, id: string): Promise<MetricRow | undefined> {
  const rows = await db
    .select()
    .from(metrics)
    .where(and(eq(metrics.orgId, orgId), eq(metrics.id, id)));
  return rows[0];
}

/**
 * The metric, locked until the transaction ends (FOR NO KEY UPDATE: writers of the same metric take
 * turns, while inserts that merely reference it go on), so checks made after it still hold at commit.
 */
export async function lockMetric(tx: Db, orgId: string, id: string): Promise<MetricRow | undefined> {
  const rows = await tx
    .select()
    .from(metrics)
    .where(and(eq(metrics.orgId, orgId), eq(metrics.id, id)))
    .for("no key update");
  return rows[0];
}

/** Metrics by id or by key (for bulk writes that name metrics either way). */
export async function findMetricsByIdsOrKeys(db: Db, orgId: string, ids: string[], keys: string[]) {
  if (ids.length === 0 && keys.length === 0) return [];
  return db
    .select()
    .from(metrics)
    .where(
      and(
        eq(metrics.orgId, orgId),
        or(
          ids.length > 0 ? inArray(metrics.id, ids) : undefined,
          keys.length > 0 ? inArray(metrics.key, keys) : undefined,
        ),
      ),
    );
}

/**
 * Locks these metrics in id order (a fixed order, so two bulk writes cannot deadlock) and bumps
 * their write sequence; answers each one's new sequence.
 */
export async function lockMetrics(
  tx: Db,
  orgId: string,
  ids: string[],
): Promise<{ id: string; writeSeq: number }[]> {
  if (ids.length === 0) return [];
  const locked = tx
    .select({ id: metrics.id })
    .from(metrics)
    .where(and(eq(metrics.orgId, orgId), inArray(metrics.id, ids)))
    .orderBy(asc(metrics.id))
    .for("no key update");
  return tx
    .update(metrics)
    .set({ writeSeq: sql`${metrics.writeSeq} + 1` })
    .where(and(eq(metrics.orgId, orgId), inArray(metrics.id, locked)))
    .returning({ id: metrics.id, writeSeq: metrics.writeSeq });
}

export async function findMetricIdByKey(db: Db, orgId: string, key: string) {
  const rows = await db
    .select({ id: metrics.id })
    .from(metrics)
    .where(and(eq(metrics.orgId, orgId), eq(metrics.key, key)));
  return rows[0]?.id;
}

export async function insertMetric(db: Db, row: typeof metrics.$inferInsert): Promise<MetricRow> {
  const [inserted] = await db.insert(metrics).values(row).returning();
  if (!inserted) throw new Error("insert into metrics returned nothing");
  return inserted;
}

export async function updateMetric(db: Db, orgId: string, id: string, changes: MetricChanges) {
  const [updated] = await db
    .update(metrics)
    // a change of the metric (its rules, its closed periods…) ends any write judged ahead under the old one
    .set({ ...changes, writeSeq: sql`${metrics.writeSeq} + 1` })
    .where(and(eq(metrics.orgId, orgId), eq(metrics.id, id)))
    .returning();
  if (!updated) throw new Error("update of metrics returned nothing");
  return updated;
}

/** The organisation's time zone (what "today" means for it). */
export async function findOrgTimeZone(db: Db, orgId: string): Promise<string> {
  const [row] = await db
    .select({ timeZone: organizations.timeZone })
    .from(organizations)
    .where(eq(organizations.id, orgId));
  return row?.timeZone ?? "UTC";
}

/** How many goals (of any state or cycle) read this metric. */
export async function countGoalsUsingMetric(db: Db, orgId: string, metricId: string): Promise<number> {
  const rows = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(goals)
    .where(and(eq(goals.orgId, orgId), eq(goals.metricId, metricId)));
  return rows[0]?.n ?? 0;
}

/** The organisation's formula metrics (the formula graph is built from these). */
export async function listFormulaMetrics(db: Db, orgId: string): Promise<MetricRow[]> {
  return db
    .select()
    .from(metrics)
    .where(and(eq(metrics.orgId, orgId), eq(metrics.calculation, "formula")))
    .orderBy(asc(metrics.id));
}
